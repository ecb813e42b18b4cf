"""TwinMaker workspaces, component types and entities in SQLite.

A workspace row carries an integer `ws_key`; every other row is keyed by it, which keeps the
keys of the (many) entity rows short. Each resource's definition is one orjson blob (`doc`),
in the form the TwinMaker bulk file uses; the columns beside it exist only to be searched.
`types_token` changes with every component type write, so that what is derived from a
workspace's component types can be cached until the next change.

No index is kept of which entities use which component type: an entity write stays one read
and one write, and the rare questions (is a type in use, which entities use it) are answered
by scanning docs for the exact bytes the key/value pair encodes to (`marker` arguments).

The functions here run SQL and nothing else: domain rules live in `twinport.domain.twinmaker`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import NamedTuple

from twinport.scope import Scope
from twinport.store.db import Connection
from twinport.store.sql import contains, one_of, upsert

ROOT = "$ROOT"

SCHEMA = """
CREATE TABLE IF NOT EXISTS tm_workspaces (
    ws_key INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    doc BLOB NOT NULL,
    types_token TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    UNIQUE (account, region, workspace_id)
);
CREATE TABLE IF NOT EXISTS tm_component_types (
    ws_key INTEGER NOT NULL,
    component_type_id TEXT NOT NULL,
    doc BLOB NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (ws_key, component_type_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tm_entities (
    ws_key INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    parent_id TEXT NOT NULL,
    doc BLOB NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (ws_key, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tm_entities_by_parent ON tm_entities (ws_key, parent_id, entity_id);
"""

# An entity's name and description in columns of their own, beside its document, so that a
# page of ListEntities decodes no document: decoding took 65-75 us of a 380 us page of 100.
ENTITY_SUMMARY_COLUMNS = """
ALTER TABLE tm_entities ADD COLUMN name TEXT;
ALTER TABLE tm_entities ADD COLUMN description TEXT;
"""
# The entities stored before the columns, filled in from their documents.
ENTITY_SUMMARY_BACKFILL = {
    "sqlite": "UPDATE tm_entities SET name = json_extract(CAST(doc AS TEXT), '$.entityName'),"
    " description = json_extract(CAST(doc AS TEXT), '$.description');",
    "postgresql": "UPDATE tm_entities SET name = convert_from(doc, 'UTF8')::jsonb ->> 'entityName',"
    " description = convert_from(doc, 'UTF8')::jsonb ->> 'description';",
}


class WorkspaceRef(NamedTuple):
    """What other rows need of their workspace: its key, and the state of its types."""

    ws_key: int
    workspace_id: str
    types_token: str


class WorkspaceRow(NamedTuple):
    ws_key: int
    workspace_id: str
    doc: bytes
    types_token: str
    created: float
    updated: float


class ResourceRow(NamedTuple):
    """A component type or an entity: its id, definition and dates."""

    id: str
    doc: bytes
    created: float
    updated: float


class EntityRow(NamedTuple):
    id: str
    parent_id: str
    doc: bytes
    created: float
    updated: float


class EntityWriteContext(NamedTuple):
    """What writing an entity needs to know, read in one statement."""

    ws: WorkspaceRef
    existing: EntityRow | None
    parent_found: bool  # the parent named in the write exists (always true for $ROOT)


class EntityListRow(NamedTuple):
    id: str
    name: str
    description: str | None
    parent_id: str
    created: float
    updated: float
    children: int  # EXISTS as the database gives it: 1 or 0 (True or False)

    @property
    def has_children(self) -> bool:
        return self.children == 1


# --- workspaces -----------------------------------------------------------------------------

_WORKSPACE_COLUMNS = "ws_key, workspace_id, doc, types_token, created, updated"


def get_workspace(conn: Connection, scope: Scope, workspace_id: str) -> WorkspaceRow | None:
    row = conn.execute(
        f"SELECT {_WORKSPACE_COLUMNS} FROM tm_workspaces"
        " WHERE account = ? AND region = ? AND workspace_id = ?",
        (scope.account, scope.region, workspace_id),
    ).fetchone()
    return None if row is None else WorkspaceRow(*row)


def insert_workspace(
    conn: Connection, scope: Scope, workspace_id: str, doc: bytes, now: float
) -> None:
    conn.execute(
        "INSERT INTO tm_workspaces"
        " (account, region, workspace_id, doc, types_token, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (scope.account, scope.region, workspace_id, doc, _new_token(), now, now),
    )


def update_workspace(conn: Connection, ws_key: int, doc: bytes, now: float) -> None:
    conn.execute(
        "UPDATE tm_workspaces SET doc = ?, updated = ? WHERE ws_key = ?", (doc, now, ws_key)
    )


def delete_workspace(conn: Connection, ws_key: int) -> None:
    conn.execute("DELETE FROM tm_workspaces WHERE ws_key = ?", (ws_key,))


def list_workspaces(
    conn: Connection, scope: Scope, after: str | None, limit: int
) -> list[WorkspaceRow]:
    rows = conn.execute(
        f"SELECT {_WORKSPACE_COLUMNS} FROM tm_workspaces"
        " WHERE account = ? AND region = ? AND workspace_id > ?"
        " ORDER BY workspace_id LIMIT ?",
        (scope.account, scope.region, after or "", limit),
    ).fetchall()
    return [WorkspaceRow(*row) for row in rows]


def workspace_holds_resources(conn: Connection, ws_key: int) -> bool:
    """Whether entities, component types, scenes or sync jobs (tables of `store.scenes` and
    `store.sync_jobs`) are in the workspace."""
    tables = ("tm_entities", "tm_component_types", "tm_scenes", "tm_sync_jobs")
    row = conn.execute(
        "SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE ws_key = ?)" for t in tables),
        (ws_key,) * len(tables),
    ).fetchone()
    return bool(row[0])


def renew_types_token(conn: Connection, ws_key: int) -> None:
    """Mark the workspace's component types as changed (inside the writing transaction)."""
    conn.execute(
        "UPDATE tm_workspaces SET types_token = ? WHERE ws_key = ?", (_new_token(), ws_key)
    )


def _new_token() -> str:
    # Unique across databases too, so that a cache shared by several databases never mixes them.
    return uuid.uuid4().hex


# --- component types ------------------------------------------------------------------------


def get_component_type(conn: Connection, ws_key: int, component_type_id: str) -> ResourceRow | None:
    row = conn.execute(
        "SELECT component_type_id, doc, created, updated FROM tm_component_types"
        " WHERE ws_key = ? AND component_type_id = ?",
        (ws_key, component_type_id),
    ).fetchone()
    return None if row is None else ResourceRow(*row)


def all_component_types(conn: Connection, ws_key: int) -> list[ResourceRow]:
    rows = conn.execute(
        "SELECT component_type_id, doc, created, updated FROM tm_component_types"
        " WHERE ws_key = ? ORDER BY component_type_id",
        (ws_key,),
    ).fetchall()
    return [ResourceRow(*row) for row in rows]


def put_component_type(
    conn: Connection,
    ws_key: int,
    component_type_id: str,
    doc: bytes,
    created: float,
    updated: float,
) -> None:
    conn.execute(_PUT_COMPONENT_TYPE, (ws_key, component_type_id, doc, created, updated))


_PUT_COMPONENT_TYPE = upsert(
    "tm_component_types",
    ("ws_key", "component_type_id", "doc", "created", "updated"),
    key=("ws_key", "component_type_id"),
)


def delete_component_type(conn: Connection, ws_key: int, component_type_id: str) -> None:
    conn.execute(
        "DELETE FROM tm_component_types WHERE ws_key = ? AND component_type_id = ?",
        (ws_key, component_type_id),
    )


def any_entity_contains(conn: Connection, ws_key: int, marker: bytes) -> bool:
    row = conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM tm_entities WHERE ws_key = ? AND {contains(conn, 'doc')})",
        (ws_key, marker),
    ).fetchone()
    return bool(row[0])


# --- entities -------------------------------------------------------------------------------

_ENTITY_COLUMNS = "entity_id, parent_id, doc, created, updated"
_ENTITY_INSERTED = (
    "ws_key",
    "entity_id",
    "parent_id",
    "name",
    "description",
    "doc",
    "created",
    "updated",
)
_INSERT_ENTITY = (
    f"INSERT INTO tm_entities ({', '.join(_ENTITY_INSERTED)})"
    f" VALUES ({', '.join('?' * len(_ENTITY_INSERTED))})"
)
_UPDATE_ENTITY = (
    "UPDATE tm_entities SET parent_id = ?, name = ?, description = ?, doc = ?, updated = ?"
    " WHERE ws_key = ? AND entity_id = ?"
)


def get_entity(conn: Connection, ws_key: int, entity_id: str) -> EntityRow | None:
    row = conn.execute(
        f"SELECT {_ENTITY_COLUMNS} FROM tm_entities WHERE ws_key = ? AND entity_id = ?",
        (ws_key, entity_id),
    ).fetchone()
    return None if row is None else EntityRow(*row)


def entity_write_context(
    conn: Connection, scope: Scope, workspace_id: str, entity_id: str, parent_id: str
) -> EntityWriteContext | None:
    """The workspace, the entity as it is and whether its parent exists; None: no workspace."""
    row = conn.execute(
        "SELECT w.ws_key, w.types_token, e.parent_id, e.doc, e.created, e.updated,"
        " p.entity_id IS NOT NULL"
        " FROM tm_workspaces w"
        " LEFT JOIN tm_entities e ON e.ws_key = w.ws_key AND e.entity_id = ?"
        " LEFT JOIN tm_entities p ON p.ws_key = w.ws_key AND p.entity_id = ?"
        " WHERE w.account = ? AND w.region = ? AND w.workspace_id = ?",
        (entity_id, parent_id, scope.account, scope.region, workspace_id),
    ).fetchone()
    if row is None:
        return None
    ws_key, token, old_parent, doc, created, updated, parent_found = row
    existing = None if doc is None else EntityRow(entity_id, old_parent, doc, created, updated)
    return EntityWriteContext(
        WorkspaceRef(ws_key, workspace_id, token), existing, parent_id == ROOT or bool(parent_found)
    )


def workspace_ref(conn: Connection, scope: Scope, workspace_id: str) -> WorkspaceRef | None:
    row = conn.execute(
        "SELECT ws_key, types_token FROM tm_workspaces"
        " WHERE account = ? AND region = ? AND workspace_id = ?",
        (scope.account, scope.region, workspace_id),
    ).fetchone()
    return None if row is None else WorkspaceRef(row[0], workspace_id, row[1])


def entities_among(conn: Connection, ws_key: int, entity_ids: list[str]) -> list[EntityRow]:
    """The rows of those of `entity_ids` that exist, in one statement however many ids."""
    test, ids = one_of(conn, "entity_id", entity_ids)
    rows = conn.execute(
        f"SELECT {_ENTITY_COLUMNS} FROM tm_entities WHERE ws_key = ? AND {test}", (ws_key, ids)
    ).fetchall()
    return [EntityRow(*row) for row in rows]


def parent_of(conn: Connection, ws_key: int, entity_id: str) -> str | None:
    """The entity's parent id (`$ROOT` at the top), or None when there is no such entity."""
    row = conn.execute(
        "SELECT parent_id FROM tm_entities WHERE ws_key = ? AND entity_id = ?",
        (ws_key, entity_id),
    ).fetchone()
    return None if row is None else row[0]


# (ws_key, entity_id, parent_id, name, description, doc, created, updated)
EntityInsert = tuple[int, str, str, str, str | None, bytes, float, float]
# (parent_id, name, description, doc, updated, ws_key, entity_id)
EntityUpdate = tuple[str, str, str | None, bytes, float, int, str]


def insert_entity(conn: Connection, row: EntityInsert) -> None:
    conn.execute(_INSERT_ENTITY, row)


def insert_entities(conn: Connection, rows: list[EntityInsert]) -> None:
    """Insert many new entities."""
    conn.insert_rows("tm_entities", _ENTITY_INSERTED, rows)


def update_entities(conn: Connection, rows: list[EntityUpdate]) -> None:
    """Replace many entities."""
    conn.executemany(_UPDATE_ENTITY, rows)


def update_entity(conn: Connection, row: EntityUpdate) -> None:
    conn.execute(_UPDATE_ENTITY, row)


def has_children(conn: Connection, ws_key: int, entity_id: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM tm_entities WHERE ws_key = ? AND parent_id = ?)",
        (ws_key, entity_id),
    ).fetchone()
    return bool(row[0])


# The first term reads the root's id from its row, not from the parameter: PostgreSQL wants
# both terms' column in the same collation.
_SUBTREE = (
    "WITH RECURSIVE subtree(id) AS ("
    " SELECT entity_id FROM tm_entities WHERE ws_key = ? AND entity_id = ? UNION ALL"
    " SELECT e.entity_id FROM tm_entities e"
    " JOIN subtree ON e.ws_key = ? AND e.parent_id = subtree.id)"
)


def delete_subtree(conn: Connection, ws_key: int, entity_id: str) -> None:
    """Delete the entity and all its descendants."""
    conn.execute(
        f"{_SUBTREE} DELETE FROM tm_entities"
        " WHERE ws_key = ? AND entity_id IN (SELECT id FROM subtree)",
        (ws_key, entity_id, ws_key, ws_key),
    )


_ENTITY_LIST_COLUMNS = (
    "e.entity_id, e.name, e.description, e.parent_id, e.created, e.updated,"
    " EXISTS (SELECT 1 FROM tm_entities c WHERE c.ws_key = e.ws_key AND c.parent_id = e.entity_id)"
)


_entity_list_row = EntityListRow._make


def list_entities(
    conn: Connection, ws_key: int, after: str | None, limit: int
) -> list[EntityListRow]:
    rows = conn.execute(
        f"SELECT {_ENTITY_LIST_COLUMNS} FROM tm_entities e"
        " WHERE e.ws_key = ? AND e.entity_id > ? ORDER BY e.entity_id LIMIT ?",
        (ws_key, after or "", limit),
    ).fetchall()
    return [_entity_list_row(row) for row in rows]


def list_children(
    conn: Connection, ws_key: int, parent_id: str, after: str | None, limit: int
) -> list[EntityListRow]:
    rows = conn.execute(
        f"SELECT {_ENTITY_LIST_COLUMNS} FROM tm_entities e"
        " WHERE e.ws_key = ? AND e.parent_id = ? AND e.entity_id > ?"
        " ORDER BY e.entity_id LIMIT ?",
        (ws_key, parent_id, after or "", limit),
    ).fetchall()
    return [_entity_list_row(row) for row in rows]


def scan_entities_containing(
    conn: Connection, ws_key: int, marker: bytes, after: str | None
) -> Iterator[tuple[EntityListRow, bytes]]:
    """The entities after `after` whose doc contains `marker`, and their docs, in id order,
    from the cursor."""
    cursor = conn.execute(
        f"SELECT {_ENTITY_LIST_COLUMNS}, e.doc FROM tm_entities e"
        f" WHERE e.ws_key = ? AND e.entity_id > ? AND {contains(conn, 'e.doc')}"
        " ORDER BY e.entity_id",
        (ws_key, after or "", marker),
    )
    return ((_entity_list_row(row[:-1]), row[-1]) for row in cursor)


def entities_parents_first(conn: Connection, ws_key: int) -> Iterator[tuple[str, bytes]]:
    """(id, doc) of every entity, each after its parent (breadth first from the root).

    SQLite streams its queue: each level in the order of the parents before it, siblings by
    id. PostgreSQL's join may return the rows in any order, so there they are sorted, by
    level and then id: every export of the same workspace is the same file."""
    order = " ORDER BY tree.depth, e.entity_id" if conn.dialect == "postgresql" else ""
    return conn.execute(
        "WITH RECURSIVE tree(id, depth) AS ("
        " SELECT entity_id, 0 FROM tm_entities WHERE ws_key = ? AND parent_id = ?"
        " UNION ALL SELECT e.entity_id, tree.depth + 1 FROM tm_entities e"
        " JOIN tree ON e.ws_key = ? AND e.parent_id = tree.id)"
        " SELECT e.entity_id, e.doc FROM tree JOIN tm_entities e"
        f" ON e.ws_key = ? AND e.entity_id = tree.id{order}",
        (ws_key, ROOT, ws_key, ws_key),
    )


# --- documents alone ------------------------------------------------------------------------
# A change of tags rewrites the document and leaves the update time as it is.


def set_workspace_doc(conn: Connection, ws_key: int, doc: bytes) -> None:
    conn.execute("UPDATE tm_workspaces SET doc = ? WHERE ws_key = ?", (doc, ws_key))


def set_component_type_doc(
    conn: Connection, ws_key: int, component_type_id: str, doc: bytes
) -> None:
    conn.execute(
        "UPDATE tm_component_types SET doc = ? WHERE ws_key = ? AND component_type_id = ?",
        (doc, ws_key, component_type_id),
    )


def set_entity_doc(conn: Connection, ws_key: int, entity_id: str, doc: bytes) -> None:
    conn.execute(
        "UPDATE tm_entities SET doc = ? WHERE ws_key = ? AND entity_id = ?",
        (doc, ws_key, entity_id),
    )
