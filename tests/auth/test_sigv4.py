"""SigV4 as botocore signs it: rest-json TwinMaker and SiteWise, S3 headers and pre-signed URLs."""

from dataclasses import replace
from datetime import timedelta

import pytest
from botocore.auth import S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials as BotoCredentials

from tests.auth.clients import (
    ACCOUNT,
    CREDENTIALS,
    KEY,
    SECRET,
    client,
    from_url,
    now,
    received,
    sent,
)
from twinport.auth import Refusal, SignedRequest, Verified, authenticate

S3V4 = Config(signature_version="s3v4")


def refused(result: object, s3_code: str, json_code: str) -> Refusal:
    assert isinstance(result, Refusal), result
    assert (result.s3.code, result.json.code) == (s3_code, json_code), result
    return result


def verified(request: SignedRequest, **changes: object) -> Verified:
    result = authenticate(request, CREDENTIALS, now())
    assert isinstance(result, Verified), result
    for name, value in changes.items():
        assert getattr(result, name) == value
    return result


def twinmaker_get_entity(**config: object) -> SignedRequest:
    twinmaker = client("iottwinmaker", **config)
    return sent(lambda: twinmaker.get_entity(workspaceId="my ws", entityId="$ROOT:a b/c"))


def test_a_twinmaker_path_with_spaces_colons_and_dollars_verifies():
    request = twinmaker_get_entity()
    assert "%24ROOT%3Aa%20b%2Fc" in request.path
    verified(request, access_key=KEY, account=ACCOUNT, region="us-east-1", service="iottwinmaker")


def test_a_twinmaker_body_is_signed():
    twinmaker = client("iottwinmaker")
    request = sent(
        lambda: twinmaker.create_workspace(workspaceId="w", role="arn:aws:iam::1:role/r")
    )
    verified(request)
    tampered = replace(request, body=request.body.replace(b"role/r", b"role/x"))
    refused(
        authenticate(tampered, CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )


def test_sitewise_repeated_query_keys_verify_in_any_order():
    sitewise = client("iotsitewise")
    request = sent(
        lambda: sitewise.list_assets(filter="TOP_LEVEL", maxResults=5, nextToken="a+b/c=")
    )
    verified(request, service="iotsitewise")
    repeated = replace(request, query=request.query + "&k=2&k=1&flag")
    signer = SigV4Auth(BotoCredentials(KEY, SECRET), "iotsitewise", "us-east-1")
    aws = AWSRequest("GET", "http://localhost:4566/assets?k=2&k=1&flag&b=%2F", headers={})
    signer.add_auth(aws)
    verified(received(aws.prepare()))
    assert repeated.query_pairs()[-1] == ("flag", "")


@pytest.mark.parametrize(
    "key", ["plain.txt", "with space.txt", "ünï/cødé.bin", "a+b~c", "dir//x/./y/../z", "100%.csv"]
)
def test_s3_keys_are_signed_as_sent(key):
    s3 = client("s3")
    request = sent(lambda: s3.put_object(Bucket="bucket", Key=key, Body=b"data"))
    verified(request, service="s3")


def test_s3_subresources_and_range_verify():
    s3 = client("s3")
    verified(sent(lambda: s3.get_object(Bucket="b", Key="k", Range="bytes=0-9", VersionId="v 1")))
    verified(sent(lambda: s3.list_objects_v2(Bucket="b", Prefix="a b/", Delimiter="/")))
    verified(
        sent(
            lambda: s3.put_object_tagging(
                Bucket="b", Key="k", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]}
            )
        )
    )


def test_s3_over_https_streams_an_unsigned_payload_with_a_trailer():
    s3 = client("s3", scheme="https")
    request = sent(lambda: s3.put_object(Bucket="b", Key="k", Body=b"data"))
    assert request.header("x-amz-content-sha256") == "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
    assert verified(request).chunks is None


def test_the_s3_body_must_match_its_declared_hash():
    s3 = client("s3")
    request = sent(lambda: s3.put_object(Bucket="b", Key="k", Body=b"data"))
    tampered = replace(request, body=b"date")
    refused(
        authenticate(tampered, CREDENTIALS, now()),
        "XAmzContentSHA256Mismatch",
        "InvalidSignatureException",
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda r: replace(r, path=r.path.replace("my%20ws", "my%20wt")),
        lambda r: replace(r, query="extra=1"),
        lambda r: replace(r, method="DELETE"),
        lambda r: replace(
            r, headers=tuple((n, "evil" if n == "Host" else v) for n, v in r.headers)
        ),
    ],
    ids=["path", "query", "method", "signed header"],
)
def test_a_tampered_request_is_refused(change):
    result = authenticate(change(twinmaker_get_entity()), CREDENTIALS, now())
    refusal = refused(result, "SignatureDoesNotMatch", "InvalidSignatureException")
    assert refusal.json.status == refusal.s3.status == 403
    assert "The Canonical String for this request should have been" in refusal.json.message


def test_an_unsigned_header_may_change():
    request = twinmaker_get_entity()
    verified(replace(request, headers=(*request.headers, ("X-Amz-User-Agent", "aws-sdk-js/3"))))


def test_a_wrong_secret_and_an_unknown_key_are_refused():
    refused(
        authenticate(twinmaker_get_entity(secret="wrong"), CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )
    unknown = refused(
        authenticate(twinmaker_get_entity(key="AKIDUNKNOWN"), CREDENTIALS, now()),
        "InvalidAccessKeyId",
        "UnrecognizedClientException",
    )
    assert unknown.json.message == "The security token included in the request is invalid."


@pytest.mark.parametrize("minutes", [-16, 16])
def test_a_request_signed_more_than_15_minutes_away_is_refused(minutes):
    request = twinmaker_get_entity()
    verified(request)
    later = now() + timedelta(minutes=minutes)
    refusal = refused(
        authenticate(request, CREDENTIALS, later),
        "RequestTimeTooSkewed",
        "InvalidSignatureException",
    )
    assert refusal.json.message.startswith("Signature expired" if minutes > 0 else "Signature not")
    assert authenticate(request, CREDENTIALS, now() + timedelta(minutes=14)).__class__ is Verified


def test_a_credential_date_other_than_the_request_date_is_refused():
    request = twinmaker_get_entity()
    authorization = request.header("authorization")
    date = authorization.split("/")[1]
    moved = authorization.replace(f"/{date}/", "/20200101/")
    headers = tuple((n, moved if n == "Authorization" else v) for n, v in request.headers)
    refused(
        authenticate(replace(request, headers=headers), CREDENTIALS, now()),
        "AuthorizationHeaderMalformed",
        "InvalidSignatureException",
    )


@pytest.mark.parametrize(
    "authorization",
    [
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE1/20200101/us-east-1/s3/aws4_request",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE1/us-east-1/s3, SignedHeaders=host, Signature=0",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE1/20200101/us-east-1/s3/aws4_request,"
        " SignedHeaders=x-amz-date, Signature=00",
        "AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE1/20200101/us-east-1/s3/aws4_request,"
        " SignedHeaders=host, Signature=00",
    ],
    ids=["no signature", "short credential", "host unsigned", "sigv4a"],
)
def test_a_malformed_authorization_is_refused(authorization):
    request = SignedRequest.of(
        "GET",
        "/",
        "",
        {"Authorization": authorization, "X-Amz-Date": "20200101T000000Z", "Host": "h"},
    )
    refusal = refused(
        authenticate(request, CREDENTIALS, now()),
        "AuthorizationHeaderMalformed",
        "IncompleteSignature",
    )
    assert refusal.s3.status == refusal.json.status == 400


def test_a_request_without_a_date_or_a_signature_is_refused():
    request = twinmaker_get_entity()
    undated = tuple((n, v) for n, v in request.headers if n != "X-Amz-Date")
    refused(
        authenticate(replace(request, headers=undated), CREDENTIALS, now()),
        "AccessDenied",
        "IncompleteSignature",
    )
    anonymous = SignedRequest.of("GET", "/b/k", "", {"Host": "h"})
    refused(
        authenticate(anonymous, CREDENTIALS, now()),
        "AccessDenied",
        "MissingAuthenticationTokenException",
    )


def test_the_js_sdk_and_cli_header_forms_verify():
    """Lower-case names, no space after the commas, values with runs of spaces, Date only."""
    request = twinmaker_get_entity()
    compact = [(name.lower(), value.replace(", ", ",")) for name, value in request.headers]
    verified(replace(request, headers=tuple(compact)))

    signer = SigV4Auth(BotoCredentials(KEY, SECRET), "iotsitewise", "us-east-1")
    aws = AWSRequest(
        "POST",
        "http://localhost:4566/assets",
        data=b"{}",
        headers={"X-Custom": "  a   b  ", "Date": "now"},
    )
    signer.add_auth(aws)
    assert "x-amz-date" not in {name.lower() for name in aws.headers}
    spaced = received(aws.prepare())
    assert spaced.header("x-custom") == "  a   b  "
    verified(spaced)


def test_a_streaming_upload_gets_a_chunk_verifier():
    s3 = client("s3")
    request = sent(lambda: s3.put_object(Bucket="b", Key="k", Body=b"x"))
    aws = AWSRequest(
        "PUT",
        "http://localhost:4566/b/k",
        headers={
            "X-Amz-Content-SHA256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            "Content-Encoding": "aws-chunked",
            "X-Amz-Decoded-Content-Length": "1",
        },
    )
    # S3SigV4Auth would put its own payload hash: the generic signer keeps the header.
    SigV4Auth(BotoCredentials(KEY, SECRET), "s3", "us-east-1").add_auth(aws)
    assert verified(received(aws.prepare())).chunks is not None
    assert verified(request).chunks is None


def test_an_s3_header_signature_needs_its_content_hash():
    aws = AWSRequest("GET", "http://localhost:4566/b/k")
    SigV4Auth(BotoCredentials(KEY, SECRET), "s3", "us-east-1").add_auth(aws)
    refused(
        authenticate(received(aws.prepare()), CREDENTIALS, now()),
        "InvalidRequest",
        "IncompleteSignature",
    )


def test_s3_presigned_urls_verify_until_they_expire():
    url = client("s3", config=S3V4).generate_presigned_url(
        "get_object",
        Params={"Bucket": "b", "Key": "a b+ü~.txt", "ResponseContentType": "x/y"},
        ExpiresIn=60,
    )
    request = from_url(url)
    verified(request, service="s3", account=ACCOUNT)
    refusal = refused(
        authenticate(request, CREDENTIALS, now() + timedelta(seconds=61)),
        "AccessDenied",
        "InvalidSignatureException",
    )
    assert refusal.s3.message == "Request has expired"
    tampered = from_url(url.replace("x%2Fy", "x%2Fz"))
    refused(
        authenticate(tampered, CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )


def test_query_signers_of_botocore_verify():
    for signer, service in ((S3SigV4QueryAuth, "s3"), (SigV4QueryAuth, "iottwinmaker")):
        aws = AWSRequest("GET", "http://localhost:4566/workspaces/a%20b/entities?maxResults=2")
        signer(BotoCredentials(KEY, SECRET), service, "us-east-1", expires=30).add_auth(aws)
        verified(received(aws.prepare()), service=service)


@pytest.mark.parametrize(
    ("name", "value"),
    [("X-Amz-Expires", "604801"), ("X-Amz-Date", "yesterday"), ("X-Amz-Algorithm", "AWS4-X")],
)
def test_malformed_presigned_parameters_are_refused(name, value):
    url = client("s3", config=S3V4).generate_presigned_url(
        "get_object", Params={"Bucket": "b", "Key": "k"}
    )
    request = from_url(url)
    pairs = [
        f"{k}={value if k == name else v}"
        for k, v in (part.split("=", 1) for part in request.query.split("&"))
    ]
    refused(
        authenticate(replace(request, query="&".join(pairs)), CREDENTIALS, now()),
        "AuthorizationQueryParametersError",
        "IncompleteSignature",
    )


def test_from_asgi_reads_the_raw_path_and_headers():
    request = twinmaker_get_entity()
    scope = {
        "method": "GET",
        "path": "/ignored",
        "raw_path": request.path.encode(),
        "query_string": request.query.encode(),
        "headers": [(n.lower().encode(), v.encode("latin-1")) for n, v in request.headers],
    }
    verified(SignedRequest.from_asgi(scope, b""))
