"""`--auth verify` on a live server: good signatures pass, every bad one is refused."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import boto3
import orjson
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.transfer.helpers import import_job, read_report, upload, wait_for
from twinport.testing import TwinportServer

TEAM = ("AKIDTEAMEXAMPLE01", "team-secret", "111111111111")
OTHER = ("AKIDOTHEREXAMPLE2", "other-secret", "222222222222")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("auth")
    credentials = folder / "credentials.json"
    credentials.write_bytes(
        orjson.dumps(
            {
                key: {"secret": secret, "account": account}
                for key, secret, account in (
                    TEAM,
                    OTHER,
                )
            }
        )
    )
    args = ("--auth", "verify", "--credentials-file", str(credentials))
    with TwinportServer(folder / "data", args=args) as running:
        yield running


def client(server: TwinportServer, service: str, key: str, secret: str, **config):
    return boto3.client(
        service,
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(
            inject_host_prefix=False,
            s3={"addressing_style": "path"},
            retries={"max_attempts": 1},
            **config,
        ),
    )


def refused(call) -> tuple[int, str]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]


def test_good_signatures_act_as_their_keys_account_end_to_end(server):
    key, secret, account = TEAM
    twinmaker = client(server, "iottwinmaker", key, secret)
    s3 = client(server, "s3", key, secret)
    s3.create_bucket(Bucket="team-bucket")
    arn = twinmaker.create_workspace(
        workspaceId="plant",
        s3Location="arn:aws:s3:::team-bucket",
        role=f"arn:aws:iam::{account}:role/twinmaker",
    )["arn"]
    assert f":{account}:workspace/plant" in arn
    assert (
        client(server, "iotsitewise", key, secret).list_asset_models()["assetModelSummaries"] == []
    )

    class Keyed:  # the transfer helpers ask a server for clients by account
        def client(self, service, account_id, region="us-east-1"):
            return client(server, service, key, secret)

    keyed = Keyed()
    template = {"entities": [{"entityId": "pump-1", "entityName": "Pump 1"}]}
    source = upload(keyed, account, "team-bucket", "in.json", template)
    job = wait_for(keyed, account, import_job(keyed, account, source, arn))
    assert job["status"]["state"] == "COMPLETED", job
    assert read_report(job)["state"] == "COMPLETED"  # the engine's own pre-signed URL passes
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "team-bucket", "Key": "in.json"}
    )
    with urllib.request.urlopen(url) as answer:
        assert orjson.loads(answer.read()) == template


@pytest.mark.parametrize(
    ("service", "call", "wrong_secret", "unknown_key"),
    [
        (
            "iottwinmaker",
            lambda c: c.list_workspaces(),
            (403, "InvalidSignatureException"),
            (403, "UnrecognizedClientException"),
        ),
        (
            "iotsitewise",
            lambda c: c.list_asset_models(),
            (403, "InvalidSignatureException"),
            (403, "UnrecognizedClientException"),
        ),
        (
            "s3",
            lambda c: c.list_buckets(),
            (403, "SignatureDoesNotMatch"),
            (403, "InvalidAccessKeyId"),
        ),
    ],
)
def test_bad_signatures_are_refused_in_each_services_terms(
    server, service, call, wrong_secret, unknown_key
):
    key, _, _ = TEAM
    assert refused(lambda: call(client(server, service, key, "not-the-secret"))) == wrong_secret
    assert refused(lambda: call(client(server, service, "AKIDNOBODY000000", "x"))) == unknown_key


def test_a_body_changed_after_signing_is_refused(server):
    key, secret, _ = TEAM
    twinmaker = client(server, "iottwinmaker", key, secret)

    def tamper(request, **_):  # after the signer, before the wire: same length, other bytes
        request.body = request.body.replace(b"tampered", b"tamperee")

    twinmaker.meta.events.register("before-send.iottwinmaker.CreateWorkspace", tamper)
    assert refused(lambda: twinmaker.create_workspace(workspaceId="w", description="tampered")) == (
        403,
        "InvalidSignatureException",
    )


def test_a_request_from_another_time_is_refused(server):
    key, secret, _ = TEAM
    s3 = client(server, "s3", key, secret, signature_version="s3v4")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "team-bucket", "Key": "in.json"}, ExpiresIn=60
    )
    # Dated 2020 (the credential scope's date too): expired, whatever its signature says.
    old = re.sub(r"X-Amz-Date=\d{8}T\d{6}Z", "X-Amz-Date=20200101T000000Z", url)
    old = re.sub(r"(X-Amz-Credential=[^&]*?%2F)\d{8}%2F", r"\g<1>20200101%2F", old)
    tampered = re.sub(r"X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=" + "0" * 64, url)
    for bad, code in ((old, "AccessDenied"), (tampered, "SignatureDoesNotMatch")):
        with pytest.raises(urllib.error.HTTPError) as caught, urllib.request.urlopen(bad):
            pass
        with caught.value as error:
            assert error.code == 403
            assert f"<Code>{code}</Code>".encode() in error.read()


def test_unsigned_requests_are_refused(server):
    for path in ("/", "/team-bucket/in.json"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(server.url + path)
        with caught.value as error:
            assert error.code == 403
            assert b"<Code>AccessDenied</Code>" in error.read()
