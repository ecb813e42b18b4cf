"""What every import shares: snapshot the S3 source, then apply staged items in batches.

A resource's outcome: created or changed → succeeded; identical → skipped; rejected → failed;
not attempted because something it depends on failed or was skipped for that → skipped, with a
report row. An `Apply` function checks before it writes (or undoes its own writes) so that a
rejected resource leaves nothing behind; a per-item savepoint here would cost a third of the
statements of an import.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import orjson
from botocore.exceptions import ClientError

from twinport.engine.control import JobControl
from twinport.engine.staging import StagedItems, write_order, write_staged
from twinport.engine.transfers import JobInvalid, template_error
from twinport.errors import ServiceError
from twinport.services.transfer.requests import s3_location
from twinport.store import jobs
from twinport.store.jobs import Job

SOURCE_FILE = "source.json"
_COPY_CHUNK = 1 << 20
STAGED_FILE = "staged.sqlite3"

# (section, document) -> ((resource type, id), [(resource type, id) it depends on])
KeysOf = Callable[[str, dict], tuple[tuple[str, str], list[tuple[str, str]]]]
# (connection, section, document) -> "created" | "updated" | "unchanged"
Apply = Callable[[sqlite3.Connection, str, dict], str]


def download_source(env, job: Job, workdir: Path) -> Path:
    """Copy the job's S3 source object into its work directory (streamed)."""
    location = s3_location(job.source["s3Configuration"]["location"])
    target = workdir / SOURCE_FILE
    try:
        # One sequential stream: the transfer manager's parallel parts would hold tens of MB.
        body = env.s3(job.scope).get_object(Bucket=location.bucket, Key=location.key)["Body"]
        with body, open(target, "wb") as out:
            shutil.copyfileobj(body, out, _COPY_CHUNK)
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
        for seq, (section, index, doc) in enumerate(scan):
            section_start.setdefault(section, seq - index)
            yield section, orjson.dumps(doc)

    write_staged(staged_path, rows())
    plan = scan.plan()
    if not plan.ok:
        errors = [template_error(message) for message in plan.errors]
        if not plan.complete:
            errors.append(template_error("Checking stopped here; the file may hold more problems"))
        raise JobInvalid(errors)
    write_order(staged_path, [section_start[s] + i for _, s, i in plan.sequence()])
    return plan.total


def run_staged(control: JobControl, staged: StagedItems, keys_of: KeysOf, apply: Apply) -> None:
    job = control.job
    unusable = {
        (e["resourceType"], e["resourceId"])
        for e in jobs.errors_of(control.db.connection(), job.seq)
    }
    items = staged.read_from(job.checkpoint)
    next_position = [job.checkpoint]
    exhausted = False
    while not exhausted:
        exhausted = True
        with control.batch(next_position) as batch:
            for position, section, raw in items:
                doc = orjson.loads(raw)
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
                    outcome, error = _apply_one(batch.conn, apply, section, doc)
                    batch.count(outcome)
                    if error is not None:
                        unusable.add(key)
                        batch.errors.append((position, key[0], key[1], error.code, error.message))
                next_position[0] = position + 1
                if batch.full():
                    exhausted = False
                    break


def _apply_one(conn: sqlite3.Connection, apply: Apply, section: str, doc: dict):
    try:
        result = apply(conn, section, doc)
    except ServiceError as error:
        return "failed", error
    return ("skipped" if result == "unchanged" else "succeeded"), None
