"""The ASGI application: the gateway every request enters, and the server's start and stop.

The lifespan opens the store, loads the services and starts the job engine; then it puts
together the chain of handlers (`twinport.gateway`) each HTTP request runs through.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from concurrent.futures import ThreadPoolExecutor

from twinport.auth import Credentials
from twinport.config import Settings
from twinport.console.handler import Console
from twinport.console.reset import Reset
from twinport.context import RequestContext
from twinport.engine.nodes import JoinRefused, join
from twinport.gateway.access_log import AccessLog
from twinport.gateway.chain import Chain
from twinport.gateway.chain import RequestHandler as Handler
from twinport.gateway.dispatch import ServeS3, ServeWire, UnknownService
from twinport.gateway.errors import MapErrors
from twinport.gateway.health import Health, UnknownOwnPath
from twinport.gateway.identity import Identify
from twinport.gateway.long_urls import LongUrls
from twinport.gateway.regions import KnownRegions
from twinport.gateway.request_id import RequestId
from twinport.gateway.signatures import VerifySignatures
from twinport.scope import Scope
from twinport.store.backend import open_database
from twinport.store.db import StoreUnavailable
from twinport.wire.service import WireService

log = logging.getLogger("twinport")


class Gateway:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.db = open_database(settings, durable=settings.durability == "full")
        self.services: dict[str, WireService] = {}
        self.s3 = None
        self.engine = None
        self._writers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="twinport-write")
        self._chain: Chain | None = None  # put together at start-up, from what it loads

    # -- lifespan -------------------------------------------------------------------------
    def start(self) -> None:
        from twinport.engine import Engine
        from twinport.services import all_handlers

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db.open()
        join(self.db, self.settings, "serve")
        for name, handlers in all_handlers().items():
            self.services[name] = WireService(name, handlers, self._context)
        if self.settings.s3_endpoint_url is None:
            from twinport.s3.embedded import EmbeddedS3  # moto: not for a server on another S3

            self.s3 = EmbeddedS3(self.settings.embedded_s3_dir)
        self.engine = Engine(self.settings)
        self.engine.start()
        self._chain = self._chain_of_handlers()
        # What start-up loaded (service models, moto) lives as long as the server: keep the
        # collector off it, and collect young objects less often, for steady request latency.
        # `twinport serve` starts with the collector off; no full collection before the
        # freeze either: after imports it finds next to nothing, and costs ~50 ms.
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        gc.enable()

    def _chain_of_handlers(self) -> Chain:
        """The request handlers in order: the request gets its id, health answers before any
        signature is read, then the caller is identified and each service takes its own."""
        served: list[Handler] = [ServeS3(self.s3)] if self.s3 is not None else []
        return Chain(
            [
                RequestId(),
                Health(),
                Console(self.db, self.settings),
                Reset(self.db, self.settings, self.s3),
                UnknownOwnPath(),
                Identify(self.settings.default_account),
                LongUrls(self.services),
                *self._signature_check(),
                KnownRegions(self.services, self.settings.extra_regions),
                *served,
                ServeWire(self.services, self._writers),
                UnknownService(),
            ],
            errors=[MapErrors(self.services)],
            finalizers=[AccessLog()],
        )

    def _signature_check(self) -> list[Handler]:
        if self.settings.auth != "verify":
            return []
        return [VerifySignatures(Credentials.load(self.settings.credentials_file), self.services)]

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
        self._writers.shutdown(wait=True)
        self.db.close()

    def _context(
        self, scope: Scope, service: str, operation: str, host: str | None
    ) -> RequestContext:
        return RequestContext(scope, service, operation, self.db, self.settings, self.engine, host)

    # -- ASGI -----------------------------------------------------------------------------
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http" and self._chain is not None:  # the server starts first
            await self._chain(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await asyncio.get_running_loop().run_in_executor(None, self.start)
                except (StoreUnavailable, JoinRefused) as exc:
                    log.error("twinport failed to start: %s", exc)
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                except Exception as exc:
                    log.exception("twinport failed to start")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.get_running_loop().run_in_executor(None, self.stop)
                await send({"type": "lifespan.shutdown.complete"})
                return


def create_app(settings: Settings | None = None) -> Gateway:
    return Gateway(settings or Settings.from_env())
