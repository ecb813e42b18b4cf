"""Import throughput and scaling: s3 → iottwinmaker against the floor of this machine.

Floor, measured in the same run: the same file parsed in one process by the same JSON reader
(twinport's streaming reader) and the same rows inserted into a bare SQLite table in one
transaction.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import orjson
from tests.transfer.helpers import import_job, make_workspace, wait_for

from bench.common import ACCOUNT, Row, bare_database, measured, server, write_entities_file
from twinport.formats.jsonstream import iter_root_arrays


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


def run(workdir: Path, sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> list[Row]:
    rows: list[Row] = []
    per_entity: dict[int, float] = {}
    for size in sizes:
        path = write_entities_file(workdir, size)
        with server() as twinport:
            bucket = f"bench-{size}"
            workspace = make_workspace(twinport, ACCOUNT, f"ws{size}", bucket)
            took, peak = twinport_seconds(twinport, path, workspace, bucket)
        floor = floor_seconds(path)
        per_entity[size] = took / size
        rows.append(Row(f"server peak RSS, {size:,} import", peak, "MB", None, "", "-", True))
        if size == 100_000:
            rows.append(
                Row(
                    f"import {size:,} entities",
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
