"""Keys longer than S3's 1,024 bytes are refused, whatever creates them, and nothing is stored."""

import pytest

from tests.s3.raw import refused, signed

LONGEST = "k" * 1024
TOO_LONG = "k" * 1025
# 342 three-byte characters: 342 characters, 1,026 bytes.
TOO_LONG_IN_UTF8 = "€" * 342


@pytest.mark.parametrize("key", [TOO_LONG, TOO_LONG_IN_UTF8])
def test_put_object_with_a_key_too_long(s3, bucket, key):
    error = refused(lambda: s3.put_object(Bucket=bucket, Key=key, Body=b"x"))
    assert error["Code"] == "KeyTooLongError"
    assert error["Message"] == "Your key is too long"
    assert error["MaxSizeAllowed"] == "1024"
    assert error["Size"] == str(len(key.encode()))
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_a_key_of_1024_bytes_is_kept(s3, bucket):
    s3.put_object(Bucket=bucket, Key=LONGEST, Body=b"x")
    assert s3.get_object(Bucket=bucket, Key=LONGEST)["Body"].read() == b"x"


def test_create_multipart_upload_with_a_key_too_long(s3, bucket):
    error = refused(lambda: s3.create_multipart_upload(Bucket=bucket, Key=TOO_LONG))
    assert error["Code"] == "KeyTooLongError"
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_copy_to_a_key_too_long(s3, bucket):
    s3.put_object(Bucket=bucket, Key="source", Body=b"x")
    copy = {"Bucket": bucket, "Key": "source"}
    error = refused(lambda: s3.copy_object(Bucket=bucket, Key=TOO_LONG, CopySource=copy))
    assert error["Code"] == "KeyTooLongError"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["source"]


def _post_form(twinport, account: str, bucket: str, key: str, filename: str):
    """A browser form upload (POST Object) of a small file."""
    boundary = "twinportboundary"
    form = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="key"\r\n\r\n'
        f"{key}\r\n"
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "posted bytes\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    content_type = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    return signed(twinport, account, "POST", f"/{bucket}", form, content_type)


# The second key is short as sent, too long once ${filename} is replaced.
@pytest.mark.parametrize("key", [TOO_LONG, "k" * 1020 + "${filename}"])
def test_browser_form_upload_with_a_key_too_long(twinport, account, s3, bucket, key):
    answer = _post_form(twinport, account, bucket, key, "f.txt")
    assert answer.status == 400
    assert answer.error["Code"] == "KeyTooLongError"
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_browser_form_upload_with_a_key_of_1024_bytes(twinport, account, s3, bucket):
    answer = _post_form(twinport, account, bucket, "k" * 1019 + "${filename}", "f.txt")
    assert answer.status == 204, answer.body
    assert s3.get_object(Bucket=bucket, Key=LONGEST[:1019] + "f.txt")["Body"].read() == (
        b"posted bytes"
    )
