"""The ASGI application: a gateway that sends each request to the service its signature names.

TwinMaker and SiteWise requests go through the generic wire layer to their handlers; S3
requests go to the embedded S3 app. The lifespan opens the store and starts the job engine.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from concurrent.futures import ThreadPoolExecutor

import orjson

from twinport import __version__
from twinport.config import Settings
from twinport.context import RequestContext, Scope
from twinport.store.db import Database
from twinport.wire.http import Request, Response
from twinport.wire.identity import identify
from twinport.wire.service import WireService

log = logging.getLogger("twinport")
HEALTH_PATH = "/_twinport/health"


class Gateway:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.db = Database(settings.db_path)
        self.services: dict[str, WireService] = {}
        self.s3 = None
        self.engine = None
        self._writers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="twinport-write")

    # -- lifespan -------------------------------------------------------------------------
    def start(self) -> None:
        from twinport.engine import Engine
        from twinport.s3.embedded import EmbeddedS3
        from twinport.services import all_handlers

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db.open()
        for name, handlers in all_handlers().items():
            self.services[name] = WireService(name, handlers, self._context)
        if self.settings.s3_endpoint_url is None:
            self.s3 = EmbeddedS3(self.settings.data_dir / "s3")
        self.engine = Engine(self.settings)
        self.engine.start()
        # What start-up loaded (service models, moto) lives as long as the server: keep the
        # collector off it, and collect young objects less often, for steady request latency.
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
        self._writers.shutdown(wait=True)
        self.db.close()

    def _context(self, scope: Scope, service: str, operation: str) -> RequestContext:
        return RequestContext(scope, service, operation, self.db, self.settings, self.engine)

    # -- ASGI -----------------------------------------------------------------------------
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        if scope["path"] == HEALTH_PATH:
            body = orjson.dumps({"status": "ok", "version": __version__})
            await _send(send, Response(200, body))
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query_string = scope["query_string"].decode("latin-1")
        caller = identify(headers.get("authorization"), query_string)
        account = caller.account(self.settings.default_account)
        if caller.service == "s3" and self.s3 is not None:
            scope = {**scope, "twinport.account": account, "twinport.region": caller.region}
            await self.s3(scope, receive, send)
            return
        service = self.services.get(caller.service)
        if service is None:
            body = orjson.dumps(
                {"message": f"twinport does not serve the '{caller.service}' service"}
            )
            await _send(
                send, Response(400, body, [("x-amzn-errortype", "UnknownServiceException")])
            )
            return
        raw_path = scope.get("raw_path") or scope["path"].encode()
        request = Request(
            method=scope["method"],
            path=raw_path.decode("latin-1").split("?", 1)[0],
            query_string=query_string,
            headers=headers,
            body=await _read_body(receive),
        )
        call = service.prepare(request, Scope(account, caller.region))
        if call.read_only:
            response = call.run()
        else:
            response = await asyncio.get_running_loop().run_in_executor(self._writers, call.run)
        await _send(send, response)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await asyncio.get_running_loop().run_in_executor(None, self.start)
                except Exception as exc:
                    log.exception("twinport failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.get_running_loop().run_in_executor(None, self.stop)
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _send(send, response: Response) -> None:
    headers = [(b"content-type", response.content_type.encode())]
    headers += [(k.encode(), v.encode()) for k, v in response.headers]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def create_app(settings: Settings | None = None) -> Gateway:
    return Gateway(settings or Settings.from_env())
