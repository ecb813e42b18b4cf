"""Request times: the formats signatures carry them in, and the 15 minutes they may be off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from twinport.auth import refusals
from twinport.auth.refusals import Refusal

ISO_BASIC = "%Y%m%dT%H%M%SZ"  # X-Amz-Date
MAX_SKEW = timedelta(seconds=refusals.MAX_SKEW_SECONDS)


def iso_basic(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(ISO_BASIC)


def parse_iso_basic(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), ISO_BASIC).replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_http_date(text: str) -> datetime | None:
    """A Date header (RFC 7231), or the ISO basic form some clients put in it."""
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return parse_iso_basic(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def skew(request_time: datetime, now: datetime) -> Refusal | None:
    if abs(request_time - now) <= MAX_SKEW:
        return None
    return refusals.skewed(
        iso_basic(request_time),
        iso_basic(now),
        iso_basic(now - MAX_SKEW),
        iso_basic(now + MAX_SKEW),
    )
