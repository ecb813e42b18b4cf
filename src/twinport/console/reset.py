"""`POST /_twinport/reset[?account=<12 digits>]`: delete every resource, job, bucket and object
of one account, or of every account, and answer what was deleted.

The database part is one transaction: a job of the account that runs finds no job to write
for at its next batch, and stops before writing; its files go after the commit. Then the
account's buckets go from the embedded S3 (with `--s3-endpoint-url`, that S3 is left alone).
Like health, the path answers before any signature is read: so with `--auth verify`, where
callers are told apart, it is refused, since any caller could empty every account.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

import orjson

from twinport.config import Settings
from twinport.engine.reset import remove_job_files
from twinport.gateway.asgi import send_response
from twinport.gateway.chain import Exchange
from twinport.gateway.health import OWN_PREFIX
from twinport.store.db import Database
from twinport.store.reset import remove_account
from twinport.wire.http import Response

if TYPE_CHECKING:  # moto loads with the embedded S3, not for a server on another S3
    from twinport.s3.embedded import EmbeddedS3

RESET_PATH = OWN_PREFIX + "reset"
_ACCOUNT = re.compile(r"\d{12}")


class Reset:
    def __init__(self, db: Database, settings: Settings, s3: EmbeddedS3 | None):
        self._db = db
        self._settings = settings
        self._s3 = s3

    async def __call__(self, exchange: Exchange) -> bool:
        if exchange.scope["path"] != RESET_PATH:
            return False
        if exchange.scope["method"] != "POST":
            message = f"{RESET_PATH} takes POST only"
            await _answer(exchange, 405, {"message": message}, [("Allow", "POST")])
            return True
        if self._settings.auth == "verify":
            message = f"{RESET_PATH} is off with --auth verify: it is signed by no one"
            await _answer(exchange, 403, {"message": message})
            return True
        query = parse_qs(exchange.query_string, keep_blank_values=True)
        accounts = query.pop("account", [None])
        account = accounts[-1]
        if query or len(accounts) > 1 or (account is not None and not _ACCOUNT.fullmatch(account)):
            message = f"{RESET_PATH} takes one optional parameter: account=<12 digits>"
            await _answer(exchange, 400, {"message": message})
            return True
        # The deletes block on the database and the S3 lock: off the event loop.
        removed = await asyncio.get_running_loop().run_in_executor(None, self._reset, account)
        await _answer(exchange, 200, {"account": account, "removed": removed})
        return True

    def _reset(self, account: str | None) -> dict[str, int]:
        with self._db.write() as conn:
            removed = remove_account(conn, account)
        remove_job_files(self._settings, removed.job_seqs)
        counts = dict(removed.counts)
        if self._s3 is not None:
            dropped = self._s3.remove_account(account)
            counts.update(buckets=dropped.buckets, objects=dropped.objects)
        return counts


async def _answer(
    exchange: Exchange, status: int, body: dict, headers: list[tuple[str, str]] | None = None
) -> None:
    await send_response(exchange.send, Response(status, orjson.dumps(body), headers or []))
