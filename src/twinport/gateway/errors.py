"""Whatever a later handler raises becomes a 500 in the calling service's own error format.

An SDK can then parse it (error code, request id) and retry it like any server error, instead of
failing on a bare text answer. Once an answer has begun, nothing else can be sent: the error is
raised on, and the server cuts the connection.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import orjson

from twinport.gateway.asgi import s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.wire.errors import error_response
from twinport.wire.http import Response
from twinport.wire.service import WireService

log = logging.getLogger("twinport.gateway")

_MESSAGE = "twinport failed to serve the request; see the server log"


class MapErrors:
    def __init__(self, services: Mapping[str, WireService]):
        self.services = services

    async def __call__(self, exchange: Exchange, error: Exception) -> None:
        if exchange.status is not None:
            raise error
        log.error("%s %s failed", exchange.scope["method"], exchange.scope["path"], exc_info=error)
        await send_response(exchange.send, self._answer(exchange))

    def _answer(self, exchange: Exchange) -> Response:
        name = exchange.caller.service if exchange.caller else ""
        if name == "s3":
            return s3_error(
                500, "InternalError", "We encountered an internal error. Please try again."
            )
        service = self.services.get(name)
        if service is not None:
            return error_response(
                service.model, service.errors.internal(_MESSAGE), exchange.request_id
            )
        # Not identified yet, or a service twinport does not serve: rest-json's generic form.
        body = orjson.dumps({"message": _MESSAGE})
        return Response(500, body, [("x-amzn-errortype", "InternalFailure")])
