"""What tests of the PostgreSQL store share: the mark that skips them outside the suite's
PostgreSQL pass, and a new migrated database of their own."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

from twinport.testing import TwinportServer

needs_postgres = pytest.mark.skipif(
    not os.environ.get("TWINPORT_TEST_POSTGRES_URL"),
    reason="the PostgreSQL pass of `make test` sets TWINPORT_TEST_POSTGRES_URL",
)


@contextmanager
def new_database():
    """A new database, migrated by a server that started on it and stopped; its store."""
    from twinport.store.postgres import PostgresDatabase  # psycopg: only in that pass

    with TwinportServer() as server:  # drops the database when the block ends
        server.stop()
        database = PostgresDatabase(server.env["TWINPORT_DATABASE_URL"])
        try:
            yield database
        finally:
            database.close()
