"""Secrets that the nodes of a shared database share, such as the key that signs page tokens:
a token one node issued pages on any other."""

from __future__ import annotations

from twinport.store.db import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS twinport_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
"""


def get_or_add(conn: Connection, name: str, value: bytes) -> bytes:
    """The secret called `name`; `value` becomes it when there is none yet."""
    conn.execute(
        "INSERT INTO twinport_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        (name, value),
    )
    row = conn.execute("SELECT value FROM twinport_secrets WHERE name = ?", (name,)).fetchone()
    return bytes(row[0])
