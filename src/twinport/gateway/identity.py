"""The handler that identifies the caller of every request that gets past health."""

from __future__ import annotations

from twinport.gateway.asgi import s3_error, send_response
from twinport.gateway.caller import identify
from twinport.gateway.chain import Exchange


class Identify:
    """Notes the caller's service, account and region on the exchange, for the handlers after."""

    def __init__(self, default_account: str):
        self.default_account = default_account

    async def __call__(self, exchange: Exchange) -> bool:
        caller = identify(exchange.headers.get("authorization"), exchange.query_string)
        exchange.caller = caller
        exchange.account = caller.account(self.default_account)
        if caller.malformed:
            message = "The authorization header is malformed: it names no credential scope"
            await send_response(
                exchange.send, s3_error(400, "AuthorizationHeaderMalformed", message)
            )
            return True
        return False
