"""The job state machine: every state a metadata transfer job can be in, and every change.

    VALIDATING ─► PENDING ─► RUNNING ─► COMPLETED | ERROR
        │            │          │
        └► ERROR     └► CANCELLED  └► CANCELLING ─► CANCELLED
        └► CANCELLED

Each change is a compare-and-set in the store: it names the states the job may be in and,
for the engine, the owner that must hold it, so a cancel that won a race is never overwritten
and an engine of an earlier start is fenced off. The API's changes need no owner.
"""

from __future__ import annotations

import time
from enum import StrEnum

from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import jobs as repository
from twinport.store.jobs import Job


class JobState(StrEnum):
    VALIDATING = "VALIDATING"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    CANCELLING = "CANCELLING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
    CANCELLED = "CANCELLED"


class JobError(StrEnum):
    """The `status.error.code` of a job that ended in ERROR."""

    VALIDATION_ERROR = "VALIDATION_ERROR"
    PROCESSING_ERROR = "PROCESSING_ERROR"
    INTERNAL_FAILURE = "INTERNAL_FAILURE"


TERMINAL = (JobState.COMPLETED, JobState.ERROR, JobState.CANCELLED)
ACTIVE = (JobState.VALIDATING, JobState.PENDING, JobState.RUNNING, JobState.CANCELLING)
# A worker runs the job: it holds a place of its account's running jobs.
HELD = (JobState.RUNNING, JobState.CANCELLING)


def create(conn: Connection, job: repository.NewJob) -> Job:
    return repository.insert(conn, job, JobState.VALIDATING, time.time())


def active_count(conn: Connection, scope: Scope) -> int:
    """How many jobs of the scope have not ended (the quota counts them)."""
    return repository.count_in_states(conn, scope, ACTIVE)


def queued_position(conn: Connection, job: Job) -> int | None:
    """1-based place among the PENDING jobs of the job's scope; None when not PENDING."""
    if job.state != JobState.PENDING:
        return None
    return repository.place_in_state(conn, job)


def running_counts(conn: Connection) -> dict[tuple[str, str], int]:
    return repository.counts_by_scope(conn, HELD)


def claim(conn: Connection, seq: int, owner: str, state: JobState) -> bool:
    """Make `owner` the job's engine while it stays in `state` (validating or resuming)."""
    return repository.claim(conn, seq, owner, (state,))


def start(conn: Connection, seq: int, owner: str) -> bool:
    """PENDING → RUNNING for `owner`; from now on the job shows progress against its total."""
    return repository.start(conn, seq, owner, JobState.PENDING, JobState.RUNNING, time.time())


def validated(conn: Connection, job: Job, owner: str, planned: int) -> bool:
    """VALIDATING → PENDING; False when a cancel came first."""
    return repository.move(
        conn,
        job.seq,
        (JobState.VALIDATING,),
        JobState.PENDING,
        time.time(),
        owner=owner,
        planned=planned,
    )


def finish(
    conn: Connection,
    job: Job,
    owner: str,
    from_state: JobState,
    state: JobState,
    error: JobError | None,
    message: str | None,
    report: tuple[str, str] | None,
) -> bool:
    """`from_state` → an end state, with the report's place; False when the job moved on."""
    columns: dict[str, object] = {"error_code": error, "error_message": message}
    if report is not None:
        columns.update(report_bucket=report[0], report_key=report[1])
    return repository.move(conn, job.seq, (from_state,), state, time.time(), owner=owner, **columns)


def cancelled(conn: Connection, job: Job, owner: str, report: tuple[str, str] | None) -> bool:
    """CANCELLING → CANCELLED with the report's place, once the engine stopped writing."""
    columns = {} if report is None else {"report_bucket": report[0], "report_key": report[1]}
    return repository.move(
        conn,
        job.seq,
        (JobState.CANCELLING,),
        JobState.CANCELLED,
        time.time(),
        owner=owner,
        **columns,
    )


def cancel(conn: Connection, job: Job) -> bool:
    """The API's Cancel: CANCELLED before the job runs, CANCELLING while it runs (the engine
    ends it before its next write). False for a job that already ended."""
    if job.state in TERMINAL:
        return False
    now = time.time()
    if job.state in (JobState.VALIDATING, JobState.PENDING):
        repository.move(conn, job.seq, (job.state,), JobState.CANCELLED, now)
    elif job.state == JobState.RUNNING:
        repository.move(conn, job.seq, (job.state,), JobState.CANCELLING, now)
    return True


def must_stop(conn: Connection, seq: int, owner: str) -> str | None:
    """Why the engine must stop writing for the job: "fenced" when another engine owns it,
    "cancelled" when a cancel is waiting; None to go on."""
    state, holder = repository.state_and_owner(conn, seq)
    if holder != owner:
        return "fenced"
    if state == JobState.CANCELLING:
        return "cancelled"
    return None
