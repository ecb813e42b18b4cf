"""Copy a SQLite file's write-ahead log back into it from a thread of its own.

SQLite checkpoints inside the commit that grows its log past 1,000 pages: that commit copies
the log into the database file and waits for the disk. The engine's batch commits otherwise
never wait for the disk (`synchronous=NORMAL`), so these checkpoints were much of their commit
time: importing the 10,102-asset SiteWise plant, 116-166 ms of its 29-39 commits. Here each
commit signals a thread, which checkpoints at most every `INTERVAL_SECONDS`, in SQLite without
the GIL: on a machine of two cores the copy overlaps the job's own work. The same import's
commits then took 56-89 ms.

A commit still checkpoints at `COMMIT_CHECKPOINT_PAGES`, by then a short one (the thread has
copied all but the latest batches): SQLite starts its log over only at a write transaction
that begins after a checkpoint copied all of it, which the thread, running beside a writer
that begins its next batch at once, seldom manages. Without it the plant's import grew the
log to 50 MB; with it, to about 18 MB, where SQLite's own checkpoints kept it under 7 MB.

A `PASSIVE` checkpoint takes no lock that writers or readers wait for: it copies what no
reader still needs and leaves the rest for the next one.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 0.1
COMMIT_CHECKPOINT_PAGES = 4000
# A thread with nothing to do for this long ends; the next commit starts another.
IDLE_SECONDS = 5.0


class BackgroundCheckpoints:
    def __init__(self, path: Path):
        self._path = path
        self._due = threading.Event()
        self._lock = threading.Lock()
        self._running = False

    def committed(self) -> None:
        """A transaction committed: the log has grown."""
        self._due.set()
        if self._running:
            return
        with self._lock:
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="sqlite-checkpoints", daemon=True).start()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while self._due.wait(IDLE_SECONDS) or not self._stopped():
                self._due.clear()
                try:
                    conn = conn or sqlite3.connect(self._path, isolation_level=None)
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:  # the next commit asks again
                    log.debug("checkpoint of %s failed: %s", self._path, exc)
                # Batches commit every few tens of milliseconds: one checkpoint for several.
                time.sleep(INTERVAL_SECONDS)
        finally:
            if conn is not None:
                conn.close()

    def _stopped(self) -> bool:
        """Whether the thread may end: nothing committed since its last checkpoint."""
        with self._lock:
            if self._due.is_set():
                return False
            self._running = False
            return True
