"""The dashboard's place in the gateway chain: the page at /_twinport/ui and its JSON reads.

Like health, it answers before the caller is identified or any signature is read: it is for
the user of this machine, in a browser, which signs nothing. Every answer is a read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import orjson

from twinport.config import Settings
from twinport.console import accounts, buckets, jobs, resources
from twinport.console.page import Page
from twinport.console.query import Query, Refusal, Sources
from twinport.gateway.asgi import send_response
from twinport.gateway.chain import Exchange
from twinport.gateway.health import OWN_PREFIX
from twinport.store import overview
from twinport.store.db import Database
from twinport.wire.http import Response

UI_PATH = OWN_PREFIX + "ui"

Read = Callable[[Sources, Query], dict]
READS: dict[str, Read] = {
    OWN_PREFIX + "accounts": accounts.accounts,
    OWN_PREFIX + "jobs": jobs.recent,
    OWN_PREFIX + "jobs/report": jobs.report,
    OWN_PREFIX + "workspaces": resources.workspaces,
    OWN_PREFIX + "entities": resources.entities,
    OWN_PREFIX + "asset-models": resources.asset_models,
    OWN_PREFIX + "assets": resources.assets,
    OWN_PREFIX + "buckets": buckets.buckets,
    OWN_PREFIX + "objects": buckets.objects,
}


class Console:
    """Answers the dashboard's page and its JSON reads."""

    def __init__(self, db: Database, settings: Settings):
        embedded = settings.s3_endpoint_url is None
        objects = overview.objects_database(settings.embedded_s3_dir) if embedded else None
        self._sources = Sources(db, settings, objects)
        self._page = Page()

    async def __call__(self, exchange: Exchange) -> bool:
        path = exchange.scope["path"]
        read = READS.get(path)
        is_page = path == UI_PATH or path.startswith(UI_PATH + "/")
        if read is None and not is_page:
            return False
        if exchange.scope["method"] != "GET":
            await _send_json(
                exchange, 405, {"message": f"{path} answers GET only"}, [("allow", "GET")]
            )
        elif read is not None:
            await self._answer_read(exchange, read)
        else:
            found = self._page.file(path[len(UI_PATH) :].lstrip("/"))
            if found is None:
                await _send_json(exchange, 404, {"message": f"The dashboard has no {path}"})
            else:
                await send_response(exchange.send, found)
        return True

    async def _answer_read(self, exchange: Exchange, read: Read) -> None:
        # Reads run off the event loop: counting a big workspace, or reading a report through
        # this same server's S3, must not hold up other requests.
        try:
            answer = await asyncio.to_thread(read, self._sources, Query(exchange.query_string))
        except Refusal as refusal:
            await _send_json(exchange, refusal.status, {"message": refusal.message})
            return
        await _send_json(exchange, 200, answer)


async def _send_json(
    exchange: Exchange, status: int, document: dict, headers: list[tuple[str, str]] | None = None
) -> None:
    await send_response(exchange.send, Response(status, orjson.dumps(document), headers or []))
