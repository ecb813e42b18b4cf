"""A job's snapshot of its source: the validated items, readable in processing order.

Written once while the job validates, read while it runs. Kept in a SQLite file of its own in the
job's work directory, so a huge import never bloats the main database, and a job that resumes
after a crash reads exactly the input it validated. Items are stored in file order; when the
processing order differs (a child before its parent in the file), an order table maps each
processing position to a stored item.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

_SCHEMA = """
CREATE TABLE items (seq INTEGER PRIMARY KEY, section TEXT NOT NULL, doc BLOB NOT NULL);
CREATE TABLE processing_order (position INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
"""


def write_staged(path: Path, items: Iterable[tuple[str, bytes]]) -> None:
    """Store (section, orjson document) rows in file order: seq 0, 1, 2, ..."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(_SCHEMA)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO items VALUES (?, ?, ?)",
            ((seq, section, doc) for seq, (section, doc) in enumerate(items)),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def write_order(path: Path, order: Sequence[int]) -> None:
    """Record the processing order (stored seqs, first to last) when it is not file order."""
    if all(seq == position for position, seq in enumerate(order)):
        return
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO processing_order VALUES (?, ?)", enumerate(order))
        conn.execute("COMMIT")
    finally:
        conn.close()


class StagedItems:
    def __init__(self, path: Path):
        self.path = path

    def read_from(self, position: int) -> Iterator[tuple[int, str, bytes]]:
        """(position, section, document) from `position` on, in processing order."""
        conn = _reader(self.path)
        try:
            ordered = conn.execute("SELECT 1 FROM processing_order LIMIT 1").fetchone()
            query = (
                "SELECT o.position, i.section, i.doc FROM processing_order o"
                " JOIN items i ON i.seq = o.seq WHERE o.position >= ? ORDER BY o.position"
                if ordered
                else "SELECT seq, section, doc FROM items WHERE seq >= ? ORDER BY seq"
            )
            yield from conn.execute(query, (position,))
        finally:
            conn.close()


def _reader(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
