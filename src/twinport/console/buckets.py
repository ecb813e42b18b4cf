"""The dashboard's view of the embedded S3: an account's buckets and a bucket's objects (the
latest version of each key), read from the database that makes the embedded S3 durable."""

from __future__ import annotations

import datetime

from twinport.console.query import Query, Refusal, Sources, page_of
from twinport.store import overview


def buckets(sources: Sources, query: Query) -> dict:
    """`embedded` is false when twinport uses another S3 endpoint, whose buckets it cannot see."""
    account = query.text("account")
    if sources.objects is None:
        return {"embedded": False, "buckets": []}
    rows = overview.buckets_of(sources.objects.connection(), account, query.limit())
    return {
        "embedded": True,
        "buckets": [{"name": name, "created": _utc(created)} for name, created in rows],
    }


def objects(sources: Sources, query: Query) -> dict:
    account = query.text("account")
    bucket = query.text("bucket")
    if sources.objects is None:
        raise Refusal(404, "twinport uses another S3 endpoint: its buckets are not here")
    conn = sources.objects.connection()
    if not overview.bucket_exists(conn, account, bucket):
        raise Refusal(404, f"No bucket '{bucket}' in account {account}")
    limit = query.limit()
    rows = overview.latest_objects(conn, account, bucket, query.optional("after") or "", limit + 1)
    shown, next_cursor = page_of(rows, limit, lambda row: row.key)
    return {
        "objects": [
            {"key": row.key, "size": row.size, "lastModified": _utc(row.last_modified)}
            for row in shown
        ],
        "next": next_cursor,
    }


def _utc(iso_time: str) -> str:
    """The time with its zone: moto keeps UTC times without saying so."""
    moment = datetime.datetime.fromisoformat(iso_time)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.isoformat()
