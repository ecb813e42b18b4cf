"""Receiving the bytes of an object (PutObject, UploadPart) straight into a blob.

The body is streamed to disk as it arrives, decoded from aws-chunked if need be, with its MD5
(the ETag) and, when the client names a checksum algorithm, its checksum. moto then gets the
request without its body: `headers_for_moto` says what it would have learnt from the body.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from twinport.s3.blobs import CHUNK_SIZE, BlobWriter
from twinport.s3.checksums import Checksum
from twinport.s3.chunked import AwsChunkedDecoder, ChunkedBodyError, is_aws_chunked

# Headers that describe the body as sent, not the object, and lose their meaning without it.
_FRAMING_HEADERS = {
    "content-length",
    "transfer-encoding",
    "x-amz-decoded-content-length",
    "x-amz-trailer",
}


class BodyError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class ReceivedObject:
    writer: BlobWriter  # not committed yet: that waits for moto to accept the request
    md5: str
    checksum_headers: dict[str, str] = field(default_factory=dict)


def receive_object(
    stream: BinaryIO, headers: Mapping[str, str], writer: BlobWriter
) -> ReceivedObject:
    """Streams the body into `writer`; `headers` are the request's, keyed in lower case."""
    decoder = AwsChunkedDecoder() if is_aws_chunked(headers) else None
    md5 = hashlib.md5(usedforsecurity=False)
    algorithm = headers.get("x-amz-sdk-checksum-algorithm", "").upper()
    value_header = f"x-amz-checksum-{algorithm.lower()}"
    # The value is computed only when the headers do not give it (a trailer may).
    checksum = Checksum(algorithm) if algorithm and not headers.get(value_header) else None
    try:
        while chunk := stream.read(CHUNK_SIZE):
            data = decoder.feed(chunk) if decoder else chunk
            writer.write(data)
            md5.update(data)
            if checksum is not None:
                checksum.update(data)
        if decoder:
            decoder.close()
    except ChunkedBodyError as exc:
        raise BodyError("IncompleteBody", str(exc)) from None
    trailers = decoder.trailers if decoder else {}
    _check_length(headers, writer.size, chunked=decoder is not None)
    _check_md5(headers, md5.digest())
    received = ReceivedObject(writer, md5.hexdigest())
    if algorithm:
        received.checksum_headers[value_header] = (
            headers.get(value_header) or trailers.get(value_header) or checksum.base64()
        )
    return received


def _check_length(headers: Mapping[str, str], received: int, chunked: bool) -> None:
    declared = headers.get("x-amz-decoded-content-length" if chunked else "content-length")
    if declared is not None and declared.isdigit() and int(declared) != received:
        raise BodyError(
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header",
        )


def _check_md5(headers: Mapping[str, str], digest: bytes) -> None:
    declared = headers.get("content-md5")
    if declared is not None and declared.strip() != base64.b64encode(digest).decode():
        raise BodyError(
            "BadDigest", "The Content-MD5 you specified did not match what we received."
        )


def headers_for_moto(
    headers: list[tuple[str, str]], received: ReceivedObject
) -> list[tuple[str, str]]:
    """The request's headers as if its body had been sent plain and were empty."""
    kept = []
    for name, value in headers:
        lower = name.lower()
        if lower in _FRAMING_HEADERS or lower in received.checksum_headers:
            continue
        if lower == "x-amz-content-sha256" and value.startswith("STREAMING-"):
            value = "UNSIGNED-PAYLOAD"
        if lower == "content-encoding":
            value = ",".join(e for e in value.split(",") if e.strip() != "aws-chunked")
            if not value:
                continue
        kept.append((name, value))
    return kept + list(received.checksum_headers.items())
