"""Verification of AWS Signature Version 4, in the Authorization header or a pre-signed URL.

    result = verify_header(SignedRequest.from_asgi(scope, body), credentials, now)
    if isinstance(result, Refusal): answer result.fault(service)

A `Verified` of an S3 streaming upload holds the `ChunkVerifier` of its body's chunks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from twinport.auth import clock, refusals
from twinport.auth.canonical import canonical_request
from twinport.auth.chunks import ChunkSigner, ChunkVerifier
from twinport.auth.credentials import Credentials
from twinport.auth.refusals import Fault, Refusal
from twinport.auth.request import SignedRequest
from twinport.auth.signing import ALGORITHM, same, scope, sha256_hex, sign, signing_key

UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
_PAYLOAD_NAMES = (
    UNSIGNED_PAYLOAD,
    STREAMING_SIGNED,
    STREAMING_SIGNED_TRAILER,
    STREAMING_UNSIGNED_TRAILER,
)
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_EXPIRES = 7 * 24 * 3600  # a pre-signed URL lives at most a week
_CREDENTIAL_FORM = '"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request"'


@dataclass(frozen=True)
class Verified:
    access_key: str
    account: str
    region: str
    service: str
    chunks: ChunkVerifier | None = None  # the chunk signatures of a signed streaming body


@dataclass(frozen=True)
class _Claim:
    """What a request says of its own signature."""

    access_key: str
    date: str  # YYYYMMDD of the credential scope
    region: str
    service: str
    signed_headers: list[str]
    signature: str
    timestamp: str  # ISO basic, as it enters the string to sign
    moment: datetime
    expires: int | None  # seconds, for a pre-signed URL


def is_header_signed(request: SignedRequest) -> bool:
    return (request.header("authorization") or "").lstrip().startswith("AWS4-")


def is_query_signed(request: SignedRequest) -> bool:
    return request.query_value("X-Amz-Algorithm") is not None


def verify_header(
    request: SignedRequest, credentials: Credentials, now: datetime
) -> Verified | Refusal:
    claim = _header_claim(request)
    if isinstance(claim, Refusal):
        return claim
    return _verify(request, claim, credentials, now, query_form=False)


def verify_query(
    request: SignedRequest, credentials: Credentials, now: datetime
) -> Verified | Refusal:
    claim = _query_claim(request)
    if isinstance(claim, Refusal):
        return claim
    return _verify(request, claim, credentials, now, query_form=True)


def _header_claim(request: SignedRequest) -> _Claim | Refusal:
    authorization = (request.header("authorization") or "").strip()
    algorithm, _, rest = authorization.partition(" ")
    if algorithm != ALGORITHM:
        return refusals.malformed(
            f"The authorization header is malformed; the algorithm {algorithm!r} is not"
            f" supported; expecting {ALGORITHM!r}.",
            f"Unsupported AWS 'algorithm': {algorithm!r}. Authorization={authorization}",
        )
    fields = {}
    for part in rest.split(","):
        name, equals, value = part.strip().partition("=")
        if equals:
            fields[name.strip()] = value.strip()
    absent = [name for name in ("Credential", "Signature", "SignedHeaders") if not fields.get(name)]
    if absent:
        return refusals.malformed(
            "The authorization header is malformed; it lacks "
            + ", ".join(absent)
            + f": {authorization}",
            " ".join(f"Authorization header requires '{name}' parameter." for name in absent)
            + f" Authorization={authorization}",
        )
    amz_date = request.header("x-amz-date")
    http_date = request.header("date")
    moment = (
        clock.parse_iso_basic(amz_date)
        if amz_date is not None
        else clock.parse_http_date(http_date)
        if http_date is not None
        else None
    )
    if moment is None:
        return refusals.missing_date()
    return _claim(
        fields["Credential"],
        fields["SignedHeaders"],
        fields["Signature"],
        moment,
        None,
        query_form=False,
    )


def _query_claim(request: SignedRequest) -> _Claim | Refusal:
    query = dict(request.query_pairs())
    if query.get("X-Amz-Algorithm") != ALGORITHM:
        return refusals.query_malformed(
            f"X-Amz-Algorithm only supports {ALGORITHM!r}, got {query.get('X-Amz-Algorithm')!r}"
        )
    names = (
        "X-Amz-Credential",
        "X-Amz-Signature",
        "X-Amz-SignedHeaders",
        "X-Amz-Date",
        "X-Amz-Expires",
    )
    absent = [name for name in names if not query.get(name)]
    if absent:
        return refusals.query_malformed(
            "Query-string authentication version 4 requires the X-Amz-Algorithm,"
            " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and"
            f" X-Amz-Expires parameters; missing {', '.join(absent)}."
        )
    moment = clock.parse_iso_basic(query["X-Amz-Date"])
    if moment is None:
        return refusals.query_malformed(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
        )
    expires = query["X-Amz-Expires"]
    if not expires.isdigit() or not 0 < int(expires) <= _MAX_EXPIRES:
        return refusals.query_malformed(
            f"X-Amz-Expires must be a number of seconds from 1 to {_MAX_EXPIRES} (a week)"
        )
    return _claim(
        query["X-Amz-Credential"],
        query["X-Amz-SignedHeaders"],
        query["X-Amz-Signature"],
        moment,
        int(expires),
        query_form=True,
    )


def _claim(
    credential: str,
    signed_headers: str,
    signature: str,
    moment: datetime,
    expires: int | None,
    *,
    query_form: bool,
) -> _Claim | Refusal:
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not re.fullmatch(r"\d{8}", parts[1]):
        message = f"the Credential is mal-formed; expecting {_CREDENTIAL_FORM}."
        if query_form:
            return refusals.query_malformed(
                f"Error parsing the X-Amz-Credential parameter; {message}"
            )
        return refusals.malformed(
            f"The authorization header is malformed; {message}",
            f"Credential should be scoped to a valid region and service: {credential!r}.",
        )
    names = signed_headers.split(";")
    if "host" not in names:
        message = "'Host' must be a 'SignedHeader' in the AWS Authorization."
        return (
            refusals.query_malformed(message)
            if query_form
            else refusals.malformed(f"The authorization header is malformed; {message}", message)
        )
    access_key, date, region, service, _ = parts
    return _Claim(
        access_key,
        date,
        region,
        service,
        names,
        signature,
        clock.iso_basic(moment),
        moment,
        expires,
    )


def _verify(
    request: SignedRequest,
    claim: _Claim,
    credentials: Credentials,
    now: datetime,
    *,
    query_form: bool,
) -> Verified | Refusal:
    found = credentials.lookup(claim.access_key)
    if found is None:
        return refusals.unknown_key(claim.access_key)
    if claim.date != claim.timestamp[:8]:
        return _date_mismatch(claim)
    late = _too_late(claim, now)
    if late:
        return late
    payload = _payload_hash(request, claim.service, query_form=query_form)
    if isinstance(payload, Refusal):
        return payload
    canonical = canonical_request(
        request,
        claim.service,
        claim.signed_headers,
        payload,
        without="X-Amz-Signature" if query_form else "",
    )
    credential_scope = scope(claim.date, claim.region, claim.service)
    string_to_sign = "\n".join(
        (ALGORITHM, claim.timestamp, credential_scope, sha256_hex(canonical))
    )
    key = signing_key(found.secret, claim.date, claim.region, claim.service)
    if not same(sign(key, string_to_sign), claim.signature):
        return refusals.mismatch(claim.access_key, claim.signature, string_to_sign, canonical)
    if (
        _HEX_SHA256.fullmatch(payload)
        and request.body is not None
        and sha256_hex(request.body) != payload
    ):
        return refusals.content_hash_mismatch()
    chunks = None
    if not query_form and payload in (STREAMING_SIGNED, STREAMING_SIGNED_TRAILER):
        signer = ChunkSigner(key, claim.timestamp, credential_scope, claim.signature)
        chunks = ChunkVerifier(signer, signed_trailer=payload == STREAMING_SIGNED_TRAILER)
    return Verified(claim.access_key, found.account, claim.region, claim.service, chunks)


def _too_late(claim: _Claim, now: datetime) -> Refusal | None:
    if claim.expires is None:
        return clock.skew(claim.moment, now)
    end = claim.moment + timedelta(seconds=claim.expires)
    if now > end:
        return refusals.expired(claim.timestamp, clock.iso_basic(end), clock.iso_basic(now))
    # A URL signed in the future is as suspect as a header signed there.
    return clock.skew(claim.moment, now) if claim.moment > now else None


def _payload_hash(request: SignedRequest, service: str, *, query_form: bool) -> str | Refusal:
    """What the canonical request ends with: S3 names it in x-amz-content-sha256 (or signs
    UNSIGNED-PAYLOAD in a pre-signed URL); the other services sign the body's hash."""
    declared = request.header("x-amz-content-sha256")
    if declared is not None:
        declared = declared.strip()
        if declared in _PAYLOAD_NAMES or _HEX_SHA256.fullmatch(declared):
            return declared
        return refusals.invalid_request(
            "InvalidArgument",
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER,"
            " STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
            " or a valid sha256 value.",
        )
    if service == "s3":
        if query_form:
            return UNSIGNED_PAYLOAD
        return refusals.invalid_request(
            "InvalidRequest", "Missing required header for this request: x-amz-content-sha256"
        )
    if request.body is None:
        raise ValueError(f"a {service} request is verified with its body")
    return sha256_hex(request.body)


def _date_mismatch(claim: _Claim) -> Refusal:
    return Refusal(
        Fault(
            400,
            "AuthorizationHeaderMalformed",
            "The authorization header is malformed; Invalid credential date."
            " Date is not the same as X-Amz-Date.",
        ),
        Fault(
            403,
            "InvalidSignatureException",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date"
            f" from HTTP: '{claim.date}' != '{claim.timestamp[:8]}', from"
            f" '{claim.timestamp}'.",
        ),
    )
