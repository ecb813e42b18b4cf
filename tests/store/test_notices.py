"""On PostgreSQL every change of a job's state wakes the engines of every node at its commit
(LISTEN/NOTIFY): a job created on one node is taken up by another at once, not at its poll."""

from __future__ import annotations

import threading

import pytest

from tests.postgres import needs_postgres, new_database
from twinport.scope import Scope
from twinport.store import jobs
from twinport.transfer import states

pytestmark = needs_postgres


@pytest.fixture
def db():
    with new_database() as database:
        yield database


def _new_job(job_id: str) -> jobs.NewJob:
    scope = Scope("123456789012", "us-east-1")
    return jobs.NewJob(scope, job_id, None, [{"type": "s3"}], {"type": "iottwinmaker"}, None)


def test_a_job_change_wakes_a_listener_at_commit_and_a_rollback_wakes_none(db):
    heard, stop = threading.Event(), threading.Event()
    listener = threading.Thread(target=db.listen, args=(jobs.CHANGES, heard.set, stop))
    listener.start()
    try:
        for attempt in range(20):  # until the listener's LISTEN has taken effect
            with db.write() as conn:
                states.create(conn, _new_job(f"job-{attempt}"))
            if heard.wait(0.5):
                break
        assert heard.is_set(), "no created job woke the listener"
        heard.clear()

        with pytest.raises(RuntimeError), db.write() as conn:
            states.create(conn, _new_job("undone"))
            raise RuntimeError("rolled back")
        assert not heard.wait(0.5), "a rolled-back change woke a listener"

        with db.write() as conn:
            job = jobs.get(conn, Scope("123456789012", "us-east-1"), "job-0")
            assert states.cancel(conn, job)
        assert heard.wait(1), "a cancel woke no listener"
    finally:
        stop.set()
        listener.join(5)
    assert not listener.is_alive(), "the listener did not stop"
