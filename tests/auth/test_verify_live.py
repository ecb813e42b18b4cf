"""`--auth verify` on a live server: good signatures pass, every bad one is refused."""

from __future__ import annotations

import base64
import http.client
import re
import urllib.error
import urllib.request
import zlib

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
        (  # the query protocol's XML errors, with its common codes
            "sts",
            lambda c: c.get_caller_identity(),
            (403, "SignatureDoesNotMatch"),
            (403, "InvalidClientTokenId"),
        ),
    ],
)
def test_bad_signatures_are_refused_in_each_services_terms(
    server, service, call, wrong_secret, unknown_key
):
    key, _, _ = TEAM
    assert refused(lambda: call(client(server, service, key, "not-the-secret"))) == wrong_secret
    assert refused(lambda: call(client(server, service, "AKIDNOBODY000000", "x"))) == unknown_key


def test_sts_answers_the_keys_account(server):
    for key, secret, account in (TEAM, OTHER):
        assert client(server, "sts", key, secret).get_caller_identity()["Account"] == account


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


def _streaming_put(
    server,
    key_id: str,
    secret: str,
    chunks: list[bytes],
    corrupt: int | None,
    trailer: str | None = None,
):
    """A PutObject as SDKs stream it, signed chunk by chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD):
    the seed signature by botocore, each chunk's by the chain AWS documents; `corrupt` names a
    chunk whose bytes change after signing. With `trailer` (-TRAILER), a CRC32 trailer follows
    the last chunk, its signature "signed" right, "forged", or "missing". The answer's
    (status, body)."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    from twinport.auth import ChunkSigner
    from twinport.auth.signing import scope, sha256_hex, signing_key

    url = f"{server.url}/stream-bucket/streamed"
    decoded = sum(len(chunk) for chunk in chunks)
    payload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" + ("-TRAILER" if trailer else "")
    headers = {
        "x-amz-content-sha256": payload,
        "Content-Encoding": "aws-chunked",
        "x-amz-decoded-content-length": str(decoded),
    }
    if trailer:
        headers["x-amz-trailer"] = "x-amz-checksum-crc32"
    request = AWSRequest(method="PUT", url=url, headers=headers)

    class StreamingAuth(S3SigV4Auth):  # botocore signs its payload's hash; SDKs that stream, this
        def payload(self, request) -> str:
            return payload

    StreamingAuth(Credentials(key_id, secret), "s3", "us-east-1").add_auth(request)
    stamp = request.context["timestamp"]
    seed = request.headers["Authorization"].rsplit("Signature=", 1)[1]
    date = stamp[:8]
    signer = ChunkSigner(
        signing_key(secret, date, "us-east-1", "s3"), stamp, scope(date, "us-east-1", "s3"), seed
    )
    body = b""
    for index, chunk in enumerate(chunks):
        signature = signer.sign(sha256_hex(chunk))
        sent = chunk.replace(b"a", b"b") if index == corrupt else chunk
        body += f"{len(chunk):x};chunk-signature={signature}\r\n".encode() + sent + b"\r\n"
    body += f"0;chunk-signature={signer.sign(sha256_hex(b''))}\r\n".encode()
    if trailer:
        crc = zlib.crc32(b"".join(chunks)).to_bytes(4, "big")
        checksum = ("x-amz-checksum-crc32", base64.b64encode(crc).decode())
        signed = [checksum] if trailer == "signed" else [(checksum[0], "AAAAAA==")]
        body += f"{checksum[0]}:{checksum[1]}\r\n".encode()
        signature = signer.sign_trailer(signed)
        if trailer != "missing":
            body += f"x-amz-trailer-signature:{signature}\r\n".encode()
    body += b"\r\n"
    headers = dict(request.headers.items())
    headers["Content-Length"] = str(len(body))
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("PUT", "/stream-bucket/streamed", body=body, headers=headers)
    answer = connection.getresponse()
    result = answer.status, answer.read()
    connection.close()
    return result


def test_streamed_uploads_are_checked_chunk_by_chunk(server):
    key, secret, _ = TEAM
    chunks = [b"a" * 65536, b"a" * 65536, b"a" * 100]
    s3 = client(server, "s3", key, secret)
    s3.create_bucket(Bucket="stream-bucket")
    status, body = _streaming_put(server, key, secret, chunks, corrupt=None)
    assert status == 200, body
    assert s3.get_object(Bucket="stream-bucket", Key="streamed")["Body"].read() == b"".join(chunks)
    for corrupt in (0, 2):
        status, body = _streaming_put(server, key, secret, chunks, corrupt=corrupt)
        assert status == 403
        assert b"<Code>SignatureDoesNotMatch</Code>" in body
    assert s3.get_object(Bucket="stream-bucket", Key="streamed")["Body"].read() == b"".join(chunks)


def test_a_streamed_uploads_trailer_is_checked_against_its_signature(server):
    key, secret, _ = TEAM
    s3 = client(server, "s3", key, secret)
    s3.create_bucket(Bucket="stream-bucket")
    chunks = [b"a" * 65536, b"a" * 10]
    status, body = _streaming_put(server, key, secret, chunks, None, trailer="signed")
    assert status == 200, body
    for trailer in ("forged", "missing"):
        status, body = _streaming_put(server, key, secret, [b"b" * 5], None, trailer=trailer)
        assert status == 403
        assert b"<Code>SignatureDoesNotMatch</Code>" in body
    assert s3.get_object(Bucket="stream-bucket", Key="streamed")["Body"].read() == b"".join(chunks)
