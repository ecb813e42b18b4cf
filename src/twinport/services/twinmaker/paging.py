"""Keyset pagination of the List operations, with the server's opaque page tokens.

A page starts after the key of the last item of the previous one; the token carrying that key
is bound to the request it answered (see `twinport.pagination`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from twinport.context import RequestContext
from twinport.errors import validation
from twinport.pagination import decode_token, encode_token

DEFAULT_PAGE_SIZE = 25  # the TwinMaker API's documented default

T = TypeVar("T")


def page_size(request: dict) -> int:
    return request.get("maxResults") or DEFAULT_PAGE_SIZE


def start_after(ctx: RequestContext, request: dict) -> str | None:
    """The key the requested page starts after; None for the first page."""
    token = request.get("nextToken")
    if not token:
        return None
    after = decode_token(ctx.settings.data_dir, request, token)
    if not isinstance(after, str):
        raise validation("The nextToken is not valid")
    return after


def cut(
    ctx: RequestContext,
    request: dict,
    items: Sequence[T],
    key_of: Callable[[T], str],
) -> tuple[Sequence[T], str | None]:
    """The page of `items` (fetched with one more than fits, to tell whether more follow) and
    the token of the next page, if there is one."""
    size = page_size(request)
    if len(items) <= size:
        return items, None
    page = items[:size]
    return page, encode_token(ctx.settings.data_dir, request, key_of(page[-1]))
