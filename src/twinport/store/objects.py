"""The embedded S3's database: buckets, the requests that configured them, object versions and
multipart uploads in progress, as records (JSON text) pointing at blob files by name.

It is a file of its own beside the blobs, not part of the main database, so its tables are
not in `schema.ddl()`. What the records hold and when they are written is the S3 mirror's
business (`twinport.s3.mirror`); this module only reads and writes the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from twinport.store.sqlite import SqliteDatabase

FILE_NAME = "objects.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (account, name)
);
CREATE TABLE IF NOT EXISTS bucket_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    method TEXT NOT NULL,
    target TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS bucket_requests_by_bucket ON bucket_requests (account, bucket, seq);
CREATE TABLE IF NOT EXISTS object_versions (
    account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    record TEXT NOT NULL,
    blob TEXT,
    PRIMARY KEY (account, bucket, key, position)
);
CREATE TABLE IF NOT EXISTS uploads (
    account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (account, bucket, upload_id)
);
CREATE TABLE IF NOT EXISTS upload_parts (
    account TEXT NOT NULL,
    bucket TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    record TEXT NOT NULL,
    blob TEXT NOT NULL,
    PRIMARY KEY (account, bucket, upload_id, part_number)
);
"""

# (position, record, blob) of one version of a key; a delete marker has no blob.
VersionRow = tuple[int, str, str | None]
# (account, bucket, key, record, blob) of one version, as read at start.
StoredVersion = tuple[str, str, str, str, str | None]
# (method, target, headers as JSON, body) of one request that created or configured a bucket.
BucketRequest = tuple[str, str, str, bytes]

_BUCKET = "WHERE account = ? AND bucket = ?"
_KEY = "WHERE account = ? AND bucket = ? AND key = ?"
_PART = "WHERE account = ? AND bucket = ? AND upload_id = ? AND part_number = ?"


class ObjectsDatabase:
    """The rows of `FILE_NAME` in `directory`; statements run on the calling thread's connection."""

    def __init__(self, directory: Path):
        self._db = SqliteDatabase(directory / FILE_NAME)
        self._db.connection().executescript(SCHEMA)

    @property
    def in_transaction(self) -> bool:
        return self._db.connection().in_transaction

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: everything inside commits together or not at all."""
        with self._db.write():
            yield

    def _column(self, sql: str, parameters: tuple) -> set:
        return {row[0] for row in self._db.connection().execute(sql, parameters)}

    # -- buckets ----------------------------------------------------------------------------

    def add_bucket(self, account: str, name: str, created: str) -> bool:
        """False if the bucket is there already."""
        return bool(
            self._db.connection()
            .execute(
                "INSERT OR IGNORE INTO buckets (account, name, created) VALUES (?, ?, ?)",
                (account, name, created),
            )
            .rowcount
        )

    def add_bucket_request(
        self, account: str, bucket: str, method: str, target: str, headers: str, body: bytes
    ) -> None:
        self._db.connection().execute(
            "INSERT INTO bucket_requests (account, bucket, method, target, headers, body)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (account, bucket, method, target, headers, body),
        )

    def drop_bucket(self, account: str, name: str) -> set[str]:
        """Deletes the bucket and all its rows; returns the blobs they referred to."""
        conn = self._db.connection()
        blobs = self._column(f"SELECT blob FROM object_versions {_BUCKET}", (account, name))
        blobs |= self._column(f"SELECT blob FROM upload_parts {_BUCKET}", (account, name))
        for table in ("bucket_requests", "object_versions", "uploads", "upload_parts"):
            conn.execute(f"DELETE FROM {table} {_BUCKET}", (account, name))
        conn.execute("DELETE FROM buckets WHERE account = ? AND name = ?", (account, name))
        return blobs - {None}

    # -- object versions --------------------------------------------------------------------

    def versions(self, account: str, bucket: str, key: str) -> list[VersionRow]:
        return (
            self._db.connection()
            .execute(
                f"SELECT position, record, blob FROM object_versions {_KEY} ORDER BY position",
                (account, bucket, key),
            )
            .fetchall()
        )

    def replace_versions(self, account: str, bucket: str, key: str, rows: list[VersionRow]) -> None:
        conn = self._db.connection()
        scope = (account, bucket, key)
        conn.execute(f"DELETE FROM object_versions {_KEY}", scope)
        conn.executemany(
            "INSERT INTO object_versions (account, bucket, key, position, record, blob)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(*scope, *row) for row in rows],
        )

    def keys(self, account: str, bucket: str) -> set[str]:
        """The keys that have versions stored."""
        return self._column(
            f"SELECT DISTINCT key FROM object_versions {_BUCKET}", (account, bucket)
        )

    # -- multipart uploads ------------------------------------------------------------------

    def upload_ids(self, account: str, bucket: str) -> set[str]:
        return self._column(f"SELECT upload_id FROM uploads {_BUCKET}", (account, bucket))

    def add_upload(self, account: str, bucket: str, upload_id: str, record: str) -> None:
        self._db.connection().execute(
            "INSERT INTO uploads (account, bucket, upload_id, record) VALUES (?, ?, ?, ?)",
            (account, bucket, upload_id, record),
        )

    def drop_uploads(self, account: str, bucket: str, upload_ids: list[str]) -> set[str]:
        """Deletes the uploads and their parts; returns the blobs of the parts."""
        conn = self._db.connection()
        marks = ",".join("?" * len(upload_ids))
        where = f"{_BUCKET} AND upload_id IN ({marks})"
        parameters = (account, bucket, *upload_ids)
        blobs = self._column(f"SELECT blob FROM upload_parts {where}", parameters)
        for table in ("uploads", "upload_parts"):
            conn.execute(f"DELETE FROM {table} {where}", parameters)
        return blobs

    def part_blobs(self, account: str, bucket: str, upload_id: str, number: int) -> set[str]:
        """The blob of a stored part: none or one."""
        return self._column(
            f"SELECT blob FROM upload_parts {_PART}", (account, bucket, upload_id, number)
        )

    def put_part(
        self, account: str, bucket: str, upload_id: str, number: int, record: str, blob: str
    ) -> None:
        self._db.connection().execute(
            "INSERT OR REPLACE INTO upload_parts"
            " (account, bucket, upload_id, part_number, record, blob)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (account, bucket, upload_id, number, record, blob),
        )

    def drop_part(self, account: str, bucket: str, upload_id: str, number: int) -> None:
        self._db.connection().execute(
            f"DELETE FROM upload_parts {_PART}", (account, bucket, upload_id, number)
        )

    # -- start ------------------------------------------------------------------------------

    def buckets(self) -> list[tuple[str, str, str]]:
        """(account, name, creation time) of every bucket, in the order they were created."""
        return (
            self._db.connection()
            .execute("SELECT account, name, created FROM buckets ORDER BY rowid")
            .fetchall()
        )

    def bucket_requests(self, account: str, bucket: str) -> list[BucketRequest]:
        """The requests that created and configured a bucket, in the order they were made."""
        return (
            self._db.connection()
            .execute(
                f"SELECT method, target, headers, body FROM bucket_requests {_BUCKET} ORDER BY seq",
                (account, bucket),
            )
            .fetchall()
        )

    def all_versions(self) -> Iterator[StoredVersion]:
        """Every stored version, grouped by key, each key's versions in order."""
        return self._db.connection().execute(
            "SELECT account, bucket, key, record, blob FROM object_versions"
            " ORDER BY account, bucket, key, position"
        )

    def uploads(self) -> list[tuple[str, str, str, str]]:
        """(account, bucket, upload id, record) of every upload in progress."""
        return (
            self._db.connection()
            .execute("SELECT account, bucket, upload_id, record FROM uploads")
            .fetchall()
        )

    def parts(self, account: str, bucket: str, upload_id: str) -> list[tuple[int, str, str]]:
        """(number, record, blob) of the parts of an upload, by number."""
        return (
            self._db.connection()
            .execute(
                "SELECT part_number, record, blob FROM upload_parts"
                " WHERE account = ? AND bucket = ? AND upload_id = ? ORDER BY part_number",
                (account, bucket, upload_id),
            )
            .fetchall()
        )
