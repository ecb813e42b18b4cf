"""Metadata transfer jobs: their rows, progress, checkpoints and per-resource errors.

A job row is the single source of truth that the API and the engine share. The engine writes
progress, checkpoint and errors in the same transaction as the resources they report.

States are values this repository stores and compares, never names it decides on: the state
machine (`twinport.transfer.states`) says which change is made when; every change here is a
compare-and-set on the states the job may be in (and, for an engine, on its owner).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from twinport.scope import Scope
from twinport.store.db import Connection
from twinport.store.sql import upsert

SCHEMA = """
CREATE TABLE IF NOT EXISTS transfer_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    job_id TEXT NOT NULL,
    description TEXT,
    sources BLOB NOT NULL,
    destination BLOB NOT NULL,
    source_type TEXT NOT NULL,
    destination_type TEXT NOT NULL,
    workspace_id TEXT,
    state TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    planned INTEGER,
    total INTEGER,
    succeeded INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    checkpoint INTEGER NOT NULL DEFAULT 0,
    report_bucket TEXT,
    report_key TEXT,
    owner TEXT,
    UNIQUE (account, region, job_id)
);
CREATE INDEX IF NOT EXISTS transfer_jobs_by_state ON transfer_jobs (state, account, region, seq);
CREATE INDEX IF NOT EXISTS transfer_jobs_by_pair
    ON transfer_jobs (account, region, source_type, destination_type, created, job_id);
CREATE TABLE IF NOT EXISTS transfer_job_errors (
    job_seq INTEGER NOT NULL,
    position INTEGER NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT,
    error_code TEXT NOT NULL,
    error_message TEXT NOT NULL,
    PRIMARY KEY (job_seq, position)
);
"""

# The channel a change of state notifies: the engines of every node wake and look for work.
CHANGES = "twinport_jobs"

_COLUMNS = (
    "seq, account, region, job_id, description, sources, destination, source_type, "
    "destination_type, workspace_id, state, error_code, error_message, created, updated, "
    "planned, total, succeeded, skipped, failed, checkpoint, report_bucket, report_key, owner, "
    "lease_until"
)


@dataclass
class Job:
    seq: int
    account: str
    region: str
    job_id: str
    description: str | None
    sources: list[dict]
    destination: dict
    source_type: str
    destination_type: str
    workspace_id: str | None
    state: str
    error_code: str | None
    error_message: str | None
    created: float
    updated: float
    planned: int | None
    total: int | None
    succeeded: int
    skipped: int
    failed: int
    checkpoint: int
    report_bucket: str | None
    report_key: str | None
    owner: str | None
    lease_until: float | None  # until when `owner` holds the job, unless it renews

    @property
    def scope(self) -> Scope:
        return Scope(self.account, self.region)

    @property
    def source(self) -> dict:
        return self.sources[0]

    @property
    def arn(self) -> str:
        return (
            f"arn:aws:iottwinmaker:{self.region}:{self.account}:metadata-transfer-job/{self.job_id}"
        )

    @property
    def has_progress(self) -> bool:
        return self.total is not None


def _job(row: tuple) -> Job:
    values = list(row)
    values[5] = orjson.loads(values[5])
    values[6] = orjson.loads(values[6])
    return Job(*values)


@dataclass(frozen=True)
class NewJob:
    """What a Create request makes a job of."""

    scope: Scope
    job_id: str
    description: str | None
    sources: list[dict]
    destination: dict
    workspace_id: str | None


def insert(conn: Connection, new: NewJob, state: str, now: float) -> Job:
    conn.execute(
        "INSERT INTO transfer_jobs (account, region, job_id, description, sources, destination,"
        " source_type, destination_type, workspace_id, state, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new.scope.account,
            new.scope.region,
            new.job_id,
            new.description,
            orjson.dumps(new.sources),
            orjson.dumps(new.destination),
            new.sources[0]["type"],
            new.destination["type"],
            new.workspace_id,
            state,
            now,
            now,
        ),
    )
    found = get(conn, new.scope, new.job_id)
    assert found is not None
    return found


def get(conn: Connection, scope: Scope, job_id: str) -> Job | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM transfer_jobs WHERE account = ? AND region = ? AND job_id = ?",
        (scope.account, scope.region, job_id),
    ).fetchone()
    return _job(row) if row else None


def by_seq(conn: Connection, seq: int) -> Job | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM transfer_jobs WHERE seq = ?", (seq,)).fetchone()
    return _job(row) if row else None


def count_in_states(conn: Connection, scope: Scope, states: Sequence[str]) -> int:
    placeholders = ", ".join("?" * len(states))
    return conn.execute(
        f"SELECT COUNT(*) FROM transfer_jobs WHERE state IN ({placeholders})"
        " AND account = ? AND region = ?",
        (*states, scope.account, scope.region),
    ).fetchone()[0]


def any_older_in_states(conn: Connection, job: Job, states: Sequence[str]) -> bool:
    """Whether a job of the job's scope created before it is in one of `states`."""
    marks = ", ".join("?" * len(states))
    return (
        conn.execute(
            f"SELECT 1 FROM transfer_jobs WHERE account = ? AND region = ? AND seq < ?"
            f" AND state IN ({marks}) LIMIT 1",
            (job.account, job.region, job.seq, *states),
        ).fetchone()
        is not None
    )


def place_in_state(conn: Connection, job: Job) -> int:
    """1-based place, in creation order, among the jobs of the job's scope in its state."""
    return conn.execute(
        "SELECT COUNT(*) FROM transfer_jobs WHERE state = ?"
        " AND account = ? AND region = ? AND seq <= ?",
        (job.state, job.account, job.region, job.seq),
    ).fetchone()[0]


def list_page(
    conn: Connection,
    scope: Scope,
    source_type: str,
    destination_type: str,
    workspace_ids: list[str],
    states: list[str],
    after: tuple[float, str] | None,
    limit: int,
) -> list[Job]:
    """Jobs of exactly this type pair, newest first (creation time, then id), filters AND-ed."""
    where = ["account = ?", "region = ?", "source_type = ?", "destination_type = ?"]
    params: list = [scope.account, scope.region, source_type, destination_type]
    for workspace_id in workspace_ids:
        where.append("workspace_id = ?")
        params.append(workspace_id)
    for state in states:
        where.append("state = ?")
        params.append(state)
    if after is not None:
        where.append("(created < ? OR (created = ? AND job_id < ?))")
        params += [after[0], after[0], after[1]]
    params.append(limit)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM transfer_jobs WHERE {' AND '.join(where)}"
        " ORDER BY created DESC, job_id DESC LIMIT ?",
        params,
    ).fetchall()
    return [_job(row) for row in rows]


def in_state(conn: Connection, state: str, limit: int | None = None) -> list[Job]:
    """The jobs in `state`, oldest first; at most `limit` of them (None: all)."""
    sql = f"SELECT {_COLUMNS} FROM transfer_jobs WHERE state = ? ORDER BY seq"
    if limit is None:
        return [_job(row) for row in conn.execute(sql, (state,))]
    rows = conn.execute(sql + " LIMIT ?", (state, limit)).fetchall()
    return [_job(row) for row in rows]


def counts_by_scope(conn: Connection, states: Sequence[str]) -> dict[tuple[str, str], int]:
    """How many jobs of each (account, region) are in one of `states`."""
    placeholders = ", ".join("?" * len(states))
    rows = conn.execute(
        "SELECT account, region, COUNT(*) FROM transfer_jobs"
        f" WHERE state IN ({placeholders}) GROUP BY account, region",
        tuple(states),
    ).fetchall()
    return {(a, r): n for a, r, n in rows}


def claim(
    conn: Connection,
    seq: int,
    owner: str,
    states: Sequence[str],
    now: float,
    lease_until: float,
) -> bool:
    """Make `owner` the job's engine, holding it until `lease_until`, if the job is in one of
    `states` and no engine of another node holds it: it has no owner, its owner is an earlier
    run of the same node, or its owner's lease has run out."""
    node = node_of(owner)
    placeholders = ", ".join("?" * len(states))
    return (
        conn.execute(
            "UPDATE transfer_jobs SET owner = ?, lease_until = ?"
            f" WHERE seq = ? AND state IN ({placeholders}) AND (owner IS NULL"
            " OR substr(owner, 1, ?) = ? OR lease_until IS NULL OR lease_until < ?)",
            (owner, lease_until, seq, *states, len(node) + 1, f"{node}.", now),
        ).rowcount
        == 1
    )


def node_of(owner: str) -> str:
    """The node of an engine's owner token, `<node>.<run>`."""
    return owner.partition(".")[0]


def renew(conn: Connection, owner: str, states: Sequence[str], lease_until: float) -> None:
    """Extend the leases of the jobs `owner` holds in one of `states`."""
    placeholders = ", ".join("?" * len(states))
    conn.execute(
        f"UPDATE transfer_jobs SET lease_until = ? WHERE owner = ? AND state IN ({placeholders})",
        (lease_until, owner, *states),
    )


def start(
    conn: Connection,
    seq: int,
    owner: str,
    from_state: str,
    state: str,
    now: float,
    lease_until: float,
) -> bool:
    """Claim the job for `owner` and move it on; its total becomes what validation planned."""
    return (
        conn.execute(
            "UPDATE transfer_jobs SET owner = ?, lease_until = ?, state = ?, updated = ?,"
            " total = COALESCE(total, planned) WHERE seq = ? AND state = ?",
            (owner, lease_until, state, now, seq, from_state),
        ).rowcount
        == 1
    )


def move(
    conn: Connection,
    seq: int,
    from_states: Sequence[str],
    state: str,
    now: float,
    owner: str | None = None,
    **columns: object,
) -> bool:
    """Set the job's state (and `columns`) if it is in one of `from_states` and, when `owner`
    is given, still held by that owner. Whether it was."""
    assignments = "".join(f", {name} = ?" for name in columns)
    where = f"seq = ? AND state IN ({', '.join('?' * len(from_states))})"
    params: list[object] = [state, now, *columns.values(), seq, *from_states]
    if owner is not None:
        where += " AND owner = ?"
        params.append(owner)
    changed = conn.execute(
        f"UPDATE transfer_jobs SET state = ?, updated = ?{assignments} WHERE {where}", params
    ).rowcount
    return changed == 1


def state_and_owner(conn: Connection, seq: int) -> tuple[str, str | None] | None:
    """The job's state and the engine that holds it; None once the job is deleted."""
    return conn.execute("SELECT state, owner FROM transfer_jobs WHERE seq = ?", (seq,)).fetchone()


def set_total(conn: Connection, seq: int, total: int) -> None:
    conn.execute("UPDATE transfer_jobs SET total = ? WHERE seq = ?", (total, seq))


def add_progress(
    conn: Connection,
    seq: int,
    succeeded: int,
    skipped: int,
    failed: int,
    checkpoint: int,
    now: float,
) -> None:
    conn.execute(
        "UPDATE transfer_jobs SET succeeded = succeeded + ?, skipped = skipped + ?,"
        " failed = failed + ?, checkpoint = ?, updated = ? WHERE seq = ?",
        (succeeded, skipped, failed, checkpoint, now, seq),
    )


def add_errors(
    conn: Connection, seq: int, errors: list[tuple[int, str, str | None, str, str]]
) -> None:
    """Errors as (position, resource type, resource id, error code, message)."""
    conn.executemany(
        _PUT_ERROR,
        [(seq, *error) for error in errors],
    )


_PUT_ERROR = upsert(
    "transfer_job_errors",
    ("job_seq", "position", "resource_type", "resource_id", "error_code", "error_message"),
    key=("job_seq", "position"),
)


def errors_of(conn: Connection, seq: int) -> list[dict]:
    rows = conn.execute(
        "SELECT resource_type, resource_id, error_code, error_message FROM transfer_job_errors"
        " WHERE job_seq = ? ORDER BY position",
        (seq,),
    ).fetchall()
    return [
        {"resourceType": t, "resourceId": i, "errorCode": c, "errorMessage": m}
        for t, i, c, m in rows
    ]
