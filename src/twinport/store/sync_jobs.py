"""TwinMaker sync jobs and the resources they synced, in SQLite.

Rows are keyed by their workspace's `ws_key` (see `store.twinmaker`) and the job's sync
source; a job's settings are one orjson blob (`doc`). The functions here run SQL and nothing
else: the rules live in `twinport.domain.twinmaker.sync_jobs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from twinport.scope import Scope
from twinport.store.db import Connection
from twinport.store.sql import upsert

SCHEMA = """
CREATE TABLE IF NOT EXISTS tm_sync_jobs (
    ws_key INTEGER NOT NULL,
    sync_source TEXT NOT NULL,
    doc BLOB NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (ws_key, sync_source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tm_sync_resources (
    ws_key INTEGER NOT NULL,
    sync_source TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    external_id TEXT NOT NULL,
    state TEXT NOT NULL,
    error TEXT,
    updated REAL NOT NULL,
    PRIMARY KEY (ws_key, sync_source, resource_type, resource_id)
) WITHOUT ROWID;
"""


class SyncJobRow(NamedTuple):
    workspace_id: str
    sync_source: str
    doc: bytes
    created: float
    updated: float


class SyncResourceRow(NamedTuple):
    resource_type: str
    resource_id: str
    external_id: str
    state: str
    error: str | None  # the message of a resource that failed to sync
    updated: float


class ResourceFilter(NamedTuple):
    """Conditions on the listed resources, all of which must hold; None: any value."""

    state: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    external_id: str | None = None


_JOB_COLUMNS = "w.workspace_id, j.sync_source, j.doc, j.created, j.updated"
_JOBS = "tm_sync_jobs j JOIN tm_workspaces w ON w.ws_key = j.ws_key"


def get_job(conn: Connection, ws_key: int, sync_source: str) -> SyncJobRow | None:
    row = conn.execute(
        f"SELECT {_JOB_COLUMNS} FROM {_JOBS} WHERE j.ws_key = ? AND j.sync_source = ?",
        (ws_key, sync_source),
    ).fetchone()
    return None if row is None else SyncJobRow(*row)


def jobs_of_source(conn: Connection, scope: Scope, sync_source: str) -> list[SyncJobRow]:
    """The jobs of `sync_source` in every workspace of the account and region."""
    rows = conn.execute(
        f"SELECT {_JOB_COLUMNS} FROM {_JOBS}"
        " WHERE w.account = ? AND w.region = ? AND j.sync_source = ? ORDER BY w.workspace_id",
        (scope.account, scope.region, sync_source),
    ).fetchall()
    return [SyncJobRow(*row) for row in rows]


def insert_job(conn: Connection, ws_key: int, sync_source: str, doc: bytes, now: float) -> None:
    conn.execute(
        "INSERT INTO tm_sync_jobs (ws_key, sync_source, doc, created, updated)"
        " VALUES (?, ?, ?, ?, ?)",
        (ws_key, sync_source, doc, now, now),
    )


def delete_job(conn: Connection, ws_key: int, sync_source: str) -> None:
    """Delete the job and its resource records."""
    for table in ("tm_sync_jobs", "tm_sync_resources"):
        conn.execute(
            f"DELETE FROM {table} WHERE ws_key = ? AND sync_source = ?", (ws_key, sync_source)
        )


def list_jobs(conn: Connection, ws_key: int, after: str | None, limit: int) -> list[SyncJobRow]:
    rows = conn.execute(
        f"SELECT {_JOB_COLUMNS} FROM {_JOBS} WHERE j.ws_key = ? AND j.sync_source > ?"
        " ORDER BY j.sync_source LIMIT ?",
        (ws_key, after or "", limit),
    ).fetchall()
    return [SyncJobRow(*row) for row in rows]


def insert_resources(
    conn: Connection, ws_key: int, sync_source: str, rows: Iterable[SyncResourceRow]
) -> None:
    conn.executemany(
        _PUT_RESOURCE,
        ((ws_key, sync_source, *row) for row in rows),
    )


_PUT_RESOURCE = upsert(
    "tm_sync_resources",
    (
        "ws_key",
        "sync_source",
        "resource_type",
        "resource_id",
        "external_id",
        "state",
        "error",
        "updated",
    ),
    key=("ws_key", "sync_source", "resource_type", "resource_id"),
)


def resource_key(row: SyncResourceRow) -> str:
    """The position `list_resources` continues after: resources are listed by type, then id."""
    return f"{row.resource_type}/{row.resource_id}"


def list_resources(
    conn: Connection,
    ws_key: int,
    sync_source: str,
    where: ResourceFilter,
    after: str | None,
    limit: int | None,
) -> list[SyncResourceRow]:
    """Up to `limit` (None: all) resources after `after`, by type and id."""
    # Types share no prefix, so comparing `type/id` strings orders as (type, id) does.
    tests = [f"{column} = ?" for column, value in where._asdict().items() if value is not None]
    wanted = [value for value in where if value is not None]
    rows = conn.execute(
        "SELECT resource_type, resource_id, external_id, state, error, updated"
        " FROM tm_sync_resources WHERE ws_key = ? AND sync_source = ?"
        + "".join(f" AND {test}" for test in tests)
        + " AND resource_type || '/' || resource_id > ?"
        " ORDER BY resource_type, resource_id" + ("" if limit is None else " LIMIT ?"),
        (ws_key, sync_source, *wanted, after or "", *([] if limit is None else [limit])),
    ).fetchall()
    return [SyncResourceRow(*row) for row in rows]
