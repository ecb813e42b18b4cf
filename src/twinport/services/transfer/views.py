"""Metadata transfer jobs as the API's responses show them."""

from __future__ import annotations

from twinport.config import Settings
from twinport.domain.members import compact
from twinport.store import Connection
from twinport.store.jobs import Job
from twinport.transfer import states
from twinport.transfer.reports import progress_of, report_url, status_of


def job(conn: Connection, settings: Settings, found: Job, public_url: str) -> dict:
    """GetMetadataTransferJob's answer; its report URL names `public_url`, where the caller
    reaches twinport."""
    return {
        "metadataTransferJobId": found.job_id,
        "arn": found.arn,
        "description": found.description,
        "sources": found.sources,
        "destination": found.destination,
        "metadataTransferJobRole": f"arn:aws:iam::{found.account}:role/{settings.job_role_name}",
        "reportUrl": report_url(settings, found, public_url),
        "creationDateTime": found.created,
        "updateDateTime": found.updated,
        "status": status(conn, found),
        "progress": progress_of(found),
    }


def job_summary(conn: Connection, found: Job) -> dict:
    return compact(
        metadataTransferJobId=found.job_id,
        arn=found.arn,
        creationDateTime=found.created,
        updateDateTime=found.updated,
        status=status(conn, found),
        progress=progress_of(found),
    )


def status(conn: Connection, found: Job) -> dict:
    """The job's status, with its place in the queue while it waits."""
    shown = status_of(found)
    position = states.queued_position(conn, found)
    if position is not None:
        shown["queuedPosition"] = position
    return shown
