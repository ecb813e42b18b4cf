"""Why a signature is refused, in the terms of both service families.

S3 and the JSON services (TwinMaker, SiteWise) name the same failure differently: S3 says
`SignatureDoesNotMatch` where the JSON services say `InvalidSignatureException`. A `Refusal`
carries both answers, so that a verifier need not know which wire format will carry it; the
gateway picks one with `fault(service)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

MAX_SKEW_SECONDS = 15 * 60


class Fault(NamedTuple):
    status: int
    code: str
    message: str


@dataclass(frozen=True)
class Refusal:
    s3: Fault
    json: Fault
    # Extra members of S3's error body (AWSAccessKeyId, StringToSign, CanonicalRequest, ...),
    # which SDKs log and which make a client's signing bug findable.
    details: tuple[tuple[str, str], ...] = ()

    def fault(self, service: str) -> Fault:
        return self.s3 if service == "s3" else self.json


_TOKEN_INVALID = "The security token included in the request is invalid."
_JSON_MISMATCH = (
    "The request signature we calculated does not match the signature you provided."
    " Check your AWS Secret Access Key and signing method."
    " Consult the service documentation for details."
)
_S3_MISMATCH = (
    "The request signature we calculated does not match the signature you provided."
    " Check your key and signing method."
)


def unknown_key(access_key: str) -> Refusal:
    return Refusal(
        Fault(
            403,
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        Fault(403, "UnrecognizedClientException", _TOKEN_INVALID),
        (("AWSAccessKeyId", access_key),),
    )


def mismatch(
    access_key: str, provided: str, string_to_sign: str, canonical_request: str = ""
) -> Refusal:
    """The signature is not the one the secret gives (SigV2 has no canonical request)."""
    json_message = _JSON_MISMATCH
    details = [
        ("AWSAccessKeyId", access_key),
        ("StringToSign", string_to_sign),
        ("SignatureProvided", provided),
    ]
    if canonical_request:
        json_message += (
            f"\n\nThe Canonical String for this request should have been\n'{canonical_request}'"
            f"\n\nThe String-to-Sign should have been\n'{string_to_sign}'\n"
        )
        details.append(("CanonicalRequest", canonical_request))
    return Refusal(
        Fault(403, "SignatureDoesNotMatch", _S3_MISMATCH),
        Fault(403, "InvalidSignatureException", json_message),
        tuple(details),
    )


def chunk_mismatch() -> Refusal:
    return Refusal(
        Fault(403, "SignatureDoesNotMatch", _S3_MISMATCH),
        Fault(403, "InvalidSignatureException", _JSON_MISMATCH),
    )


def expired(signed_at: str, expired_at: str, now: str) -> Refusal:
    """A pre-signed URL used after its X-Amz-Date + X-Amz-Expires (or SigV2 Expires)."""
    return Refusal(
        Fault(403, "AccessDenied", "Request has expired"),
        Fault(
            403,
            "InvalidSignatureException",
            f"Signature expired: {signed_at} is now earlier than {now} (expired {expired_at}).",
        ),
        (("Expires", expired_at), ("ServerTime", now)),
    )


def skewed(request_time: str, now: str, earliest: str, latest: str) -> Refusal:
    """The request was signed more than 15 minutes away from the server's clock."""
    if request_time < earliest:
        json_message = (
            f"Signature expired: {request_time} is now earlier than {earliest} ({now} - 15 min.)"
        )
    else:
        json_message = (
            f"Signature not yet current: {request_time} is still later than {latest}"
            f" ({now} + 15 min.)"
        )
    return Refusal(
        Fault(
            403,
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
        ),
        Fault(403, "InvalidSignatureException", json_message),
        (
            ("RequestTime", request_time),
            ("ServerTime", now),
            ("MaxAllowedSkewMilliseconds", str(MAX_SKEW_SECONDS * 1000)),
        ),
    )


def malformed(s3_message: str, json_message: str, *, s3_code: str = "") -> Refusal:
    """The signature cannot be read. S3 names the part (header, query, argument) in its code."""
    return Refusal(
        Fault(400, s3_code or "AuthorizationHeaderMalformed", s3_message),
        Fault(400, "IncompleteSignature", json_message),
    )


def query_malformed(message: str) -> Refusal:
    return malformed(message, message, s3_code="AuthorizationQueryParametersError")


def missing() -> Refusal:
    """No signature at all: S3 treats the caller as anonymous, the JSON services refuse it."""
    return Refusal(
        Fault(403, "AccessDenied", "Access Denied"),
        Fault(403, "MissingAuthenticationTokenException", "Missing Authentication Token"),
    )


def missing_date() -> Refusal:
    return Refusal(
        Fault(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header"),
        Fault(
            400,
            "IncompleteSignature",
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ),
    )


def invalid_request(s3_code: str, message: str) -> Refusal:
    """A request S3 refuses before looking at the signature (content hash header problems)."""
    return Refusal(Fault(400, s3_code, message), Fault(400, "IncompleteSignature", message))


def content_hash_mismatch() -> Refusal:
    """The body is not the one whose SHA-256 the signed x-amz-content-sha256 names."""
    message = "The provided 'x-amz-content-sha256' header does not match what was computed."
    return Refusal(
        Fault(400, "XAmzContentSHA256Mismatch", message),
        Fault(403, "InvalidSignatureException", _JSON_MISMATCH),
    )
