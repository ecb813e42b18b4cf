"""What every SiteWise handler needs around its rule: a transaction, clientToken replay, paging.

A mutating call that carries a `clientToken` (boto3 fills one in by itself) is answered once:
the same token with the same request gets the recorded answer again and changes nothing; the
same token with another request is refused. The record commits with the change it answers.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable

import orjson

from twinport import pagination
from twinport.context import RequestContext
from twinport.domain.sitewise.faults import invalid_request
from twinport.errors import ServiceError
from twinport.store import sitewise as repo

# How long a client token is remembered.
TOKEN_LIFETIME_SECONDS = 8 * 3600
DEFAULT_PAGE_SIZE = 50

Change = Callable[[sqlite3.Connection, float], dict]


def write_once(ctx: RequestContext, request: dict, change: Change) -> dict:
    """Run `change(conn, now)` in one transaction, unless `request`'s clientToken was seen."""
    token = request.get("clientToken")
    with ctx.db.write() as conn:
        now = time.time()
        if token is None:
            return change(conn, now)
        fingerprint = _fingerprint(request)
        seen = repo.get_client_token(conn, ctx.scope, ctx.operation, token)
        if seen is not None:
            if seen[0] != fingerprint:
                raise invalid_request(
                    f"The client token {token} was already used for a different request."
                )
            return seen[1]
        answer = change(conn, now)
        repo.put_client_token(
            conn, ctx.scope, ctx.operation, token, fingerprint, answer, now, TOKEN_LIFETIME_SECONDS
        )
        return answer


def page_size(request: dict) -> int:
    return request.get("maxResults") or DEFAULT_PAGE_SIZE


def page_position(ctx: RequestContext, request: dict) -> int:
    """The position the request's nextToken carries, or 0 on the first page."""
    token = request.get("nextToken")
    if token is None:
        return 0
    try:
        position = pagination.decode_token(ctx.settings.data_dir, request, token)
    except ServiceError as error:
        raise invalid_request(error.message) from None
    if not isinstance(position, int) or position < 0:
        raise invalid_request("The nextToken is not valid.")
    return position


def next_token(ctx: RequestContext, request: dict, position: object) -> str:
    return pagination.encode_token(ctx.settings.data_dir, request, position)


def paged(ctx: RequestContext, request: dict, items: list) -> tuple[list, str | None]:
    """One page of an in-memory list, and the token for the next page if there is one."""
    start = page_position(ctx, request)
    end = start + page_size(request)
    token = next_token(ctx, request, end) if end < len(items) else None
    return items[start:end], token


def _fingerprint(request: dict) -> str:
    body = {k: v for k, v in request.items() if k != "clientToken"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()
