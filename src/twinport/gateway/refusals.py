"""A refusal in the caller's own protocol: S3's XML error for S3, the service's modeled error
for a wire service, nothing for a service twinport lacks (the unknown-service answer says so)."""

from __future__ import annotations

from collections.abc import Mapping

from twinport.gateway.asgi import s3_error, send_response
from twinport.gateway.chain import Exchange
from twinport.wire.errors import error_response
from twinport.wire.service import WireService


async def refuse(
    exchange: Exchange, services: Mapping[str, WireService], s3_code: str, message: str
) -> bool:
    """Answer a 400 with `message`: S3's `s3_code`, a wire service's own refusal. False, with
    nothing sent, for a service twinport lacks."""
    name = exchange.caller.service if exchange.caller else ""
    if name == "s3":
        answer = s3_error(400, s3_code, message)
    else:
        service = services.get(name)
        if service is None:
            return False
        answer = error_response(service.model, service.errors.refuse(message), exchange.request_id)
    await send_response(exchange.send, answer)
    return True
