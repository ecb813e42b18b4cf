"""CreateMetadataTransferJob, GetMetadataTransferJob, ListMetadataTransferJobs and Cancel."""

from __future__ import annotations

import uuid

from twinport.context import RequestContext
from twinport.domain.twinmaker.bulk import workspace_exists
from twinport.errors import ServiceError, conflict, not_found
from twinport.services.paging import JOB_PAGES
from twinport.services.transfer import views
from twinport.store import Connection
from twinport.store import jobs as repository
from twinport.store.jobs import Job, NewJob
from twinport.transfer import states
from twinport.transfer.filters import check_sitewise_filters
from twinport.transfer.locations import workspace_arn_of, workspace_of
from twinport.transfer.registry import PAIRS
from twinport.transfer.reports import progress_of


def create(ctx: RequestContext, data: dict) -> dict:
    source, destination = data["sources"][0], data["destination"]
    PAIRS.check_request(source, destination)
    check_sitewise_filters(source)
    workspace_id = None
    for where, config in (("sources[0]", source), ("destination", destination)):
        arn = workspace_arn_of(config)
        if arn is not None:
            workspace_id = workspace_of(arn, ctx.scope, where)
    job_id = data.get("metadataTransferJobId") or str(uuid.uuid4())
    with ctx.db.write(ctx.scope) as conn:
        if workspace_id is not None and not workspace_exists(conn, ctx.scope, workspace_id):
            raise not_found(f"Workspace {workspace_id} not found")
        if repository.get(conn, ctx.scope, job_id) is not None:
            raise conflict(f"A metadata transfer job with id {job_id} already exists")
        if states.active_count(conn, ctx.scope) >= ctx.settings.max_queued_jobs:
            raise ServiceError(
                "ServiceQuotaExceededException",
                f"At most {ctx.settings.max_queued_jobs} metadata transfer jobs may be"
                " validating, pending or running at once in an account and region",
            )
        new = NewJob(
            ctx.scope, job_id, data.get("description"), data["sources"], destination, workspace_id
        )
        job = states.create(conn, new)
    if ctx.engine is not None:
        ctx.engine.wake()
    return {
        "metadataTransferJobId": job.job_id,
        "arn": job.arn,
        "creationDateTime": job.created,
        "status": {"state": job.state},
    }


def get(ctx: RequestContext, data: dict) -> dict:
    conn = ctx.db.connection()
    found = _existing(conn, ctx, data["metadataTransferJobId"])
    return views.job(conn, ctx.settings, found, ctx.public_url)


def list_jobs(ctx: RequestContext, data: dict) -> dict:
    filters = data.get("filters") or []
    workspace_ids = [f["workspaceId"] for f in filters if f.get("workspaceId")]
    wanted_states = [f["state"] for f in filters if f.get("state")]
    conn = ctx.db.connection()

    def read(after: list | None, limit: int) -> list[Job]:
        return repository.list_page(
            conn,
            ctx.scope,
            data["sourceType"],
            data["destinationType"],
            workspace_ids,
            wanted_states,
            tuple(after) if after else None,
            limit,
        )

    page, token = JOB_PAGES.keyset_page(ctx, data, read, lambda job: [job.created, job.job_id])
    return {
        "metadataTransferJobSummaries": [views.job_summary(conn, job) for job in page],
        "nextToken": token,
    }


def cancel(ctx: RequestContext, data: dict) -> dict:
    with ctx.db.write(ctx.scope) as conn:
        job = _existing(conn, ctx, data["metadataTransferJobId"])
        if not states.cancel(conn, job):
            raise conflict(
                f"Metadata transfer job {job.job_id} is {job.state} and cannot be cancelled"
            )
        job = repository.by_seq(conn, job.seq)
    return {
        "metadataTransferJobId": job.job_id,
        "arn": job.arn,
        "updateDateTime": job.updated,
        "status": {"state": job.state},
        "progress": progress_of(job),
    }


def _existing(conn: Connection, ctx: RequestContext, job_id: str) -> Job:
    job = repository.get(conn, ctx.scope, job_id)
    if job is None:
        raise not_found(f"Metadata transfer job {job_id} not found")
    return job


HANDLERS = {
    "CreateMetadataTransferJob": create,
    "GetMetadataTransferJob": get,
    "ListMetadataTransferJobs": list_jobs,
    "CancelMetadataTransferJob": cancel,
}
