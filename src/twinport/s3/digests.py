"""The digests a client declares for a request body, computed as it streams past and compared.

- `Content-MD5`, the base64 MD5 of the body: malformed, InvalidDigest (before the body is read);
  not matching, BadDigest.
- `x-amz-checksum-<algorithm>`, in a header or an aws-chunked trailer named by `x-amz-trailer`:
  malformed, InvalidRequest; not matching, BadDigest.
- `x-amz-content-sha256` when it is the hex SHA-256 of the payload (not UNSIGNED-PAYLOAD nor a
  STREAMING-* framing): not matching, XAmzContentSHA256Mismatch.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping

from twinport.s3.checksums import ALGORITHMS, Checksum
from twinport.s3.refusals import Refused

_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def checksum_header(algorithm: str) -> str:
    return f"x-amz-checksum-{algorithm.lower()}"


def _decoded(value: str, size: int) -> bytes | None:
    """The bytes a base64 digest stands for; None if it is not one of `size` bytes."""
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return digest if len(digest) == size else None


class BodyDigests:
    """Feed it the body's bytes (decoded from aws-chunked), then `check` it."""

    def __init__(self, headers: Mapping[str, str]):
        """Raises Refused for a declared digest that cannot be one; `headers` in lower case."""
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._declared_md5 = self._content_md5(headers.get("content-md5"))
        content_sha256 = headers.get("x-amz-content-sha256", "")
        self._declared_sha256 = content_sha256 if _HEX_SHA256.fullmatch(content_sha256) else None
        self._sha256 = hashlib.sha256() if self._declared_sha256 else None
        trailer = headers.get("x-amz-trailer", "").lower()
        trailed = {name.strip() for name in trailer.split(",")}
        self._declared: dict[str, bytes | None] = {}  # None: the trailer will say
        self.checksums: dict[str, Checksum] = {}
        for algorithm in ALGORITHMS:
            name = checksum_header(algorithm)
            if name not in headers and name not in trailed:
                continue
            self.checksums[algorithm] = Checksum(algorithm, exact=True)
            value = headers.get(name)
            self._declared[algorithm] = (
                self._checksum_value(algorithm, value, "") if value is not None else None
            )

    @staticmethod
    def _content_md5(value: str | None) -> bytes | None:
        if value is None:
            return None
        digest = _decoded(value, 16)
        if digest is None:
            raise Refused(
                400,
                "InvalidDigest",
                "The Content-MD5 you specified was invalid.",
                (("Content-MD5", value),),
            )
        return digest

    def _checksum_value(self, algorithm: str, value: str, where: str) -> bytes:
        digest = _decoded(value, self.checksums[algorithm].size)
        if digest is None:
            raise Refused(
                400,
                "InvalidRequest",
                f"Value for {checksum_header(algorithm)} {where}header is invalid.",
            )
        return digest

    def update(self, data: bytes) -> None:
        self._md5.update(data)
        if self._sha256 is not None:
            self._sha256.update(data)
        for checksum in self.checksums.values():
            checksum.update(data)

    @property
    def md5_hex(self) -> str:
        return self._md5.hexdigest()

    def check(self, trailers: Mapping[str, str]) -> None:
        """Raises Refused unless the body matches every digest declared for it."""
        if self._sha256 is not None and self._declared_sha256 is not None:
            computed = self._sha256.hexdigest()
            if computed != self._declared_sha256.lower():
                raise Refused(
                    400,
                    "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                    (
                        ("ClientComputedContentSHA256", self._declared_sha256),
                        ("S3ComputedContentSHA256", computed),
                    ),
                )
        if self._declared_md5 is not None and self._declared_md5 != self._md5.digest():
            raise Refused(
                400,
                "BadDigest",
                "The Content-MD5 you specified did not match what we received.",
                (
                    ("ExpectedDigest", self._declared_md5.hex()),
                    ("CalculatedDigest", base64.b64encode(self._md5.digest()).decode()),
                ),
            )
        for algorithm, declared in self._declared.items():
            if declared is None:
                trailed = trailers.get(checksum_header(algorithm))
                if trailed is None:
                    continue  # announced but not sent: the value is computed, as without one
                declared = self._checksum_value(algorithm, trailed, "trailing ")
            if declared != self.checksums[algorithm].digest():
                raise Refused(
                    400,
                    "BadDigest",
                    f"The {algorithm} you specified did not match the calculated checksum.",
                )
