"""The nodes that share a database: each one's S3 and when it was last seen alive.

Only a shared database (PostgreSQL) keeps them; `twinport.engine.nodes` decides who may join.
"""

from __future__ import annotations

from dataclasses import dataclass

from twinport.store.db import Connection
from twinport.store.sql import upsert

SCHEMA = """
CREATE TABLE IF NOT EXISTS twinport_nodes (
    node_id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    s3_endpoint_url TEXT,
    seen REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Node:
    node_id: str
    role: str  # "serve" or "worker"
    s3_endpoint_url: str | None  # None: the node's own embedded S3


def seen_since(conn: Connection, since: float, other_than: str) -> list[Node]:
    """The nodes but `other_than` seen alive at `since` or later."""
    rows = conn.execute(
        "SELECT node_id, role, s3_endpoint_url FROM twinport_nodes"
        " WHERE seen >= ? AND node_id <> ? ORDER BY node_id",
        (since, other_than),
    )
    return [Node(*row) for row in rows]


def join(conn: Connection, node: Node, now: float) -> None:
    conn.execute(
        upsert(
            "twinport_nodes",
            ("node_id", "role", "s3_endpoint_url", "seen"),
            ("node_id",),
        ),
        (node.node_id, node.role, node.s3_endpoint_url, now),
    )


def seen(conn: Connection, node_id: str, now: float) -> None:
    conn.execute("UPDATE twinport_nodes SET seen = ? WHERE node_id = ?", (now, node_id))


def leave(conn: Connection, node_id: str) -> None:
    conn.execute("DELETE FROM twinport_nodes WHERE node_id = ?", (node_id,))
