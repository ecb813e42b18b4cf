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

from twinport.auth import Credentials, Refusal, SignedRequest, authenticate
from twinport.errors import ServiceError
from twinport.gateway.asgi import BodyTooLarge, body_of, s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.gateway.refusals import generic_error, in_callers_protocol
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
        status, code, message = refusal.fault(exchange.caller.service)

        def wire(service: WireService) -> ServiceError:
            query = service.model.resolved_protocol == "query"
            return ServiceError(_QUERY_CODES.get(code, code) if query else code, message, status)

        answer = in_callers_protocol(
            exchange,
            self.services,
            lambda: s3_error(status, code, message, refusal.details),
            wire,
        )
        return answer or generic_error(status, code, message)  # a service twinport lacks
