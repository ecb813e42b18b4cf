"""Pre-signed GET URLs made by boto3 work without credentials (signatures are not checked)."""

import urllib.request

import boto3
import pytest
from botocore.config import Config

from twinport.config import Settings
from twinport.s3.client import presigned_get_url, s3_client
from twinport.scope import Scope


@pytest.mark.parametrize("signature_version", ["s3", "s3v4"])
def test_presigned_get(twinport, account, s3, bucket, signature_version):
    s3.put_object(Bucket=bucket, Key="report.json", Body=b'{"ok": true}')
    signer = boto3.session.Session(
        aws_access_key_id=account, aws_secret_access_key="x", region_name="us-east-1"
    ).client(
        "s3",
        endpoint_url=twinport.url,
        config=Config(signature_version=signature_version, s3={"addressing_style": "path"}),
    )
    url = signer.generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "report.json"}, ExpiresIn=60
    )
    with urllib.request.urlopen(url) as response:
        assert response.read() == b'{"ok": true}'


def test_engine_client_files_objects_under_the_scope_account(twinport, account, s3, bucket):
    settings = Settings(host="127.0.0.1", port=twinport.port)
    client = s3_client(settings, Scope(account, "eu-west-1"))
    client.put_object(Bucket=bucket, Key="export.json", Body=b"[]")

    assert s3.get_object(Bucket=bucket, Key="export.json")["Body"].read() == b"[]"
    url = presigned_get_url(client, bucket, "export.json", expires=60)
    assert "X-Amz-Credential" in url
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"[]"
