"""A refusal in the caller's own protocol: S3's XML error for S3, the service's modeled error
for a wire service, nothing for a service twinport lacks (the unknown-service answer says so)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from twinport.errors import ServiceError
from twinport.gateway.chain import Exchange
from twinport.wire.errors import FrontEndErrors, error_response
from twinport.wire.http import Response
from twinport.wire.service import WireService


def refusal_for(
    exchange: Exchange,
    services: Mapping[str, WireService],
    s3: Response,
    wire: Callable[[FrontEndErrors], ServiceError],
) -> Response | None:
    name = exchange.caller.service if exchange.caller else ""
    if name == "s3":
        return s3
    service = services.get(name)
    if service is None:
        return None
    return error_response(service.model, wire(service.errors), exchange.request_id)
