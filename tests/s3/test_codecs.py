"""The pure parts of the S3 data path: aws-chunked decoding and streamed checksums."""

import pytest
from moto.s3.models import MultipartChecksumBuilder
from moto.s3.utils import compute_checksum

from twinport.s3.checksums import Checksum, MultipartChecksum
from twinport.s3.chunked import AwsChunkedDecoder, ChunkedBodyError

FRAMED = (
    b"5;chunk-signature=ab\r\nhello\r\n6;chunk-signature=cd\r\n world\r\n"
    b"0;chunk-signature=ef\r\nx-amz-checksum-crc32:AAAA\r\n\r\n"
)


@pytest.mark.parametrize("piece", [1, 3, 16, len(FRAMED)])
def test_decoder_whatever_the_pieces(piece):
    decoder = AwsChunkedDecoder()
    out = b"".join(decoder.feed(FRAMED[i : i + piece]) for i in range(0, len(FRAMED), piece))
    decoder.close()
    assert out == b"hello world"
    assert decoder.trailers == {"x-amz-checksum-crc32": "AAAA"}


def test_decoder_refuses_a_truncated_body():
    decoder = AwsChunkedDecoder()
    decoder.feed(FRAMED[:20])
    with pytest.raises(ChunkedBodyError):
        decoder.close()


def test_decoder_refuses_bad_framing():
    with pytest.raises(ChunkedBodyError):
        AwsChunkedDecoder().feed(b"zz\r\n")


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"])
def test_streamed_checksum_equals_moto_whole_body_checksum(algorithm):
    body = bytes(range(256)) * 50
    checksum = Checksum(algorithm)
    for start in range(0, len(body), 1000):
        checksum.update(body[start : start + 1000])
    assert checksum.base64() == compute_checksum(body, algorithm).decode()


@pytest.mark.parametrize(
    ("algorithm", "checksum_type"),
    [("CRC32", None), ("SHA256", None), ("CRC32", "FULL_OBJECT"), (None, None)],
)
def test_multipart_checksum_equals_moto(algorithm, checksum_type):
    parts = [b"a" * 1000, b"b" * 10, b"c"]
    expected = MultipartChecksumBuilder(algorithm, checksum_type)
    streamed = MultipartChecksum(algorithm, checksum_type)
    for part in parts:
        expected.addPart(part)
        streamed.update(part[:5])
        streamed.update(part[5:])
        streamed.end_part()
    assert streamed.result() == expected.build()
