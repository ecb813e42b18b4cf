"""Import throughput and scaling: s3 → iottwinmaker against the floor of this machine.

Floor, measured in the same run: the same file parsed in one process by the same JSON reader
(twinport's streaming reader) and the same rows inserted into a bare SQLite table in one
transaction. At 100,000 entities, also the alternative a user has: the same entities created
one CreateEntity call at a time through boto3 (timed on the first ONE_BY_ONE_SAMPLE entities
of the file, parents first, and scaled to the file), as a ratio to the import.

On a shared 2-core machine one run of 100,000 entities gave ratios from 2.5x to 4.7x: at that
size the import and its floor are each measured `RUNS_AT_100K` times, alternately (a new
server each time), and the row gives their medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import orjson
from tests.transfer.helpers import import_job, make_workspace, wait_for

from bench.common import ACCOUNT, Row, bare_database, measured, server, write_entities_file
from twinport.formats.jsonstream import iter_root_arrays

ONE_BY_ONE_SAMPLE = 2_000
RUNS_AT_100K = 3


def floor_seconds(path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        conn = bare_database(Path(tmp))
        conn.execute(
            "CREATE TABLE entities (id TEXT PRIMARY KEY, parent TEXT, name TEXT, doc BLOB)"
        )
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO entities VALUES (?, ?, ?, ?)",
            (
                (
                    doc.get("entityId") or doc.get("componentTypeId"),
                    doc.get("parentEntityId"),
                    doc.get("entityName"),
                    orjson.dumps(doc),
                )
                for _, _, doc in iter_root_arrays(path, ("componentTypes", "entities"))
            ),
        )
        conn.execute("COMMIT")
        conn.close()
        return time.perf_counter() - start


def twinport_seconds(twinport, path: Path, workspace: str, bucket: str) -> tuple[float, float]:
    """Wall time from Create to COMPLETED, and the server's peak RSS in MB meanwhile."""
    twinport.client("s3", ACCOUNT).upload_file(str(path), bucket, path.name)
    source = f"arn:aws:s3:::{bucket}/{path.name}"
    return measured(
        twinport,
        lambda: wait_for(
            twinport, ACCOUNT, import_job(twinport, ACCOUNT, source, workspace), timeout=3600
        ),
    )


def one_by_one_seconds(twinport, path: Path, size: int) -> float:
    """Seconds `size` entities of the file would take created by CreateEntity, one call each."""
    client = twinport.client("iottwinmaker", ACCOUNT)
    make_workspace(twinport, ACCOUNT, "one-by-one", "one-by-one-bench")
    items = iter_root_arrays(path, ("componentTypes", "entities"))
    created = 0
    start = time.perf_counter()
    for section, _, doc in items:
        if section == "componentTypes":
            client.create_component_type(workspaceId="one-by-one", **doc)
            continue
        client.create_entity(workspaceId="one-by-one", **doc)
        created += 1
        if created == ONE_BY_ONE_SAMPLE:
            break
    return (time.perf_counter() - start) / created * size


def run(workdir: Path, sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> list[Row]:
    rows: list[Row] = []
    per_entity: dict[int, float] = {}
    for size in sizes:
        path = write_entities_file(workdir, size)
        runs = RUNS_AT_100K if size == 100_000 else 1
        took_runs, floor_runs, peaks = [], [], []
        one_by_one = None
        for index in range(runs):
            with server() as twinport:
                bucket = f"bench-{size}"
                workspace = make_workspace(twinport, ACCOUNT, f"ws{size}", bucket)
                took, peak = twinport_seconds(twinport, path, workspace, bucket)
                if size == 100_000 and index == 0:
                    one_by_one = one_by_one_seconds(twinport, path, size)
            took_runs.append(took)
            peaks.append(peak)
            floor_runs.append(floor_seconds(path))
        took, floor = statistics.median(took_runs), statistics.median(floor_runs)
        peak = max(peaks)
        per_entity[size] = took / size
        rows.append(Row(f"server peak RSS, {size:,} import", peak, "MB", None, "", "-", True))
        if one_by_one is not None:
            rows.append(
                Row(
                    f"{size:,} entities one CreateEntity call each (boto3), vs the import",
                    one_by_one,
                    "s",
                    took,
                    "import",
                    "-",
                    True,
                )
            )
        if size == 100_000:
            rows.append(
                Row(
                    f"import {size:,} entities, median of {runs}",
                    took,
                    "s",
                    floor,
                    "floor",
                    "<= 1.5x",
                    took <= 1.5 * floor,
                )
            )
        else:
            rows.append(Row(f"import {size:,} entities", took, "s", floor, "floor", "-", True))
    if 1_000_000 in per_entity and 100_000 in per_entity:
        ratio = per_entity[1_000_000] / per_entity[100_000]
        rows.append(
            Row(
                "time/entity 1M vs 100k",
                per_entity[1_000_000] * 1e6,
                "us",
                per_entity[100_000] * 1e6,
                "100k",
                "<= 1.2x",
                ratio <= 1.2,
            )
        )
    return rows
