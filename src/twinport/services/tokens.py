"""Opaque page tokens, bound to the request they came from.

A token carries the position where the next page starts, signed together with the request's
other parameters and with who asked it where: the account, region, service and operation. A
token that was altered, or is sent by another caller or with other parameters, is refused with
ValidationException, as AWS refuses it (a `twinport.services.paging.Pager` answers with its
service's error instead). The key lives in the data directory, so tokens stay valid across
restarts; on a shared database it lives in the database, so a token one node issued pages on
any other. Tokens are standard base64, which every service's NextToken pattern admits.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
from functools import cache
from pathlib import Path

import orjson

from twinport.context import RequestContext
from twinport.errors import validation
from twinport.store import secrets
from twinport.store.db import Database

# Parameters that may change from one page to the next.
_NOT_BOUND = ("nextToken", "maxResults")


def encode_token(ctx: RequestContext, request: dict, position: object) -> str:
    body = orjson.dumps([_request_key(ctx, request), position])
    mac = hmac.new(_key(ctx), body, hashlib.sha256).digest()[:16]
    return base64.b64encode(mac + body).decode()


def decode_token(ctx: RequestContext, request: dict, token: str) -> object:
    """The position a token carries; ValidationException if it is not for this request."""
    try:
        raw = base64.b64decode(token.encode(), validate=True)
        mac, body = raw[:16], raw[16:]
        good = hmac.new(_key(ctx), body, hashlib.sha256).digest()[:16]
        if not hmac.compare_digest(mac, good):
            raise ValueError("signature")
        key, position = orjson.loads(body)
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise validation("The nextToken is not valid: it was altered or not issued here") from None
    if key != _request_key(ctx, request):
        raise validation("The nextToken was issued for a request with other parameters")
    return position


def _request_key(ctx: RequestContext, request: dict) -> str:
    bound = {k: v for k, v in request.items() if k not in _NOT_BOUND}
    caller = [ctx.account, ctx.region, ctx.service, ctx.operation]
    encoded = orjson.dumps([caller, bound], option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.sha256(encoded).hexdigest()


def _key(ctx: RequestContext) -> bytes:
    if ctx.db.shared:
        return _shared_key(ctx.db)
    return _file_key(ctx.settings.data_dir)  # the settings' own Path: its hash is kept


@cache
def _shared_key(db: Database) -> bytes:
    with db.write() as conn:
        return secrets.get_or_add(conn, "page-tokens", os.urandom(32))


@cache
def _file_key(data_dir: Path) -> bytes:
    path = data_dir / "token-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}")
        tmp.write_bytes(os.urandom(32))
        # link() fails if the key exists: two processes starting at once agree on one key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
        tmp.unlink()
        return path.read_bytes()
