"""The health endpoint: answers once the server has started, before any signature is read."""

from __future__ import annotations

import orjson

from twinport import __version__
from twinport.gateway.asgi import send_response
from twinport.gateway.chain import Exchange
from twinport.wire.http import Response

HEALTH_PATH = "/_twinport/health"


class Health:
    async def __call__(self, exchange: Exchange) -> bool:
        if exchange.scope["path"] != HEALTH_PATH:
            return False
        body = orjson.dumps({"status": "ok", "version": __version__})
        await send_response(exchange.send, Response(200, body))
        return True
