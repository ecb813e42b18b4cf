"""The job state machine: every state a metadata transfer job can be in, and every change.

    VALIDATING ─► PENDING ─► RUNNING ─► COMPLETED | ERROR
        │            │          │
        └► ERROR     └► CANCELLED  └► CANCELLING ─► CANCELLED
        └► CANCELLED

Each change is a compare-and-set in the store: it names the states the job may be in and,
for the engine, the owner that must hold it, so a cancel that won a race is never overwritten
and an engine of an earlier start is fenced off. The API's changes need no owner.

Each change that was made is logged once, on the "twinport.jobs" logger, in the transaction
that made it: whichever process made it (the API or the engine) writes the line.
"""

from __future__ import annotations

import logging
import time
from enum import StrEnum

from twinport.scope import Scope
from twinport.store import Connection, job_files
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

log = logging.getLogger("twinport.jobs")


def create(conn: Connection, job: repository.NewJob) -> Job:
    created = repository.insert(conn, job, JobState.VALIDATING, time.time())
    conn.notify(repository.CHANGES)
    _log_state(created)
    return created


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


def claimable(job: Job, owner: str) -> bool:
    """Whether `owner` may take the job over: no engine of another node holds it."""
    return (
        job.owner is None
        or repository.node_of(job.owner) == repository.node_of(owner)
        or job.lease_until is None
        or job.lease_until < time.time()
    )


def claim(conn: Connection, seq: int, owner: str, state: JobState, lease_seconds: float) -> bool:
    """Make `owner` the job's engine while it stays in `state` (validating or resuming), unless
    an engine of another node holds it by a lease that has not run out."""
    now = time.time()
    return repository.claim(conn, seq, owner, (state,), now, now + lease_seconds)


def renew_leases(conn: Connection, owner: str, lease_seconds: float) -> None:
    """`owner` is alive: its jobs stay its own for `lease_seconds` more."""
    repository.renew(conn, owner, (JobState.VALIDATING, *HELD), time.time() + lease_seconds)


def start(conn: Connection, job: Job, owner: str, max_running: int, lease_seconds: float) -> bool:
    """PENDING → RUNNING for `owner` if fewer than `max_running` jobs of its scope run, counted
    in this transaction: on every node at once, no more start. Jobs start in creation order:
    not while an older job of the scope waits (engines of several nodes validate side by side,
    so a younger job may be validated first). From now on the job shows progress against its
    total."""
    if repository.count_in_states(conn, job.scope, HELD) >= max_running:
        return False
    if repository.any_older_in_states(conn, job, (JobState.VALIDATING, JobState.PENDING)):
        return False
    now = time.time()
    started = repository.start(
        conn, job.seq, owner, JobState.PENDING, JobState.RUNNING, now, now + lease_seconds
    )
    return _logged(conn, job.seq, started)


def validated(conn: Connection, job: Job, owner: str, planned: int) -> bool:
    """VALIDATING → PENDING; False when a cancel came first."""
    moved = repository.move(
        conn,
        job.seq,
        (JobState.VALIDATING,),
        JobState.PENDING,
        time.time(),
        owner=owner,
        planned=planned,
    )
    return _logged(conn, job.seq, moved)


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
    moved = repository.move(
        conn, job.seq, (from_state,), state, time.time(), owner=owner, **columns
    )
    return _ended(conn, job.seq, moved)


def cancelled(conn: Connection, job: Job, owner: str, report: tuple[str, str] | None) -> bool:
    """CANCELLING → CANCELLED with the report's place, once the engine stopped writing."""
    columns = {} if report is None else {"report_bucket": report[0], "report_key": report[1]}
    moved = repository.move(
        conn,
        job.seq,
        (JobState.CANCELLING,),
        JobState.CANCELLED,
        time.time(),
        owner=owner,
        **columns,
    )
    return _ended(conn, job.seq, moved)


def cancel(conn: Connection, job: Job) -> bool:
    """The API's Cancel: CANCELLED before the job runs, CANCELLING while it runs (the engine
    ends it before its next write). False for a job that already ended."""
    if job.state in TERMINAL:
        return False
    if job.state == JobState.CANCELLING:
        return True
    state = JobState.CANCELLING if job.state == JobState.RUNNING else JobState.CANCELLED
    moved = repository.move(conn, job.seq, (job.state,), state, time.time())
    (_ended if state == JobState.CANCELLED else _logged)(conn, job.seq, moved)
    return True


def validating(conn: Connection, seq: int, owner: str) -> bool:
    """Whether `owner` still validates the job: not cancelled, not taken over."""
    return repository.state_and_owner(conn, seq) == (JobState.VALIDATING, owner)


def must_stop(conn: Connection, seq: int, owner: str) -> str | None:
    """Why the engine must stop writing for the job: "removed" when a reset deleted it,
    "fenced" when another engine owns it, "cancelled" when a cancel is waiting; None to go on."""
    found = repository.state_and_owner(conn, seq)
    if found is None:
        return "removed"
    state, holder = found
    if holder != owner:
        return "fenced"
    if state == JobState.CANCELLING:
        return "cancelled"
    return None


def _ended(conn: Connection, seq: int, moved: bool) -> bool:
    """`_logged`, for a change to an end state: the job's files kept in the store go with it,
    since no node will run it again."""
    if moved:
        job_files.delete(conn, seq)
    return _logged(conn, seq, moved)


def _logged(conn: Connection, seq: int, moved: bool) -> bool:
    """Log the job's new state when the change was made, and wake every node's engine at its
    commit (a job to validate or start, a place freed); whether it was."""
    if moved:
        conn.notify(repository.CHANGES)
    if moved and log.isEnabledFor(logging.INFO):
        # Read back in the changing transaction: the state, counts and error it just wrote.
        _log_state(repository.by_seq(conn, seq))
    return moved


def _log_state(job: Job) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    total = job.total if job.total is not None else job.planned
    fields = {
        "job_id": job.job_id,
        "account": job.account,
        "region": job.region,
        "pair": f"{job.source_type}→{job.destination_type}",
        "state": job.state,
        "succeeded": job.succeeded if total is not None else None,
        "skipped": job.skipped if total is not None else None,
        "failed": job.failed if total is not None else None,
        "total": total,
        "error_code": job.error_code,
        "error_message": job.error_message,
    }
    line = "job %(job_id)s %(pair)s %(state)s account=%(account)s region=%(region)s"
    if total is not None:
        line += " succeeded=%(succeeded)s skipped=%(skipped)s failed=%(failed)s total=%(total)s"
    if job.error_code:
        line += " error=%(error_code)s: %(error_message)s"
    log.info(line, fields)
