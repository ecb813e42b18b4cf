"""The engine's store copies its write-ahead log into the database file mostly from a thread
of its own, so that batch commits seldom wait for a checkpoint (`twinport.store.checkpoints`),
and the log still starts over rather than grow with the import."""

from __future__ import annotations

import os
import time

from twinport.store.checkpoints import COMMIT_CHECKPOINT_PAGES
from twinport.store.sqlite import SqliteDatabase

PAGE_BYTES = 4096


def _autocheckpoint(db: SqliteDatabase) -> int:
    return db.connection().execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def _write_pages(db: SqliteDatabase, pages: int) -> None:
    with db.write() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS filler (bytes BLOB)")
        conn.executemany(
            "INSERT INTO filler VALUES (?)", [(os.urandom(PAGE_BYTES),) for _ in range(pages)]
        )


def test_the_engines_store_checkpoints_in_a_thread_before_its_commits_would(tmp_path):
    path = tmp_path / "twinport.sqlite3"
    db = SqliteDatabase(path, durable=False).open()
    assert _autocheckpoint(db) == COMMIT_CHECKPOINT_PAGES
    _write_pages(db, COMMIT_CHECKPOINT_PAGES // 2)  # fewer than a commit checkpoints at
    # Only a checkpoint moves the rows from the log into the database file.
    deadline = time.monotonic() + 10
    while path.stat().st_size < COMMIT_CHECKPOINT_PAGES // 2 * PAGE_BYTES:
        assert time.monotonic() < deadline, "the log was not checkpointed"
        time.sleep(0.05)
    db.close()


def test_the_engines_log_starts_over_while_batches_commit(tmp_path):
    db = SqliteDatabase(tmp_path / "twinport.sqlite3", durable=False).open()
    batches, pages = 200, 100  # 80 MB in all
    for _ in range(batches):
        _write_pages(db, pages)
    log_bytes = (tmp_path / "twinport.sqlite3-wal").stat().st_size
    # A commit that meets the thread checkpointing leaves the log to the next commit: the log
    # may pass its bound by a few batches, never by the import.
    assert log_bytes < 2 * COMMIT_CHECKPOINT_PAGES * (PAGE_BYTES + 100)
    db.close()


def test_the_api_store_keeps_sqlites_own_checkpoints(tmp_path):
    db = SqliteDatabase(tmp_path / "twinport.sqlite3").open()
    assert _autocheckpoint(db) == 1000
    db.close()
