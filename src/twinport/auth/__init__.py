"""Verification of AWS request signatures (SigV4, and SigV2 for S3) against a credentials file.

    credentials = Credentials.load(path)
    result = authenticate(SignedRequest.from_asgi(scope, body), credentials, now)
    if isinstance(result, Refusal):
        status, code, message = result.fault(service)  # the S3 or the JSON services' terms
    else:
        result.account, result.region, result.service; result.chunks for a signed S3 stream

Only the standard library: the gateway depends on it, and it on nothing of twinport.
"""

from __future__ import annotations

from datetime import datetime

from twinport.auth import refusals, sigv2, sigv4
from twinport.auth.chunks import ChunkSigner, ChunkVerifier
from twinport.auth.credentials import Credential, Credentials, CredentialsError
from twinport.auth.refusals import Fault, Refusal
from twinport.auth.request import SignedRequest
from twinport.auth.sigv4 import Verified

__all__ = [
    "ChunkSigner",
    "ChunkVerifier",
    "Credential",
    "Credentials",
    "CredentialsError",
    "Fault",
    "Refusal",
    "SignedRequest",
    "Verified",
    "authenticate",
]


def authenticate(
    request: SignedRequest, credentials: Credentials, now: datetime
) -> Verified | Refusal:
    """Whichever signature the request carries, verified; an unsigned request is refused."""
    if sigv4.is_header_signed(request):
        return sigv4.verify_header(request, credentials, now)
    if sigv2.is_header_signed(request):
        return sigv2.verify_header(request, credentials, now)
    if request.header("authorization"):
        return refusals.malformed(
            "Unsupported Authorization Type",
            "Authorization header requires the AWS4-HMAC-SHA256 algorithm.",
            s3_code="InvalidArgument",
        )
    if sigv4.is_query_signed(request):
        return sigv4.verify_query(request, credentials, now)
    if sigv2.is_query_signed(request):
        return sigv2.verify_query(request, credentials, now)
    return refusals.missing()
