"""Makes moto's S3 durable: every acknowledged write is mirrored into the data directory.

What is kept, in `objects.sqlite3` beside the blobs:
- buckets, and the requests that created and configured each one (versioning, policy, tags,
  CORS, lifecycle, ...), replayed through moto on start, so that moto itself rebuilds the
  configuration exactly as it accepted it;
- every version of every object and every multipart upload in progress, as records
  (`records`) pointing at their blobs.

The mirror is told what a request touched (a key, a part, the uploads, a bucket) and
rewrites the rows of that thing from moto's current state, in one transaction, before the
response goes out. Blobs that no row refers to any more are deleted after the commit.
Callers serialise their calls (they hold the lock around moto anyway).
"""

from __future__ import annotations

import datetime
import itertools
import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from moto.s3.models import FakeBucket, FakeKey

from twinport.s3 import records
from twinport.s3.blobkeys import back_with_blob, is_blob_backed
from twinport.s3.blobs import CHUNK_SIZE, BlobStore
from twinport.s3.moto_s3 import MotoS3, S3Call
from twinport.store.db import Database

log = logging.getLogger("twinport.s3")

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


def _dumps(record: records.Record) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


class Mirror:
    def __init__(self, path: Path, blobs: BlobStore, moto: MotoS3):
        self._db = Database(path)
        self._db.connection().executescript(SCHEMA)
        self._blobs = blobs
        self._moto = moto
        self._freed: set[str] = set()  # blobs to delete once the transaction commits

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Makes the syncs inside one transaction: all of them are kept, or none."""
        with self._transaction():
            yield

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._db.connection()
        if conn.in_transaction:  # part of a batch
            yield conn
            return
        self._freed = set()
        with self._db.write() as conn:
            yield conn
        freed, self._freed = self._freed, set()
        self._blobs.delete(freed)

    # -- buckets ----------------------------------------------------------------------------

    def add_bucket(self, bucket: FakeBucket, creation: S3Call) -> None:
        with self._transaction() as conn:
            added = conn.execute(
                "INSERT OR IGNORE INTO buckets (account, name, created) VALUES (?, ?, ?)",
                (bucket.account_id, bucket.name, bucket.creation_date.isoformat()),
            ).rowcount
            if added:  # creating an existing bucket (us-east-1) changes nothing
                self._add_request(conn, bucket, creation)

    def add_configuration(self, bucket: FakeBucket, call: S3Call) -> None:
        with self._transaction() as conn:
            self._add_request(conn, bucket, call)

    @staticmethod
    def _add_request(conn: sqlite3.Connection, bucket: FakeBucket, call: S3Call) -> None:
        conn.execute(
            "INSERT INTO bucket_requests (account, bucket, method, target, headers, body)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                bucket.account_id,
                bucket.name,
                call.method,
                call.target,
                json.dumps(call.headers),
                call.body,
            ),
        )

    def drop_bucket(self, account: str, name: str) -> None:
        where = "WHERE account = ? AND bucket = ?"
        with self._transaction() as conn:
            blobs = _column(conn, f"SELECT blob FROM object_versions {where}", (account, name))
            blobs |= _column(conn, f"SELECT blob FROM upload_parts {where}", (account, name))
            for table in ("bucket_requests", "object_versions", "uploads", "upload_parts"):
                conn.execute(f"DELETE FROM {table} {where}", (account, name))
            conn.execute("DELETE FROM buckets WHERE account = ? AND name = ?", (account, name))
            self._freed |= blobs - {None}

    # -- objects ----------------------------------------------------------------------------

    def sync_key(self, bucket: FakeBucket, name: str) -> None:
        """Rewrites the stored versions of one key from moto's."""
        backend = self._moto.backend(bucket.account_id)
        rows = []
        for position, version in enumerate(bucket.keys.getlist(name, [])):
            blob = None
            if isinstance(version, FakeKey):
                self._keep_bytes(version)
                blob = version.blob.path.name
            rows.append((position, _dumps(records.version_record(version, backend)), blob))
        where = "WHERE account = ? AND bucket = ? AND key = ?"
        scope = (bucket.account_id, bucket.name, name)
        with self._transaction() as conn:
            stored = conn.execute(
                f"SELECT position, record, blob FROM object_versions {where} ORDER BY position",
                scope,
            ).fetchall()
            if stored == rows:
                return
            conn.execute(f"DELETE FROM object_versions {where}", scope)
            conn.executemany(
                "INSERT INTO object_versions (account, bucket, key, position, record, blob)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(*scope, *row) for row in rows],
            )
            self._freed |= {row[2] for row in stored} - {row[2] for row in rows} - {None}

    def sync_bucket_keys(self, bucket: FakeBucket) -> None:
        with self._transaction() as conn:
            stored = _column(
                conn,
                "SELECT DISTINCT key FROM object_versions WHERE account = ? AND bucket = ?",
                (bucket.account_id, bucket.name),
            )
            for name in stored | set(bucket.keys.keys()):
                self.sync_key(bucket, name)

    # -- multipart uploads ------------------------------------------------------------------

    def sync_uploads(self, bucket: FakeBucket) -> None:
        """Stores the uploads moto started and forgets those it completed or aborted."""
        where = "WHERE account = ? AND bucket = ?"
        scope = (bucket.account_id, bucket.name)
        current = dict(bucket.multiparts)
        with self._transaction() as conn:
            stored = _column(conn, f"SELECT upload_id FROM uploads {where}", scope)
            for upload_id in current.keys() - stored:
                conn.execute(
                    "INSERT INTO uploads (account, bucket, upload_id, record) VALUES (?, ?, ?, ?)",
                    (*scope, upload_id, _dumps(records.upload_record(current[upload_id]))),
                )
            gone = sorted(stored - current.keys())
            marks = ",".join("?" * len(gone))
            blobs = _column(
                conn,
                f"SELECT blob FROM upload_parts {where} AND upload_id IN ({marks})",
                (*scope, *gone),
            )
            for table in ("uploads", "upload_parts"):
                conn.execute(
                    f"DELETE FROM {table} {where} AND upload_id IN ({marks})", (*scope, *gone)
                )
            self._freed |= blobs

    def sync_part(self, bucket: FakeBucket, upload_id: str, number: int) -> None:
        multipart = bucket.multiparts.get(upload_id)
        part = multipart.parts.get(number) if multipart is not None else None
        scope = (bucket.account_id, bucket.name, upload_id, number)
        where = "WHERE account = ? AND bucket = ? AND upload_id = ? AND part_number = ?"
        if part is not None:
            self._keep_bytes(part)
        with self._transaction() as conn:
            stored = _column(conn, f"SELECT blob FROM upload_parts {where}", scope)
            if part is None:
                conn.execute(f"DELETE FROM upload_parts {where}", scope)
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO upload_parts"
                    " (account, bucket, upload_id, part_number, record, blob)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (*scope, _dumps(records.part_record(part)), part.blob.path.name),
                )
            self._freed |= stored - ({part.blob.path.name} if part is not None else set())

    def _keep_bytes(self, key: FakeKey) -> None:
        """Moves the bytes of a key moto made itself (a copy, say) out of its buffer into a blob."""
        if is_blob_backed(key):
            return
        buffer = key._value_buffer
        with key.lock, self._blobs.writer() as writer:
            buffer.seek(0)
            while chunk := buffer.read(CHUNK_SIZE):
                writer.write(chunk)
            back_with_blob(key, writer.commit())

    # -- start ------------------------------------------------------------------------------

    def restore(self) -> None:
        """Rebuilds moto's S3 from the data directory; run before serving anything."""
        conn = self._db.connection()
        for account, name, created in conn.execute(
            "SELECT account, name, created FROM buckets ORDER BY rowid"
        ).fetchall():
            self._replay_bucket(conn, account, name)
            self._moto.bucket(account, name).creation_date = datetime.datetime.fromisoformat(
                created
            )
        referenced = self._restore_versions(conn) | self._restore_uploads(conn)
        self._blobs.keep_only(referenced)

    def _replay_bucket(self, conn: sqlite3.Connection, account: str, name: str) -> None:
        calls = conn.execute(
            "SELECT method, target, headers, body FROM bucket_requests"
            " WHERE account = ? AND bucket = ? ORDER BY seq",
            (account, name),
        ).fetchall()
        for index, (method, target, headers, body) in enumerate(calls):
            call = S3Call(method, target, [tuple(h) for h in json.loads(headers)], bytes(body))
            reply = self._moto.handle(account, call)
            if reply.ok:
                continue
            if index == 0:
                raise RuntimeError(f"cannot restore bucket {name} of {account}: {reply.body!r}")
            log.warning("bucket %s of %s: %s %s not restored", name, account, method, target)

    def _restore_versions(self, conn: sqlite3.Connection) -> set[str]:
        rows = conn.execute(
            "SELECT account, bucket, key, record, blob FROM object_versions"
            " ORDER BY account, bucket, key, position"
        )
        blobs: set[str] = set()
        for (account, bucket_name, key), versions in itertools.groupby(
            rows, key=lambda row: row[:3]
        ):
            bucket = self._moto.bucket(account, bucket_name)
            backend = self._moto.backend(account)
            restored = []
            for *_, record_json, blob in versions:
                record = json.loads(record_json)
                blob_range = self._blobs.range(blob, 0, record["size"]) if blob else None
                restored.append(
                    records.version_from_record(key, record, blob_range, bucket, backend)
                )
                blobs.add(blob)
            bucket.keys.setlist(key, restored)
        return blobs - {None}

    def _restore_uploads(self, conn: sqlite3.Connection) -> set[str]:
        blobs: set[str] = set()
        for account, bucket_name, upload_id, record in conn.execute(
            "SELECT account, bucket, upload_id, record FROM uploads"
        ).fetchall():
            bucket = self._moto.bucket(account, bucket_name)
            backend = self._moto.backend(account)
            multipart = records.upload_from_record(upload_id, json.loads(record), backend)
            for number, part_json, blob in conn.execute(
                "SELECT part_number, record, blob FROM upload_parts"
                " WHERE account = ? AND bucket = ? AND upload_id = ? ORDER BY part_number",
                (account, bucket_name, upload_id),
            ).fetchall():
                part = json.loads(part_json)
                blob_range = self._blobs.range(blob, 0, part["size"])
                records.add_part_from_record(multipart, number, part, blob_range, bucket, backend)
                blobs.add(blob)
            bucket.multiparts[upload_id] = multipart
        return blobs


def _column(conn: sqlite3.Connection, sql: str, parameters: tuple) -> set:
    return {row[0] for row in conn.execute(sql, parameters)}
