"""The embedded S3: moto's S3 backend, made durable, with object bytes streamed to and from disk.

The gateway hands over every request signed for S3 (or signed with SigV2, or unsigned), with
`scope["twinport.account"]` set. moto answers every request; twinport adds three things
around it:
- object bytes (PutObject, UploadPart, CompleteMultipartUpload, GetObject) never pass through
  memory whole: they are streamed into and out of blob files (`incoming`, `multipart`,
  `blobkeys`);
- every write is mirrored into the data directory before it is acknowledged, and restored
  on start (`mirror`);
- calls into moto run one at a time (moto's S3 is not thread-safe); receiving and sending
  object bytes happens outside that lock.

Run through a2wsgi: the code below is plain blocking WSGI, in a pool of threads.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qs, quote, unquote, unquote_to_bytes
from xml.etree import ElementTree

from a2wsgi import WSGIMiddleware
from moto.s3.exceptions import NoSuchUpload
from moto.s3.models import FakeBucket, FakeDeleteMarker, FakeKey
from moto.s3bucket_path.utils import parse_key_name

from twinport.auth import ChunkVerifier
from twinport.s3 import multipart
from twinport.s3.blobkeys import ValueReads, back_with_blob, is_blob_backed
from twinport.s3.blobs import BlobRange, BlobReader, BlobStore
from twinport.s3.expiry import check_expiry
from twinport.s3.incoming import headers_for_moto, receive_object
from twinport.s3.mirror import Dropped, Mirror
from twinport.s3.moto_s3 import MotoS3, Reply, S3Call, s3_error
from twinport.s3.refusals import Refused, check_key_length, check_posted_key

_WRITES = {"PUT", "POST", "DELETE"}
# PUT subresources of an object that carry no object bytes.
_OBJECT_SUBRESOURCES = {"acl", "tagging", "retention", "legal-hold"}


@dataclass
class _Request:
    account: str
    method: str
    raw_path: str
    query: str
    headers: list[tuple[str, str]]
    stream: BinaryIO
    chunk_verifier: ChunkVerifier | None = None  # a signed stream's, when signatures are checked

    @classmethod
    def from_environ(cls, environ: dict[str, Any]) -> _Request:
        scope = environ["asgi.scope"]
        raw_path = scope.get("raw_path") or quote(scope["path"]).encode()
        return cls(
            account=scope["twinport.account"],
            method=scope["method"],
            raw_path=raw_path.decode("latin-1").split("?", 1)[0],
            query=scope["query_string"].decode("latin-1"),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            stream=environ["wsgi.input"],
            chunk_verifier=scope.get("twinport.chunks"),
        )

    @cached_property
    def header_map(self) -> Mapping[str, str]:
        return {name.lower(): value for name, value in self.headers}

    @cached_property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query, keep_blank_values=True)

    @cached_property
    def bucket(self) -> str:
        return self.raw_path.lstrip("/").split("/", 1)[0]

    @cached_property
    def key(self) -> str:
        return parse_key_name(unquote(self.raw_path))

    @cached_property
    def key_size(self) -> int:
        """The key's length in bytes, as the client sent them."""
        raw = unquote_to_bytes(self.raw_path.encode("latin-1"))
        return len(raw.lstrip(b"/").partition(b"/")[2])

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    def call(self, body: bytes = b"", headers: list[tuple[str, str]] | None = None) -> S3Call:
        target = f"{self.raw_path}?{self.query}" if self.query else self.raw_path
        return S3Call(self.method, target, self.headers if headers is None else headers, body)

    def read_body(self) -> bytes:
        return self.stream.read()


class EmbeddedS3:
    """ASGI app of the S3 API, over the state kept in `data_dir`; one per process."""

    def __init__(self, data_dir: Path):
        self._blobs = BlobStore(Path(data_dir))
        self._moto = MotoS3()
        self._mirror = Mirror(Path(data_dir), self._blobs, self._moto)
        self._lock = threading.Lock()
        self._mirror.restore()
        # Every request in progress holds a thread, uploads and downloads included.
        self._asgi = WSGIMiddleware(self._wsgi, workers=64)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        await self._asgi(scope, receive, send)

    def warm_up(self) -> None:
        """Load now what the first requests would otherwise wait for."""
        self._moto.load_model()

    def remove_account(self, account: str | None) -> Dropped:
        """Deletes every bucket of `account` (of every account when None), with its objects
        and uploads in progress; a request that comes after finds none."""
        with self._lock:
            return self._mirror.drop_account(account)

    def _wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = _Request.from_environ(environ)
        try:
            reply = self._serve(request)
        except Refused as refused:
            reply = refused.reply()
        return _respond(request, reply, start_response)

    def _serve(self, request: _Request) -> Reply:
        """Raises Refused, before anything is written, for what S3 refuses and moto does not."""
        check_expiry(request.param, datetime.datetime.now(datetime.UTC))
        if request.key and request.method in ("PUT", "POST"):
            check_key_length(request.key_size)
        if not request.key:
            return self._bucket_request(request)
        if request.method == "GET":
            return self._download(request)
        if request.method == "PUT" and _carries_object_bytes(request):
            return self._upload(request)
        if request.method == "POST" and request.param("uploadId") is not None:
            return self._complete_upload(request)
        return self._key_request(request)

    # -- requests ---------------------------------------------------------------------------

    def _bucket_request(self, request: _Request) -> Reply:
        call = request.call(request.read_body())
        if request.method == "POST" and "delete" not in request.params:
            check_posted_key(request.header_map, call.body)
        with self._lock:
            reply = self._moto.handle(request.account, call)
            if request.method in _WRITES and request.bucket:
                self._mirror_bucket_request(request, call, reply)
        return reply

    def _key_request(self, request: _Request) -> Reply:
        call = request.call(request.read_body())
        with self._lock:
            reply = self._moto.handle(request.account, call)
            if request.method in _WRITES:
                self._mirror_key_request(request)
        return reply

    def _download(self, request: _Request) -> Reply:
        with self._lock:
            reply = self._moto.handle(request.account, request.call(), ValueReads.RANGES)
            if isinstance(reply.body, BlobRange):
                reply.body = reply.body.open()
        return reply

    def _upload(self, request: _Request) -> Reply:
        if (refused := self._unknown_upload(request)) is not None:
            return refused
        # A refused body's blob is discarded on the way out, as is one moto refuses.
        with self._blobs.writer() as writer:
            received = receive_object(
                request.stream, request.header_map, writer, request.chunk_verifier
            )
            call = request.call(headers=headers_for_moto(request.headers, received))
            with self._lock:
                reply = self._moto.handle(request.account, call)
                key = self._new_value_holder(request) if reply.ok else None
                if key is not None:
                    back_with_blob(key, received.writer.commit(), received.md5)
                    reply.headers["ETag"] = key.etag
                    self._mirror_key_request(request)
        return reply

    def _unknown_upload(self, request: _Request) -> Reply | None:
        """NoSuchUpload for an upload id the bucket does not have (moto fails on a KeyError)."""
        upload_id = request.param("uploadId")
        if upload_id is None:
            return None
        with self._lock:
            bucket = self._moto.bucket(request.account, request.bucket)
            if bucket is None or upload_id in bucket.multiparts:
                return None  # moto knows how to say NoSuchBucket
            completed = getattr(bucket.keys.get(request.key), "multipart", None)
            if request.method == "POST" and completed is not None and completed.id == upload_id:
                return None  # completing again: moto answers as the first time
        return s3_error(404, "NoSuchUpload", NoSuchUpload(upload_id).message)

    def _new_value_holder(self, request: _Request) -> FakeKey | None:
        """The key (or part) moto has just created, empty, for the bytes just received."""
        bucket = self._moto.bucket(request.account, request.bucket)
        upload_id, number = request.param("uploadId"), request.param("partNumber")
        if bucket is None:
            return None
        if upload_id is not None and number is not None:
            upload = bucket.multiparts.get(upload_id)
            key = upload.parts.get(int(number)) if upload is not None else None
        else:
            key = _latest_version(bucket, request.key)
        return key if isinstance(key, FakeKey) and not is_blob_backed(key) else None

    def _complete_upload(self, request: _Request) -> Reply:
        if (refused := self._unknown_upload(request)) is not None:
            return refused
        call = request.call(request.read_body())
        numbers = multipart.listed_part_numbers(call.body)
        upload_id = request.param("uploadId")
        with self._lock:
            bucket = self._moto.bucket(request.account, request.bucket)
            upload = bucket.multiparts.get(upload_id) if bucket is not None else None
            plan = multipart.plan(upload, numbers)
        staged = None
        try:
            # Concatenating the parts takes long: it is done before taking the lock ...
            if plan is not None:
                with contextlib.suppress(OSError):  # a part went meanwhile
                    staged = multipart.stage(plan, self._blobs)
            with self._lock:
                reply = self._moto.handle(request.account, call, ValueReads.NOTHING)
                key = self._completed_key(request, upload_id) if reply.ok else None
                if key is not None:
                    current = multipart.plan(key.multipart, numbers)
                    if staged is None or staged.plan != current:
                        # ... and again under it only if the parts changed meanwhile.
                        if staged is not None:
                            staged.writer.discard()
                        staged = multipart.stage(current, self._blobs)
                    multipart.finish(key, staged)
                self._mirror_key_request(request)
        finally:
            if staged is not None:
                staged.writer.discard()
        return reply

    def _completed_key(self, request: _Request, upload_id: str | None) -> FakeKey | None:
        bucket = self._moto.bucket(request.account, request.bucket)
        key = _latest_version(bucket, request.key) if bucket is not None else None
        if not isinstance(key, FakeKey) or is_blob_backed(key) or key.multipart is None:
            return None  # completed before: moto answered from the existing object
        return key if key.multipart.id == upload_id else None

    # -- mirroring --------------------------------------------------------------------------

    def _mirror_bucket_request(self, request: _Request, call: S3Call, reply: Reply) -> None:
        bucket = self._moto.bucket(request.account, request.bucket)
        if bucket is None:
            self._mirror.drop_bucket(request.account, request.bucket)
        elif request.method == "POST":
            self._mirror_bucket_post(request, call, bucket)
        elif not reply.ok:
            return
        elif request.method == "PUT" and not request.params:
            self._mirror.add_bucket(bucket, call)
        else:
            self._mirror.add_configuration(bucket, call)

    def _mirror_bucket_post(self, request: _Request, call: S3Call, bucket: FakeBucket) -> None:
        names = _deleted_keys(call.body) if "delete" in request.params else None
        if names is None:  # a browser form upload names its key in the form
            self._mirror.sync_bucket_keys(bucket)
            return
        with self._mirror.batch():
            for name in names:
                self._mirror.sync_key(bucket, name)

    def _mirror_key_request(self, request: _Request) -> None:
        bucket = self._moto.bucket(request.account, request.bucket)
        if bucket is None:
            return
        upload_id, number = request.param("uploadId"), request.param("partNumber")
        if upload_id is not None and number is not None:
            if number.isdigit():
                self._mirror.sync_part(bucket, upload_id, int(number))
            return
        with self._mirror.batch():  # a completed upload: its object and its end together
            self._mirror.sync_key(bucket, request.key)
            if upload_id is not None or "uploads" in request.params:
                self._mirror.sync_uploads(bucket)


def _latest_version(bucket: FakeBucket, name: str) -> FakeKey | FakeDeleteMarker | None:
    versions = bucket.keys.getlist(name, [])
    return versions[-1] if versions else None


def _carries_object_bytes(request: _Request) -> bool:
    if "x-amz-copy-source" in request.header_map:
        return False
    if request.param("uploadId") is not None and request.param("partNumber") is not None:
        return True
    return not _OBJECT_SUBRESOURCES & request.params.keys()


def _deleted_keys(body: bytes) -> list[str] | None:
    """The keys a DeleteObjects body names; None if it cannot be read."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return None
    return [e.text or "" for e in root.iter() if e.tag.endswith("}Key") or e.tag == "Key"]


def _respond(request: _Request, reply: Reply, start_response: Any) -> Iterable[bytes]:
    body = reply.body
    headers = [(k, v) for k, v in reply.headers.items() if k.lower() != "content-length"]
    declared = [v for k, v in reply.headers.items() if k.lower() == "content-length"]
    if reply.status in (204, 304):  # no body, and no length for one
        _close(body)
        start_response(_status_line(reply.status), headers)
        return []
    length = body.length if isinstance(body, BlobReader) else len(body)
    if request.method == "HEAD":
        _close(body)
        length = int(declared[0]) if declared else length  # the length a GET would have
        body = b""
    start_response(_status_line(reply.status), [*headers, ("Content-Length", str(length))])
    return body if isinstance(body, BlobReader) else [body]


def _close(body: object) -> None:
    if isinstance(body, BlobReader):
        body.close()


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
