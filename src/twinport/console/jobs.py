"""The dashboard's view of transfer jobs: a scope's recent jobs with their progress, and the
errors of a job's report, read from where the job wrote it."""

from __future__ import annotations

import orjson
from botocore.exceptions import BotoCoreError, ClientError

from twinport.console.query import Query, Refusal, Sources, iso_time
from twinport.s3.client import s3_client
from twinport.store import jobs, overview
from twinport.store.jobs import Job
from twinport.transfer.reports import progress_of, status_of

# A report may list every resource of a big file; the page shows the first ones.
REPORT_ERRORS_SHOWN = 200


def recent(sources: Sources, query: Query) -> dict:
    """The scope's newest jobs, newest first."""
    conn = sources.db.connection()
    found = (
        jobs.by_seq(conn, seq)
        for seq in overview.recent_job_seqs(conn, query.scope(), query.limit())
    )
    return {"jobs": [job_view(job) for job in found if job is not None]}


def job_view(job: Job) -> dict:
    return {
        "jobId": job.job_id,
        "description": job.description,
        "source": job.source_type,
        "destination": job.destination_type,
        "workspaceId": job.workspace_id,
        "status": status_of(job),
        "progress": progress_of(job),
        "created": iso_time(job.created),
        "updated": iso_time(job.updated),
        "report": {"bucket": job.report_bucket, "key": job.report_key} if job.report_key else None,
    }


def report(sources: Sources, query: Query) -> dict:
    """The errors of the job's report, read through S3 as any client would read it; `report`
    is None while the job has written none."""
    scope = query.scope()
    job_id = query.text("jobId")
    job = jobs.get(sources.db.connection(), scope, job_id)
    if job is None:
        raise Refusal(404, f"No job '{job_id}' in account {scope.account}, region {scope.region}")
    if not job.report_key:
        return {"jobId": job_id, "report": None}
    place = f"s3://{job.report_bucket}/{job.report_key}"
    try:
        answer = s3_client(sources.settings, job.scope).get_object(
            Bucket=job.report_bucket, Key=job.report_key
        )
        document = orjson.loads(answer["Body"].read())
    except (BotoCoreError, ClientError, orjson.JSONDecodeError) as exc:
        raise Refusal(502, f"Could not read the report {place}: {exc}") from exc
    errors = document.get("errors") or []
    return {
        "jobId": job_id,
        "report": {
            "location": place,
            "errorCount": len(errors),
            "errors": errors[:REPORT_ERRORS_SHOWN],
        },
    }
