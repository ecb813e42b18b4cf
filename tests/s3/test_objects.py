"""Buckets and objects through boto3, against the embedded S3 of a live server."""

import hashlib

import pytest
from botocore.exceptions import ClientError


def test_put_get_list_delete(s3, bucket):
    s3.put_object(Bucket=bucket, Key="dir/a.json", Body=b'{"a": 1}', ContentType="application/json")
    s3.put_object(Bucket=bucket, Key="dir/b.json", Body=b"{}", Metadata={"origin": "test"})

    got = s3.get_object(Bucket=bucket, Key="dir/a.json")
    assert got["Body"].read() == b'{"a": 1}'
    assert got["ContentType"] == "application/json"
    assert s3.head_object(Bucket=bucket, Key="dir/b.json")["Metadata"] == {"origin": "test"}

    listed = s3.list_objects_v2(Bucket=bucket, Prefix="dir/")
    assert [o["Key"] for o in listed["Contents"]] == ["dir/a.json", "dir/b.json"]

    s3.delete_object(Bucket=bucket, Key="dir/a.json")
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="dir/a.json")
    assert error.value.response["Error"]["Code"] == "NoSuchKey"


def test_keys_with_characters_that_need_encoding(s3, bucket):
    keys = ["with space", "percent%2Fliteral", "unicode-é", "a//double", "question?mark"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    for key in keys:
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == sorted(keys)


def test_range_and_etag(s3, bucket):
    body = bytes(range(256)) * 10
    etag = s3.put_object(Bucket=bucket, Key="r", Body=body)["ETag"]
    assert etag == f'"{hashlib.md5(body).hexdigest()}"'
    part = s3.get_object(Bucket=bucket, Key="r", Range="bytes=100-199")
    assert part["Body"].read() == body[100:200]
    assert part["ContentRange"] == f"bytes 100-199/{len(body)}"
    with pytest.raises(ClientError) as error:
        s3.get_object(Bucket=bucket, Key="r", IfNoneMatch=etag)
    assert error.value.response["Error"]["Code"] == "304"


def test_empty_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    assert s3.get_object(Bucket=bucket, Key="empty")["Body"].read() == b""
    assert s3.head_object(Bucket=bucket, Key="empty")["ContentLength"] == 0


def test_copy_and_delete_objects(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"payload")
    s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == b"payload"

    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "src"}, {"Key": "dst"}]})
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_bucket_errors(s3, bucket):
    with pytest.raises(ClientError) as error:
        s3.list_objects_v2(Bucket="no-such-bucket")
    assert error.value.response["Error"]["Code"] == "NoSuchBucket"

    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as error:
        s3.delete_bucket(Bucket=bucket)
    assert error.value.response["Error"]["Code"] == "BucketNotEmpty"

    s3.delete_object(Bucket=bucket, Key="k")
    s3.delete_bucket(Bucket=bucket)
    assert s3.list_buckets()["Buckets"] == []


def test_bad_content_md5_is_refused(s3, bucket):
    with pytest.raises(ClientError) as error:
        s3.put_object(Bucket=bucket, Key="k", Body=b"abc", ContentMD5="1B2M2Y8AsgTpgAmY7PhCfg==")
    assert error.value.response["Error"]["Code"] == "BadDigest"
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
