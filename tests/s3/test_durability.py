"""Every acknowledged S3 write survives `kill -9`: a new server on the same data directory
serves the same buckets, configuration, object bytes and uploads in progress."""

import hashlib
import io
import os

import pytest
from boto3.s3.transfer import TransferConfig

from twinport.testing import TwinportServer

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def server():
    with TwinportServer() as server:
        yield server


@pytest.fixture
def account(server):
    return server.new_account()


def _restart_abruptly(server: TwinportServer, account: str):
    server.kill()
    server.start()
    return server.client("s3", account=account)


def _blob_count(server: TwinportServer) -> int:
    return len(os.listdir(server.data_dir / "s3" / "blobs"))


def test_objects_and_configuration_survive_kill(server, account):
    s3 = server.client("s3", account=account)
    s3.create_bucket(Bucket="kept")
    s3.put_bucket_versioning(Bucket="kept", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_tagging(Bucket="kept", Tagging={"TagSet": [{"Key": "team", "Value": "twin"}]})
    objects = {f"file-{n}.bin": os.urandom(1000 + n) for n in range(5)}
    for key, body in objects.items():
        s3.put_object(Bucket="kept", Key=key, Body=body, Metadata={"n": key})
    first = s3.put_object(Bucket="kept", Key="versioned", Body=b"v1")["VersionId"]
    s3.put_object(Bucket="kept", Key="versioned", Body=b"v2", Tagging="state=new")
    s3.delete_object(Bucket="kept", Key="file-0.bin")
    big = os.urandom(11 * MiB)
    s3.upload_fileobj(
        io.BytesIO(big),
        "kept",
        "big.bin",
        Config=TransferConfig(multipart_threshold=5 * MiB, multipart_chunksize=5 * MiB),
    )
    versions_before = s3.list_object_versions(Bucket="kept")

    s3 = _restart_abruptly(server, account)

    del objects["file-0.bin"]
    for key, body in objects.items():
        got = s3.get_object(Bucket="kept", Key=key)
        assert got["Body"].read() == body
        assert got["Metadata"] == {"n": key}
    big_got = s3.get_object(Bucket="kept", Key="big.bin")["Body"].read()
    assert hashlib.sha256(big_got).digest() == hashlib.sha256(big).digest()
    assert s3.get_object(Bucket="kept", Key="versioned", VersionId=first)["Body"].read() == b"v1"
    assert s3.get_object_tagging(Bucket="kept", Key="versioned")["TagSet"] == [
        {"Key": "state", "Value": "new"}
    ]
    assert s3.get_bucket_versioning(Bucket="kept")["Status"] == "Enabled"
    assert s3.get_bucket_tagging(Bucket="kept")["TagSet"] == [{"Key": "team", "Value": "twin"}]
    versions_after = s3.list_object_versions(Bucket="kept")
    for listing in ("Versions", "DeleteMarkers"):
        assert versions_after[listing] == versions_before[listing]


def test_upload_in_progress_survives_kill(server, account):
    s3 = server.client("s3", account=account)
    s3.create_bucket(Bucket="uploads")
    upload_id = s3.create_multipart_upload(Bucket="uploads", Key="k")["UploadId"]
    first = s3.upload_part(
        Bucket="uploads", Key="k", UploadId=upload_id, PartNumber=1, Body=b"1" * (5 * MiB)
    )

    s3 = _restart_abruptly(server, account)

    second = s3.upload_part(Bucket="uploads", Key="k", UploadId=upload_id, PartNumber=2, Body=b"2")
    parts = [{"PartNumber": 1, "ETag": first["ETag"]}, {"PartNumber": 2, "ETag": second["ETag"]}]
    s3.complete_multipart_upload(
        Bucket="uploads", Key="k", UploadId=upload_id, MultipartUpload={"Parts": parts}
    )
    s3 = _restart_abruptly(server, account)
    assert s3.get_object(Bucket="uploads", Key="k")["Body"].read() == b"1" * (5 * MiB) + b"2"
    assert s3.list_multipart_uploads(Bucket="uploads").get("Uploads", []) == []


def test_deleted_data_stays_deleted_and_leaves_no_files(server, account):
    blobs_before = _blob_count(server)
    s3 = server.client("s3", account=account)
    s3.create_bucket(Bucket="gone")
    s3.put_object(Bucket="gone", Key="k", Body=b"x" * 1000)
    s3.put_object(Bucket="gone", Key="k", Body=b"replaced")
    s3.delete_object(Bucket="gone", Key="k")
    s3.delete_bucket(Bucket="gone")

    s3 = _restart_abruptly(server, account)

    assert s3.list_buckets()["Buckets"] == []
    assert _blob_count(server) == blobs_before
