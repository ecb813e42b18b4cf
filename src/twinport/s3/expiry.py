"""Pre-signed URLs expire, whether signatures are verified or not.

With `--auth off` (the default) signatures are not verified (that would need the caller's
secret key), but a URL's expiry is part of the URL; with `--auth verify` the gateway has
checked the signature and its expiry before S3 sees the request, and this check agrees.
SigV4 gives the signing time and a lifetime (`X-Amz-Date`, `X-Amz-Expires`, at most a week),
SigV2 the moment of expiry in epoch seconds (`Expires`). Past it, S3 answers 403 AccessDenied
"Request has expired" and says when it expired and what time it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from twinport.s3.refusals import Refused

_V4_DATE = "%Y%m%dT%H%M%SZ"
_V4_MAX_SECONDS = 7 * 24 * 3600
_V4_REQUIRED = (
    "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
    "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
)


def _xml_time(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _malformed(message: str) -> Refused:
    return Refused(400, "AuthorizationQueryParametersError", message)


def check_expiry(param: Callable[[str], str | None], now: datetime.datetime) -> None:
    """Raises Refused for a pre-signed request past its expiry; `param` reads the query."""
    if param("X-Amz-Algorithm") is not None:
        _check_v4(param("X-Amz-Date"), param("X-Amz-Expires"), now)
    elif param("Signature") is not None and param("AWSAccessKeyId") is not None:
        _check_v2(param("Expires"), now)


def _check_v4(date: str | None, expires: str | None, now: datetime.datetime) -> None:
    if date is None or expires is None:
        raise _malformed(_V4_REQUIRED)
    try:
        signed = datetime.datetime.strptime(date, _V4_DATE).replace(tzinfo=datetime.UTC)
    except ValueError:
        raise _malformed(
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""
        ) from None
    if not expires.lstrip("-").isdigit():
        raise _malformed("X-Amz-Expires should be a number")
    seconds = int(expires)
    if seconds < 0:
        raise _malformed("X-Amz-Expires must be non-negative")
    if seconds > _V4_MAX_SECONDS:
        raise _malformed(
            f"X-Amz-Expires must be less than a week (in seconds) that is; {_V4_MAX_SECONDS}"
        )
    expiry = signed + datetime.timedelta(seconds=seconds)
    if now > expiry:
        raise _expired((("X-Amz-Expires", expires), ("Expires", _xml_time(expiry))), now)


def _check_v2(expires: str | None, now: datetime.datetime) -> None:
    if expires is None or not expires.isdigit():
        return  # no expiry said (S3 refuses that as a bad signature, which is not checked)
    try:
        expiry = datetime.datetime.fromtimestamp(int(expires), datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return  # beyond the calendar: never expires
    if now > expiry:
        raise _expired((("Expires", _xml_time(expiry)),), now)


def _expired(details: tuple[tuple[str, str], ...], now: datetime.datetime) -> Refused:
    return Refused(
        403, "AccessDenied", "Request has expired", (*details, ("ServerTime", _xml_time(now)))
    )
