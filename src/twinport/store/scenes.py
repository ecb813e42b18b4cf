"""TwinMaker scenes in SQLite, keyed by their workspace's `ws_key` (see `store.twinmaker`).

A scene's settings are one orjson blob (`doc`); the functions here run SQL and nothing else.
"""

from __future__ import annotations

from typing import NamedTuple

from twinport.store.db import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS tm_scenes (
    ws_key INTEGER NOT NULL,
    scene_id TEXT NOT NULL,
    doc BLOB NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (ws_key, scene_id)
) WITHOUT ROWID;
"""


class SceneRow(NamedTuple):
    id: str
    doc: bytes
    created: float
    updated: float


_COLUMNS = "scene_id, doc, created, updated"


def get_scene(conn: Connection, ws_key: int, scene_id: str) -> SceneRow | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM tm_scenes WHERE ws_key = ? AND scene_id = ?",
        (ws_key, scene_id),
    ).fetchone()
    return None if row is None else SceneRow(*row)


def insert_scene(conn: Connection, ws_key: int, scene_id: str, doc: bytes, now: float) -> None:
    conn.execute(
        "INSERT INTO tm_scenes (ws_key, scene_id, doc, created, updated) VALUES (?, ?, ?, ?, ?)",
        (ws_key, scene_id, doc, now, now),
    )


def update_scene(conn: Connection, ws_key: int, scene_id: str, doc: bytes, now: float) -> None:
    conn.execute(
        "UPDATE tm_scenes SET doc = ?, updated = ? WHERE ws_key = ? AND scene_id = ?",
        (doc, now, ws_key, scene_id),
    )


def set_scene_doc(conn: Connection, ws_key: int, scene_id: str, doc: bytes) -> None:
    """Replace the scene's document, keeping its update time (tags are not an update)."""
    conn.execute(
        "UPDATE tm_scenes SET doc = ? WHERE ws_key = ? AND scene_id = ?", (doc, ws_key, scene_id)
    )


def delete_scene(conn: Connection, ws_key: int, scene_id: str) -> None:
    conn.execute("DELETE FROM tm_scenes WHERE ws_key = ? AND scene_id = ?", (ws_key, scene_id))


def list_scenes(conn: Connection, ws_key: int, after: str | None, limit: int) -> list[SceneRow]:
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM tm_scenes WHERE ws_key = ? AND scene_id > ?"
        " ORDER BY scene_id LIMIT ?",
        (ws_key, after or "", limit),
    ).fetchall()
    return [SceneRow(*row) for row in rows]
