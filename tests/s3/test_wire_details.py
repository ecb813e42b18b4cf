"""Request forms boto3 does not send over plain HTTP: aws-chunked bodies with trailers."""

import base64
import http.client
import urllib.parse
import zlib

import pytest


def _chunked(payload: bytes, chunk: int, trailer: str) -> bytes:
    framed = b""
    for start in range(0, len(payload), chunk):
        piece = payload[start : start + chunk]
        framed += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    return framed + b"0\r\n" + trailer.encode() + b"\r\n\r\n"


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_aws_chunked_upload_with_trailing_checksum(twinport, account, s3, bucket, chunk):
    payload = b"streamed object bytes " * 100
    crc = base64.b64encode(zlib.crc32(payload).to_bytes(4, "big")).decode()
    body = _chunked(payload, chunk, f"x-amz-checksum-crc32:{crc}")
    url = urllib.parse.urlsplit(twinport.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request(
        "PUT",
        f"/{bucket}/chunked",
        body=body,
        headers={
            "Authorization": f"AWS4-HMAC-SHA256 Credential={account}/20250101/us-east-1/s3/"
            "aws4_request, SignedHeaders=host, Signature=0",
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(payload)),
            "x-amz-trailer": "x-amz-checksum-crc32",
            "x-amz-sdk-checksum-algorithm": "CRC32",
        },
    )
    try:
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 200

    got = s3.get_object(Bucket=bucket, Key="chunked", ChecksumMode="ENABLED")
    assert got["Body"].read() == payload
    assert got["ChecksumCRC32"] == crc
    assert "ContentEncoding" not in got
