"""How a running job writes: batches that commit resources, progress and checkpoint together.

Each batch is one write transaction. It starts by reading the job's state and owner, and the
API can only change them between batches, so a batch that starts is allowed to write everything
in it: cancellation is observed before every write. Batches are short (a few tens of
milliseconds) so that a cancel or an API write never waits long for the lock.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from threading import Event
from typing import TypeVar

from twinport.store import Connection, jobs
from twinport.store.db import Database
from twinport.store.jobs import Job
from twinport.transfer import states

T = TypeVar("T")
BATCH_SECONDS = 0.02
BATCH_ITEMS = 5000


class JobStopped(Exception):
    """The job must stop writing: cancelled, fenced off, or the engine is shutting down."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "cancelled" | "fenced" | "shutdown" | "removed" (by a reset)


@dataclass
class Batch:
    conn: Connection
    deadline: float
    succeeded: int = 0
    skipped: int = 0
    failed: int = 0
    items: int = 0
    errors: list[tuple[int, str, str | None, str, str]] = field(default_factory=list)

    def full(self) -> bool:
        return self.items >= BATCH_ITEMS or time.monotonic() >= self.deadline

    def count(self, outcome: str) -> None:
        self.items += 1
        if outcome == "succeeded":
            self.succeeded += 1
        elif outcome == "skipped":
            self.skipped += 1
        else:
            self.failed += 1


class JobControl:
    def __init__(self, db: Database, job: Job, owner: str, shutdown: Event):
        self.db = db
        self.job = job
        self.owner = owner
        self.shutdown = shutdown

    @contextmanager
    def batch(self, checkpoint_after: list[int]) -> Iterator[Batch]:
        """A write transaction for a run of items; `checkpoint_after[0]` is the next position."""
        with self.db.write(self.job.scope) as conn:
            self._check(conn)
            batch = Batch(conn, time.monotonic() + BATCH_SECONDS)
            yield batch
            jobs.add_progress(
                conn,
                self.job.seq,
                batch.succeeded,
                batch.skipped,
                batch.failed,
                checkpoint_after[0],
                time.time(),
            )
            if batch.errors:
                jobs.add_errors(conn, self.job.seq, batch.errors)

    def check(self) -> None:
        """For jobs that only read (exports): stop if cancelled, fenced or shutting down."""
        self._check(self.db.connection())

    def _check(self, conn: Connection) -> None:
        if self.shutdown.is_set():
            raise JobStopped("shutdown")
        reason = states.must_stop(conn, self.job.seq, self.owner)
        if reason is not None:
            raise JobStopped(reason)

    def watch(self, items: Iterable[T], every: int = 1000) -> Iterator[T]:
        """Pass `items` through, checking for a cancel every `every` of them."""
        for count, item in enumerate(items):
            if count % every == 0:
                self.check()
            yield item

    def refresh(self) -> Job:
        found = jobs.by_seq(self.db.connection(), self.job.seq)
        if found is None:
            raise JobStopped("removed")
        self.job = found
        return found
