"""What every import shares: snapshot the S3 source, then apply staged items in batches.

A resource's outcome: created or changed → succeeded; identical → skipped; rejected → failed;
not attempted because something it depends on failed or was skipped for that → skipped, with a
report row. An `Apply` function checks before it writes (or undoes its own writes) so that a
rejected resource leaves nothing behind; a per-item savepoint here would cost a third of the
statements of an import.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Protocol, runtime_checkable

import orjson
from botocore.exceptions import ClientError

from twinport.domain.outcome import Outcome
from twinport.engine.contract import SCRATCH, JobInvalid, template_error
from twinport.engine.control import Batch, JobControl
from twinport.engine.staging import StagedItems, write_order, write_staged
from twinport.errors import ServiceError
from twinport.store import Connection, jobs
from twinport.store.jobs import Job
from twinport.transfer.locations import s3_location

SOURCE_FILE = "source.json"
_COPY_CHUNK = 1 << 20
STAGED_FILE = "staged.jsonl"

# (section, document) -> ((resource type, id), [(resource type, id) it depends on])
KeysOf = Callable[[str, dict], tuple[tuple[str, str], list[tuple[str, str]]]]
# (connection, section, document) -> what writing it did
Apply = Callable[[Connection, str, dict], Outcome]
# Items are decoded and offered to a BatchApply's `prepare` this many at a time.
_CHUNK = 256


@runtime_checkable
class BatchApply(Protocol):
    """An Apply that takes items a few hundred at a time: `prepare` is shown the items about
    to be applied (to read what they need in one go), an item's writes may wait, and `flush`
    makes them, after each run of items and before the batch commits. Whatever was read
    ahead is forgotten at `flush`."""

    def prepare(self, conn: Connection, items: Sequence[tuple[str, dict]]) -> None: ...

    def __call__(self, conn: Connection, section: str, doc: dict) -> Outcome: ...

    def flush(self, conn: Connection) -> None: ...


def download_source(env, job: Job, workdir: Path) -> Path:
    """Copy the job's S3 source object into its work directory's scratch (streamed), once: a
    validation that a crash interrupted finds the copy whole and goes on from it."""
    location = s3_location(job.source["s3Configuration"]["location"])
    target = workdir / SCRATCH / SOURCE_FILE
    if target.exists():  # only a finished copy has this name
        return target
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(".part")
    try:
        # One sequential stream: the transfer manager's parallel parts would hold tens of MB.
        body = env.s3(job.scope).get_object(Bucket=location.bucket, Key=location.key)["Body"]
        with body, open(partial, "wb") as out:
            shutil.copyfileobj(body, out, _COPY_CHUNK)
        partial.rename(target)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("404", "NoSuchKey", "NoSuchBucket", "403", "AccessDenied"):
            where = f"s3://{location.bucket}/{location.key}"
            message = f"The source {where} cannot be read: it does not exist"
            raise JobInvalid([template_error(message)]) from None
        raise
    return target


def stage_scan(scan, staged_path: Path) -> int:
    """Stage every item of a bulk-file scan, in file order, then record the processing order.

    `scan` iterates (section, index, document) in file order and then gives its plan (errors
    and processing order): the scans of `twinport.formats`.
    """
    section_start: dict[str, int] = {}

    def rows():
        for line, (section, index, doc) in enumerate(scan):
            if index == 0:
                section_start[section] = line
            yield section, orjson.dumps(doc)

    write_staged(staged_path, rows())
    plan = scan.plan()
    if not plan.ok:
        raise JobInvalid([template_error(message) for message in plan.report_messages()])
    write_order(staged_path, (section_start[s] + i for _, s, i in plan.sequence()))
    return plan.total


def run_staged(
    control: JobControl, staged: StagedItems, keys_of: KeysOf, apply: Apply | BatchApply
) -> None:
    job = control.job
    applier = apply if isinstance(apply, BatchApply) else _OneAtATime(apply)
    unusable = {
        (e["resourceType"], e["resourceId"])
        for e in jobs.errors_of(control.db.connection(), job.seq)
    }
    chunks = _chunks(staged.read_from(job.checkpoint))
    chunk: list[tuple[int, str, dict]] = []
    next_position = [job.checkpoint]
    exhausted = False
    while not exhausted:
        with control.batch(next_position) as batch:
            while not batch.full():
                chunk = chunk or next(chunks, [])
                if not chunk:
                    exhausted = True
                    break
                applier.prepare(batch.conn, [(section, doc) for _, section, doc in chunk])
                applied = _apply_items(batch, applier, chunk, keys_of, unusable)
                # Writes are made within the batch's time, which bounds how long it locks.
                applier.flush(batch.conn)
                next_position[0] = chunk[applied - 1][0] + 1
                chunk = chunk[applied:]


def _chunks(rows: Iterable[tuple[int, str, bytes]]) -> Iterator[list[tuple[int, str, dict]]]:
    rows = iter(rows)
    while chunk := [(p, section, orjson.loads(raw)) for p, section, raw in islice(rows, _CHUNK)]:
        yield chunk


def _apply_items(
    batch: Batch,
    apply: BatchApply,
    chunk: list[tuple[int, str, dict]],
    keys_of: KeysOf,
    unusable: set[tuple[str, str]],
) -> int:
    """Apply items of `chunk` until the batch is full; how many were applied."""
    conn = batch.conn
    for applied, (position, section, doc) in enumerate(chunk, start=1):
        blocked = None
        if unusable:  # nothing can be blocked before something failed
            key, needs = keys_of(section, doc)
            blocked = next((n for n in needs if n in unusable), None)
        if blocked is not None:
            unusable.add(key)
            batch.count("skipped")
            batch.errors.append(
                (
                    position,
                    key[0],
                    key[1],
                    "DEPENDENCY_FAILED",
                    f"Not imported: {blocked[0]} {blocked[1]} failed",
                )
            )
        else:
            try:
                result = apply(conn, section, doc)
            except ServiceError as error:
                key = keys_of(section, doc)[0]
                unusable.add(key)
                batch.count("failed")
                batch.errors.append((position, key[0], key[1], error.code, error.message))
            else:
                batch.count("skipped" if result is Outcome.UNCHANGED else "succeeded")
        if batch.full():
            return applied
    return len(chunk)


class _OneAtATime:
    """A plain Apply as a BatchApply: nothing read ahead, every write made at once."""

    def __init__(self, apply: Apply):
        self._apply = apply

    def prepare(self, conn: Connection, items: Sequence[tuple[str, dict]]) -> None:
        pass

    def __call__(self, conn: Connection, section: str, doc: dict) -> Outcome:
        return self._apply(conn, section, doc)

    def flush(self, conn: Connection) -> None:
        pass
