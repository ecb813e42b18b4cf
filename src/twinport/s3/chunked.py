"""Decoding of `aws-chunked` request bodies as they arrive.

SDKs that stream an upload (SigV4 streaming signatures, or a trailing checksum) frame the body
as `<hex size>[;chunk-signature=...]\\r\\n<data>\\r\\n ... 0\\r\\n<trailer lines>\\r\\n`. The
decoder turns that framing back into the object's bytes and keeps the trailing headers
(such as `x-amz-checksum-crc32`). When twinport verifies signatures, the chunk signatures
of a signed stream are checked too, each as its chunk ends, by the verifier the signature check
of the request made (`twinport.auth.ChunkVerifier`).
"""

from __future__ import annotations

from collections.abc import Mapping

from twinport.auth import ChunkVerifier, Refusal


def is_aws_chunked(headers: Mapping[str, str]) -> bool:
    """Whether a request body (headers keyed in lower case) uses the aws-chunked framing."""
    if headers.get("x-amz-content-sha256", "").startswith("STREAMING-"):
        return True
    encodings = headers.get("content-encoding", "").split(",")
    return "aws-chunked" in (encoding.strip() for encoding in encodings)


class ChunkedBodyError(ValueError):
    """The body does not follow the aws-chunked framing."""


class ChunkSignatureError(ValueError):
    """A chunk's signature does not match: `refusal` says how, in S3's terms."""

    def __init__(self, refusal: Refusal):
        super().__init__(refusal.s3.message)
        self.refusal = refusal


class AwsChunkedDecoder:
    def __init__(self, verifier: ChunkVerifier | None = None) -> None:
        self._verifier = verifier
        self._signature = ""  # of the chunk being received
        self._pending = bytearray()
        self._chunk_left = 0  # data bytes of the current chunk not yet received
        self._in_data = False
        self._in_trailer = False
        self.finished = False  # the terminating zero-size chunk and its trailer were seen
        self.trailers: dict[str, str] = {}

    def feed(self, data: bytes) -> bytes:
        """Takes the next bytes of the body and returns the payload bytes they complete."""
        self._pending += data
        out = bytearray()
        while not self.finished:
            if self._in_data:
                if not self._take_data(out):
                    break
            elif self._in_trailer:
                if not self._take_trailer_line():
                    break
            elif not self._take_chunk_header():
                break
        return bytes(out)

    def _take_data(self, out: bytearray) -> bool:
        if self._chunk_left:
            taken = self._pending[: self._chunk_left]
            if self._verifier is not None:
                self._verifier.update(bytes(taken))
            out += taken
            del self._pending[: len(taken)]
            self._chunk_left -= len(taken)
            if self._chunk_left:
                return False
        if len(self._pending) < 2:
            return False
        if self._pending[:2] != b"\r\n":
            raise ChunkedBodyError("a chunk is not followed by CRLF")
        del self._pending[:2]
        self._in_data = False
        self._check_signature()
        return True

    def _check_signature(self) -> None:
        if self._verifier is not None:
            refusal = self._verifier.check(self._signature)
            if refusal is not None:
                raise ChunkSignatureError(refusal)

    def _take_chunk_header(self) -> bool:
        line = self._take_line()
        if line is None:
            return False
        size_text, _, extension = bytes(line).partition(b";")
        try:
            size = int(size_text.strip(), 16)
        except ValueError:
            raise ChunkedBodyError(f"bad chunk header {bytes(line[:80])!r}") from None
        name, _, value = extension.decode("latin-1").partition("=")
        self._signature = value.strip() if name.strip() == "chunk-signature" else ""
        if size == 0:
            self._check_signature()  # the last, empty chunk is signed too
            self._in_trailer = True
        else:
            self._chunk_left = size
            self._in_data = True
        return True

    def _take_trailer_line(self) -> bool:
        line = self._take_line()
        if line is None:
            return False
        if not line.strip():
            self._finish()
            return True
        name, _, value = bytes(line).decode("latin-1").partition(":")
        self.trailers[name.strip().lower()] = value.strip()
        return True

    def _take_line(self) -> bytearray | None:
        end = self._pending.find(b"\r\n")
        if end < 0:
            return None
        line = self._pending[:end]
        del self._pending[: end + 2]
        return line

    def close(self) -> None:
        """The body ended: accept a trailer that is not closed by an empty line."""
        if self._in_trailer and not self._pending.strip() and not self.finished:
            self._finish()
        if not self.finished:
            raise ChunkedBodyError("the body ended before its last chunk")

    def _finish(self) -> None:
        """The trailer is complete: check its signature, when the stream signs it."""
        self.finished = True
        if self._verifier is None or not self._verifier.signed_trailer:
            return
        signature = self.trailers.pop("x-amz-trailer-signature", "")
        refusal = self._verifier.check_trailer(self.trailers.items(), signature)
        if refusal is not None:
            raise ChunkSignatureError(refusal)
