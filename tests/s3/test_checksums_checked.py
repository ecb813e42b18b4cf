"""Digests a client declares are compared with the bytes received; a mismatch stores nothing."""

import base64
import hashlib
import os
import zlib

import pytest

from tests.s3.raw import refused, signed
from tests.s3.test_wire_details import _chunked

BODY = b"123456789"
# The check values of the algorithms' specifications, over "123456789".
CRC32C = base64.b64encode(bytes.fromhex("e3069283")).decode()
CRC64NVME = base64.b64encode(bytes.fromhex("ae8b14860a799888")).decode()
WRONG_CRC32 = base64.b64encode(b"\0\0\0\0").decode()


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


@pytest.fixture
def nothing_stored(twinport, s3, bucket):
    """After the test, the bucket is empty and no body is left half-received."""
    yield
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    assert os.listdir(twinport.data_dir / "s3" / "incoming") == []


@pytest.mark.parametrize(
    ("algorithm", "member", "wrong"),
    [
        ("CRC32", "ChecksumCRC32", WRONG_CRC32),
        ("CRC32C", "ChecksumCRC32C", WRONG_CRC32),
        ("CRC64NVME", "ChecksumCRC64NVME", _b64(bytes(8))),
        ("SHA1", "ChecksumSHA1", _b64(hashlib.sha1(b"other").digest())),
        ("SHA256", "ChecksumSHA256", _b64(hashlib.sha256(b"other").digest())),
    ],
)
def test_a_wrong_checksum_header_is_refused(s3, bucket, nothing_stored, algorithm, member, wrong):
    error = refused(
        lambda: s3.put_object(
            Bucket=bucket, Key="k", Body=BODY, ChecksumAlgorithm=algorithm, **{member: wrong}
        )
    )
    assert error["Code"] == "BadDigest"
    assert (
        error["Message"] == f"The {algorithm} you specified did not match the calculated checksum."
    )


@pytest.mark.parametrize(
    ("algorithm", "member", "value"),
    [
        ("CRC32", "ChecksumCRC32", _b64(zlib.crc32(BODY).to_bytes(4, "big"))),
        ("CRC32C", "ChecksumCRC32C", CRC32C),
        ("CRC64NVME", "ChecksumCRC64NVME", CRC64NVME),
        ("SHA1", "ChecksumSHA1", _b64(hashlib.sha1(BODY).digest())),
        ("SHA256", "ChecksumSHA256", _b64(hashlib.sha256(BODY).digest())),
    ],
)
def test_a_right_checksum_header_is_stored(s3, bucket, algorithm, member, value):
    s3.put_object(Bucket=bucket, Key="k", Body=BODY, ChecksumAlgorithm=algorithm, **{member: value})
    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert got["Body"].read() == BODY
    assert got[member] == value


def test_a_malformed_checksum_header_is_refused(s3, bucket, nothing_stored):
    error = refused(
        lambda: s3.put_object(
            Bucket=bucket, Key="k", Body=BODY, ChecksumAlgorithm="CRC32", ChecksumCRC32="abc"
        )
    )
    assert error["Code"] == "InvalidRequest"
    assert error["Message"] == "Value for x-amz-checksum-crc32 header is invalid."


def test_a_malformed_content_md5_is_refused(s3, bucket, nothing_stored):
    error = refused(lambda: s3.put_object(Bucket=bucket, Key="k", Body=BODY, ContentMD5="nope"))
    assert error["Code"] == "InvalidDigest"
    assert error["Message"] == "The Content-MD5 you specified was invalid."


def test_a_wrong_content_md5_says_both_digests(s3, bucket, nothing_stored):
    declared = hashlib.md5(b"other").digest()
    error = refused(
        lambda: s3.put_object(Bucket=bucket, Key="k", Body=BODY, ContentMD5=_b64(declared))
    )
    assert error["Code"] == "BadDigest"
    assert error["ExpectedDigest"] == declared.hex()
    assert error["CalculatedDigest"] == _b64(hashlib.md5(BODY).digest())


def test_a_wrong_part_checksum_is_refused(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big", ChecksumAlgorithm="CRC32")
    error = refused(
        lambda: s3.upload_part(
            Bucket=bucket,
            Key="big",
            UploadId=upload["UploadId"],
            PartNumber=1,
            Body=BODY,
            ChecksumAlgorithm="CRC32",
            ChecksumCRC32=WRONG_CRC32,
        )
    )
    assert error["Code"] == "BadDigest"
    parts = s3.list_parts(Bucket=bucket, Key="big", UploadId=upload["UploadId"])
    assert parts.get("Parts", []) == []


def _put_raw(twinport, account, bucket, body: bytes, headers: dict):
    return signed(twinport, account, "PUT", f"/{bucket}/k", body, headers)


def test_a_wrong_trailing_checksum_is_refused(twinport, account, bucket, nothing_stored):
    answer = _put_raw(
        twinport,
        account,
        bucket,
        _chunked(BODY, 4, f"x-amz-checksum-crc32:{WRONG_CRC32}"),
        {
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(BODY)),
            "x-amz-trailer": "x-amz-checksum-crc32",
            "x-amz-sdk-checksum-algorithm": "CRC32",
        },
    )
    assert answer.status == 400
    assert answer.error["Code"] == "BadDigest"
    assert (
        answer.error["Message"] == "The CRC32 you specified did not match the calculated checksum."
    )


def test_a_wrong_content_sha256_is_refused(twinport, account, bucket, nothing_stored):
    declared = hashlib.sha256(b"other").hexdigest()
    answer = _put_raw(twinport, account, bucket, BODY, {"x-amz-content-sha256": declared})
    assert answer.status == 400
    assert answer.error["Code"] == "XAmzContentSHA256Mismatch"
    assert answer.error["ClientComputedContentSHA256"] == declared
    assert answer.error["S3ComputedContentSHA256"] == hashlib.sha256(BODY).hexdigest()


def test_a_right_content_sha256_is_accepted(twinport, account, s3, bucket):
    declared = hashlib.sha256(BODY).hexdigest()
    answer = _put_raw(twinport, account, bucket, BODY, {"x-amz-content-sha256": declared})
    assert answer.status == 200, answer.body
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == BODY
