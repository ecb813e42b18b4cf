"""The accounts the dashboard offers to show: every account holding anything, and its regions."""

from __future__ import annotations

from twinport.console.query import Query, Sources
from twinport.store import overview


def accounts(sources: Sources, query: Query) -> dict:
    """Every account holding anything, with the regions where it does (none for an account
    that has only buckets: buckets have no region here)."""
    regions: dict[str, list[str]] = {}
    for account, region in overview.scopes_seen(sources.db.connection()):
        regions.setdefault(account, []).append(region)
    if sources.objects is not None:
        for account in overview.bucket_accounts(sources.objects.connection()):
            regions.setdefault(account, [])
    return {
        "accounts": [
            {"accountId": account, "regions": regions[account]} for account in sorted(regions)
        ]
    }
