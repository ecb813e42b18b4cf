"""One DEBUG line per request on the "twinport.access" logger: who asked what, and how it went.

At DEBUG, so that nothing prints by default (`twinport serve --log-level debug` shows them).
The line is written once the request is done, when the handlers have named the service,
operation and account, and the answer's status is known.
"""

from __future__ import annotations

import logging
import time

from twinport.gateway.chain import Exchange

log = logging.getLogger("twinport.access")


class AccessLog:
    """A finalizer: it writes its line once the request is done."""

    def __call__(self, exchange: Exchange) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        caller = exchange.caller
        log.debug(
            "%s %s service=%s operation=%s account=%s region=%s status=%s %.1fms id=%s",
            exchange.scope["method"],
            exchange.scope["path"],
            caller.service if caller else "-",
            exchange.operation or "-",
            exchange.account or "-",
            caller.region if caller else "-",
            exchange.status or "-",
            (time.perf_counter() - exchange.started) * 1000,
            exchange.request_id,
        )
