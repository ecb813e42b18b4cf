"""Handlers of the component type operations."""

from __future__ import annotations

from collections.abc import Callable

from twinport.context import RequestContext
from twinport.domain.twinmaker import ids, rules
from twinport.domain.twinmaker.catalog import TypeView, catalog_for
from twinport.domain.twinmaker.component_types import save_component_type
from twinport.domain.twinmaker.documents import (
    Doc,
    component_type_doc,
    decode,
    uses_type_marker,
)
from twinport.domain.twinmaker.workspaces import require_workspace
from twinport.errors import ServiceError, not_found, validation
from twinport.scope import Scope
from twinport.services.paging import TWINMAKER_PAGES
from twinport.services.twinmaker import views
from twinport.store import Connection
from twinport.store import twinmaker as store


def create_component_type(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        _, created, _ = save_component_type(
            conn, ctx.scope, ws, component_type_doc(data), create_only=True
        )
    return {
        "arn": ids.component_type_arn(ctx.scope, ws.workspace_id, data["componentTypeId"]),
        "creationDateTime": created,
        "state": "CREATING",
    }


def get_component_type(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    view = _require_type(conn, ctx.scope, ws, data["componentTypeId"])
    return views.component_type(ctx.scope, ws.workspace_id, view)


def list_component_types(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    filters = data.get("filters") or []
    if len(filters) > 1:
        raise validation("Only one filter is accepted for ListComponentTypes")
    size = TWINMAKER_PAGES.size(data)
    after = TWINMAKER_PAGES.position(ctx, data)
    catalog = catalog_for(conn, ctx.scope, ws)
    matches = _matcher(filters[0] if filters else {})
    found: list[TypeView] = []
    for type_id in catalog.ids():
        if after is not None and type_id <= after:
            continue
        view = catalog.get(type_id)
        if view is not None and matches(view):
            found.append(view)
            if len(found) > size:
                break
    page, token = TWINMAKER_PAGES.cut(ctx, data, found, lambda view: view.id)
    return {
        "workspaceId": ws.workspace_id,
        "componentTypeSummaries": [
            views.component_type_summary(ctx.scope, ws.workspace_id, view) for view in page
        ],
        "nextToken": token,
        "maxResults": data.get("maxResults"),
    }


def _matcher(condition: Doc) -> Callable[[TypeView], bool]:
    if "extendsFrom" in condition:
        parent = condition["extendsFrom"]
        return lambda view: parent in view.ancestors
    if "namespace" in condition:
        namespace = condition["namespace"]
        return lambda view: _in_namespace(view.id, namespace)
    if "isAbstract" in condition:
        wanted = condition["isAbstract"]
        return lambda view: view.is_abstract == wanted
    return lambda view: True


def _in_namespace(type_id: str, namespace: str) -> bool:
    """Whether the id lies in the namespace: a prefix of it that ends before a `.` or `:`."""
    namespace = namespace.rstrip(".:")
    separator = type_id[len(namespace) : len(namespace) + 1]
    return type_id.startswith(namespace) and separator in (".", ":")


def update_component_type(ctx: RequestContext, data: Doc) -> Doc:
    type_id = data["componentTypeId"]
    rules.check_type_id_writable(type_id)  # the built-in types are no workspace's to change
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        existing = store.get_component_type(conn, ws.ws_key, type_id)
        if existing is None:
            raise _type_not_found(type_id, ws)
        old = decode(existing.doc)
        given = component_type_doc(data)
        if "isSingleton" not in data:
            given["isSingleton"] = old.get("isSingleton", False)
        # Each member given replaces the stored one; the others (tags and the bulk file's
        # external id among them, which this operation cannot set) stay as they are.
        kept = {k: v for k, v in old.items() if k not in data}
        save_component_type(conn, ctx.scope, ws, kept | given)
    return {
        "workspaceId": ws.workspace_id,
        "arn": ids.component_type_arn(ctx.scope, ws.workspace_id, type_id),
        "componentTypeId": type_id,
        "state": "UPDATING",
    }


def delete_component_type(ctx: RequestContext, data: Doc) -> Doc:
    type_id = data["componentTypeId"]
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        _require_type(conn, ctx.scope, ws, type_id)
        rules.check_type_id_writable(type_id)
        if store.any_entity_contains(conn, ws.ws_key, uses_type_marker(type_id)):
            raise validation(
                f"Component type {type_id} cannot be deleted: entities have components of it"
            )
        extenders = catalog_for(conn, ctx.scope, ws).extenders(type_id)
        if extenders:
            raise validation(
                f"Component type {type_id} cannot be deleted: it is extended by"
                f" {', '.join(extenders)}"
            )
        store.delete_component_type(conn, ws.ws_key, type_id)
        store.renew_types_token(conn, ws.ws_key)
    return {"state": "DELETING"}


def _require_type(conn: Connection, scope: Scope, ws: store.WorkspaceRow, type_id: str) -> TypeView:
    view = catalog_for(conn, scope, ws).get(type_id)
    if view is None:
        raise _type_not_found(type_id, ws)
    return view


def _type_not_found(type_id: str, ws: store.WorkspaceRow) -> ServiceError:
    return not_found(f"Component type {type_id} not found in workspace {ws.workspace_id}")


HANDLERS = {
    "CreateComponentType": create_component_type,
    "GetComponentType": get_component_type,
    "ListComponentTypes": list_component_types,
    "UpdateComponentType": update_component_type,
    "DeleteComponentType": delete_component_type,
}
