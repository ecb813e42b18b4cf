"""What metadata transfer jobs do to a workspace: import bulk-file items, export resources.

Every function takes an open connection and runs inside the caller's transaction, so that a
job commits its writes together with its progress. Imports go through the same write path as
the API (`save_component_type`, `save_entity`): the same rules, the same stored form.

Documents are in the TwinMaker bulk file form (`componentTypes`, `entities`,
`entityComponents` items); an export yields items that, imported into an empty workspace,
reproduce every exported resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from twinport.domain.outcome import Outcome
from twinport.domain.twinmaker.builtins import BUILT_IN_TYPES
from twinport.domain.twinmaker.catalog import TypeCatalog, catalog_for
from twinport.domain.twinmaker.component_types import save_component_type
from twinport.domain.twinmaker.documents import (
    Doc,
    component_doc,
    component_type_doc,
    decode,
    entity_doc,
    lower_camel_relationships,
    stored_entity,
)
from twinport.domain.twinmaker.documents import component_type_ids as types_used_by
from twinport.domain.twinmaker.entities import EntityWriter, save_entity
from twinport.domain.twinmaker.workspaces import require_workspace
from twinport.errors import not_found, validation
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import twinmaker as store
from twinport.store.twinmaker import ROOT

__all__ = [
    "EntityImport",
    "Export",
    "Outcome",
    "export_resources",
    "put_component_type",
    "put_entity",
    "put_entity_component",
    "workspace_bucket",
    "workspace_exists",
]

# API members the bulk schema has no place for.
_NOT_IN_BULK_COMPONENT_TYPE = ("compositeComponentTypes",)
_COMPONENT_EXTERNAL_ID = "componentExternalId"
_COMPONENT_EXTERNAL_ID_MARKER = b'"componentExternalId"'


def workspace_exists(conn: Connection, scope: Scope, workspace_id: str) -> bool:
    return store.get_workspace(conn, scope, workspace_id) is not None


def workspace_bucket(conn: Connection, scope: Scope, workspace_id: str) -> str | None:
    """The bucket of the workspace's s3Location; None without workspace or location."""
    row = store.get_workspace(conn, scope, workspace_id)
    location = None if row is None else decode(row.doc).get("s3Location")
    if not location:
        return None
    # arn:<partition>:s3:::<bucket>
    return location.rsplit(":", 1)[-1] or None


def put_component_type(conn: Connection, scope: Scope, workspace_id: str, doc: Doc) -> Outcome:
    """Create or replace a component type from a `componentTypes` item."""
    ws = require_workspace(conn, scope, workspace_id)
    outcome, _, _ = save_component_type(conn, scope, ws, component_type_doc(doc))
    return outcome


def put_entity(conn: Connection, scope: Scope, workspace_id: str, doc: Doc) -> Outcome:
    """Create or replace an entity, components included, from an `entities` item."""
    outcome, _, _ = save_entity(conn, scope, workspace_id, entity_doc(doc, doc["entityId"]))
    return outcome


class EntityImport:
    """`put_entity` for many entities in one transaction: reads ahead and writes together
    (see `EntityWriter`); `flush` before anything else writes and before committing."""

    def __init__(self, conn: Connection, scope: Scope, workspace_id: str):
        self._writer = EntityWriter(conn, scope, workspace_id)

    def read_ahead(self, docs: Iterable[Doc]) -> None:
        """Fetch at once what putting these `entities` items needs."""
        self._writer.read_ahead(
            entity_id
            for doc in docs
            for entity_id in (doc["entityId"], doc.get("parentEntityId") or ROOT)
        )

    def put(self, doc: Doc) -> Outcome:
        return self._writer.save(*stored_entity(doc, doc["entityId"]))

    def flush(self) -> None:
        self._writer.flush()


def put_entity_component(conn: Connection, scope: Scope, workspace_id: str, doc: Doc) -> Outcome:
    """Create or replace one component of an existing entity from an `entityComponents` item."""
    ws = require_workspace(conn, scope, workspace_id)
    entity_id, name = doc["entityId"], doc["componentName"]
    row = store.get_entity(conn, ws.ws_key, entity_id)
    if row is None:
        raise validation(f"Entity {entity_id} of entity component {name} does not exist")
    entity = decode(row.doc)
    entity["components"] = {
        **(entity.get("components") or {}),
        name: lower_camel_relationships(component_doc(doc)),
    }
    outcome, _, _ = save_entity(conn, scope, workspace_id, entity)
    return outcome


class Export(NamedTuple):
    """The items an export writes, by bulk-file section, each section in import order.

    The iterators read from the database as they go: keep the connection open meanwhile.
    Components that carry a componentExternalId come as `entity_components` items, the only
    item form with a place for it; the entity items leave them out.
    """

    component_types: Iterator[Doc]
    entities: Iterator[Doc]
    entity_components: Iterator[Doc]


def export_resources(
    conn: Connection,
    scope: Scope,
    workspace_id: str,
    entity_ids: set[str] | None,
    component_type_ids: set[str] | None,
) -> Export:
    """The resources to export: everything when both filters are None, else the union of the
    named entities and component types, closed under what they need to be imported again
    (ancestor entities, the types of their components, the types those extend)."""
    ws = require_workspace(conn, scope, workspace_id)
    catalog = catalog_for(conn, scope, ws)
    if entity_ids is None and component_type_ids is None:
        return _export(conn, ws, catalog, _parents_first(catalog, catalog.ids()), None)
    entities = _with_ancestor_entities(conn, ws, entity_ids or set())
    wanted_types = set(component_type_ids or ())
    for type_id in wanted_types:
        if type_id not in catalog:
            raise not_found(f"Component type {type_id} not found in workspace {workspace_id}")
    # Read once: the rows give the types to add here, and the items to export below.
    blobs = {row.id: row.doc for row in store.entities_among(conn, ws.ws_key, entities)}
    for blob in blobs.values():
        wanted_types |= types_used_by(decode(blob))
    types = _parents_first(catalog, _with_required_types(catalog, wanted_types))
    return _export(conn, ws, catalog, types, [(e, blobs[e]) for e in entities])


def _export(
    conn: Connection,
    ws: store.WorkspaceRow,
    catalog: TypeCatalog,
    type_ids: list[str],
    selected_entities: list[tuple[str, bytes]] | None,
) -> Export:
    """`selected_entities`: (id, doc) of the entities to export, parents first; None: all."""

    def entity_rows() -> Iterable[tuple[str, bytes]]:
        if selected_entities is None:
            return store.entities_parents_first(conn, ws.ws_key)
        return selected_entities

    def component_types() -> Iterator[Doc]:
        for type_id in type_ids:
            if type_id in BUILT_IN_TYPES:  # every workspace has them already
                continue
            view = catalog.get(type_id)
            assert view is not None
            yield {k: v for k, v in view.doc.items() if k not in _NOT_IN_BULK_COMPONENT_TYPE}

    def entities() -> Iterator[Doc]:
        for _, blob in entity_rows():
            doc = decode(blob)
            if _COMPONENT_EXTERNAL_ID_MARKER in blob:
                components = doc.pop("components")
                nested = {n: c for n, c in components.items() if _COMPONENT_EXTERNAL_ID not in c}
                if nested:
                    doc["components"] = nested
            yield doc

    def entity_components() -> Iterator[Doc]:
        for entity_id, blob in entity_rows():
            if _COMPONENT_EXTERNAL_ID_MARKER not in blob:
                continue
            components = decode(blob)["components"]
            for name in sorted(components):
                if _COMPONENT_EXTERNAL_ID in components[name]:
                    yield {"entityId": entity_id, "componentName": name, **components[name]}

    return Export(component_types(), entities(), entity_components())


def _with_ancestor_entities(
    conn: Connection, ws: store.WorkspaceRow, entity_ids: Iterable[str]
) -> list[str]:
    """The entities and all their ancestors, each after its parent."""
    depth: dict[str, int] = {}
    for entity_id in entity_ids:
        chain = []
        current = entity_id
        while current != ROOT and current not in depth:
            parent = store.parent_of(conn, ws.ws_key, current)
            if parent is None:
                raise not_found(f"Entity {current} not found in workspace {ws.workspace_id}")
            chain.append(current)
            current = parent
        base = -1 if current == ROOT else depth[current]
        for offset, member in enumerate(reversed(chain), start=1):
            depth[member] = base + offset
    return sorted(depth, key=lambda e: (depth[e], e))


def _with_required_types(catalog: TypeCatalog, type_ids: set[str]) -> set[str]:
    """The types and every type they extend, transitively."""
    result: set[str] = set()
    pending = list(type_ids)
    while pending:
        type_id = pending.pop()
        if type_id in result:
            continue
        view = catalog.get(type_id)
        if view is None:
            continue
        result.add(type_id)
        pending.extend(view.doc.get("extendsFrom") or ())
    return result


def _parents_first(catalog: TypeCatalog, type_ids: Iterable[str]) -> list[str]:
    selected = set(type_ids)
    ordered: list[str] = []
    placed: set[str] = set()

    def place(type_id: str) -> None:
        if type_id in placed:
            return
        placed.add(type_id)
        view = catalog.get(type_id)
        for parent in (view.doc.get("extendsFrom") or ()) if view is not None else ():
            if parent in selected:
                place(parent)
        ordered.append(type_id)

    for type_id in sorted(selected):
        place(type_id)
    return ordered
