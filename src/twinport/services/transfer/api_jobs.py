"""CreateMetadataTransferJob, GetMetadataTransferJob, ListMetadataTransferJobs and Cancel."""

from __future__ import annotations

import time
import uuid

from twinport.context import RequestContext
from twinport.domain.twinmaker.bulk import workspace_exists
from twinport.errors import ServiceError, conflict, not_found
from twinport.pagination import decode_token, encode_token
from twinport.services.transfer import requests
from twinport.services.transfer.reports import progress_of, report_url, status_of
from twinport.store import jobs
from twinport.store.jobs import Job

_DEFAULT_PAGE = 50


def create(ctx: RequestContext, data: dict) -> dict:
    source, destination = data["sources"][0], data["destination"]
    requests.check_pair(source, destination)
    requests.check_sitewise_filters(source)
    workspace_id = None
    for where, config in (("sources[0]", source), ("destination", destination)):
        arn = requests.workspace_arn_of(config)
        if arn is not None:
            workspace_id = requests.workspace_of(arn, ctx.scope, where)
    job_id = data.get("metadataTransferJobId") or str(uuid.uuid4())
    with ctx.db.write() as conn:
        if workspace_id is not None and not workspace_exists(conn, ctx.scope, workspace_id):
            raise not_found(f"Workspace {workspace_id} not found")
        if jobs.get(conn, ctx.scope, job_id) is not None:
            raise conflict(f"A metadata transfer job with id {job_id} already exists")
        if jobs.count_active(conn, ctx.scope) >= ctx.settings.max_queued_jobs:
            raise ServiceError(
                "ServiceQuotaExceededException",
                f"At most {ctx.settings.max_queued_jobs} metadata transfer jobs may be"
                " validating, pending or running at once in an account and region",
            )
        job = jobs.insert(
            conn,
            ctx.scope,
            job_id,
            data.get("description"),
            data["sources"],
            destination,
            workspace_id,
            time.time(),
        )
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
    job = _existing(conn, ctx, data["metadataTransferJobId"])
    return {
        "metadataTransferJobId": job.job_id,
        "arn": job.arn,
        "description": job.description,
        "sources": job.sources,
        "destination": job.destination,
        "metadataTransferJobRole": f"arn:aws:iam::{job.account}:role/{ctx.settings.job_role_name}",
        "reportUrl": report_url(ctx.settings, job),
        "creationDateTime": job.created,
        "updateDateTime": job.updated,
        "status": _status(conn, job),
        "progress": progress_of(job),
    }


def list_jobs(ctx: RequestContext, data: dict) -> dict:
    filters = data.get("filters") or []
    workspace_ids = [f["workspaceId"] for f in filters if f.get("workspaceId")]
    states = [f["state"] for f in filters if f.get("state")]
    limit = data.get("maxResults") or _DEFAULT_PAGE
    after = None
    if data.get("nextToken"):
        after = tuple(decode_token(ctx.settings.data_dir, data, data["nextToken"]))
    conn = ctx.db.connection()
    page = jobs.list_page(
        conn,
        ctx.scope,
        data["sourceType"],
        data["destinationType"],
        workspace_ids,
        states,
        after,
        limit + 1,
    )
    more = len(page) > limit
    page = page[:limit]
    summaries = [
        {
            "metadataTransferJobId": job.job_id,
            "arn": job.arn,
            "creationDateTime": job.created,
            "updateDateTime": job.updated,
            "status": _status(conn, job),
            "progress": progress_of(job),
        }
        for job in page
    ]
    token = None
    if more:
        last = page[-1]
        token = encode_token(ctx.settings.data_dir, data, [last.created, last.job_id])
    return {"metadataTransferJobSummaries": summaries, "nextToken": token}


def cancel(ctx: RequestContext, data: dict) -> dict:
    with ctx.db.write() as conn:
        job = _existing(conn, ctx, data["metadataTransferJobId"])
        now = time.time()
        if job.state in jobs.TERMINAL:
            raise conflict(
                f"Metadata transfer job {job.job_id} is {job.state} and cannot be cancelled"
            )
        if job.state in ("VALIDATING", "PENDING"):
            jobs.set_state(conn, job.seq, "CANCELLED", now)
        elif job.state == "RUNNING":
            # The worker sees this before its next write and ends the job as CANCELLED.
            jobs.set_state(conn, job.seq, "CANCELLING", now)
        job = jobs.by_seq(conn, job.seq)
    return {
        "metadataTransferJobId": job.job_id,
        "arn": job.arn,
        "updateDateTime": job.updated,
        "status": {"state": job.state},
        "progress": progress_of(job),
    }


def _existing(conn, ctx: RequestContext, job_id: str) -> Job:
    job = jobs.get(conn, ctx.scope, job_id)
    if job is None:
        raise not_found(f"Metadata transfer job {job_id} not found")
    return job


def _status(conn, job: Job) -> dict:
    status = status_of(job)
    if job.state == "PENDING":
        status["queuedPosition"] = jobs.queued_position(conn, job)
    return status


HANDLERS = {
    "CreateMetadataTransferJob": create,
    "GetMetadataTransferJob": get,
    "ListMetadataTransferJobs": list_jobs,
    "CancelMetadataTransferJob": cancel,
}
