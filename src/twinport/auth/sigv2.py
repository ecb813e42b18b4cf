"""Verification of AWS Signature Version 2 as S3 uses it (HMAC-SHA1, base64).

Header form `Authorization: AWS <key>:<signature>`, and the pre-signed URL
`?AWSAccessKeyId=&Expires=&Signature=` (boto3's generate_presigned_url with
signature_version='s3'). Only S3 accepts it, so a success is always in us-east-1.
"""

from __future__ import annotations

import base64
import hmac
from datetime import UTC, datetime

from twinport.auth import clock, refusals
from twinport.auth.credentials import Credentials
from twinport.auth.refusals import Refusal
from twinport.auth.request import SignedRequest, decode
from twinport.auth.signing import same
from twinport.auth.sigv4 import Verified

REGION = "us-east-1"

# The query parameters that name a sub-resource, and so are part of the signed resource:
# S3's documented list and the ones botocore's HmacV1Auth adds to it.
SUB_RESOURCES = frozenset(
    {
        "accelerate",
        "acl",
        "analytics",
        "cors",
        "defaultObjectAcl",
        "delete",
        "inventory",
        "lifecycle",
        "location",
        "logging",
        "metrics",
        "notification",
        "object-lock",
        "partNumber",
        "policy",
        "replication",
        "requestPayment",
        "response-cache-control",
        "response-content-disposition",
        "response-content-encoding",
        "response-content-language",
        "response-content-type",
        "response-expires",
        "restore",
        "select",
        "select-type",
        "storageClass",
        "tagging",
        "torrent",
        "uploadId",
        "uploads",
        "versionId",
        "versioning",
        "versions",
        "website",
    }
)


def is_header_signed(request: SignedRequest) -> bool:
    return (request.header("authorization") or "").lstrip().startswith("AWS ")


def is_query_signed(request: SignedRequest) -> bool:
    return request.query_value("AWSAccessKeyId") is not None


def verify_header(
    request: SignedRequest, credentials: Credentials, now: datetime
) -> Verified | Refusal:
    authorization = (request.header("authorization") or "").strip()
    access_key, colon, signature = authorization.removeprefix("AWS ").strip().partition(":")
    if not colon or not access_key or not signature:
        return refusals.malformed(
            "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
            "Authorization header is invalid: expected 'AWS AwsAccessKeyId:signature'.",
            s3_code="InvalidArgument",
        )
    amz_date = request.header("x-amz-date")
    moment = clock.parse_http_date(amz_date or request.header("date") or "")
    if moment is None:
        return refusals.missing_date()
    skewed = clock.skew(moment, now)
    if skewed:
        return skewed
    # With x-amz-date the Date line is empty: a proxy may rewrite Date, not x-amz-date.
    date_line = "" if amz_date is not None else (request.header("date") or "").strip()
    return _verify(request, credentials, access_key, signature, date_line, {})


def verify_query(
    request: SignedRequest, credentials: Credentials, now: datetime
) -> Verified | Refusal:
    query = dict(request.query_pairs())
    access_key, signature = query.get("AWSAccessKeyId", ""), query.get("Signature", "")
    expires = query.get("Expires", "")
    if not access_key or not signature or not expires.isdigit():
        return refusals.query_malformed(
            "Query-string authentication requires the Signature, Expires and AWSAccessKeyId"
            " parameters"
        )
    if now > datetime.fromtimestamp(int(expires), UTC):
        if credentials.lookup(access_key) is None:
            return refusals.unknown_key(access_key)
        return refusals.expired(expires, expires, str(int(now.timestamp())))
    # botocore moves the signed Content-Type, Content-MD5 and x-amz-* headers into the query.
    moved = {
        key.lower(): value
        for key, value in query.items()
        if key.lower() in ("content-md5", "content-type") or key.lower().startswith("x-amz-")
    }
    return _verify(request, credentials, access_key, signature, expires, moved)


def _verify(
    request: SignedRequest,
    credentials: Credentials,
    access_key: str,
    signature: str,
    date_line: str,
    moved: dict[str, str],
) -> Verified | Refusal:
    found = credentials.lookup(access_key)
    if found is None:
        return refusals.unknown_key(access_key)
    string_to_sign = _string_to_sign(request, date_line, moved)
    expected = base64.b64encode(
        hmac.digest(found.secret.encode(), string_to_sign.encode(), "sha1")
    ).decode()
    if not same(expected, signature):
        return refusals.mismatch(access_key, signature, string_to_sign)
    return Verified(access_key, found.account, REGION, "s3")


def _string_to_sign(request: SignedRequest, date_line: str, moved: dict[str, str]) -> str:
    def header(name: str) -> str:
        value = request.header(name)
        return (value if value is not None else moved.get(name, "")).strip()

    amz = {name: value.strip() for name, value in moved.items() if name.startswith("x-amz-")}
    for name in {key.lower() for key, _ in request.headers if key.lower().startswith("x-amz-")}:
        amz[name] = ",".join(value.strip() for value in request.header_values(name))
    amz_lines = "".join(f"{name}:{amz[name]}\n" for name in sorted(amz))
    return (
        f"{request.method}\n{header('content-md5')}\n{header('content-type')}\n"
        f"{date_line}\n{amz_lines}{_resource(request)}"
    )


def _resource(request: SignedRequest) -> str:
    """The path as sent, then the query's sub-resources sorted by name, values decoded."""
    parts = []
    for part in request.query.split("&"):
        key, equals, value = part.partition("=")
        if key in SUB_RESOURCES:
            parts.append((key, f"{key}={decode(value)}" if equals else key))
    if not parts:
        return request.path
    return request.path + "?" + "&".join(text for _, text in sorted(parts, key=lambda p: p[0]))
