"""twinport's own namespace, /_twinport/: the health endpoint, and 404 for paths it lacks.

Health answers once the server has started, before any signature is read. The other
handlers of the namespace (the console, reset) sit between the two.
"""

from __future__ import annotations

import orjson

from twinport import __version__
from twinport.gateway.asgi import send_response
from twinport.gateway.chain import Exchange
from twinport.wire.http import Response

OWN_PREFIX = "/_twinport/"
HEALTH_PATH = OWN_PREFIX + "health"


class Health:
    """Answers the health path."""

    async def __call__(self, exchange: Exchange) -> bool:
        if exchange.scope["path"] != HEALTH_PATH:
            return False
        body = orjson.dumps({"status": "ok", "version": __version__})
        await send_response(exchange.send, Response(200, body))
        return True


class UnknownOwnPath:
    """Answers any path of twinport's own namespace no handler before it served with 404."""

    async def __call__(self, exchange: Exchange) -> bool:
        path = exchange.scope["path"]
        if path == OWN_PREFIX.rstrip("/") or path.startswith(OWN_PREFIX):
            body = orjson.dumps({"message": f"twinport has no {path} (try {HEALTH_PATH})"})
            await send_response(exchange.send, Response(404, body))
            return True
        return False
