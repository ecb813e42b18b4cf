"""Saving entities: the one write path the API and bulk imports share."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from twinport.domain.outcome import Outcome
from twinport.domain.twinmaker import rules
from twinport.domain.twinmaker.catalog import TypeCatalog, catalog_for
from twinport.domain.twinmaker.documents import Doc, encode
from twinport.domain.twinmaker.workspaces import workspace_not_found
from twinport.errors import conflict, validation
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import twinmaker as store
from twinport.store.twinmaker import ROOT


def save_entity(
    conn: Connection,
    scope: Scope,
    workspace_id: str,
    doc: Doc,
    *,
    create_only: bool = False,
) -> tuple[Outcome, float, float]:
    """Create or replace an entity as a whole; (outcome, creation time, update time).

    One read and one write. Bulk imports save many entities at a time with `EntityWriter`.
    """
    context = store.entity_write_context(
        conn, scope, workspace_id, doc["entityId"], doc["parentEntityId"]
    )
    if context is None:
        raise workspace_not_found(workspace_id)
    ws, existing = context.ws, context.existing
    blob = encode(doc)
    outcome = _checked_write(
        conn,
        lambda: catalog_for(conn, scope, ws),
        ws,
        existing,
        context.parent_found,
        doc,
        blob,
        create_only,
    )
    now = time.time()
    if outcome is Outcome.UNCHANGED:
        return outcome, existing.created, existing.updated
    if existing is None:
        store.insert_entity(conn, _insert_row(ws.ws_key, doc, blob, now))
        return outcome, now, now
    store.update_entity(conn, _update_row(ws.ws_key, doc, blob, now))
    return outcome, existing.created, now


# The entity table keeps an entity's place in the tree and its summary beside the stored form
# `doc` (encoded as `blob`): these two rows are the only place that takes them from `doc`.
def _insert_row(ws_key: int, doc: Doc, blob: bytes, now: float) -> store.EntityInsert:
    entity_id, parent_id = doc["entityId"], doc["parentEntityId"]
    return (ws_key, entity_id, parent_id, doc["entityName"], doc.get("description"), blob, now, now)


def _update_row(ws_key: int, doc: Doc, blob: bytes, now: float) -> store.EntityUpdate:
    entity_id, parent_id = doc["entityId"], doc["parentEntityId"]
    return (parent_id, doc["entityName"], doc.get("description"), blob, now, ws_key, entity_id)


class EntityWriter:
    """Saves many entities of one workspace by the rules of `save_entity`, inside the caller's
    transaction: the rows the rules read are fetched for many entities in one statement
    (`read_ahead`), and the writes go out together (`flush`, before the transaction ends).

    It lives for one transaction at most, and while it holds writes nothing else may write
    entities of the workspace or its component types (flush first).
    """

    def __init__(self, conn: Connection, scope: Scope, workspace_id: str):
        ws = store.workspace_ref(conn, scope, workspace_id)
        if ws is None:
            raise workspace_not_found(workspace_id)
        self._conn = conn
        self._ws = ws
        catalog = catalog_for(conn, scope, ws)
        self._catalog = lambda: catalog
        self._rows: dict[str, store.EntityRow | None] = {}  # read or written; None: absent
        self._inserts: list[store.EntityInsert] = []
        self._updates: list[store.EntityUpdate] = []

    def read_ahead(self, entity_ids: Iterable[str]) -> None:
        """Fetch, in one statement, what saving these entities (or children of them) needs."""
        rows = self._rows
        wanted = [i for i in dict.fromkeys(entity_ids) if i not in rows and i != ROOT]
        if not wanted:
            return
        rows.update(dict.fromkeys(wanted))
        for row in store.entities_among(self._conn, self._ws.ws_key, wanted):
            rows[row.id] = row

    def save(self, doc: Doc, blob: bytes) -> Outcome:
        """`doc` in the stored form and `blob` its encoding."""
        entity_id, parent_id = doc["entityId"], doc["parentEntityId"]
        rows = self._rows
        if entity_id not in rows or (parent_id not in rows and parent_id != ROOT):
            self.read_ahead((entity_id, parent_id))
        existing = rows[entity_id]
        parent_found = parent_id == ROOT or rows[parent_id] is not None
        if existing is not None and existing.parent_id != parent_id:
            self.flush()  # the move is checked against the tree as stored
        outcome = _checked_write(
            self._conn, self._catalog, self._ws, existing, parent_found, doc, blob, False
        )
        if outcome is Outcome.UNCHANGED:
            return outcome
        now = time.time()
        if existing is None:
            self._inserts.append(_insert_row(self._ws.ws_key, doc, blob, now))
            created = now
        else:
            self._updates.append(_update_row(self._ws.ws_key, doc, blob, now))
            created = existing.created
        self._rows[entity_id] = store.EntityRow(entity_id, parent_id, blob, created, now)
        return outcome

    def flush(self) -> None:
        if self._inserts:
            store.insert_entities(self._conn, self._inserts)
            self._inserts = []
        if self._updates:
            store.update_entities(self._conn, self._updates)
            self._updates = []


def _checked_write(
    conn: Connection,
    catalog: Callable[[], TypeCatalog],
    ws: store.WorkspaceRef,
    existing: store.EntityRow | None,
    parent_found: bool,
    doc: Doc,
    blob: bytes,
    create_only: bool,
) -> Outcome:
    """The rules of writing `doc` (encoded as `blob`): its outcome, or a ServiceError."""
    entity_id, parent_id = doc["entityId"], doc["parentEntityId"]
    if existing is not None:
        if create_only:
            raise conflict(f"Entity {entity_id} already exists in workspace {ws.workspace_id}")
        if existing.doc == blob:
            return Outcome.UNCHANGED
    components = doc.get("components")
    if components:
        rules.check_components(catalog(), entity_id, components)
    if parent_id != ROOT:
        if parent_id == entity_id:
            raise validation(f"Entity {entity_id} cannot be its own parent")
        if not parent_found:
            raise validation(f"Parent entity {parent_id} of entity {entity_id} does not exist")
        if existing is not None and existing.parent_id != parent_id:
            _check_not_descendant(conn, ws.ws_key, entity_id, parent_id)
    return Outcome.CREATED if existing is None else Outcome.UPDATED


def _check_not_descendant(conn: Connection, ws_key: int, entity_id: str, parent_id: str) -> None:
    ancestor: str | None = parent_id
    while ancestor is not None and ancestor != ROOT:
        if ancestor == entity_id:
            raise validation(
                f"Entity {parent_id} cannot become the parent of entity {entity_id}:"
                " it is one of its descendants"
            )
        ancestor = store.parent_of(conn, ws_key, ancestor)
