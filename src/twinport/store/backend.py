"""Which backend the settings name, opened."""

from __future__ import annotations

from twinport.config import Settings
from twinport.store.db import Database


def open_database(settings: Settings, durable: bool) -> Database:
    """The store `settings` name: PostgreSQL at `database_url`, else SQLite in the data
    directory. `durable`: each commit is on disk before it returns (see `SqliteDatabase`)."""
    if settings.database_url:
        from twinport.store.postgres import PostgresDatabase  # psycopg: only when asked for

        return PostgresDatabase(settings.database_url)
    from twinport.store.sqlite import SqliteDatabase

    return SqliteDatabase(settings.db_path, durable=durable)
