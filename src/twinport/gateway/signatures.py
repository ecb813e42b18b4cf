"""Verify each request's signature against a credentials file (`--auth verify`).

Off by default, as for moto and LocalStack: a local tool lets any process act as any account.
A team that shares a twinport turns it on: a request must then be signed with a key of the
credentials file, and it acts as that key's account. A refusal is the calling service's own
answer, in its protocol: S3's XML error, the JSON services' error with its `x-amzn-errortype`,
STS's XML error with the common codes of the query protocol.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import orjson

from twinport.auth import Credentials, Refusal, SignedRequest, authenticate
from twinport.errors import ServiceError
from twinport.gateway.asgi import BodyTooLarge, body_of, s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.wire.errors import error_response
from twinport.wire.http import Response
from twinport.wire.service import WireService

# The query protocol's common errors (STS) for what the JSON services call otherwise.
_QUERY_CODES = {
    "UnrecognizedClientException": "InvalidClientTokenId",
    "InvalidSignatureException": "SignatureDoesNotMatch",
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
}


class VerifySignatures:
    def __init__(self, credentials: Credentials, services: Mapping[str, WireService]):
        self.credentials = credentials
        self.services = services

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
            await send_response(exchange.send, self._refusal(result, exchange))
            return True
        exchange.account = result.account
        if result.chunks is not None:  # a signed stream: the S3 app checks it as it arrives
            exchange.scope["twinport.chunks"] = result.chunks
        return False

    def _refusal(self, refusal: Refusal, exchange: Exchange) -> Response:
        name = exchange.caller.service if exchange.caller else ""
        status, code, message = refusal.fault(name)
        if name == "s3":
            return s3_error(status, code, message, refusal.details)
        service = self.services.get(name)
        if service is None:  # a service twinport lacks: rest-json's generic form
            return Response(
                status, orjson.dumps({"message": message}), [("x-amzn-errortype", code)]
            )
        if service.model.resolved_protocol == "query":
            code = _QUERY_CODES.get(code, code)
        error = ServiceError(code, message, status=status)
        return error_response(service.model, error, exchange.request_id)
