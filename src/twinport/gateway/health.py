"""The health endpoint: answers once the server has started, before any signature is read."""

from __future__ import annotations

import orjson

from twinport import __version__
from twinport.gateway.asgi import send_response
from twinport.gateway.chain import Exchange
from twinport.wire.http import Response

OWN_PREFIX = "/_twinport/"
HEALTH_PATH = OWN_PREFIX + "health"


class Health:
    """Answers the health path, and any other path of twinport's own namespace with 404."""

    async def __call__(self, exchange: Exchange) -> bool:
        path = exchange.scope["path"]
        if path == HEALTH_PATH:
            body = orjson.dumps({"status": "ok", "version": __version__})
            await send_response(exchange.send, Response(200, body))
            return True
        if path == OWN_PREFIX.rstrip("/") or path.startswith(OWN_PREFIX):
            body = orjson.dumps({"message": f"twinport has no {path} (try {HEALTH_PATH})"})
            await send_response(exchange.send, Response(404, body))
            return True
        return False
