"""Paging of the List operations: page sizes, and the page and next token a request gets.

A nextToken carries the position where the next page starts, signed and bound to the request
it answered (see `twinport.services.tokens`). A page is cut in one of two ways:

- by key (`cut`, `keyset_page`): items come in the order of a key and the next page starts
  after the key of the last item of this one, so a page reads only its own items and items
  created meanwhile appear on a later page instead of shifting the pages;
- by offset (`offset_page`): a page of a list built in memory, which has no such key.

Each service pages with its own `Pager`, which knows its default page size and how it refuses
a nextToken it did not issue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from twinport.context import RequestContext
from twinport.domain.sitewise.faults import invalid_request
from twinport.errors import ServiceError, validation
from twinport.services.tokens import decode_token, encode_token

P = TypeVar("P")  # a position: where a page starts
T = TypeVar("T")  # an item of a page


@dataclass(frozen=True)
class Pager(Generic[P]):
    """How one service's List operations page."""

    default_size: int
    first: P  # the position of the first page
    is_position: Callable[[object], bool]  # whether a token's position is one this service issues
    refuse: Callable[[str], ServiceError]  # the service's error for a refused nextToken
    not_a_position: str  # the message of that error for a signed token that is not of this kind

    def size(self, request: dict) -> int:
        return request.get("maxResults") or self.default_size

    def position(self, ctx: RequestContext, request: dict) -> P:
        """The position the request's nextToken carries; `first` without one."""
        token = request.get("nextToken")
        if not token:
            return self.first
        try:
            position = decode_token(ctx, request, token)
        except ServiceError as error:
            raise self.refuse(error.message) from None
        if not self.is_position(position):
            raise self.refuse(self.not_a_position)
        return cast(P, position)

    def cut(
        self,
        ctx: RequestContext,
        request: dict,
        items: Sequence[T],
        key_of: Callable[[T], object],
    ) -> tuple[Sequence[T], str | None]:
        """The page of `items` (read from `position` with one more than fits, to tell whether
        more follow) and the token of the next page, if there is one."""
        size = self.size(request)
        if len(items) <= size:
            return items, None
        page = items[:size]
        return page, encode_token(ctx, request, key_of(page[-1]))

    def keyset_page(
        self,
        ctx: RequestContext,
        request: dict,
        read: Callable[[P, int], Sequence[T]],
        key_of: Callable[[T], object],
    ) -> tuple[Sequence[T], str | None]:
        """The page `read(after, limit)` gives (up to `limit` items after the position `after`,
        in key order), and the token of the next page, if there is one."""
        after = self.position(ctx, request)
        return self.cut(ctx, request, read(after, self.size(request) + 1), key_of)

    def offset_page(
        self: Pager[int], ctx: RequestContext, request: dict, items: list[T]
    ) -> tuple[list[T], str | None]:
        """One page of a list built in memory, and the token of the next page if there is one."""
        start = self.position(ctx, request)
        end = start + self.size(request)
        token = encode_token(ctx, request, end) if end < len(items) else None
        return items[start:end], token


# Positions are the keys items are listed by (ids, names). 25 is the API's documented default.
TWINMAKER_PAGES: Pager[str | None] = Pager(
    default_size=25,
    first=None,
    is_position=lambda position: isinstance(position, str),
    refuse=validation,
    not_a_position="The nextToken is not valid",
)

# Positions are record seqs (`keyset_page`) or list offsets (`offset_page`).
SITEWISE_PAGES: Pager[int] = Pager(
    default_size=50,
    first=0,
    is_position=lambda position: isinstance(position, int) and position >= 0,
    refuse=invalid_request,
    not_a_position="The nextToken is not valid.",
)

# Positions are [creation time, job id] of the last job of a page: jobs are listed newest first.
JOB_PAGES: Pager[list | None] = Pager(
    default_size=50,
    first=None,
    is_position=lambda position: isinstance(position, list) and len(position) == 2,
    refuse=validation,
    not_a_position="The nextToken is not valid",
)
