"""A job's work files kept in the database, for a database that several nodes share.

The node that validates an import snapshots its source into files (`twinport.engine.staging`);
when it stops, the node that takes the job over needs exactly those files, since validating
again could plan differently (the store has changed since). So, on a shared database, the
validating node copies them here in parts, and a node that runs the job copies them back.
The rows go with the job's end (`twinport.transfer.states`) or its reset.
"""

from __future__ import annotations

from twinport.store.db import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS transfer_job_files (
    job_seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    part INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (job_seq, name, part)
);
"""


def add_part(conn: Connection, seq: int, name: str, part: int, data: bytes) -> None:
    conn.execute(
        "INSERT INTO transfer_job_files (job_seq, name, part, data) VALUES (?, ?, ?, ?)",
        (seq, name, part, data),
    )


def parts_of(conn: Connection, seq: int) -> list[tuple[str, int]]:
    """(file name, part number) of every part the job has, in order."""
    return conn.execute(
        "SELECT name, part FROM transfer_job_files WHERE job_seq = ? ORDER BY name, part",
        (seq,),
    ).fetchall()


def read_part(conn: Connection, seq: int, name: str, part: int) -> bytes | None:
    row = conn.execute(
        "SELECT data FROM transfer_job_files WHERE job_seq = ? AND name = ? AND part = ?",
        (seq, name, part),
    ).fetchone()
    return None if row is None else bytes(row[0])


def delete(conn: Connection, seq: int) -> None:
    conn.execute("DELETE FROM transfer_job_files WHERE job_seq = ?", (seq,))
