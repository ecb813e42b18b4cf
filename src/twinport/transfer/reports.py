"""A job as users see it: its status and progress, its JSON report, and the URL to that report.

Where the report goes depends on the pair: `twinport.transfer.registry.ReportPlace`.
"""

from __future__ import annotations

import time

import orjson

from twinport.config import Settings
from twinport.s3.client import presigned_get_url, s3_client
from twinport.store.jobs import Job

REPORT_URL_SECONDS = 3600
_SIGNED_MAX = 10_000
_signed: dict[tuple, tuple[float, str]] = {}


def progress_of(job: Job) -> dict | None:
    """The job's `progress` member as the API shows it; None before the job counted anything."""
    if not job.has_progress:
        return None
    return {
        "totalCount": job.total,
        "succeededCount": job.succeeded,
        "skippedCount": job.skipped,
        "failedCount": job.failed,
    }


def status_of(job: Job) -> dict:
    """The job's `status` member without its queue position (only the API knows that)."""
    status: dict = {"state": job.state}
    if job.error_code:
        status["error"] = {"code": job.error_code, "message": job.error_message}
    return status


def report_body(job: Job, errors: list[dict]) -> bytes:
    document = {
        "metadataTransferJobId": job.job_id,
        "state": job.state,
        "status": status_of(job),
        "progress": progress_of(job),
        "errors": errors,
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)


def report_url(settings: Settings, job: Job, public_url: str) -> str | None:
    """A pre-signed URL valid for at least half of REPORT_URL_SECONDS from now. A report in
    the embedded S3 is signed for `public_url`, where the caller reaches twinport: the
    signature names the host, so the URL must name it too.

    Signing costs a millisecond, far more than the rest of a Get; a polling client reuses
    one URL until it is half spent.
    """
    if not job.report_key:
        return None
    endpoint = settings.s3_endpoint_url or public_url
    key = (job.account, job.region, job.job_id, job.report_bucket, job.report_key, endpoint)
    now = time.monotonic()
    cached = _signed.get(key)
    if cached is not None and now - cached[0] < REPORT_URL_SECONDS / 2:
        return cached[1]
    client = s3_client(settings, job.scope, endpoint)
    url = presigned_get_url(client, job.report_bucket, job.report_key, REPORT_URL_SECONDS)
    if len(_signed) >= _SIGNED_MAX:
        _signed.clear()
    _signed[key] = (now, url)
    return url
