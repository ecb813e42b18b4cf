"""SigV2 of S3 as botocore signs it (HmacV1Auth, HmacV1QueryAuth, boto3's default presigner)."""

from dataclasses import replace
from datetime import timedelta

from botocore.auth import HmacV1Auth, HmacV1QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials

from tests.auth.clients import ACCOUNT, CREDENTIALS, KEY, SECRET, client, from_url, now, received
from tests.auth.test_sigv4 import refused, verified
from twinport.auth import authenticate


def signed(url: str, headers: dict[str, str] | None = None, *, secret: str = SECRET):
    aws = AWSRequest("PUT", url, headers=headers or {}, data=b"x")
    HmacV1Auth(BotoCredentials(KEY, secret)).add_auth(aws)
    return received(aws.prepare())


def test_header_signatures_with_subresources_and_amz_headers_verify():
    url = "http://localhost:4566/b/a%20b%2Bc?uploadId=u%201&partNumber=2&x-id=UploadPart"
    request = signed(
        url, {"Content-Type": "text/plain", "x-amz-meta-a": " 1 ", "Content-MD5": "abc=="}
    )
    verified(request, service="s3", region="us-east-1", account=ACCOUNT)
    refused(
        authenticate(replace(request, query="uploadId=v&partNumber=2"), CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )
    meta = tuple((n, "2" if n == "x-amz-meta-a" else v) for n, v in request.headers)
    refused(
        authenticate(replace(request, headers=meta), CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )


def test_a_wrong_secret_an_unknown_key_and_a_skewed_date_are_refused():
    refused(
        authenticate(signed("http://localhost:4566/b/k", secret="no"), CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )
    aws = AWSRequest("GET", "http://localhost:4566/b/k")
    HmacV1Auth(BotoCredentials("AKIDUNKNOWN", SECRET)).add_auth(aws)
    refused(
        authenticate(received(aws.prepare()), CREDENTIALS, now()),
        "InvalidAccessKeyId",
        "UnrecognizedClientException",
    )
    refused(
        authenticate(signed("http://h/b/k"), CREDENTIALS, now() + timedelta(minutes=16)),
        "RequestTimeTooSkewed",
        "InvalidSignatureException",
    )


def test_boto3_presigned_urls_verify_until_they_expire():
    url = client("s3").generate_presigned_url(
        "get_object", Params={"Bucket": "b", "Key": "ü +~", "VersionId": "1"}, ExpiresIn=60
    )
    assert "AWSAccessKeyId=" in url
    verified(from_url(url))
    refusal = refused(
        authenticate(from_url(url), CREDENTIALS, now() + timedelta(seconds=61)),
        "AccessDenied",
        "InvalidSignatureException",
    )
    assert refusal.s3.message == "Request has expired"
    refused(
        authenticate(from_url(url.replace("versionId=1", "versionId=2")), CREDENTIALS, now()),
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
    )


def test_presigned_headers_moved_into_the_query_verify():
    aws = AWSRequest(
        "PUT", "http://localhost:4566/b/k", headers={"Content-Type": "a/b", "x-amz-acl": "private"}
    )
    HmacV1QueryAuth(BotoCredentials(KEY, SECRET), expires=60).add_auth(aws)
    verified(from_url(aws.prepare().url, "PUT"))


def test_a_malformed_header_is_refused():
    request = signed("http://h/b/k")
    broken = tuple((n, "AWS nocolon" if n == "Authorization" else v) for n, v in request.headers)
    refused(
        authenticate(replace(request, headers=broken), CREDENTIALS, now()),
        "InvalidArgument",
        "IncompleteSignature",
    )
