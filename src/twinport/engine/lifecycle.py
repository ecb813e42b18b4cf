"""A job's way through the engine: validate, then run, then finish with a report.

The states and their changes are `twinport.transfer.states`; this module decides which change
comes when. Every change checks that the job is still this engine's and still in the state it
left, so a cancel that won the race is kept.
"""

from __future__ import annotations

import logging
import shutil

from twinport.domain.twinmaker.bulk import workspace_bucket
from twinport.engine import workfiles
from twinport.engine.contract import SCRATCH, JobInvalid
from twinport.engine.control import JobControl, JobStopped
from twinport.engine.environment import Environment
from twinport.store import jobs
from twinport.store.jobs import Job
from twinport.transfer import states
from twinport.transfer.registry import PAIRS, ReportPlace
from twinport.transfer.reports import report_body
from twinport.transfer.states import JobError, JobState

log = logging.getLogger("twinport.engine")
_MAX_MESSAGE = 2048


def validate_job(env: Environment, seq: int) -> None:
    """Check the job's source and plan it. A validation a crash interrupted starts again from
    what it had finished (the source's copy); every other file of it is written anew."""
    job = jobs.by_seq(env.db.connection(), seq)
    if job is None:
        return  # removed by a reset
    workdir = env.workdir(job)
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        planned = PAIRS.transfer(PAIRS.of(job)).validate(env, job, workdir)
    except JobInvalid as invalid:
        _finish(
            env,
            job,
            JobState.VALIDATING,
            JobState.ERROR,
            JobError.VALIDATION_ERROR,
            invalid.summary(),
            invalid.errors,
        )
        shutil.rmtree(workdir, ignore_errors=True)
        return
    except Exception as exc:
        if _removed(env, job):
            return  # a reset removed the job and its files under it
        log.exception("validating job %s failed", job.job_id)
        _finish(
            env,
            job,
            JobState.VALIDATING,
            JobState.ERROR,
            JobError.INTERNAL_FAILURE,
            _internal(exc),
            [],
        )
        shutil.rmtree(workdir, ignore_errors=True)
        return
    moved = workfiles.publish(env, job, workdir)
    if moved:
        with env.db.write(job.scope) as conn:
            moved = states.validated(conn, job, env.owner, planned)
    if not moved:  # cancelled or taken over while validating
        shutil.rmtree(workdir, ignore_errors=True)
        return
    # The source's copy served the validation only: a 1 GB import need not keep it till its end.
    shutil.rmtree(workdir / SCRATCH, ignore_errors=True)


def run_job(env: Environment, seq: int) -> None:
    job = jobs.by_seq(env.db.connection(), seq)
    if job is None:
        return  # removed by a reset
    control = JobControl(env.db, job, env.owner, env.shutdown)
    workdir = env.workdir(job)
    try:
        workfiles.fetch(env, job, workdir)
        PAIRS.transfer(PAIRS.of(job)).run(env, control, workdir)
    except JobStopped as stopped:
        if stopped.reason == "cancelled":
            _cancelled(env, control.refresh())
        return
    except Exception as exc:
        job = control.refresh()  # JobStopped if a reset removed the job and its files under it
        log.exception("running job %s failed", job.job_id)
        _finish(
            env, job, JobState.RUNNING, JobState.ERROR, JobError.INTERNAL_FAILURE, _internal(exc)
        )
        return
    job = control.refresh()
    if job.failed:
        message = f"{job.failed} of {job.total} resources failed; see the report"
        _finish(env, job, JobState.RUNNING, JobState.ERROR, JobError.PROCESSING_ERROR, message)
    else:
        _finish(env, job, JobState.RUNNING, JobState.COMPLETED, None, None)


def _finish(
    env: Environment,
    job: Job,
    from_state: JobState,
    state: JobState,
    error: JobError | None,
    message: str | None,
    errors: list[dict] | None = None,
) -> None:
    """Write the report, then the end state with the report's place, in one step."""
    final = _with_state(job, state, error, message)
    if errors is None:
        errors = jobs.errors_of(env.db.connection(), job.seq)
    place = _write_report(env, final, errors)
    with env.db.write(job.scope) as conn:
        moved = states.finish(conn, job, env.owner, from_state, state, error, message, place)
    if not moved and from_state == JobState.RUNNING:
        # A cancel that came after the last write still ends the job as CANCELLED.
        _cancelled(env, job)
        return
    shutil.rmtree(env.workdir(job), ignore_errors=True)


def _cancelled(env: Environment, job: Job) -> None:
    """The report, then CANCELLED with the report's place: the first Get that shows the job
    CANCELLED has its reportUrl. The job wrote its last batch before this, so the report's
    counts are final."""
    final = _with_state(job, JobState.CANCELLED, None, None)
    place = _write_report(env, final, jobs.errors_of(env.db.connection(), job.seq))
    with env.db.write(job.scope) as conn:
        if not states.cancelled(conn, job, env.owner, place):
            return
    shutil.rmtree(env.workdir(job), ignore_errors=True)


def _write_report(env: Environment, job: Job, errors: list[dict]) -> tuple[str, str] | None:
    if _removed(env, job):
        return None  # a job a reset removed writes nothing more
    report = PAIRS.of(job).report
    bucket = None
    if report is ReportPlace.WORKSPACE_BUCKET and job.workspace_id is not None:
        bucket = workspace_bucket(env.db.connection(), job.scope, job.workspace_id)
    place = report.location(job, bucket)
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


def _removed(env: Environment, job: Job) -> bool:
    return jobs.by_seq(env.db.connection(), job.seq) is None


def _with_state(job: Job, state: JobState, error: JobError | None, message: str | None) -> Job:
    job.state, job.error_code, job.error_message = state, error, message
    return job


def _internal(exc: Exception) -> str:
    return f"The job stopped on an internal failure: {type(exc).__name__}: {exc}"[:_MAX_MESSAGE]
