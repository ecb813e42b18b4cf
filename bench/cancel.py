"""Cancel latency: from the Cancel response to the first Get that shows CANCELLED.

20 running imports per size; each is cancelled once it has written something. After each
cancel, the workspace must hold exactly what the frozen counts say: nothing written afterwards.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from tests.transfer.helpers import (
    count_entities,
    import_job,
    make_workspace,
    running_with_progress,
)

from bench.common import ACCOUNT, Row, server, write_entities_file

CANCELS = 20


def latencies(twinport, path: Path, size: int) -> tuple[list[float], bool]:
    client = twinport.client("iottwinmaker", ACCOUNT)
    bucket = f"cancel-{size}"
    twinport.client("s3", ACCOUNT).create_bucket(Bucket=bucket)
    twinport.client("s3", ACCOUNT).upload_file(str(path), bucket, path.name)
    source = f"arn:aws:s3:::{bucket}/{path.name}"
    samples, clean = [], True
    for index in range(CANCELS):
        workspace_id = f"ws{size}-{index}"
        workspace = make_workspace(twinport, ACCOUNT, workspace_id, f"{bucket}-{index}")
        job_id = import_job(twinport, ACCOUNT, source, workspace)
        running_with_progress(twinport, ACCOUNT, job_id, at_least=10)
        client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)
        start = time.perf_counter()
        while True:
            job = client.get_metadata_transfer_job(metadataTransferJobId=job_id)
            if job["status"]["state"] == "CANCELLED":
                break
        samples.append(time.perf_counter() - start)
        time.sleep(0.2)
        counted = job["progress"]["succeededCount"] - 1  # the component type comes first
        clean = clean and count_entities(client, workspace_id) == counted
    return samples, clean


def run(workdir: Path, sizes: tuple[int, ...] = (10_000, 1_000_000)) -> list[Row]:
    rows = []
    medians = {}
    for size in sizes:
        path = write_entities_file(workdir, size)
        with server() as twinport:
            samples, clean = latencies(twinport, path, size)
        medians[size] = statistics.median(samples) * 1000
        worst = max(samples) * 1000
        rows.append(
            Row(
                f"cancel latency median, {size:,}",
                medians[size],
                "ms",
                None,
                "",
                "<= 100 ms",
                medians[size] <= 100 and clean,
            )
        )
        rows.append(
            Row(
                f"cancel latency max, {size:,}",
                worst,
                "ms",
                None,
                "",
                "<= 250 ms",
                worst <= 250 and clean,
            )
        )
    return rows
