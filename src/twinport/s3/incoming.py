"""Receiving the bytes of an object (PutObject, UploadPart) straight into a blob.

The body is streamed to disk as it arrives, decoded from aws-chunked if need be, with its MD5
(the ETag), the digests the client declared for it (`digests`, checked at its end) and, when
the client names a checksum algorithm but no value, its checksum. moto then gets the request
without its body: `headers_for_moto` says what it would have learnt from the body.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from twinport.auth import ChunkVerifier
from twinport.s3.blobs import CHUNK_SIZE, BlobWriter
from twinport.s3.checksums import Checksum
from twinport.s3.chunked import (
    AwsChunkedDecoder,
    ChunkedBodyError,
    ChunkSignatureError,
    is_aws_chunked,
)
from twinport.s3.digests import BodyDigests, checksum_header
from twinport.s3.refusals import Refused

# Headers that describe the body as sent, not the object, and lose their meaning without it.
_FRAMING_HEADERS = {
    "content-length",
    "transfer-encoding",
    "x-amz-decoded-content-length",
    "x-amz-trailer",
}


@dataclass
class ReceivedObject:
    writer: BlobWriter  # not committed yet: that waits for moto to accept the request
    md5: str
    checksum_headers: dict[str, str] = field(default_factory=dict)


def receive_object(
    stream: BinaryIO,
    headers: Mapping[str, str],
    writer: BlobWriter,
    chunk_verifier: ChunkVerifier | None = None,
) -> ReceivedObject:
    """Streams the body into `writer`; `headers` are the request's, keyed in lower case;
    `chunk_verifier` checks the chunk signatures of a signed stream.

    Raises Refused for a body that is cut short, or does not match its declared digests or its
    chunk signatures.
    """
    digests = BodyDigests(headers)
    decoder = AwsChunkedDecoder(chunk_verifier) if is_aws_chunked(headers) else None
    algorithm = headers.get("x-amz-sdk-checksum-algorithm", "").upper()
    value_header = checksum_header(algorithm)
    # Computed only when no value is declared: a declared one is checked, then stored.
    stored = None
    if algorithm and algorithm not in digests.checksums:
        stored = Checksum(algorithm)
    try:
        while chunk := stream.read(CHUNK_SIZE):
            data = decoder.feed(chunk) if decoder else chunk
            writer.write(data)
            digests.update(data)
            if stored is not None:
                stored.update(data)
        if decoder:
            decoder.close()
    except ChunkedBodyError as exc:
        raise Refused(400, "IncompleteBody", str(exc)) from None
    except ChunkSignatureError as exc:
        fault = exc.refusal.s3
        raise Refused(fault.status, fault.code, fault.message) from None
    trailers = decoder.trailers if decoder else {}
    _check_length(headers, writer.size, chunked=decoder is not None)
    digests.check(trailers)
    received = ReceivedObject(writer, digests.md5_hex)
    if algorithm:
        received.checksum_headers[value_header] = (
            headers.get(value_header)
            or trailers.get(value_header)
            or (stored or digests.checksums[algorithm]).base64()
        )
    return received


def _check_length(headers: Mapping[str, str], received: int, chunked: bool) -> None:
    declared = headers.get("x-amz-decoded-content-length" if chunked else "content-length")
    if declared is not None and declared.isdigit() and int(declared) != received:
        raise Refused(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header",
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
