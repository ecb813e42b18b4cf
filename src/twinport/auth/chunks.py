"""The signatures of an S3 streaming upload (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]`).

Each chunk of an aws-chunked body carries `chunk-signature=`, chained from the request's
signature (the seed): chunk n is signed over the hash of its data and chunk n-1's signature,
so chunks cannot be changed, dropped or reordered. The last, empty chunk is signed too; with
`-TRAILER`, the trailing headers after it carry `x-amz-trailer-signature`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from twinport.auth import refusals
from twinport.auth.refusals import Refusal
from twinport.auth.signing import EMPTY_SHA256, same, sha256_hex, sign


class ChunkSigner:
    def __init__(self, signing_key: bytes, timestamp: str, scope: str, seed_signature: str):
        self._key = signing_key
        self._timestamp = timestamp  # the request's X-Amz-Date, in ISO basic form
        self._scope = scope  # date/region/s3/aws4_request
        self.previous = seed_signature

    def sign(self, data_sha256: str) -> str:
        """The next chunk's signature, from the hex SHA-256 of its data."""
        return self._advance("AWS4-HMAC-SHA256-PAYLOAD", EMPTY_SHA256, data_sha256)

    def sign_trailer(self, trailers: Iterable[tuple[str, str]]) -> str:
        """The signature of the trailing headers, which follow the last (empty) chunk."""
        lines = "".join(f"{name.lower()}:{value.strip()}\n" for name, value in sorted(trailers))
        return self._advance("AWS4-HMAC-SHA256-TRAILER", sha256_hex(lines))

    def _advance(self, algorithm: str, *hashes: str) -> str:
        string_to_sign = "\n".join(
            (algorithm, self._timestamp, self._scope, self.previous, *hashes)
        )
        self.previous = sign(self._key, string_to_sign)
        return self.previous


class ChunkVerifier:
    """Feed each chunk's data as it arrives with `update`, then `check` its chunk-signature;
    with `signed_trailer`, `check_trailer` the trailing headers after the last chunk."""

    def __init__(self, signer: ChunkSigner, signed_trailer: bool = False):
        self._signer = signer
        self._data = hashlib.sha256()
        self.signed_trailer = signed_trailer

    def update(self, data: bytes) -> None:
        self._data.update(data)

    def check(self, signature: str) -> Refusal | None:
        """Ends the current chunk (the empty last one too) and checks its signature."""
        expected = self._signer.sign(self._data.hexdigest())
        self._data = hashlib.sha256()
        return None if same(expected, signature) else refusals.chunk_mismatch()

    def check_trailer(self, trailers: Iterable[tuple[str, str]], signature: str) -> Refusal | None:
        """The trailing headers, without x-amz-trailer-signature itself; an empty `signature`
        (none was sent) never matches."""
        if not signature:
            return refusals.chunk_mismatch()
        expected = self._signer.sign_trailer(trailers)
        return None if same(expected, signature) else refusals.chunk_mismatch()
