"""Handlers of the sync job operations."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.domain.members import compact
from twinport.domain.twinmaker import sync_jobs
from twinport.domain.twinmaker.documents import Doc, decode
from twinport.domain.twinmaker.workspaces import require_workspace
from twinport.errors import validation
from twinport.services.paging import TWINMAKER_PAGES
from twinport.services.twinmaker import views
from twinport.store import sync_jobs as store
from twinport.store.sync_jobs import ResourceFilter, SyncJobRow, SyncResourceRow

_FILTER_MEMBERS = {
    "state": "state",
    "resourceType": "resource_type",
    "resourceId": "resource_id",
    "externalId": "external_id",
}


def create_sync_job(ctx: RequestContext, data: Doc) -> Doc:
    workspace_id, source = data["workspaceId"], data["syncSource"]
    doc = compact(syncRole=data["syncRole"], tags=data.get("tags"))
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, workspace_id)
        created = sync_jobs.create_sync_job(conn, ctx.scope, ws, source, doc)
    return {
        "arn": sync_jobs.sync_job_arn(ctx.scope, workspace_id, source),
        "creationDateTime": created,
        "state": "CREATING",
    }


def get_sync_job(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    source = data["syncSource"]
    if data.get("workspaceId") is None:
        row = sync_jobs.find_job(conn, ctx.scope, source)
    else:
        row = sync_jobs.require_job(
            conn, require_workspace(conn, ctx.scope, data["workspaceId"]), source
        )
    return _summary(ctx, row) | {"syncRole": decode(row.doc)["syncRole"]}


def list_sync_jobs(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    page, token = TWINMAKER_PAGES.keyset_page(
        ctx,
        data,
        lambda after, limit: store.list_jobs(conn, ws.ws_key, after, limit),
        lambda row: row.sync_source,
    )
    return {"syncJobSummaries": [_summary(ctx, row) for row in page], "nextToken": token}


def delete_sync_job(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        ws = require_workspace(conn, ctx.scope, data["workspaceId"])
        sync_jobs.delete_sync_job(conn, ctx.scope, ws, data["syncSource"])
    return {"state": "DELETING"}


def list_sync_resources(ctx: RequestContext, data: Doc) -> Doc:
    conn = ctx.db.connection()
    ws = require_workspace(conn, ctx.scope, data["workspaceId"])
    source = data["syncSource"]
    sync_jobs.require_job(conn, ws, source)
    where = _resource_filter(data.get("filters") or [])
    page, token = TWINMAKER_PAGES.keyset_page(
        ctx,
        data,
        lambda after, limit: store.list_resources(conn, ws.ws_key, source, where, after, limit),
        store.resource_key,
    )
    return {"syncResources": [_resource(row) for row in page], "nextToken": token}


def _resource_filter(filters: list[Doc]) -> ResourceFilter:
    """The filters as one condition: each narrows the list (a second value for the same
    member is refused, as no resource could match both)."""
    values: dict[str, str] = {}
    for item in filters:
        ((member, value),) = item.items()  # the wire layer checked: one member per union
        if values.setdefault(_FILTER_MEMBERS[member], value) != value:
            raise validation(f"Only one filter on {member} is accepted for ListSyncResources")
    return ResourceFilter(**values)


def _summary(ctx: RequestContext, row: SyncJobRow) -> Doc:
    return {
        "arn": sync_jobs.sync_job_arn(ctx.scope, row.workspace_id, row.sync_source),
        "workspaceId": row.workspace_id,
        "syncSource": row.sync_source,
        "status": views.ACTIVE,
        "creationDateTime": row.created,
        "updateDateTime": row.updated,
    }


def _resource(row: SyncResourceRow) -> Doc:
    status: Doc = {"state": row.state}
    if row.error is not None:
        status["error"] = {"code": "SYNC_PROCESSING_ERROR", "message": row.error}
    return {
        "resourceType": row.resource_type,
        "resourceId": row.resource_id,
        "externalId": row.external_id,
        "status": status,
        "updateDateTime": row.updated,
    }


HANDLERS = {
    "CreateSyncJob": create_sync_job,
    "GetSyncJob": get_sync_job,
    "ListSyncJobs": list_sync_jobs,
    "DeleteSyncJob": delete_sync_job,
    "ListSyncResources": list_sync_resources,
}
