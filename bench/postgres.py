"""The 100,000-entity import with the store in PostgreSQL, against the same import on SQLite.

Both run in this process's turn, one after the other, on the same file: SQLite in the data
directory (the default), then PostgreSQL in a throw-away cluster of Debian's package. The
cluster waits for no disk flush per commit (`synchronous_commit=off`), as the engine's SQLite
batches do not (`synchronous=NORMAL`): the two pay the same for durability.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.postgres_cluster import cluster
from tests.transfer.helpers import make_workspace

from bench.common import ACCOUNT, Row, server, write_entities_file
from bench.imports import twinport_seconds

SIZE = 100_000
_SETTINGS = "-c synchronous_commit=off -c max_connections=100 -c shared_buffers=256MB"


def run(workdir: Path) -> list[Row]:
    path = write_entities_file(workdir, SIZE)
    on_sqlite = _import_seconds(path)
    with servers_on_postgres():
        on_postgres = _import_seconds(path)
    return [
        Row(
            f"import {SIZE:,} entities on PostgreSQL, vs SQLite",
            on_postgres,
            "s",
            on_sqlite,
            "SQLite",
            "-",
            True,
        )
    ]


@contextmanager
def servers_on_postgres() -> Iterator[None]:
    """A throw-away cluster, on which each `TwinportServer` made meanwhile gets a database of
    its own."""
    with cluster(_SETTINGS) as url:
        os.environ["TWINPORT_TEST_POSTGRES_URL"] = url
        try:
            yield
        finally:
            del os.environ["TWINPORT_TEST_POSTGRES_URL"]


def _import_seconds(path: Path) -> float:
    with server() as twinport:
        workspace = make_workspace(twinport, ACCOUNT, "plant", "bench-postgres")
        took, _ = twinport_seconds(twinport, path, workspace, "bench-postgres")
    return took
