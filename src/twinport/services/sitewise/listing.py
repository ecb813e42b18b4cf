"""Stored records listed page by page in creation order (ListAssetModels, ListAssets, ...).

The nextToken carries the `seq` of the last record of the page, so a page reads only its own
records and records created meanwhile appear on a later page instead of shifting the pages.
"""

from __future__ import annotations

from collections.abc import Callable

from twinport.context import RequestContext
from twinport.services.sitewise.requests import next_token, page_position, page_size
from twinport.store.sitewise import R

# Reads up to `limit` records created after `after_seq`, oldest first.
Fetch = Callable[[int, int], list[R]]


def seq_page(ctx: RequestContext, request: dict, fetch: Fetch) -> tuple[list[R], str | None]:
    """The page the request asks for, and the token for the next page if there is one."""
    after = page_position(ctx, request)
    limit = page_size(request)
    found = fetch(after, limit + 1)  # one more than a page tells whether another page follows
    token = next_token(ctx, request, found[limit - 1].seq) if len(found) > limit else None
    return found[:limit], token
