"""Several twinport nodes on one PostgreSQL database, with one S3 endpoint they all use.

The S3 endpoint is one more twinport, with its embedded S3: the nodes' own embedded S3 would
each hold other objects. Run in the PostgreSQL pass of `make test`, which sets
TWINPORT_TEST_POSTGRES_URL; skipped without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from twinport.testing import TwinportServer

needs_postgres = pytest.mark.skipif(
    not os.environ.get("TWINPORT_TEST_POSTGRES_URL"),
    reason="the PostgreSQL pass of `make test` sets TWINPORT_TEST_POSTGRES_URL",
)


class Cluster:
    def __init__(self, root: Path):
        self.root = root
        self.s3 = TwinportServer(root / "s3").start()
        self.nodes: list[TwinportServer] = []
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

    def close(self) -> None:
        for server in reversed(self.nodes):  # the first node drops the database, last
            server.close()
        self.s3.close()
