"""moto keys whose bytes stay in a blob file instead of moto's in-memory buffer.

moto hands an object's value around as `bytes`. Three of its code paths must not: a download
(the value of a 1 GB object would be read whole), the completion of a multipart upload (the
parts would be concatenated in memory) and the deep copies moto makes of every version when
listing versions. `value_reads` says, for the moto call at hand, what reading a blob-backed
value yields; `BlobKey` keeps its blob, not its bytes, when it is copied.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.s3.models import FakeKey

from twinport.s3.blobs import BlobRange


class ValueReads(enum.Enum):
    BYTES = "bytes"  # the bytes themselves (copies, select, ...)
    RANGES = "ranges"  # a BlobRange, for the response to stream
    NOTHING = "nothing"  # empty bytes: moto only needs the parts' sizes and ETags


_reads = threading.local()


@contextmanager
def value_reads(mode: ValueReads) -> Iterator[None]:
    """Sets what reading a blob-backed value yields in this thread, during one moto call."""
    previous = getattr(_reads, "mode", ValueReads.BYTES)
    _reads.mode = mode
    try:
        yield
    finally:
        _reads.mode = previous


class BlobKey(FakeKey):
    """A FakeKey (an object version or an upload part) backed by a BlobRange."""

    blob: BlobRange

    @property
    def value(self) -> Any:
        mode = getattr(_reads, "mode", ValueReads.BYTES)
        if mode is ValueReads.RANGES:
            return self.blob
        if mode is ValueReads.NOTHING:
            return b""
        return self.blob.read()

    @value.setter
    def value(self, new_value: bytes) -> None:
        raise TypeError("the bytes of a blob-backed S3 object never change")

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.lock = threading.Lock()


def is_blob_backed(key: FakeKey) -> bool:
    return isinstance(key, BlobKey)


def back_with_blob(key: FakeKey, blob: BlobRange, etag: str | None = None) -> BlobKey:
    """Makes `key` serve `blob` as its bytes; `etag` (unquoted) replaces the one moto computed.

    The key stays the object moto holds (same identity, same attributes); only its class and
    its value buffer change.
    """
    if etag is not None:
        key._etag = etag
    else:
        key.etag  # noqa: B018 - moto computes a missing ETag from the old buffer: do it now
    key._value_buffer.close()
    key._value_buffer = blob
    key.contentsize = blob.length
    key.__class__ = BlobKey
    key.blob = blob
    return key
