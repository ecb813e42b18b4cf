"""Peak resident memory of the server (API and engine processes) over a streamed import.

Files of about 100 MB and 1 GB: entities carrying descriptions and property values, so that
the size comes from documents rather than from the number of entities alone.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from tests.transfer.helpers import import_job, make_workspace, wait_for

from bench.common import ACCOUNT, Row, measured, server

_TEXT = "x" * 250


def fat_entities_file(directory: Path, megabytes: int) -> Path:
    """A TwinMaker bulk file of about `megabytes` MB, written as a stream."""
    path = directory / f"fat-{megabytes}mb.json"
    if path.exists():
        return path
    target = megabytes * 1_000_000
    with open(path, "wb") as out:
        out.write(b'{"componentTypes": [')
        out.write(
            orjson.dumps(
                {
                    "componentTypeId": "com.example.tagged",
                    "propertyDefinitions": {
                        f"p{i}": {"dataType": {"type": "STRING"}} for i in range(4)
                    },
                }
            )
        )
        out.write(b'], "entities": [')
        written, index = 0, 0
        while written < target:
            entity = {
                "entityId": f"e{index}",
                "entityName": f"entity {index}",
                "description": _TEXT,
                "parentEntityId": f"e{(index - 1) // 100}" if index else "$ROOT",
                "components": {
                    "tagged": {
                        "componentTypeId": "com.example.tagged",
                        "properties": {
                            f"p{i}": {"value": {"stringValue": _TEXT}} for i in range(4)
                        },
                    }
                },
            }
            chunk = (b"," if index else b"") + orjson.dumps(entity)
            out.write(chunk)
            written += len(chunk)
            index += 1
        out.write(b"]}")
    return path


def peak_mb(path: Path) -> float:
    with server() as twinport:
        bucket = "memory-bench"
        workspace = make_workspace(twinport, ACCOUNT, "plant", bucket)
        twinport.client("s3", ACCOUNT).upload_file(str(path), bucket, path.name)
        source = f"arn:aws:s3:::{bucket}/{path.name}"
        _, peak = measured(
            twinport,
            lambda: wait_for(
                twinport, ACCOUNT, import_job(twinport, ACCOUNT, source, workspace), timeout=7200
            ),
        )
        return peak


def run(workdir: Path, sizes_mb: tuple[int, ...] = (100, 1000)) -> list[Row]:
    peaks = {size: peak_mb(fat_entities_file(workdir, size)) for size in sizes_mb}
    rows = [
        Row(f"peak RSS, {size} MB import", peak, "MB", None, "", "<= 250 MB", peak <= 250)
        for size, peak in peaks.items()
    ]
    if len(sizes_mb) > 1:
        small, large = peaks[sizes_mb[0]], peaks[sizes_mb[-1]]
        rows.append(
            Row(
                "peak RSS growth, 1 GB vs 100 MB",
                large,
                "MB",
                small,
                "100 MB",
                "<= 1.2x (flat)",
                large <= 1.2 * small,
            )
        )
    return rows
