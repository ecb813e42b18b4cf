"""Handlers of the scene operations."""

from __future__ import annotations

import time

from twinport.context import RequestContext
from twinport.domain.members import compact
from twinport.domain.twinmaker import ids
from twinport.domain.twinmaker.documents import Doc, decode, encode
from twinport.domain.twinmaker.scenes import (
    CREATE_SETTINGS,
    UPDATE_SETTINGS,
    require_scene,
    scene_arn,
    scene_arn_in,
    settings,
)
from twinport.domain.twinmaker.workspaces import require_workspace
from twinport.errors import conflict
from twinport.services.paging import TWINMAKER_PAGES
from twinport.store import scenes as store
from twinport.store.scenes import SceneRow


def create_scene(ctx: RequestContext, data: Doc) -> Doc:
    workspace_id, scene_id = data["workspaceId"], data["sceneId"]
    now = time.time()
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, workspace_id)
        if store.get_scene(conn, ws.ws_key, scene_id) is not None:
            raise conflict(f"Scene {scene_id} already exists in workspace {workspace_id}")
        store.insert_scene(conn, ws.ws_key, scene_id, encode(settings(data, CREATE_SETTINGS)), now)
    return {"arn": scene_arn(ctx.scope, workspace_id, scene_id), "creationDateTime": now}


def get_scene(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    row = require_scene(conn, ws, data["sceneId"])
    doc = decode(row.doc)
    return _summary(ids.workspace_arn(ctx.scope, ws.workspace_id), row) | compact(
        workspaceId=ws.workspace_id,
        capabilities=doc.get("capabilities"),
        sceneMetadata=doc.get("sceneMetadata"),
    )


def list_scenes(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    page, token = TWINMAKER_PAGES.keyset_page(
        ctx,
        data,
        lambda after, limit: store.list_scenes(conn, ws.ws_key, after, limit),
        lambda row: row.id,
    )
    workspace_arn = ids.workspace_arn(ctx.scope, ws.workspace_id)
    return {
        "sceneSummaries": [_summary(workspace_arn, row) for row in page],
        "nextToken": token,
    }


def update_scene(ctx: RequestContext, data: Doc) -> Doc:
    now = time.time()
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        row = require_scene(conn, ws, data["sceneId"])
        # Each member given replaces the stored one: an empty list or map clears it.
        doc = decode(row.doc) | settings(data, UPDATE_SETTINGS)
        store.update_scene(conn, ws.ws_key, row.id, encode(doc), now)
    return {"updateDateTime": now}


def delete_scene(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        row = require_scene(conn, ws, data["sceneId"])
        store.delete_scene(conn, ws.ws_key, row.id)
    return {}


def _summary(workspace_arn: str, row: SceneRow) -> Doc:
    doc = decode(row.doc)
    return compact(
        sceneId=row.id,
        contentLocation=doc["contentLocation"],
        arn=scene_arn_in(workspace_arn, row.id),
        description=doc.get("description"),
        creationDateTime=row.created,
        updateDateTime=row.updated,
    )


HANDLERS = {
    "CreateScene": create_scene,
    "GetScene": get_scene,
    "ListScenes": list_scenes,
    "UpdateScene": update_scene,
    "DeleteScene": delete_scene,
}
