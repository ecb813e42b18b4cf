"""Who is calling and which service they mean, from the request's signature (never verified).

SigV4 names service and region in its credential scope, in the Authorization header or in the
X-Amz-Credential query parameter of a pre-signed URL. SigV2 (`Authorization: AWS key:sig` or
`AWSAccessKeyId=` in the query) and unsigned requests can only be S3. A 12-digit access key
is taken as the account id, so that tests can act as many accounts without any set-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

_V4_HEADER = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_V2_HEADER = re.compile(r"^AWS ([^:\s]+):")
_ACCOUNT = re.compile(r"\d{12}")
DEFAULT_REGION = "us-east-1"
_AWS_SCHEMES = ("AWS4-", "AWS ")


@dataclass(frozen=True)
class Caller:
    service: str
    region: str
    access_key: str | None
    malformed: bool = False  # an AWS Authorization header that could not be read

    def account(self, default: str) -> str:
        key = self.access_key
        return key if key and _ACCOUNT.fullmatch(key) else default


def identify(authorization: str | None, query_string: str) -> Caller:
    if authorization:
        found = _V4_HEADER.search(authorization)
        if found:
            return Caller(found.group(3), found.group(2), found.group(1))
        found = _V2_HEADER.match(authorization)
        if found:
            return Caller("s3", DEFAULT_REGION, found.group(1))
        if authorization.startswith(_AWS_SCHEMES):
            # An AWS signature we cannot read names no service: S3 refuses it as S3 would.
            return Caller("s3", DEFAULT_REGION, None, malformed=True)
    if "X-Amz-Credential" in query_string or "AWSAccessKeyId" in query_string:
        query = parse_qs(query_string)
        credential = query.get("X-Amz-Credential", [""])[0]
        parts = unquote(credential).split("/")
        if len(parts) == 5:
            return Caller(parts[3], parts[2], parts[0])
        key = query.get("AWSAccessKeyId", [None])[0]
        return Caller("s3", DEFAULT_REGION, key)
    return Caller("s3", DEFAULT_REGION, None)
