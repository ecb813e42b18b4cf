"""SiteWise import and export of a 10,102-asset plant (2 sites, 100 lines, 10,000 machines).

Floors, measured in the same run: for the import, the same file read by the same reader and
the same documents inserted into a bare SQLite table in one transaction; for the export, the
same documents read back from that table and written by the same file writer. Each figure
is the median of `RUNS` (a new server each), as are its floors: one run's ratios moved by half
on a shared 2-core machine.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import orjson
from tests.transfer.helpers import upload, wait_for
from tests.transfer.sitewise_plant import import_sitewise, plant, sitewise_source

from bench.common import ACCOUNT, Row, bare_database, measured, server
from twinport.formats.jsonstream import iter_root_arrays, write_root_arrays

SECTIONS = ("assetModels", "assets")
RUNS = 3


def floors(path: Path) -> tuple[float, float]:
    """(import floor, export floor) in seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = bare_database(Path(tmp))
        conn.execute("CREATE TABLE resources (section TEXT, id TEXT, doc BLOB)")
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO resources VALUES (?, ?, ?)",
            (
                (section, doc.get("assetModelId") or doc.get("assetId"), orjson.dumps(doc))
                for section, _, doc in iter_root_arrays(path, SECTIONS)
            ),
        )
        conn.execute("COMMIT")
        import_floor = time.perf_counter() - start
        start = time.perf_counter()
        out = io.BytesIO()
        write_root_arrays(
            out,
            [
                (
                    section,
                    (
                        orjson.loads(doc)
                        for (doc,) in conn.execute(
                            "SELECT doc FROM resources WHERE section = ? ORDER BY rowid", (section,)
                        )
                    ),
                )
                for section in SECTIONS
            ],
        )
        export_floor = time.perf_counter() - start
        conn.close()
    return import_floor, export_floor


def export_sitewise(twinport, bucket: str) -> str:
    """Start an export of the whole account into `s3://bucket/exports/`; the job's id."""
    return twinport.client("iottwinmaker", ACCOUNT).create_metadata_transfer_job(
        sources=[sitewise_source(None)],
        destination={
            "type": "s3",
            "s3Configuration": {"location": f"arn:aws:s3:::{bucket}/exports"},
        },
    )["metadataTransferJobId"]


class Measured(NamedTuple):
    """One run: seconds of the import and the export and of their floors, and peak MB."""

    import_seconds: float
    export_seconds: float
    import_floor: float
    export_floor: float
    import_peak: float
    export_peak: float


def measure_once(path: Path) -> Measured:
    with server() as twinport:
        bucket = "sitewise-bench"
        twinport.client("s3", ACCOUNT).create_bucket(Bucket=bucket)
        source = upload(twinport, ACCOUNT, bucket, path.name, path.read_bytes())
        import_seconds, import_peak = measured(
            twinport,
            lambda: wait_for(twinport, ACCOUNT, import_sitewise(twinport, ACCOUNT, source)),
        )
        # Create to COMPLETED, as the import: reading the file back is no part of the export.
        export_seconds, export_peak = measured(
            twinport, lambda: wait_for(twinport, ACCOUNT, export_sitewise(twinport, bucket))
        )
    import_floor, export_floor = floors(path)
    return Measured(
        import_seconds, export_seconds, import_floor, export_floor, import_peak, export_peak
    )


def run(workdir: Path) -> list[Row]:
    factory = plant(sites=2, lines_per_site=50, machines_per_line=100)
    path = workdir / "sitewise-plant.json"
    path.write_bytes(factory.body())
    runs = [measure_once(path) for _ in range(RUNS)]
    median = Measured(*map(statistics.median, zip(*runs, strict=True)))
    import_seconds, export_seconds = median.import_seconds, median.export_seconds
    import_floor, export_floor = median.import_floor, median.export_floor
    import_peak = max(one.import_peak for one in runs)
    export_peak = max(one.export_peak for one in runs)
    return [
        Row(
            f"SiteWise import 10,102 assets, median of {RUNS}",
            import_seconds,
            "s",
            import_floor,
            "floor",
            "<= 2x",
            import_seconds <= 2 * import_floor,
        ),
        Row(
            f"SiteWise export 10,102 assets, median of {RUNS}",
            export_seconds,
            "s",
            export_floor,
            "floor",
            "<= 2x",
            export_seconds <= 2 * export_floor,
        ),
        Row("server peak RSS, SiteWise import", import_peak, "MB", None, "", "-", True),
        Row("server peak RSS, SiteWise export", export_peak, "MB", None, "", "-", True),
    ]
