"""Jobs of eight accounts on PostgreSQL, run by one engine, then by two: the speed-up a second
node brings.

Each configuration starts afresh on a throw-away cluster of Debian's package: an S3 node (a
twinport on SQLite, its embedded S3), a `twinport serve` node on the database (its engine is
the first), and for the second configuration a `twinport worker` beside it. Each of eight
accounts then imports its own file of `size` entities; the figure is entities per second from
the first Create to the last COMPLETED.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.multinode.cluster import Worker
from tests.transfer.helpers import import_job, make_workspace, wait_for

from bench.common import Row, write_entities_file
from bench.postgres import servers_on_postgres
from twinport.testing import TwinportServer

ACCOUNTS = [f"3000000000{i:02d}" for i in range(8)]
_SPEED_UP = 1.6


def run(workdir: Path, size: int = 100_000) -> list[Row]:
    # The nodes sign their S3 calls as each job's account, not with the caller's own keys.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        os.environ.pop(name, None)
    path = write_entities_file(workdir, size)
    one = _entities_per_second(workdir / "one", path, size, workers=0)
    two = _entities_per_second(workdir / "two", path, size, workers=1)
    return [
        Row(
            f"{len(ACCOUNTS)} accounts x {size:,} entities on PostgreSQL, 2 engines vs 1",
            two,
            "entities/s",
            one,
            "1 engine",
            f">= {_SPEED_UP}x",
            two >= _SPEED_UP * one,
        )
    ]


def _entities_per_second(root: Path, path: Path, size: int, workers: int) -> float:
    root.mkdir()
    with (
        TwinportServer(root / "s3") as s3,
        servers_on_postgres(),
        TwinportServer(root / "node", args=("--s3-endpoint-url", s3.url)) as node,
    ):
        extra = [
            Worker(root / f"worker-{n}", node.env["TWINPORT_DATABASE_URL"], s3.url).start()
            for n in range(workers)
        ]
        try:
            return _run_jobs(s3, node, path, size)
        finally:
            for worker in extra:
                worker.stop()


def _run_jobs(s3: TwinportServer, node: TwinportServer, path: Path, size: int) -> float:
    workspaces = {}
    for account in ACCOUNTS:
        bucket = f"bench-{account}"
        workspaces[account] = make_workspace(node, account, "plant", bucket, s3=s3)
        s3.client("s3", account).upload_file(str(path), bucket, path.name)
    start = time.perf_counter()
    job_ids = {
        account: import_job(
            node, account, f"arn:aws:s3:::bench-{account}/{path.name}", workspaces[account]
        )
        for account in ACCOUNTS
    }
    for account, job_id in job_ids.items():
        job = wait_for(node, account, job_id, timeout=3600)
        if job["status"]["state"] != "COMPLETED":
            raise RuntimeError(f"job {job_id} did not complete: {job['status']}")
    return len(ACCOUNTS) * size / (time.perf_counter() - start)
