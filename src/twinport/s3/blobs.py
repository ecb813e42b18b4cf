"""Where object bytes live: immutable blob files in the data directory.

A blob is written once (under `incoming/`, then renamed into `blobs/` when the write is
acknowledged) and never changed; a new version of an object is a new blob. That is what lets
a download stream from a blob without holding any lock: at worst the blob is unlinked
meanwhile, and an open file stays readable.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

# Object bytes move in chunks of this size. Uploads arrive on many threads at once (boto3
# sends ten parts in parallel), and the allocator keeps what each thread's chunks needed: at a
# megabyte a chunk that was fifty megabytes of resident memory, at 64 KiB next to nothing, and
# no slower.
CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class BlobRange:
    """A byte range of a blob: the bytes of an object, or of one part of a multipart object.

    moto treats an object's value as bytes: it takes its length, slices it for a Range request
    and closes the buffer that holds it. A BlobRange answers those three without reading.
    """

    path: Path
    offset: int
    length: int

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: slice) -> BlobRange:
        start, stop, step = index.indices(self.length)
        if step != 1:
            raise ValueError("a blob range is sliced with step 1 only")
        return BlobRange(self.path, self.offset + start, max(0, stop - start))

    def read(self) -> bytes:
        with self.path.open("rb") as f:
            f.seek(self.offset)
            return f.read(self.length)

    def open(self) -> BlobReader:
        """Opens the file now, so that the bytes stay readable even if the blob is deleted."""
        return BlobReader(self.path.open("rb"), self.offset, self.length)

    def close(self) -> None:
        """moto disposes of a key by closing its value buffer: a range has nothing to close."""


class BlobReader:
    """The bytes of a range, chunk by chunk, from a file opened in advance."""

    def __init__(self, file: BinaryIO, offset: int, length: int):
        self._file = file
        self._file.seek(offset)
        self.length = length

    def __iter__(self) -> Iterator[bytes]:
        left = self.length
        try:
            while left > 0:
                chunk = self._file.read(min(CHUNK_SIZE, left))
                if not chunk:
                    raise OSError(f"{self._file.name} ended {left} bytes early")
                left -= len(chunk)
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self._file.close()


class BlobStore:
    def __init__(self, root: Path):
        self.blobs = root / "blobs"
        self.incoming = root / "incoming"
        self.blobs.mkdir(parents=True, exist_ok=True)
        # Whatever was still arriving when the server stopped was never acknowledged.
        shutil.rmtree(self.incoming, ignore_errors=True)
        self.incoming.mkdir(parents=True)

    def path(self, name: str) -> Path:
        return self.blobs / name

    def range(self, name: str, offset: int, length: int) -> BlobRange:
        return BlobRange(self.path(name), offset, length)

    def writer(self) -> BlobWriter:
        return BlobWriter(self)

    def delete(self, names: Iterable[str]) -> None:
        for name in names:
            self.path(name).unlink(missing_ok=True)

    def keep_only(self, referenced: set[str]) -> None:
        """Deletes the blobs nothing refers to (left by a crash between a write and its commit)."""
        self.delete(name for name in os.listdir(self.blobs) if name not in referenced)


class BlobWriter:
    """A new blob being written; it becomes visible under its name only when committed."""

    def __init__(self, store: BlobStore):
        self._store = store
        self.name = uuid.uuid4().hex
        self._temp = store.incoming / self.name
        self._file: BinaryIO | None = self._temp.open("wb")
        self.size = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self.size += len(data)

    def commit(self) -> BlobRange:
        self._file.close()
        self._file = None
        os.replace(self._temp, self._store.path(self.name))
        return self._store.range(self.name, 0, self.size)

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._temp.unlink(missing_ok=True)

    def __enter__(self) -> BlobWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()
