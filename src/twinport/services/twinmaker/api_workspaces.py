"""Handlers of the workspace operations."""

from __future__ import annotations

import time

from twinport.context import RequestContext
from twinport.domain.twinmaker import ids
from twinport.domain.twinmaker.documents import Doc, decode, encode
from twinport.domain.twinmaker.workspaces import require_workspace, workspace_not_found
from twinport.errors import conflict, validation
from twinport.services.paging import TWINMAKER_PAGES
from twinport.services.twinmaker import views
from twinport.store import twinmaker as store

_SETTINGS = ("description", "s3Location", "role")


def create_workspace(ctx: RequestContext, data: Doc) -> Doc:
    workspace_id = data["workspaceId"]
    doc = {k: data[k] for k in (*_SETTINGS, "tags") if data.get(k) is not None}
    now = time.time()
    with ctx.db.write(ctx.scope) as conn:
        if store.get_workspace(conn, ctx.scope, workspace_id) is not None:
            raise conflict(f"Workspace {workspace_id} already exists")
        store.insert_workspace(conn, ctx.scope, workspace_id, encode(doc), now)
    return {"arn": ids.workspace_arn(ctx.scope, workspace_id), "creationDateTime": now}


def get_workspace(ctx: RequestContext, data: Doc) -> Doc:
    workspace_id = ids.workspace_id_of(ctx.scope, data["workspaceId"])
    if workspace_id is None:
        raise workspace_not_found(data["workspaceId"])
    row = require_workspace(ctx.db.connection(), ctx.scope, workspace_id)
    return views.workspace(ctx.scope, row)


def list_workspaces(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    page, token = TWINMAKER_PAGES.keyset_page(
        ctx,
        data,
        lambda after, limit: store.list_workspaces(conn, ctx.scope, after, limit),
        lambda row: row.workspace_id,
    )
    return {
        "workspaceSummaries": [views.workspace_summary(ctx.scope, row) for row in page],
        "nextToken": token,
    }


def update_workspace(ctx: RequestContext, data: Doc) -> Doc:
    now = time.time()
    with ctx.db.write(ctx.scope) as conn:
        row = require_workspace(conn, ctx.scope, data["workspaceId"])
        doc = decode(row.doc)
        doc.update({k: data[k] for k in _SETTINGS if data.get(k) is not None})
        store.update_workspace(conn, row.ws_key, encode(doc), now)
    return {"updateDateTime": now}


def delete_workspace(ctx: RequestContext, data: Doc) -> Doc:
    workspace_id = data["workspaceId"]
    with ctx.db.write(ctx.scope) as conn:
        row = require_workspace(conn, ctx.scope, workspace_id)
        if store.workspace_holds_resources(conn, row.ws_key):
            raise validation(
                f"Workspace {workspace_id} cannot be deleted while it contains entities,"
                " component types, scenes or sync jobs: delete them first"
            )
        store.delete_workspace(conn, row.ws_key)
    return {"message": f"Workspace {workspace_id} deleted"}


HANDLERS = {
    "CreateWorkspace": create_workspace,
    "GetWorkspace": get_workspace,
    "ListWorkspaces": list_workspaces,
    "UpdateWorkspace": update_workspace,
    "DeleteWorkspace": delete_workspace,
}
