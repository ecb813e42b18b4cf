"""Multipart uploads: boto3's transfer manager, and the low-level calls."""

import io
import os

import pytest
from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError

MiB = 1024 * 1024
SMALL_PARTS = TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB)


def test_upload_and_download_with_the_transfer_manager(s3, bucket):
    data = os.urandom(12 * MiB + 7)
    s3.upload_fileobj(io.BytesIO(data), bucket, "big.bin", Config=SMALL_PARTS)

    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == len(data)
    assert head["ETag"].endswith('-3"')
    out = io.BytesIO()
    s3.download_fileobj(bucket, "big.bin", out, Config=SMALL_PARTS)
    assert out.getvalue() == data
    assert s3.get_object(Bucket=bucket, Key="big.bin")["Body"].read() == data
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_only_listed_parts_make_the_object_and_checksum_is_kept(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="CRC32")
    upload_id = upload["UploadId"]
    first = s3.upload_part(
        Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"a" * (5 * MiB)
    )
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=2, Body=b"not listed")
    third = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=3, Body=b"end")
    listed = [
        {"PartNumber": n, "ETag": p["ETag"], "ChecksumCRC32": p["ChecksumCRC32"]}
        for n, p in ((1, first), (3, third))
    ]
    for _ in range(2):  # completing is idempotent, as a retry needs it to be
        s3.complete_multipart_upload(
            Bucket=bucket, Key="k", UploadId=upload_id, MultipartUpload={"Parts": listed}
        )

    got = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert got["Body"].read() == b"a" * (5 * MiB) + b"end"
    assert got["ChecksumCRC32"].endswith("-2")
    part = s3.head_object(Bucket=bucket, Key="k", PartNumber=3)
    assert (part["ContentLength"], part["PartsCount"]) == (3, 2)


def test_abort(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"x")
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    with pytest.raises(ClientError) as error:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=2, Body=b"y")
    assert error.value.response["Error"]["Code"] == "NoSuchUpload"
