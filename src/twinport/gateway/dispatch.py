"""The end of the chain: hand the request to the service its signature names.

S3 goes to the embedded S3 app, TwinMaker, SiteWise and STS to their wire services; any other
service is refused in its own protocol. A wire service's read-only operations run on the event
loop (WAL readers never wait); its writes run on the gateway's writer threads, so that a write
waiting for the database never holds up the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import Executor

from twinport.gateway.asgi import MAX_BODY_BYTES, BodyTooLarge, body_of, send_response
from twinport.gateway.chain import Exchange, Message, Receive, Send
from twinport.scope import Scope
from twinport.wire.errors import error_response
from twinport.wire.http import Request
from twinport.wire.service import WireService
from twinport.wire.unserved import unserved_answer

AsgiApp = Callable[[Message, Receive, Send], object]


class ServeS3:
    """Hands requests signed for S3 to the embedded S3 app, with the caller's account."""

    def __init__(self, s3: AsgiApp):
        self.s3 = s3

    async def __call__(self, exchange: Exchange) -> bool:
        caller = exchange.caller
        if caller is None or caller.service != "s3":
            return False
        scope = {
            **exchange.scope,
            "twinport.account": exchange.account,
            "twinport.region": caller.region,
        }
        await self.s3(scope, exchange.receive, exchange.send)
        return True


class ServeWire:
    """Hands requests of the wire services (TwinMaker, SiteWise, STS) to them."""

    def __init__(self, services: Mapping[str, WireService], writers: Executor):
        self.services = services
        self.writers = writers

    async def __call__(self, exchange: Exchange) -> bool:
        caller = exchange.caller
        service = self.services.get(caller.service) if caller else None
        if caller is None or service is None:
            return False
        scope = exchange.scope
        try:
            body = await body_of(exchange)
        except BodyTooLarge:
            refusal = service.errors.too_large(
                f"The request body is larger than {MAX_BODY_BYTES // (1 << 20)} MiB"
            )
            answer = error_response(service.model, refusal, exchange.request_id)
            await send_response(exchange.send, answer)
            return True
        raw_path = scope.get("raw_path") or scope["path"].encode()
        request = Request(
            method=scope["method"],
            path=raw_path.decode("latin-1").split("?", 1)[0],
            query_string=exchange.query_string,
            headers=exchange.headers,
            body=body,
            request_id=exchange.request_id,
        )
        call = service.prepare(request, Scope(exchange.account, caller.region))
        exchange.operation = call.operation
        if call.read_only:
            response = call.run()
        else:
            response = await asyncio.get_running_loop().run_in_executor(self.writers, call.run)
        await send_response(exchange.send, response)
        return True


class UnknownService:
    """The last handler: a request no handler before it serves names a service twinport lacks."""

    async def __call__(self, exchange: Exchange) -> bool:
        service = exchange.caller.service if exchange.caller else ""
        # The first request for a service loads its model (up to a tenth of a second).
        answer = await asyncio.to_thread(unserved_answer, service, exchange.request_id)
        await send_response(exchange.send, answer)
        return True
