"""SQL texts the repositories share: upserts both dialects take, and the few that differ."""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from twinport.store.db import Connection


def upsert(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """Insert a row of `columns`, or overwrite the other columns of the row with its `key`."""
    others = [c for c in columns if c not in key]
    action = (
        "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in others)
        if others
        else "DO NOTHING"
    )
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT ({', '.join(key)}) {action}"
    )


# Rows of one multi-row INSERT: 100,000 entities went in in 0.50 s against 0.62 s a row a
# statement (medians of 12), and the parameters stay well within SQLite's limit of 32,766.
ROWS_PER_INSERT = 200


def value_rows(rows: int, width: int) -> str:
    """The VALUES list of a multi-row INSERT: `rows` rows of `width` parameters."""
    row = f"({', '.join('?' * width)})"
    return ", ".join([row] * rows)


def contains(conn: Connection, column: str) -> str:
    """A test that binary `column` holds the bytes of the one parameter it takes."""
    if conn.dialect == "postgresql":
        return f"position(? in {column}) > 0"
    return f"instr({column}, ?) > 0"


def one_of(conn: Connection, column: str, values: list[str]) -> tuple[str, object]:
    """A test that `column` is one of `values`, with one parameter however many values:
    the test's text and its parameter."""
    if conn.dialect == "postgresql":
        return f"{column} = ANY(?)", values
    return f"{column} IN (SELECT value FROM json_each(?))", orjson.dumps(values).decode()
