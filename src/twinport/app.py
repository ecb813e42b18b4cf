"""The ASGI application: the gateway every request enters, and the server's start and stop.

The lifespan opens the store, loads the services and starts the job engine; then it puts
together the chain of handlers (`twinport.gateway`) each HTTP request runs through. With
`--api-processes`, the main process also starts the other API processes; in those, the
gateway wakes the main process's engine and passes S3 and reset on to it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from twinport.api_processes import MainProcess
from twinport.auth import Credentials
from twinport.config import Settings
from twinport.console.handler import Console
from twinport.console.reset import RESET_PATH, Reset
from twinport.context import RequestContext
from twinport.engine.nodes import JoinRefused, join
from twinport.gateway.access_log import AccessLog
from twinport.gateway.chain import Chain, Exchange
from twinport.gateway.chain import RequestHandler as Handler
from twinport.gateway.dispatch import ServeS3, ServeWire, UnknownService
from twinport.gateway.errors import MapErrors
from twinport.gateway.forward import ForwardToMain
from twinport.gateway.health import Health, UnknownOwnPath
from twinport.gateway.identity import Identify
from twinport.gateway.long_urls import LongUrls
from twinport.gateway.regions import KnownRegions
from twinport.gateway.request_id import RequestId
from twinport.gateway.signatures import VerifySignatures
from twinport.s3.client import load_s3_model
from twinport.scope import Scope
from twinport.store.backend import open_database
from twinport.store.db import StoreUnavailable
from twinport.wire.service import WireService

if TYPE_CHECKING:
    from twinport.api_processes import ApiProcesses

log = logging.getLogger("twinport")


class Gateway:
    """`api_processes`: the other API processes, which the main process starts; `main`: in
    one of those, how to reach the main process."""

    def __init__(
        self,
        settings: Settings,
        api_processes: ApiProcesses | None = None,
        main: MainProcess | None = None,
    ):
        self.settings = settings
        self.api_processes = api_processes
        self.main = main
        self.db = open_database(settings, durable=settings.durability == "full")
        self.services: dict[str, WireService] = {}
        self.s3 = None
        self.engine = None
        self._writers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="twinport-write")
        self._chain: Chain | None = None  # put together at start-up, from what it loads

    # -- lifespan -------------------------------------------------------------------------
    def start(self) -> None:
        from twinport.engine import Engine, WakeThrough
        from twinport.services import all_handlers

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db.open()
        if self.main is None:
            join(self.db, self.settings, "serve")
        for name, handlers in all_handlers().items():
            self.services[name] = WireService(name, handlers, self._context)
        if self.main is not None:
            self.engine = WakeThrough(self.main.wake_fd)
        else:
            if self.settings.s3_endpoint_url is None:
                from twinport.s3.embedded import EmbeddedS3  # moto: not with another S3

                self.s3 = EmbeddedS3(self.settings.embedded_s3_dir)
            self.engine = Engine(self.settings)
            self.engine.start()
            if self.api_processes is not None:
                self.api_processes.start(self.engine.wake_fd)
        self._chain = self._chain_of_handlers()
        # What start-up loaded (service models, moto) lives as long as the server: keep the
        # collector off it, and collect young objects less often, for steady request latency.
        # `twinport serve` starts with the collector off; no full collection before the
        # freeze either: after imports it finds next to nothing, and costs ~50 ms.
        gc.freeze()
        gc.set_threshold(50_000, 20, 20)
        gc.enable()
        threading.Thread(target=self._warm_up, name="twinport-warm-up", daemon=True).start()

    def _warm_up(self) -> None:
        """Load, beside the first requests rather than in one of them, the two S3 service
        models the first requests would wait for: the one of the boto3 client that signs
        the URL of a report (67-110 ms more for the first Get of a finished job), and moto's
        own (about 50 ms more for the first S3 request, a CreateBucket say)."""
        load_s3_model()
        if self.s3 is not None:
            self.s3.warm_up()
        # As what start-up loaded: 38,000 objects more, which made each full collection
        # 13 ms longer, a pause that requests under load would wait for.
        gc.freeze()

    def _chain_of_handlers(self) -> Chain:
        """The request handlers in order: the request gets its id, health answers before any
        signature is read, then the caller is identified and each service takes its own."""
        served: list[Handler] = [ServeS3(self.s3)] if self.s3 is not None else []
        reset: Handler = Reset(self.db, self.settings, self.s3)
        if self.main is not None:
            port = self.main.forward_port
            reset = ForwardToMain(port, lambda exchange: exchange.scope["path"] == RESET_PATH)
            if self.settings.s3_endpoint_url is None:
                served = [ForwardToMain(port, _signed_for_s3)]
        return Chain(
            [
                RequestId(),
                Health(),
                Console(self.db, self.settings),
                reset,
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
        if self.api_processes is not None:
            self.api_processes.stop()
        if self.main is None and self.engine is not None:  # the main process's own engine
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


def _signed_for_s3(exchange: Exchange) -> bool:
    return exchange.caller is not None and exchange.caller.service == "s3"


def create_app(
    settings: Settings | None = None,
    api_processes: ApiProcesses | None = None,
    main: MainProcess | None = None,
) -> Gateway:
    return Gateway(settings or Settings.from_env(), api_processes, main)
