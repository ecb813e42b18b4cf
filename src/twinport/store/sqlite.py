"""The SQLite backend: one connection per thread, explicit write transactions, migrations on open.

The API process and the worker processes open the same file; WAL mode lets readers run while
a writer commits, and `busy_timeout` makes writers queue instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from threading import Event

from twinport.scope import Scope
from twinport.store import schema
from twinport.store.checkpoints import COMMIT_CHECKPOINT_PAGES, BackgroundCheckpoints
from twinport.store.sql import insert_chunks, value_rows

_LOCK_SECONDS = 30


class SqliteConnection(sqlite3.Connection):
    """A connection that names its dialect, for the repositories' few dialect-specific texts."""

    dialect = "sqlite"

    def grew(self, table: str, rows: int) -> None:
        """Nothing to do: without statistics, SQLite's planner prefers the indexes anyway."""

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        for chunk in insert_chunks(rows):
            self.execute(head + value_rows(len(chunk), len(columns)), [v for r in chunk for v in r])

    def notify(self, channel: str) -> None:
        """Nothing to do: one node's processes wake each other themselves."""


class SqliteDatabase:
    """`durable`: each commit is on disk before it returns (SQLite `synchronous=FULL`), so an
    acknowledged write survives power loss; else (NORMAL) it survives a crash of the process,
    and power loss may drop the last commits, for less time per commit; its log is then copied
    into the file mostly by a thread, not by its commits (`store.checkpoints`)."""

    shared = False  # a file in one node's data directory

    def __init__(self, path: Path, durable: bool = True):
        self.path = Path(path)
        self._synchronous = "FULL" if durable else "NORMAL"
        self._checkpoints = None if durable else BackgroundCheckpoints(self.path)
        self._local = threading.local()

    def open(self) -> SqliteDatabase:
        """Create the file if needed and apply the migrations it lacks."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self.connection()
        conn.execute(schema.TRACKING)
        # The turnstile is held throughout: another process opening the file at once finds
        # the migrations applied when its turn comes.
        with self._turnstile():
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, ddl in schema.pending(applied):
                # executescript commits what is open first: the migration and its record are
                # one script, in a transaction of its own.
                conn.executescript(
                    f"BEGIN IMMEDIATE; {ddl('sqlite')};"
                    f" INSERT INTO schema_migrations VALUES ({version}); COMMIT;"
                )
        return self

    def connection(self) -> SqliteConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,
                check_same_thread=False,
                factory=SqliteConnection,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute(f"PRAGMA busy_timeout={_LOCK_SECONDS * 1000}")
            conn.execute("PRAGMA foreign_keys=OFF")
            conn.execute("PRAGMA cache_size=-16384")  # 16 MB a connection
            if self._checkpoints is not None:
                conn.execute(f"PRAGMA wal_autocheckpoint={COMMIT_CHECKPOINT_PAGES}")
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self, scope: Scope | None = None) -> Iterator[SqliteConnection]:
        """One write transaction: everything inside commits together or not at all. SQLite
        has one writer at a time, whatever the `scope`.

        Writers queue at a turnstile (a file lock) before taking SQLite's write lock. Without
        it, a job committing batch after batch re-takes the lock before a waiting API request
        wakes from SQLite's back-off sleep, and the request (a cancel, say) starves.
        """
        conn = self.connection()
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        with self._turnstile():
            _begin_immediate(conn)
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if self._checkpoints is not None:
            self._checkpoints.committed()

    @contextmanager
    def snapshot(self) -> Iterator[SqliteConnection]:
        """A private read-only connection seeing one consistent state until it is closed."""
        conn = sqlite3.connect(
            f"file:{self.path}?mode=ro", uri=True, isolation_level=None, factory=SqliteConnection
        )
        try:
            conn.execute(f"PRAGMA busy_timeout={_LOCK_SECONDS * 1000}")
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        finally:
            conn.close()

    @contextmanager
    def _turnstile(self) -> Iterator[None]:
        fd = getattr(self._local, "turnstile", None)
        if fd is None:
            fd = os.open(self.path.with_name(self.path.name + ".turnstile"), os.O_RDWR | os.O_CREAT)
            self._local.turnstile = fd
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def listen(self, channel: str, heard: Callable[[], None], stop: Event) -> None:
        """Nothing to hear: see `SqliteConnection.notify`."""

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        fd = getattr(self._local, "turnstile", None)
        if fd is not None:
            os.close(fd)
            self._local.turnstile = None


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the write lock, retrying every half millisecond rather than backing off."""
    deadline = time.monotonic() + _LOCK_SECONDS
    conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.0005)
    finally:
        conn.execute(f"PRAGMA busy_timeout={_LOCK_SECONDS * 1000}")
