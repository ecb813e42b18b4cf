"""One INFO line per request on the "twinport.access" logger: who asked what, and how it went.

The line is written once the request is done, when the handlers have named the service,
operation and account, and the answer's status is known. Its fields are named (see
`twinport.logs`), so the JSON log shows each of them; the text is formatted only when a
handler writes it, and not at all under `--quiet`.
"""

from __future__ import annotations

import logging
import time

from twinport.gateway.chain import Exchange

log = logging.getLogger("twinport.access")

_LINE = (
    "%(method)s %(path)s service=%(service)s operation=%(operation)s account=%(account)s"
    " region=%(region)s status=%(status)s %(ms).1fms id=%(request_id)s"
)


class AccessLog:
    """A finalizer: it writes its line once the request is done."""

    def __call__(self, exchange: Exchange) -> None:
        if exchange.forwarded or not log.isEnabledFor(logging.INFO):
            return
        caller = exchange.caller
        fields = {
            "method": exchange.scope["method"],
            "path": exchange.scope["path"],
            "service": caller.service if caller else "-",
            "operation": exchange.operation or "-",
            "account": exchange.account or "-",
            "region": caller.region if caller else "-",
            "status": exchange.status or "-",
            "ms": round((time.perf_counter() - exchange.started) * 1000, 1),
            "request_id": exchange.request_id,
        }
        log.info(_LINE, fields)
