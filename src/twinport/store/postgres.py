"""The PostgreSQL backend: several twinport nodes share one database (`--database-url`).

psycopg 3, the maintained PostgreSQL driver for Python, with its C speed-ups (the `postgres`
extra). Each thread keeps one autocommit connection for its life, as with SQLite: the API's
threads and the engine's are few and fixed, so a pool would add a check-out to every call and
save no connection.

Writers take turns on every node as SQLite's writers do in one file, by transaction-scoped
advisory locks: a writer of one account and region takes that scope's lock (and the shared
side of the database's), a writer of no scope the database's lock alone. The repositories'
check-then-write rules (a name taken, a quota, the jobs a scope runs) then hold across nodes
without each saying how, and the jobs of different accounts write at once.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from threading import Event
from typing import Any

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from twinport.scope import Scope
from twinport.store import schema
from twinport.store.db import StoreUnavailable

# The key of the database's advisory lock: any number that no other user of the database
# picks ("twinport" in ASCII). A scope's lock has a pair of 32-bit keys, which PostgreSQL
# keeps apart from the 64-bit ones.
WRITE_LOCK = 0x7477696E706F7274
# A table's statistics are refreshed by one transaction at a time: two ANALYZE of one table
# at once fail ("tuple concurrently updated").
ANALYZE_LOCK = WRITE_LOCK + 1
_RECONNECT_SECONDS = 1.0
log = logging.getLogger("twinport.store")


class PostgresConnection:
    """A psycopg connection that takes the repositories' SQL: `?` placeholders become `%s`."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw
        self._added: dict[str, int] = {}  # rows added to a table since its last ANALYZE
        self._analyzed: dict[str, int] = {}  # its size then

    def grew(self, table: str, rows: int) -> None:
        """Refresh the table's statistics each time it has doubled. During a bulk load they
        lag: a table sampled when nearly empty is planned as small, and a look-up of 500 keys
        of 100,000 rows filtered every row of the workspace instead of using the key."""
        added = self._added[table] = self._added.get(table, 0) + rows
        if added < max(_ANALYZE_AT_LEAST, self._analyzed.get(table, 0)):
            return
        locked = self.raw.execute("SELECT pg_try_advisory_xact_lock(%s)", (ANALYZE_LOCK,))
        if not locked.fetchone()[0]:
            return  # another writer refreshes statistics; this one tries at its next rows
        self.raw.execute(f"ANALYZE {table}")
        size = self.raw.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", (table,)
        ).fetchone()[0]
        self._analyzed[table], self._added[table] = max(size, 0), 0

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        # COPY's text format: psycopg adapts each value as INSERT would, one type for all.
        with self.raw.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.grew(table, len(rows))

    def notify(self, channel: str) -> None:
        self.raw.execute("SELECT pg_notify(%s, '')", (channel,))

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> psycopg.Cursor:
        if not parameters:  # no placeholders to fill: psycopg reads the text as it is
            return self.raw.execute(sql)
        return self.raw.execute(_placeholders(sql), parameters)

    def executemany(self, sql: str, rows: Any, /) -> psycopg.Cursor:
        cursor = self.raw.cursor()
        cursor.executemany(_placeholders(sql), list(rows))
        return cursor

    def close(self) -> None:
        self.raw.close()


class PostgresDatabase:
    shared = True

    def __init__(self, url: str):
        self.url = url
        self._local = threading.local()

    def open(self) -> PostgresDatabase:
        """Apply the migrations the database lacks; the database itself must exist. Under the
        write lock: nodes that start together migrate once."""
        with self.write() as conn:
            conn.execute(schema.TRACKING)
            applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, ddl in schema.pending(applied):
                conn.raw.execute(ddl("postgresql"))  # several statements: no parameters
                conn.execute("INSERT INTO schema_migrations VALUES (?)", (version,))
        return self

    def connection(self) -> PostgresConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.raw.closed:
            conn = PostgresConnection(self._connect())
            self._local.conn = conn
        return conn

    def _connect(self) -> psycopg.Connection:
        try:
            # Plans made for the parameters of each call: a plan cached for a statement
            # while its tables were small (a scan) stays a scan as an import fills them.
            return psycopg.connect(
                self.url, autocommit=True, options="-c plan_cache_mode=force_custom_plan"
            )
        except psycopg.OperationalError as exc:
            reason = " ".join(str(exc).split())  # psycopg's lines and tabs, on one line
            raise StoreUnavailable(f"cannot open the database: {reason}") from None

    @contextmanager
    def write(self, scope: Scope | None = None) -> Iterator[PostgresConnection]:
        conn = self.connection()
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        try:
            # One round trip: the keys are numbers of our own making, not parameters.
            if scope is None:
                conn.raw.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            else:
                high, low = _scope_keys(scope)
                conn.raw.execute(
                    f"BEGIN; SELECT pg_advisory_xact_lock_shared({WRITE_LOCK});"
                    f" SELECT pg_advisory_xact_lock({high}, {low})"
                )
            yield conn
        except BaseException:
            conn.raw.execute("ROLLBACK")
            raise
        conn.raw.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[PostgresConnection]:
        conn = PostgresConnection(self._connect())
        try:
            conn.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield conn
            conn.raw.execute("COMMIT")
        finally:
            conn.close()

    def listen(self, channel: str, heard: Callable[[], None], stop: Event) -> None:
        """LISTEN on a connection of its own; a lost connection is made again, since the
        engine then waits for its poll instead of being woken."""
        while not stop.is_set():
            try:
                with self._connect() as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    while not stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            heard()
            except (psycopg.Error, StoreUnavailable) as exc:
                log.warning("listening for job changes failed, retrying: %s", exc)
                stop.wait(_RECONNECT_SECONDS)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


_ANALYZE_AT_LEAST = 1_000


@lru_cache(maxsize=4096)
def _scope_keys(scope: Scope) -> tuple[int, int]:
    """The two 32-bit keys of the scope's lock. Two scopes that share them (one chance in
    2^64) only take turns needlessly."""
    digest = hashlib.blake2b(f"{scope.account}:{scope.region}".encode(), digest_size=8).digest()
    return (
        int.from_bytes(digest[:4], "big", signed=True),
        int.from_bytes(digest[4:], "big", signed=True),
    )


_PLACEHOLDER = re.compile(r"'[^']*'|\?|%")
_translated: dict[str, str] = {}


def _placeholders(sql: str) -> str:
    """`sql` with each `?` outside a string literal as `%s`, and each `%` as `%%` (psycopg
    reads `%` as the start of a placeholder). Remembered: the statements are a fixed set."""
    found = _translated.get(sql)
    if found is None:
        found = _PLACEHOLDER.sub(_replacement, sql)
        if len(_translated) < 10_000:  # texts built with a varying count of `?` stay few
            _translated[sql] = found
    return found


def _replacement(match: re.Match[str]) -> str:
    text = match.group()
    if text == "?":
        return "%s"
    if text == "%":
        return "%%"
    return text.replace("%", "%%")
