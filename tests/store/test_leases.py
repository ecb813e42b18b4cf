"""Jobs held by leases: an engine takes over a job only when no engine of another node holds
it. On SQLite here, and on PostgreSQL too in the suite's PostgreSQL pass."""

from __future__ import annotations

import pytest

from tests.postgres import needs_postgres, new_database
from twinport.scope import Scope
from twinport.store import jobs
from twinport.store.sqlite import SqliteDatabase
from twinport.transfer import states
from twinport.transfer.states import JobState


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def db(request, tmp_path):
    if request.param == "postgresql":
        with new_database() as database:
            yield database
        return
    database = SqliteDatabase(tmp_path / "twinport.sqlite3").open()
    yield database
    database.close()


def _running_job(db, owner: str, lease_until: float) -> int:
    new = jobs.NewJob(
        Scope("123456789012", "us-east-1"),
        "job-1",
        None,
        [{"type": "s3"}],
        {"type": "iottwinmaker"},
        "plant",
    )
    with db.write() as conn:
        seq = jobs.insert(conn, new, JobState.PENDING, 0.0).seq
        jobs.start(conn, seq, owner, JobState.PENDING, JobState.RUNNING, 0.0, lease_until)
    return seq


def test_a_job_whose_lease_runs_is_not_taken_by_another_node(db):
    seq = _running_job(db, "node-a.run-1", lease_until=4e9)
    with db.write() as conn:
        assert not states.claim(conn, seq, "node-b.run-1", JobState.RUNNING, 10)
        assert not states.claimable(jobs.by_seq(conn, seq), "node-b.run-1")
        # A later run of the same node takes it at once: the earlier run is gone.
        assert states.claimable(jobs.by_seq(conn, seq), "node-a.run-2")
        assert states.claim(conn, seq, "node-a.run-2", JobState.RUNNING, 10)
        assert jobs.by_seq(conn, seq).owner == "node-a.run-2"


def test_a_job_whose_lease_ran_out_is_taken_over_and_its_old_engine_is_fenced(db):
    seq = _running_job(db, "node-a.run-1", lease_until=1.0)
    with db.write() as conn:
        assert states.claimable(jobs.by_seq(conn, seq), "node-b.run-1")
        assert states.claim(conn, seq, "node-b.run-1", JobState.RUNNING, 10)
        job = jobs.by_seq(conn, seq)
        assert job.owner == "node-b.run-1" and job.lease_until > 4e8
        assert states.must_stop(conn, seq, "node-a.run-1") == "fenced"
        assert states.must_stop(conn, seq, "node-b.run-1") is None


def test_renewing_keeps_a_lease_and_start_counts_running_jobs_in_its_transaction(db):
    seq = _running_job(db, "node-a.run-1", lease_until=1.0)
    with db.write() as conn:
        states.renew_leases(conn, "node-a.run-1", 10)
        assert not states.claimable(jobs.by_seq(conn, seq), "node-b.run-1")
        second = jobs.insert(
            conn,
            jobs.NewJob(
                Scope("123456789012", "us-east-1"),
                "job-2",
                None,
                [{"type": "s3"}],
                {"type": "iottwinmaker"},
                "plant",
            ),
            JobState.PENDING,
            0.0,
        )
        # One job of the scope runs already: with one allowed, the second stays PENDING.
        assert not states.start(conn, second, "node-b.run-1", 1, 10)
        assert states.start(conn, second, "node-b.run-1", 2, 10)
