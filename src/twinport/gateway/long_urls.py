"""Refuse a request whose URL is past what twinport reads, in the caller's own protocol.

The HTTP parser cannot take URLs over 64 KiB at all (its offsets are 16-bit), and would answer
them with a bare text 400 no SDK can parse. So the server's protocol (`twinport.server`) cuts
any URL past MAX_URL_BYTES to that length and marks the request; this handler, once the caller
is identified, refuses it. No AWS request needs such a URL: the longest are pre-signed S3 URLs
with a session token, a few KiB.
"""

from __future__ import annotations

from collections.abc import Mapping

from twinport.gateway.chain import Exchange
from twinport.gateway.refusals import refuse
from twinport.wire.service import WireService

MAX_URL_BYTES = 16 << 10
# The scope key the server's protocol sets to the URL's length when it cut it.
URL_TOO_LONG = "twinport.url_too_long"


class LongUrls:
    def __init__(self, services: Mapping[str, WireService]):
        self.services = services

    async def __call__(self, exchange: Exchange) -> bool:
        length = exchange.scope.get(URL_TOO_LONG)
        if length is None:
            return False
        message = f"The request URL is {length} bytes long; the limit is {MAX_URL_BYTES} bytes"
        # S3's error for a request line and headers past its limit.
        return await refuse(exchange, self.services, "RequestHeaderSectionTooLarge", message)
