"""Handlers of the entity operations: entities, their components and their properties."""

from __future__ import annotations

import uuid
from itertools import islice

from twinport.context import RequestContext
from twinport.domain.twinmaker import ids
from twinport.domain.twinmaker.catalog import TypeCatalog, catalog_for
from twinport.domain.twinmaker.component_updates import apply_component_updates
from twinport.domain.twinmaker.documents import (
    Doc,
    decode,
    encode,
    entity_doc,
    uses_type_marker,
)
from twinport.domain.twinmaker.entities import save_entity
from twinport.domain.twinmaker.workspaces import require_workspace
from twinport.errors import not_found, validation
from twinport.scope import Scope
from twinport.services.paging import TWINMAKER_PAGES
from twinport.services.twinmaker import views
from twinport.store import Connection
from twinport.store import twinmaker as store
from twinport.store.twinmaker import ROOT


def create_entity(ctx: RequestContext, data: Doc) -> Doc:
    _refuse_composites(data.get("compositeComponents"))
    entity_id = data.get("entityId") or str(uuid.uuid4())
    with ctx.db.write(ctx.scope) as conn:
        _, created, _ = save_entity(
            conn, ctx.scope, data["workspaceId"], entity_doc(data, entity_id), create_only=True
        )
    return {
        "entityId": entity_id,
        "arn": ids.entity_arn(ctx.scope, data["workspaceId"], entity_id),
        "creationDateTime": created,
        "state": "CREATING",
    }


def get_entity(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    row = _require_entity(conn, ws, data["entityId"])
    has_children = store.has_children(conn, ws.ws_key, row.id)
    catalog = catalog_for(conn, ctx.scope, ws)
    return views.entity(ctx.scope, ws.workspace_id, row, catalog, has_children)


def list_entities(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    filters = data.get("filters") or []
    if len(filters) > 1:
        raise validation("Only one filter is accepted for ListEntities")
    condition = filters[0] if filters else {}
    size = TWINMAKER_PAGES.size(data)
    after = TWINMAKER_PAGES.position(ctx, data)
    if "parentEntityId" in condition:
        rows = store.list_children(conn, ws.ws_key, condition["parentEntityId"], after, size + 1)
    elif "componentTypeId" in condition:
        marker = uses_type_marker(condition["componentTypeId"])
        scan = store.scan_entities_containing(conn, ws.ws_key, marker, after)
        rows = [row for row, _ in islice(scan, size + 1)]
    elif "externalId" in condition:
        rows = _with_external_id(conn, ctx.scope, ws, condition["externalId"], after, size + 1)
    else:
        rows = store.list_entities(conn, ws.ws_key, after, size + 1)
    page, token = TWINMAKER_PAGES.cut(ctx, data, rows, lambda row: row.id)
    workspace_arn = ids.workspace_arn(ctx.scope, ws.workspace_id)
    return {
        "entitySummaries": [views.entity_summary(workspace_arn, row) for row in page],
        "nextToken": token,
    }


def _with_external_id(
    conn: Connection,
    scope: Scope,
    ws: store.WorkspaceRow,
    external_id: str,
    after: str | None,
    limit: int,
) -> list[store.EntityListRow]:
    """Entities with `external_id` as the value of a component property flagged isExternalId,
    or as their bulk-file `entityExternalId`. A scan: no index is kept for this rare filter."""
    catalog = catalog_for(conn, scope, ws)
    marker = encode(external_id)
    found: list[store.EntityListRow] = []
    for row, doc in store.scan_entities_containing(conn, ws.ws_key, marker, after):
        if _has_external_id(decode(doc), external_id, catalog):
            found.append(row)
            if len(found) >= limit:
                break
    return found


def _has_external_id(doc: Doc, external_id: str, catalog: TypeCatalog) -> bool:
    if doc.get("entityExternalId") == external_id:
        return True
    for component in (doc.get("components") or {}).values():
        for item in views.properties_of(component, catalog).values():
            value = item.get("value") or {}
            if item["definition"]["isExternalId"] and value.get("stringValue") == external_id:
                return True
    return False


def update_entity(ctx: RequestContext, data: Doc) -> Doc:
    _refuse_composites(data.get("compositeComponentUpdates"))
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        row = _require_entity(conn, ws, data["entityId"])
        doc = decode(row.doc)
        for field in ("entityName", "description"):
            if field in data:
                doc[field] = data[field]
        if doc.get("description") == "":
            del doc["description"]
        if data.get("componentUpdates"):
            components = apply_component_updates(
                row.id, doc.get("components") or {}, data["componentUpdates"]
            )
            doc.pop("components", None)
            if components:
                doc["components"] = components
        if "parentEntityUpdate" in data:
            doc["parentEntityId"] = _new_parent(row.id, data["parentEntityUpdate"])
        _, _, updated = save_entity(conn, ctx.scope, ws.workspace_id, doc)
    return {"updateDateTime": updated, "state": "UPDATING"}


def _new_parent(entity_id: str, update: Doc) -> str:
    if update["updateType"] == "DELETE":
        return ROOT
    parent_id = update.get("parentEntityId")
    if not parent_id:
        raise validation(f"parentEntityUpdate of entity {entity_id} needs a parentEntityId")
    return parent_id


def delete_entity(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        row = _require_entity(conn, ws, data["entityId"])
        if not data.get("isRecursive") and store.has_children(conn, ws.ws_key, row.id):
            raise validation(
                f"Entity {row.id} has child entities: delete them first or set isRecursive"
            )
        store.delete_subtree(conn, ws.ws_key, row.id)
    return {"state": "DELETING"}


def list_components(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    row = _require_entity(conn, ws, data["entityId"])
    # Composite components are not supported, so a component path holds no components.
    components = {} if data.get("componentPath") else decode(row.doc).get("components") or {}
    catalog = catalog_for(conn, ctx.scope, ws)
    names, token = _page_of_names(ctx, data, components)
    return {
        "componentSummaries": [
            views.component_summary(name, components[name], catalog) for name in names
        ],
        "nextToken": token,
    }


def list_properties(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    row = _require_entity(conn, ws, data["entityId"])
    if data.get("componentPath"):
        raise not_found(f"Component path {data['componentPath']} not found in entity {row.id}")
    name = data.get("componentName")
    if not name:
        raise validation("ListProperties needs a componentName")
    component = (decode(row.doc).get("components") or {}).get(name)
    if component is None:
        raise not_found(f"Component {name} not found in entity {row.id}")
    properties = views.properties_of(component, catalog_for(conn, ctx.scope, ws))
    names, token = _page_of_names(ctx, data, properties)
    return {
        "propertySummaries": [{"propertyName": n, **properties[n]} for n in names],
        "nextToken": token,
    }


def _page_of_names(ctx: RequestContext, data: Doc, items: dict) -> tuple[list[str], str | None]:
    after = TWINMAKER_PAGES.position(ctx, data)
    size = TWINMAKER_PAGES.size(data)
    names = [n for n in sorted(items) if after is None or n > after][: size + 1]
    page, token = TWINMAKER_PAGES.cut(ctx, data, names, lambda n: n)
    return list(page), token


def _require_entity(conn: Connection, ws: store.WorkspaceRow, entity_id: str) -> store.EntityRow:
    row = store.get_entity(conn, ws.ws_key, entity_id)
    if row is None:
        raise not_found(f"Entity {entity_id} not found in workspace {ws.workspace_id}")
    return row


def _refuse_composites(value: object) -> None:
    if value:
        raise validation("Composite components are not supported")


HANDLERS = {
    "CreateEntity": create_entity,
    "GetEntity": get_entity,
    "ListEntities": list_entities,
    "UpdateEntity": update_entity,
    "DeleteEntity": delete_entity,
    "ListComponents": list_components,
    "ListProperties": list_properties,
}
