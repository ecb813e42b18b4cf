"""Mutating SiteWise calls run in one transaction and are answered once per clientToken.

A mutating call that carries a `clientToken` (boto3 fills one in by itself) is answered once:
the same token with the same request gets the recorded answer again and changes nothing; the
same token with another request is refused. The record commits with the change it answers.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import orjson

from twinport.context import RequestContext
from twinport.domain.sitewise.faults import invalid_request
from twinport.store import Connection
from twinport.store import sitewise as repo

# How long a client token is remembered.
TOKEN_LIFETIME_SECONDS = 8 * 3600

Change = Callable[[Connection, float], dict]


def write_once(ctx: RequestContext, request: dict, change: Change) -> dict:
    """Run `change(conn, now)` in one transaction, unless `request`'s clientToken was seen."""
    token = request.get("clientToken")
    with ctx.db.write(ctx.scope) as conn:
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


def _fingerprint(request: dict) -> str:
    body = {k: v for k, v in request.items() if k != "clientToken"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()
