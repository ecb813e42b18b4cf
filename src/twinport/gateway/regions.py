"""Refuse a region twinport does not know, in the caller's own protocol.

A real AWS endpoint exists only in its regions; twinport keeps state per account and region,
so a made-up region in the credential scope would make it keep one more set of everything.
The known regions are those of botocore's endpoint data, and any the user adds
(`--regions`, `TWINPORT_REGIONS`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from twinport.gateway.chain import Exchange
from twinport.gateway.refusals import refuse
from twinport.wire.models import known_regions
from twinport.wire.service import WireService


class KnownRegions:
    def __init__(self, services: Mapping[str, WireService], extra: Iterable[str]):
        self.services = services
        self.regions = known_regions() | frozenset(extra)

    async def __call__(self, exchange: Exchange) -> bool:
        caller = exchange.caller
        if caller is None or caller.region in self.regions:
            return False
        message = (
            f"twinport does not know the region '{caller.region[:64]}': use an AWS region, or"
            " add it with --regions (TWINPORT_REGIONS)"
        )
        # What S3 answers a credential scope naming a region it is not in.
        return await refuse(exchange, self.services, "AuthorizationHeaderMalformed", message)
