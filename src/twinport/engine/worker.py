"""The engine process: a scheduler that claims jobs and runs them on a few threads.

VALIDATING jobs are validated one at a time, oldest first; PENDING jobs start in creation order
while their (account, region) has fewer than `max_running_jobs` running. Jobs found RUNNING or
CANCELLING at start-up belong to a previous run of the server: they resume from their checkpoint.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from threading import Event

from twinport.config import Settings
from twinport.engine import lifecycle, workfiles
from twinport.engine.control import JobStopped
from twinport.engine.environment import Environment
from twinport.engine.nodes import LEASE_SECONDS, RENEW_SECONDS, leave
from twinport.logs import setup as setup_logs
from twinport.s3.client import load_s3_model
from twinport.store import jobs, nodes
from twinport.store.backend import open_database
from twinport.store.jobs import Job
from twinport.transfer import states
from twinport.transfer.registry import PAIRS
from twinport.transfer.states import JobState

# How often an engine looks for work unprompted. One node's API wakes its engine when it
# creates a job; on a shared database every change of a job's state wakes every engine
# (LISTEN/NOTIFY), and the poll is what takes over jobs whose lease ran out.
POLL_SECONDS = 0.05
SHARED_POLL_SECONDS = 1.0
THREADS = 4
# An engine yields the processor to the processes that answer requests when both want it: a
# job runs in the background, and requests (a client polling its job above all) should not
# wait behind it. At niceness +5 it weighs a third of an API process; cores the API leaves
# idle stay the engine's. Every engine alike, so that two on one machine share it evenly.
ENGINE_NICENESS = 5
log = logging.getLogger("twinport.engine")


def main(argv: list[str]) -> None:
    """`python -m twinport.engine.worker OWNER SETTINGS_JSON`, started by the server."""
    owner, settings = argv[1], Settings.from_json(argv[2])
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops us by closing our stdin
    # The server's stderr: job state changes the engine makes log as the API's lines do.
    setup_logs(settings.log_level, settings.log_format, settings.quiet)
    wake, stop = Event(), Event()
    threading.Thread(target=_listen, args=(wake, stop), daemon=True).start()
    warm_up(settings)
    run_engine(settings, owner, wake, stop)


def warm_up(settings: Settings) -> None:
    """Do now what the first job would otherwise wait for, about a second: import the
    transfers (their file schemas compile on import) and load the S3 service model."""
    for pair in PAIRS:
        PAIRS.transfer(pair)
    load_s3_model()
    # What was loaded so far lives as long as the process: collections need not scan it.
    gc.freeze()


def _listen(wake: Event, stop: Event) -> None:
    """Each byte on stdin wakes the scheduler; end of input stops the engine."""
    while os.read(sys.stdin.fileno(), 4096):
        wake.set()
    stop.set()
    wake.set()


def run_engine(settings: Settings, owner: str, wake: Event, stop: Event) -> None:
    os.nice(ENGINE_NICENESS)
    # A job's batches need not wait for the disk: after power loss a job resumes from its
    # last checkpoint on disk, and counts what it redoes once.
    db = open_database(settings, durable=False)
    shutdown = Event()
    env = Environment(settings, db, owner, shutdown)
    workfiles.sweep(env)
    scheduler = Scheduler(env, wake)
    poll = SHARED_POLL_SECONDS if db.shared else POLL_SECONDS
    if db.shared:
        threading.Thread(target=db.listen, args=(jobs.CHANGES, wake.set, stop), daemon=True).start()
    with ThreadPoolExecutor(THREADS, thread_name_prefix="twinport-job") as pool:
        scheduler.pool = pool
        while not stop.is_set():
            try:
                scheduler.tick()
            except Exception:
                log.exception("scheduling failed; retrying")
            wake.wait(poll)
            wake.clear()
        shutdown.set()
    leave(db, settings)


class Scheduler:
    def __init__(self, env: Environment, wake: Event):
        self.env = env
        self.wake = wake
        self.pool: ThreadPoolExecutor | None = None
        self.active: dict[int, Future] = {}
        # The validation under way: followed by its own future, since the job it validated
        # may be started (the commit that makes it PENDING wakes the scheduler) before the
        # validation's thread has returned.
        self.validation: Future | None = None
        self.renewed = 0.0  # monotonic time of the last beat

    def tick(self) -> None:
        self.active = {seq: f for seq, f in self.active.items() if not f.done()}
        conn = self.env.db.connection()
        # One validation at a time, oldest first: validations are CPU-bound and share one
        # interpreter, so together each would take as long as all, and a crash would cost
        # every one of them its progress. A job is taken only onto a free thread: one queued
        # behind this engine's busy threads would wait while another node's engine idles.
        if self._has_thread() and (self.validation is None or self.validation.done()):
            for job in jobs.in_state(conn, JobState.VALIDATING):
                if self._may_claim(job) and self._claim(job, JobState.VALIDATING):
                    self.validation = self._submit(job.seq, lifecycle.validate_job)
                    break
        for state in states.HELD:
            for job in jobs.in_state(conn, state):
                if not self._has_thread():
                    break
                if self._may_claim(job) and self._claim(job, state):
                    self._submit(job.seq, lifecycle.run_job)
        running = states.running_counts(conn)
        max_running = self.env.settings.max_running_jobs
        for job in jobs.in_state(conn, JobState.PENDING):
            if not self._has_thread():
                break
            key = (job.account, job.region)
            if running.get(key, 0) >= max_running:
                continue
            with self.env.db.write(job.scope) as write:
                started = states.start(write, job, self.env.owner, max_running, LEASE_SECONDS)
            if started:
                running[key] = running.get(key, 0) + 1
                self._submit(job.seq, lifecycle.run_job)
        self._beat()

    def _has_thread(self) -> bool:
        return len(self.active) < THREADS

    def _may_claim(self, job: Job) -> bool:
        return job.seq not in self.active and states.claimable(job, self.env.owner)

    def _claim(self, job: Job, state: JobState) -> bool:
        """Make this engine the job's owner, if the job is still in `state` and no engine of
        another node holds it."""
        with self.env.db.write(job.scope) as conn:
            return states.claim(conn, job.seq, self.env.owner, state, LEASE_SECONDS)

    def _beat(self) -> None:
        """Every few seconds: the jobs this engine holds stay its own, and on a shared
        database, its node is seen alive (`engine.nodes`)."""
        now = time.monotonic()
        shared = self.env.db.shared
        if not (self.active or shared) or now < self.renewed + RENEW_SECONDS:
            return
        with self.env.db.write() as conn:
            if shared:
                nodes.seen(conn, jobs.node_of(self.env.owner), time.time())
            if self.active:
                states.renew_leases(conn, self.env.owner, LEASE_SECONDS)
        self.renewed = now

    def _submit(self, seq: int, work) -> Future:
        future = self.pool.submit(_guarded, work, self.env, seq)
        # A job that was validated can start now, and a finished one frees its place.
        future.add_done_callback(lambda _: self.wake.set())
        self.active[seq] = future
        return future


def _guarded(work, env: Environment, seq: int) -> None:
    try:
        work(env, seq)
    except JobStopped as stopped:
        if stopped.reason != "removed":  # a job a reset removed ends without a word
            log.exception("job %s failed in the engine", seq)
    except Exception:
        log.exception("job %s failed in the engine", seq)


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the server dies, however it dies."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except OSError:
        pass
    if os.getppid() != parent:  # the server died before the request took effect
        os._exit(1)


if __name__ == "__main__":
    main(sys.argv)
