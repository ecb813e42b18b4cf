"""S3 checksums computed as the bytes stream past, with the values moto computes over a whole body.

moto's `compute_checksum` falls back to CRC32 when the optional library of an algorithm
(crc32c, awscrt) is missing; the same fallbacks apply here, so that a streamed checksum always
equals the one moto would have stored for the same bytes. An `exact` checksum, which checks a
value a client declares, never falls back: it uses `crc` instead of the missing library.
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Callable

from twinport.s3 import crc

try:
    import crc32c as _crc32c
except ImportError:  # pragma: no cover - depends on the environment
    _crc32c = None

try:
    from awscrt import checksums as _crt
except ImportError:  # pragma: no cover - depends on the environment
    _crt = None

_Crc = Callable[[bytes, int], int]


ALGORITHMS = ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")


def _crc_function(algorithm: str, exact: bool) -> tuple[_Crc, int] | None:
    """The incremental CRC and its width in bytes, or None for a hash algorithm."""
    if algorithm == "CRC32C" and (_crc32c is not None or exact):
        return (_crc32c.crc32c if _crc32c is not None else crc.crc32c), 4
    if algorithm == "CRC64NVME" and (_crt is not None or exact):
        return (_crt.crc64nvme if _crt is not None else crc.crc64nvme), 8
    if algorithm in ("CRC32", "CRC32C", "CRC64NVME"):
        return zlib.crc32, 4
    return None


class Checksum:
    """One running checksum of an S3 checksum algorithm (CRC32, CRC32C, CRC64NVME, SHA1, SHA256)."""

    def __init__(self, algorithm: str, exact: bool = False):
        self.algorithm = algorithm.upper()
        function = _crc_function(self.algorithm, exact)
        self._crc, self._width = function if function else (None, 0)
        self._value = 0
        self._hash = None
        if function is None:
            self._hash = hashlib.sha1() if self.algorithm == "SHA1" else hashlib.sha256()

    @property
    def size(self) -> int:
        """The length of the digest in bytes."""
        return self._hash.digest_size if self._hash is not None else self._width

    def update(self, data: bytes) -> None:
        if self._hash is not None:
            self._hash.update(data)
        else:
            self._value = self._crc(data, self._value)

    def digest(self) -> bytes:
        if self._hash is not None:
            return self._hash.digest()
        return self._value.to_bytes(self._width, "big")

    def base64(self) -> str:
        return base64.b64encode(self.digest()).decode()


class MultipartChecksum:
    """The checksum of a completed multipart upload, fed part after part.

    COMPOSITE is the checksum of the parts' concatenated binary checksums; FULL_OBJECT is the
    checksum of all the bytes. The defaults are moto's: CRC64NVME, which is always FULL_OBJECT;
    any other algorithm is COMPOSITE unless the upload asked otherwise.
    """

    def __init__(self, algorithm: str | None, checksum_type: str | None):
        self.algorithm = algorithm or "CRC64NVME"
        default_type = "FULL_OBJECT" if self.algorithm == "CRC64NVME" else "COMPOSITE"
        self.checksum_type = checksum_type or default_type
        self._whole = Checksum(self.algorithm)
        self._part = Checksum(self.algorithm)
        self._part_digests = bytearray()
        self.part_count = 0

    @property
    def composite(self) -> bool:
        return self.checksum_type == "COMPOSITE"

    def update(self, data: bytes) -> None:
        (self._part if self.composite else self._whole).update(data)

    def end_part(self) -> None:
        if self.composite:
            self._part_digests += self._part.digest()
            self._part = Checksum(self.algorithm)
        self.part_count += 1

    def result(self) -> tuple[str, str, int]:
        """(checksum type, base64 value, number of parts it covers) as moto stores them."""
        if not self.composite:
            return self.checksum_type, self._whole.base64(), 1
        combined = Checksum(self.algorithm)
        combined.update(bytes(self._part_digests))
        return self.checksum_type, combined.base64(), self.part_count
