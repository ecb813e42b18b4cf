"""The engine's store copies its write-ahead log into the database file from a thread of its
own, so that no batch commit waits for a checkpoint (`twinport.store.checkpoints`)."""

from __future__ import annotations

import os
import time

from twinport.store.sqlite import SqliteDatabase

PAGE_BYTES = 4096


def _autocheckpoint(db: SqliteDatabase) -> int:
    return db.connection().execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_the_engines_store_checkpoints_in_a_thread_and_not_in_its_commits(tmp_path):
    path = tmp_path / "twinport.sqlite3"
    db = SqliteDatabase(path, durable=False).open()
    assert _autocheckpoint(db) == 0  # a commit never checkpoints
    with db.write() as conn:
        conn.execute("CREATE TABLE filler (bytes BLOB)")
        # 2,000 pages: past the 1,000 at which a commit would checkpoint by itself.
        conn.executemany(
            "INSERT INTO filler VALUES (?)", [(os.urandom(PAGE_BYTES),) for _ in range(2000)]
        )
    # Only a checkpoint moves the rows from the log into the database file.
    deadline = time.monotonic() + 10
    while path.stat().st_size < 2000 * PAGE_BYTES:
        assert time.monotonic() < deadline, "the log was not checkpointed"
        time.sleep(0.05)
    db.close()


def test_the_api_store_keeps_sqlites_own_checkpoints(tmp_path):
    db = SqliteDatabase(tmp_path / "twinport.sqlite3").open()
    assert _autocheckpoint(db) == 1000
    db.close()
