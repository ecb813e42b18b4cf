"""TwinMaker pricing plans in SQLite: one per account and region, once one was read or set.

The plan is one orjson blob (`doc`); the functions here run SQL and nothing else.
"""

from __future__ import annotations

from twinport.scope import Scope
from twinport.store.db import Connection
from twinport.store.sql import upsert

SCHEMA = """
CREATE TABLE IF NOT EXISTS tm_pricing_plans (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    doc BLOB NOT NULL,
    PRIMARY KEY (account, region)
) WITHOUT ROWID;
"""


def get_plan(conn: Connection, scope: Scope) -> bytes | None:
    row = conn.execute(
        "SELECT doc FROM tm_pricing_plans WHERE account = ? AND region = ?",
        (scope.account, scope.region),
    ).fetchone()
    return None if row is None else row[0]


def put_plan(conn: Connection, scope: Scope, doc: bytes) -> None:
    conn.execute(
        upsert("tm_pricing_plans", ("account", "region", "doc"), key=("account", "region")),
        (scope.account, scope.region, doc),
    )


def entity_count(conn: Connection, scope: Scope) -> int:
    """How many entities the workspaces of the account and region hold together."""
    row = conn.execute(
        "SELECT count(*) FROM tm_entities e JOIN tm_workspaces w ON w.ws_key = e.ws_key"
        " WHERE w.account = ? AND w.region = ?",
        (scope.account, scope.region),
    ).fetchone()
    return row[0]
