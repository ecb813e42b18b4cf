"""Verify each request's signature against a credentials file (`--auth verify`).

Off by default, as for moto and LocalStack: a local tool lets any process act as any account.
A team that shares a twinport turns it on: a request must then be signed with a key of the
credentials file, and it acts as that key's account. A refusal is the calling service's own
answer: S3's XML error, or the JSON services' error with its `x-amzn-errortype`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from twinport.auth import Credentials, Refusal, SignedRequest, authenticate
from twinport.gateway.asgi import BodyTooLarge, body_of, s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.wire.http import Response


class VerifySignatures:
    def __init__(self, credentials: Credentials):
        self.credentials = credentials

    async def __call__(self, exchange: Exchange) -> bool:
        caller = exchange.caller
        if caller is None:
            return False
        body = None
        # S3 signs its payload's hash in a header (and its object bodies stream); the JSON
        # services' signatures cover the body itself, even when the client also sends its hash
        # in x-amz-content-sha256 (the JavaScript SDK does): the body is read and checked.
        if caller.service != "s3":
            try:
                body = await body_of(exchange)
            except BodyTooLarge:
                return False  # the service refuses it for its size
        request = SignedRequest.from_asgi(exchange.scope, body)
        result = authenticate(request, self.credentials, datetime.now(UTC))
        if isinstance(result, Refusal):
            await send_response(exchange.send, _refusal(result, caller.service))
            return True
        exchange.account = result.account
        if result.chunks is not None:  # a signed stream: the S3 app checks it as it arrives
            exchange.scope["twinport.chunks"] = result.chunks
        return False


def _refusal(refusal: Refusal, service: str) -> Response:
    status, code, message = refusal.fault(service)
    if service == "s3":
        return s3_error(status, code, message, refusal.details)
    body = orjson.dumps({"message": message})
    return Response(status, body, [("x-amzn-errortype", code)])
