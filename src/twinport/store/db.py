"""The store's seam: what every backend's database and connections offer the repositories.

Two backends implement it: SQLite in the data directory (`store.sqlite`, the default, zero
set-up) and PostgreSQL (`store.postgres`, chosen by `--database-url`), which several twinport
nodes can share. The repositories write one SQL text for both where the two dialects agree
(`?` placeholders; upserts as `INSERT ... ON CONFLICT`; `RETURNING`), and branch on
`conn.dialect` only where they do not (JSON functions, triggers). `store.backend` opens the
one the settings name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from threading import Event
from typing import Any, Literal, Protocol

from twinport.scope import Scope

Dialect = Literal["sqlite", "postgresql"]


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or opened; the message says why, for the user."""


class Cursor(Protocol):
    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection of either backend, as the repositories use it."""

    dialect: Dialect

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...

    def executemany(self, sql: str, rows: Any, /) -> Cursor: ...

    def grew(self, table: str, rows: int) -> None:
        """Note that `rows` were added to `table`, for a backend whose plans rest on sampled
        statistics that a bulk load outgrows."""
        ...

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """Insert new rows in bulk (none of their keys may be taken), and note that the
        table grew: on PostgreSQL one COPY, which costs less than half of the INSERTs; on
        SQLite a few hundred rows a statement."""
        ...

    def notify(self, channel: str) -> None:
        """Once this transaction commits, wake whoever listens on `channel`, on any node
        (`Database.listen`); nothing on a backend that no other node shares."""
        ...


class Database(Protocol):
    """Connections (one per thread), write transactions and snapshots of one backend."""

    # Whether several nodes may share the database: then what one node's engine keeps for a
    # job must be in the database too, for the node that takes the job over.
    shared: bool

    def open(self) -> Database:
        """Create or migrate the schema; the database itself must exist."""
        ...

    def connection(self) -> Connection:
        """The calling thread's connection; outside `write` each statement commits alone."""
        ...

    def write(self, scope: Scope | None = None) -> AbstractContextManager[Connection]:
        """One write transaction: all of it commits or none. Writers take turns, on every
        node: a check and the write it guards see no other writer between them. A writer
        that names its `scope` (it reads and writes that account and region's rows only)
        takes turns with the writers of that scope and with those that name none; a backend
        may let writers of different scopes write at once."""
        ...

    def snapshot(self) -> AbstractContextManager[Connection]:
        """A private read-only connection seeing one consistent state until it is closed."""
        ...

    def listen(self, channel: str, heard: Callable[[], None], stop: Event) -> None:
        """Call `heard` after each commit that notified `channel`, until `stop` is set (it
        may take a second to see it). Returns at once on a backend no other node shares."""
        ...

    def close(self) -> None:
        """Close the calling thread's connection."""
        ...
