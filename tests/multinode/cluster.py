"""Several twinport nodes on one PostgreSQL database, with one S3 endpoint they all use:
`twinport serve` nodes (`Cluster.node`) and `twinport worker` nodes (`Cluster.worker`).

The S3 endpoint is one more twinport, with its embedded S3: the nodes' own embedded S3 would
each hold other objects. Run in the PostgreSQL pass of `make test`, which sets
TWINPORT_TEST_POSTGRES_URL; skipped without it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.transfer.helpers import make_workspace
from twinport.testing import TwinportServer


class Cluster:
    def __init__(self, root: Path):
        self.root = root
        self.s3 = TwinportServer(root / "s3").start()
        self.nodes: list[TwinportServer] = []
        self.workers: list[Worker] = []
        self.database_url: str | None = None

    def node(self, name: str) -> TwinportServer:
        """A new `twinport serve` on the cluster's database (the first node creates it)."""
        args = ("--s3-endpoint-url", self.s3.url)
        if self.database_url is not None:
            args += ("--database-url", self.database_url)
        server = TwinportServer(self.root / name, args=args)
        self.database_url = self.database_url or server.env["TWINPORT_DATABASE_URL"]
        self.nodes.append(server)
        return server.start()

    def workspace(self, api: TwinportServer, account: str) -> str:
        """A workspace "plant" made through `api`, and its bucket `plant-<account>` in the
        cluster's S3; the workspace's ARN."""
        return make_workspace(api, account, "plant", f"plant-{account}", s3=self.s3)

    def worker(self, name: str) -> Worker:
        """A new `twinport worker` on the cluster's database, once a node has created it."""
        assert self.database_url is not None, "start a node first: it creates the database"
        worker = Worker(self.root / name, self.database_url, self.s3.url)
        self.workers.append(worker)
        return worker.start()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        for server in reversed(self.nodes):  # the first node drops the database, last
            server.close()
        self.s3.close()


class Worker:
    """A `twinport worker` child process; its log is `<data dir>.log`."""

    def __init__(self, data_dir: Path, database_url: str, s3_endpoint_url: str):
        self.data_dir = data_dir
        self.log_path = data_dir.parent / f"{data_dir.name}.log"
        self.command = [sys.executable, "-m", "twinport", "worker", "--data-dir", str(data_dir)]
        self.command += ["--database-url", database_url, "--s3-endpoint-url", s3_endpoint_url]
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while "running jobs from" not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"twinport worker did not start:\n{self.log()[-4000:]}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
