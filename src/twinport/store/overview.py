"""Reads for the dashboard that the API's repositories have no query for: which accounts and
regions hold anything, a scope's recent jobs, counts, an asset tree level, and the embedded
S3's buckets and latest object versions.

Read-only, and bounded: every list takes a limit, and trees are read one level at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from twinport.scope import Scope
from twinport.store.db import Connection, Database
from twinport.store.objects import FILE_NAME as OBJECTS_FILE_NAME
from twinport.store.sqlite import SqliteDatabase


class AssetNode(NamedTuple):
    seq: int
    id: str
    name: str
    model_id: str
    hierarchy_id: str | None
    has_children: bool


class ObjectRow(NamedTuple):
    key: str
    size: int
    last_modified: str


def scopes_seen(conn: Connection) -> list[tuple[str, str]]:
    """(account, region) of every scope holding a job, a workspace or an asset model (entities
    live in workspaces and assets need a model, so these cover every resource)."""
    return conn.execute(
        "SELECT account, region FROM transfer_jobs"
        " UNION SELECT account, region FROM tm_workspaces"
        " UNION SELECT account, region FROM sitewise_asset_models"
        " ORDER BY account, region"
    ).fetchall()


def recent_job_seqs(conn: Connection, scope: Scope, limit: int) -> list[int]:
    """The `seq` of the scope's newest jobs, newest first."""
    rows = conn.execute(
        "SELECT seq FROM transfer_jobs WHERE account = ? AND region = ? ORDER BY seq DESC LIMIT ?",
        (scope.account, scope.region, limit),
    )
    return [row[0] for row in rows]


def entity_count(conn: Connection, ws_key: int) -> int:
    row = conn.execute("SELECT COUNT(*) FROM tm_entities WHERE ws_key = ?", (ws_key,)).fetchone()
    return row[0]


def asset_level(
    conn: Connection, scope: Scope, parent_id: str | None, after_seq: int, limit: int
) -> list[AssetNode]:
    """The children of `parent_id` (None: the root assets) in creation order, after `after_seq`."""
    parent_test = "a.parent_id IS NULL" if parent_id is None else "a.parent_id = ?"
    params: list = [scope.account, scope.region]
    params += [] if parent_id is None else [parent_id]
    rows = conn.execute(
        "SELECT a.seq, a.id, a.name, a.model_id, a.parent_hierarchy_id,"
        " EXISTS (SELECT 1 FROM sitewise_assets c WHERE c.account = a.account"
        "  AND c.region = a.region AND c.parent_id = a.id)"
        f" FROM sitewise_assets a WHERE a.account = ? AND a.region = ? AND {parent_test}"
        " AND a.seq > ? ORDER BY a.seq LIMIT ?",
        (*params, after_seq, limit),
    )
    return [AssetNode(*row[:5], bool(row[5])) for row in rows]


# --- the embedded S3 ------------------------------------------------------------------------


def objects_database(s3_directory: Path) -> Database:
    """The embedded S3's database in `s3_directory`, to read (its owner creates the tables)."""
    return SqliteDatabase(s3_directory / OBJECTS_FILE_NAME, durable=False)


def bucket_accounts(conn: Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT DISTINCT account FROM buckets ORDER BY 1")]


def buckets_of(conn: Connection, account: str, limit: int) -> list[tuple[str, str]]:
    """(name, creation time) of the account's buckets, by name."""
    return conn.execute(
        "SELECT name, created FROM buckets WHERE account = ? ORDER BY name LIMIT ?",
        (account, limit),
    ).fetchall()


def bucket_exists(conn: Connection, account: str, bucket: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM buckets WHERE account = ? AND name = ?)", (account, bucket)
    ).fetchone()
    return bool(row[0])


def latest_objects(
    conn: Connection, account: str, bucket: str, after_key: str, limit: int
) -> list[ObjectRow]:
    """The bucket's objects after `after_key`, by key: each key's latest version (the last
    position, as moto keeps them), unless that is a delete marker."""
    rows = conn.execute(
        "SELECT key, json_extract(record, '$.size'), json_extract(record, '$.last_modified')"
        " FROM object_versions v WHERE account = ? AND bucket = ? AND key > ?"
        " AND position = (SELECT MAX(position) FROM object_versions"
        "  WHERE account = v.account AND bucket = v.bucket AND key = v.key)"
        " AND json_extract(record, '$.kind') = 'object' ORDER BY key LIMIT ?",
        (account, bucket, after_key, limit),
    )
    return [ObjectRow(*row) for row in rows]
