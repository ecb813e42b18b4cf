"""The dashboard's view of TwinMaker and SiteWise resources: workspaces and their entity tree,
asset models and the asset tree. Trees are read one level (one page of children) at a time,
so that a workspace of 100,000 entities costs no more to show than one of ten."""

from __future__ import annotations

from twinport.console.query import Query, Refusal, Sources, iso_time, page_of
from twinport.scope import Scope
from twinport.store import overview, sitewise, twinmaker
from twinport.store.db import Connection


def workspaces(sources: Sources, query: Query) -> dict:
    conn = sources.db.connection()
    limit = query.limit()
    rows = twinmaker.list_workspaces(conn, query.scope(), query.optional("after"), limit + 1)
    shown, next_cursor = page_of(rows, limit, lambda row: row.workspace_id)
    return {
        "workspaces": [
            {
                "workspaceId": row.workspace_id,
                "created": iso_time(row.created),
                "updated": iso_time(row.updated),
                "entityCount": overview.entity_count(conn, row.ws_key),
            }
            for row in shown
        ],
        "next": next_cursor,
    }


def entities(sources: Sources, query: Query) -> dict:
    """One page of the children of `parentId` (the workspace's root when not given)."""
    conn = sources.db.connection()
    scope = query.scope()
    workspace_id = query.text("workspaceId")
    workspace = twinmaker.workspace_ref(conn, scope, workspace_id)
    if workspace is None:
        raise Refusal(
            404, f"No workspace '{workspace_id}' in account {scope.account}, region {scope.region}"
        )
    parent_id = query.optional("parentId") or twinmaker.ROOT
    limit = query.limit()
    rows = twinmaker.list_children(
        conn, workspace.ws_key, parent_id, query.optional("after"), limit + 1
    )
    shown, next_cursor = page_of(rows, limit, lambda row: row.id)
    return {
        "entities": [
            {
                "entityId": row.id,
                "entityName": row.name,
                "hasChildren": row.has_children,
            }
            for row in shown
        ],
        "next": next_cursor,
    }


def asset_models(sources: Sources, query: Query) -> dict:
    limit = query.limit()
    models = sitewise.page_models(
        sources.db.connection(), query.scope(), None, query.after_seq(), limit + 1
    )
    shown, next_cursor = page_of(models, limit, lambda model: model.seq)
    return {
        "assetModels": [
            {
                "assetModelId": model.id,
                "assetModelName": model.name,
                "assetModelType": model.model_type,
                "hierarchies": [
                    {"id": h["id"], "name": h["name"], "childAssetModelId": h["childAssetModelId"]}
                    for h in model.definition["hierarchies"]
                ],
            }
            for model in shown
        ],
        "next": next_cursor,
    }


def assets(sources: Sources, query: Query) -> dict:
    """One page of the children of `parentId`, with the name of the hierarchy each is in; of
    the root assets when no parent is given."""
    conn = sources.db.connection()
    scope = query.scope()
    parent_id = query.optional("parentId")
    hierarchy_names = _hierarchy_names(conn, scope, parent_id) if parent_id else {}
    limit = query.limit()
    nodes = overview.asset_level(conn, scope, parent_id, query.after_seq(), limit + 1)
    shown, next_cursor = page_of(nodes, limit, lambda node: node.seq)
    return {
        "assets": [
            {
                "assetId": node.id,
                "assetName": node.name,
                "assetModelId": node.model_id,
                "hierarchyId": node.hierarchy_id,
                "hierarchyName": hierarchy_names.get(node.hierarchy_id),
                "hasChildren": node.has_children,
            }
            for node in shown
        ],
        "next": next_cursor,
    }


def _hierarchy_names(conn: Connection, scope: Scope, parent_id: str) -> dict[str, str]:
    """hierarchy id -> name, for the hierarchies of the parent's model."""
    parent = sitewise.get(conn, scope, sitewise.ASSETS, parent_id)
    if parent is None:
        raise Refusal(
            404, f"No asset '{parent_id}' in account {scope.account}, region {scope.region}"
        )
    model = sitewise.get(conn, scope, sitewise.MODELS, parent.model_id)
    hierarchies = model.definition["hierarchies"] if model is not None else []
    return {h["id"]: h["name"] for h in hierarchies}
