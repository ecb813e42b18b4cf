"""Pre-signed URLs stop working when they expire (only the expiry is checked, not signatures)."""

import re
import time
import urllib.error
import urllib.request
from xml.etree import ElementTree

import boto3
import pytest
from botocore.config import Config


def _signer(twinport, account: str, signature_version: str):
    return boto3.session.Session(
        aws_access_key_id=account, aws_secret_access_key="x", region_name="us-east-1"
    ).client(
        "s3",
        endpoint_url=twinport.url,
        config=Config(signature_version=signature_version, s3={"addressing_style": "path"}),
    )


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def report(s3, bucket):
    s3.put_object(Bucket=bucket, Key="report.json", Body=b"{}")
    return {"Bucket": bucket, "Key": "report.json"}


def test_an_expired_sigv4_url_is_refused(twinport, account, report):
    url = _signer(twinport, account, "s3v4").generate_presigned_url(
        "get_object", Params=report, ExpiresIn=60
    )
    url = re.sub(r"X-Amz-Date=\d{8}T\d{6}Z", "X-Amz-Date=20200101T000000Z", url)

    status, body = _get(url)

    assert status == 403
    error = {e.tag: e.text for e in ElementTree.fromstring(body)}
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == "Request has expired"
    assert error["X-Amz-Expires"] == "60"
    assert error["Expires"] == "2020-01-01T00:01:00Z"
    assert error["ServerTime"].startswith(time.strftime("%Y-", time.gmtime()))


def test_an_expired_sigv2_url_is_refused(twinport, account, report):
    url = _signer(twinport, account, "s3").generate_presigned_url(
        "get_object", Params=report, ExpiresIn=60
    )
    url = re.sub(r"Expires=\d+", "Expires=1577836800", url)

    status, body = _get(url)

    assert status == 403
    error = {e.tag: e.text for e in ElementTree.fromstring(body)}
    assert (error["Code"], error["Message"]) == ("AccessDenied", "Request has expired")
    assert error["Expires"] == "2020-01-01T00:00:00Z"
    assert "X-Amz-Expires" not in error


def test_an_expired_url_writes_nothing(twinport, account, s3, bucket):
    url = _signer(twinport, account, "s3v4").generate_presigned_url(
        "put_object", Params={"Bucket": bucket, "Key": "late"}, ExpiresIn=60
    )
    url = re.sub(r"X-Amz-Date=\d{8}T\d{6}Z", "X-Amz-Date=20200101T000000Z", url)
    request = urllib.request.Request(url, data=b"late bytes", method="PUT")
    try:
        urllib.request.urlopen(request)
    except urllib.error.HTTPError as error:
        assert error.code == 403
    else:
        pytest.fail("an expired URL wrote an object")
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


@pytest.mark.parametrize("signature_version", ["s3", "s3v4"])
def test_a_url_not_yet_expired_works(twinport, account, report, signature_version):
    url = _signer(twinport, account, signature_version).generate_presigned_url(
        "get_object", Params=report, ExpiresIn=5
    )
    assert _get(url) == (200, b"{}")


@pytest.mark.parametrize(
    ("expires", "message"),
    [
        ("soon", "X-Amz-Expires should be a number"),
        ("604801", "X-Amz-Expires must be less than a week (in seconds) that is; 604800"),
    ],
)
def test_a_malformed_sigv4_expiry_is_refused(twinport, account, report, expires, message):
    url = _signer(twinport, account, "s3v4").generate_presigned_url(
        "get_object", Params=report, ExpiresIn=60
    )
    url = url.replace("X-Amz-Expires=60", f"X-Amz-Expires={expires}")

    status, body = _get(url)

    assert status == 400
    error = {e.tag: e.text for e in ElementTree.fromstring(body)}
    assert (error["Code"], error["Message"]) == ("AuthorizationQueryParametersError", message)
