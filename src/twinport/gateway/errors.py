"""Whatever a later handler raises becomes a 500 in the calling service's own error format.

An SDK can then parse it (error code, request id) and retry it like any server error, instead of
failing on a bare text answer. Once an answer has begun, nothing else can be sent: the error is
raised on, and the server cuts the connection.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from twinport.gateway.asgi import s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.gateway.refusals import generic_error, in_callers_protocol
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
        answer = in_callers_protocol(
            exchange,
            self.services,
            lambda: s3_error(
                500, "InternalError", "We encountered an internal error. Please try again."
            ),
            lambda service: service.errors.internal(_MESSAGE),
        )
        # Not identified yet, or a service twinport does not serve: rest-json's generic form.
        return answer or generic_error(500, "InternalFailure", _MESSAGE)
