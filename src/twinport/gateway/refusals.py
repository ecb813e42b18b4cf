"""An answer in the caller's own protocol: S3's XML error for S3, the service's modeled error
for a wire service, and rest-json's generic form for a caller not identified yet or a service
twinport lacks. The refusals of the chain's handlers and the error mapping all answer so."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import orjson

from twinport.errors import ServiceError
from twinport.gateway.asgi import s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.wire.errors import error_response
from twinport.wire.http import Response
from twinport.wire.service import WireService


def in_callers_protocol(
    exchange: Exchange,
    services: Mapping[str, WireService],
    s3: Callable[[], Response],
    wire: Callable[[WireService], ServiceError],
) -> Response | None:
    """`s3()` for S3, `wire(service)` as that service answers it; None for any other caller."""
    name = exchange.caller.service if exchange.caller else ""
    if name == "s3":
        return s3()
    service = services.get(name)
    if service is None:
        return None
    return error_response(service.model, wire(service), exchange.request_id)


def generic_error(status: int, code: str, message: str) -> Response:
    """rest-json's error, which the JSON protocols' clients all read."""
    return Response(status, orjson.dumps({"message": message}), [("x-amzn-errortype", code)])


async def refuse(
    exchange: Exchange, services: Mapping[str, WireService], s3_code: str, message: str
) -> bool:
    """Answer a 400 with `message`: S3's `s3_code`, a wire service's own refusal. False, with
    nothing sent, for a service twinport lacks."""
    answer = in_callers_protocol(
        exchange,
        services,
        lambda: s3_error(400, s3_code, message),
        lambda service: service.errors.refuse(message),
    )
    if answer is None:
        return False
    await send_response(exchange.send, answer)
    return True
