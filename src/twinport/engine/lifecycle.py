"""A job's way through the engine: validate, then run, then finish with a report.

VALIDATING → PENDING or ERROR(VALIDATION_ERROR); RUNNING → COMPLETED, ERROR(PROCESSING_ERROR),
ERROR(INTERNAL_FAILURE) or, after a cancel, CANCELLED. Every state change checks that the job is
still this engine's and still in the state it left, so a cancel that won the race is kept.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from twinport.config import Settings
from twinport.context import Scope
from twinport.domain.twinmaker.bulk import workspace_bucket
from twinport.engine.control import JobControl, JobStopped
from twinport.engine.transfers import JobInvalid, transfer_for
from twinport.s3.client import s3_client
from twinport.services.transfer.reports import report_body, report_location
from twinport.store import jobs
from twinport.store.db import Database
from twinport.store.jobs import Job

log = logging.getLogger("twinport.engine")
_MAX_MESSAGE = 2048


@dataclass
class Environment:
    settings: Settings
    db: Database
    owner: str
    shutdown: Event

    def workdir(self, job: Job) -> Path:
        return self.settings.data_dir / "jobs" / str(job.seq)

    def s3(self, scope: Scope):
        return s3_client(self.settings, scope)


def validate_job(env: Environment, seq: int) -> None:
    job = jobs.by_seq(env.db.connection(), seq)
    workdir = env.workdir(job)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    try:
        planned = transfer_for(job).validate(env, job, workdir)
    except JobInvalid as invalid:
        _finish(
            env, job, "VALIDATING", "ERROR", "VALIDATION_ERROR", invalid.summary(), invalid.errors
        )
        shutil.rmtree(workdir, ignore_errors=True)
        return
    except Exception as exc:
        log.exception("validating job %s failed", job.job_id)
        _finish(env, job, "VALIDATING", "ERROR", "INTERNAL_FAILURE", _internal(exc), [])
        shutil.rmtree(workdir, ignore_errors=True)
        return
    with env.db.write() as conn:
        moved = _move(conn, env, job, ("VALIDATING",), "PENDING", planned=planned)
    if not moved:  # cancelled while validating
        shutil.rmtree(workdir, ignore_errors=True)


def run_job(env: Environment, seq: int) -> None:
    job = jobs.by_seq(env.db.connection(), seq)
    control = JobControl(env.db, job, env.owner, env.shutdown)
    try:
        transfer_for(job).run(env, control, env.workdir(job))
    except JobStopped as stopped:
        if stopped.reason == "cancelled":
            _cancelled(env, control.refresh())
        return
    except Exception as exc:
        log.exception("running job %s failed", job.job_id)
        _finish(
            env, control.refresh(), "RUNNING", "ERROR", "INTERNAL_FAILURE", _internal(exc), None
        )
        return
    job = control.refresh()
    if job.failed:
        message = f"{job.failed} of {job.total} resources failed; see the report"
        _finish(env, job, "RUNNING", "ERROR", "PROCESSING_ERROR", message, None)
    else:
        _finish(env, job, "RUNNING", "COMPLETED", None, None, None)


def _finish(
    env: Environment,
    job: Job,
    from_state: str,
    state: str,
    code: str | None,
    message: str | None,
    errors: list[dict] | None,
) -> None:
    """Write the report, then the end state with the report's place, in one step."""
    final = _with_state(job, state, code, message)
    if errors is None:
        errors = jobs.errors_of(env.db.connection(), job.seq)
    place = _write_report(env, final, errors)
    columns: dict[str, object] = {"error_code": code, "error_message": message}
    if place is not None:
        columns.update(report_bucket=place[0], report_key=place[1])
    with env.db.write() as conn:
        moved = _move(conn, env, job, (from_state,), state, **columns)
    if not moved and from_state == "RUNNING":
        # A cancel that came after the last write still ends the job as CANCELLED.
        _cancelled(env, job)
        return
    shutil.rmtree(env.workdir(job), ignore_errors=True)


def _cancelled(env: Environment, job: Job) -> None:
    """CANCELLED at once (the user waits for it); the report follows."""
    with env.db.write() as conn:
        if not _move(conn, env, job, ("CANCELLING",), "CANCELLED"):
            return
    job = _with_state(job, "CANCELLED", None, None)
    place = _write_report(env, job, jobs.errors_of(env.db.connection(), job.seq))
    if place is not None:
        with env.db.write() as conn:
            conn.execute(
                "UPDATE transfer_jobs SET report_bucket = ?, report_key = ? WHERE seq = ?",
                (*place, job.seq),
            )
    shutil.rmtree(env.workdir(job), ignore_errors=True)


def _move(
    conn, env: Environment, job: Job, from_states: tuple[str, ...], state: str, **columns: object
) -> bool:
    placeholders = ", ".join("?" * len(from_states))
    current = conn.execute(
        f"SELECT 1 FROM transfer_jobs WHERE seq = ? AND owner = ? AND state IN ({placeholders})",
        (job.seq, env.owner, *from_states),
    ).fetchone()
    if current is None:
        return False
    jobs.set_state(conn, job.seq, state, time.time(), **columns)
    return True


def _write_report(env: Environment, job: Job, errors: list[dict]) -> tuple[str, str] | None:
    place = report_location(job, _workspace_bucket(env, job))
    if place is None:
        return None
    try:
        env.s3(job.scope).put_object(
            Bucket=place[0],
            Key=place[1],
            Body=report_body(job, errors),
            ContentType="application/json",
        )
    except Exception as exc:  # a missing bucket must not break the job's end
        log.warning("could not write the report of job %s: %s", job.job_id, exc)
        return None
    return place


def _workspace_bucket(env: Environment, job: Job) -> str | None:
    if job.destination["type"] != "iottwinmaker" or job.workspace_id is None:
        return None
    return workspace_bucket(env.db.connection(), job.scope, job.workspace_id)


def _with_state(job: Job, state: str, code: str | None, message: str | None) -> Job:
    job.state, job.error_code, job.error_message = state, code, message
    return job


def _internal(exc: Exception) -> str:
    return f"The job stopped on an internal failure: {type(exc).__name__}: {exc}"[:_MAX_MESSAGE]
