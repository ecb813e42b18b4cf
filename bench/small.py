"""What a user feels most: a small job from Create to the Get that shows it COMPLETED, and the
server's start-up from `twinport serve` to its first healthy answer.

A three-entity import and an export of the workspace, 50 of each, each timed from just before
Create to the first Get (polled back to back) that shows COMPLETED; then 10 starts of a server
on a new data directory. No floor: the targets are absolute, and the figures are medians.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.transfer.helpers import entities_file, import_job, make_workspace, upload

from bench.common import ACCOUNT, Row, server
from twinport.testing import free_port

JOBS = 50
STARTS = 10


def until_completed(client, job_id: str) -> None:
    while True:
        state = client.get_metadata_transfer_job(metadataTransferJobId=job_id)["status"]["state"]
        if state == "COMPLETED":
            return
        if state in ("ERROR", "CANCELLED"):
            raise RuntimeError(f"job {job_id} ended {state}")


def small_jobs() -> tuple[list[float], list[float]]:
    """Seconds per import and per export of three entities."""
    imports, exports = [], []
    with server() as twinport:
        client = twinport.client("iottwinmaker", ACCOUNT)
        workspace = make_workspace(twinport, ACCOUNT, "small", "small-jobs")
        source = upload(twinport, ACCOUNT, "small-jobs", "three.json", entities_file(3))
        workspace_of, exports_to = {"workspace": workspace}, "arn:aws:s3:::small-jobs"
        for _ in range(JOBS):
            start = time.perf_counter()
            until_completed(client, import_job(twinport, ACCOUNT, source, workspace))
            imports.append(time.perf_counter() - start)
            start = time.perf_counter()
            export = client.create_metadata_transfer_job(
                sources=[{"type": "iottwinmaker", "iotTwinMakerConfiguration": workspace_of}],
                destination={"type": "s3", "s3Configuration": {"location": exports_to}},
            )
            until_completed(client, export["metadataTransferJobId"])
            exports.append(time.perf_counter() - start)
    return imports, exports


def start_up(workdir: Path) -> list[float]:
    """Seconds from launching `twinport serve` on a new data directory to health 200."""
    samples = []
    for index in range(STARTS):
        port = free_port()
        command = [sys.executable, "-m", "twinport", "serve", "--quiet", "--port", str(port)]
        command += ["--data-dir", str(workdir / f"start-{index}")]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/_twinport/health"
                    with urllib.request.urlopen(url, timeout=1) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    time.sleep(0.005)
            samples.append(time.perf_counter() - start)
        finally:
            process.terminate()
            process.wait(timeout=30)
    return samples


def run(workdir: Path) -> list[Row]:
    imports, exports = small_jobs()
    starts = start_up(workdir)
    rows = []
    for figure, samples, target in (
        ("small import (3 entities), Create to COMPLETED, median", imports, 50),
        ("small export (3 entities), Create to COMPLETED, median", exports, 50),
        ("start-up, serve to health 200, median", starts, 1000),
    ):
        median = statistics.median(samples) * 1000
        rows.append(Row(figure, median, "ms", None, "-", f"<= {target} ms", median <= target))
    return rows
