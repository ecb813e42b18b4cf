"""Makes moto's S3 durable: every acknowledged write is mirrored into the data directory.

What is kept, in the objects database beside the blobs (`twinport.store.objects`):
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from moto.s3.models import FakeBucket, FakeKey

from twinport.s3 import records
from twinport.s3.blobkeys import back_with_blob, is_blob_backed
from twinport.s3.blobs import CHUNK_SIZE, BlobStore
from twinport.s3.moto_s3 import MotoS3, S3Call
from twinport.store.objects import ObjectsDatabase, VersionRow

log = logging.getLogger("twinport.s3")


class Dropped(NamedTuple):
    buckets: int
    objects: int  # keys that had versions


def _dumps(record: records.Record) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


class Mirror:
    def __init__(self, data_dir: Path, blobs: BlobStore, moto: MotoS3):
        self._objects = ObjectsDatabase(data_dir)
        self._blobs = blobs
        self._moto = moto
        self._freed: set[str] = set()  # blobs to delete once the transaction commits

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Makes the syncs inside one transaction: all of them are kept, or none."""
        with self._transaction():
            yield

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._objects.in_transaction:  # part of a batch
            yield
            return
        self._freed = set()
        with self._objects.transaction():
            yield
        freed, self._freed = self._freed, set()
        self._blobs.delete(freed)

    # -- buckets ----------------------------------------------------------------------------

    def add_bucket(self, bucket: FakeBucket, creation: S3Call) -> None:
        with self._transaction():
            added = self._objects.add_bucket(
                bucket.account_id, bucket.name, bucket.creation_date.isoformat()
            )
            if added:  # creating an existing bucket (us-east-1) changes nothing
                self._add_request(bucket, creation)

    def add_configuration(self, bucket: FakeBucket, call: S3Call) -> None:
        with self._transaction():
            self._add_request(bucket, call)

    def _add_request(self, bucket: FakeBucket, call: S3Call) -> None:
        self._objects.add_bucket_request(
            bucket.account_id,
            bucket.name,
            call.method,
            call.target,
            json.dumps(call.headers),
            call.body,
        )

    def drop_bucket(self, account: str, name: str) -> None:
        with self._transaction():
            self._freed |= self._objects.drop_bucket(account, name)

    def drop_account(self, account: str | None) -> Dropped:
        """Deletes every bucket of `account` (of every account when None) with its objects
        and uploads, and the account's settings: stored first, then moto's."""
        buckets = [
            (owner, name)
            for owner, name, _ in self._objects.buckets()
            if account is None or owner == account
        ]
        objects = 0
        with self._transaction():
            for owner, name in buckets:
                objects += len(self._objects.keys(owner, name))
                self._freed |= self._objects.drop_bucket(owner, name)
        self._moto.forget(account)
        return Dropped(len(buckets), objects)

    # -- objects ----------------------------------------------------------------------------

    def sync_key(self, bucket: FakeBucket, name: str) -> None:
        """Rewrites the stored versions of one key from moto's."""
        backend = self._moto.backend(bucket.account_id)
        rows: list[VersionRow] = []
        for position, version in enumerate(bucket.keys.getlist(name, [])):
            blob = None
            if isinstance(version, FakeKey):
                self._keep_bytes(version)
                blob = version.blob.path.name
            rows.append((position, _dumps(records.version_record(version, backend)), blob))
        scope = (bucket.account_id, bucket.name, name)
        with self._transaction():
            stored = self._objects.versions(*scope)
            if stored == rows:
                return
            self._objects.replace_versions(*scope, rows)
            self._freed |= {row[2] for row in stored} - {row[2] for row in rows} - {None}

    def sync_bucket_keys(self, bucket: FakeBucket) -> None:
        with self._transaction():
            stored = self._objects.keys(bucket.account_id, bucket.name)
            for name in stored | set(bucket.keys.keys()):
                self.sync_key(bucket, name)

    # -- multipart uploads ------------------------------------------------------------------

    def sync_uploads(self, bucket: FakeBucket) -> None:
        """Stores the uploads moto started and forgets those it completed or aborted."""
        scope = (bucket.account_id, bucket.name)
        current = dict(bucket.multiparts)
        with self._transaction():
            stored = self._objects.upload_ids(*scope)
            for upload_id in current.keys() - stored:
                record = _dumps(records.upload_record(current[upload_id]))
                self._objects.add_upload(*scope, upload_id, record)
            self._freed |= self._objects.drop_uploads(*scope, sorted(stored - current.keys()))

    def sync_part(self, bucket: FakeBucket, upload_id: str, number: int) -> None:
        multipart = bucket.multiparts.get(upload_id)
        part = multipart.parts.get(number) if multipart is not None else None
        scope = (bucket.account_id, bucket.name, upload_id, number)
        if part is not None:
            self._keep_bytes(part)
        with self._transaction():
            stored = self._objects.part_blobs(*scope)
            if part is None:
                self._objects.drop_part(*scope)
            else:
                record = _dumps(records.part_record(part))
                self._objects.put_part(*scope, record, part.blob.path.name)
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
        for account, name, created in self._objects.buckets():
            self._replay_bucket(account, name)
            self._moto.bucket(account, name).creation_date = datetime.datetime.fromisoformat(
                created
            )
        referenced = self._restore_versions() | self._restore_uploads()
        self._blobs.keep_only(referenced)

    def _replay_bucket(self, account: str, name: str) -> None:
        calls = self._objects.bucket_requests(account, name)
        for index, (method, target, headers, body) in enumerate(calls):
            call = S3Call(method, target, [tuple(h) for h in json.loads(headers)], bytes(body))
            reply = self._moto.handle(account, call)
            if reply.ok:
                continue
            if index == 0:
                raise RuntimeError(f"cannot restore bucket {name} of {account}: {reply.body!r}")
            log.warning("bucket %s of %s: %s %s not restored", name, account, method, target)

    def _restore_versions(self) -> set[str]:
        blobs: set[str] = set()
        for (account, bucket_name, key), versions in itertools.groupby(
            self._objects.all_versions(), key=lambda row: row[:3]
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

    def _restore_uploads(self) -> set[str]:
        blobs: set[str] = set()
        for account, bucket_name, upload_id, record in self._objects.uploads():
            bucket = self._moto.bucket(account, bucket_name)
            backend = self._moto.backend(account)
            multipart = records.upload_from_record(upload_id, json.loads(record), backend)
            for number, part_json, blob in self._objects.parts(account, bucket_name, upload_id):
                part = json.loads(part_json)
                blob_range = self._blobs.range(blob, 0, part["size"])
                records.add_part_from_record(multipart, number, part, blob_range, bucket, backend)
                blobs.add(blob)
            bucket.multiparts[upload_id] = multipart
        return blobs
