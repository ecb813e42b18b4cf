"""What every JSON read of the dashboard shares: where it reads (`Sources`), its query string
(`Query`), the refusal it answers with, and the page it returns of a longer list."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import parse_qs

from twinport.config import Settings
from twinport.scope import Scope
from twinport.store.db import Database

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

T = TypeVar("T")


@dataclass(frozen=True)
class Sources:
    """The server's database, its settings, and the embedded S3's database (None when S3 is
    another endpoint)."""

    db: Database
    settings: Settings
    objects: Database | None


class Refusal(Exception):
    """A read that cannot be answered: its HTTP status and a message for the user."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Query:
    """The parameters of a read's query string."""

    def __init__(self, query_string: str):
        self._values = {k: v[-1] for k, v in parse_qs(query_string).items()}

    def text(self, name: str) -> str:
        value = self._values.get(name, "")
        if not value:
            raise Refusal(400, f"Give the {name}: ?{name}=...")
        return value

    def optional(self, name: str) -> str | None:
        return self._values.get(name) or None

    def scope(self) -> Scope:
        return Scope(self.text("account"), self.text("region"))

    def limit(self) -> int:
        value = self._values.get("limit", str(DEFAULT_LIMIT))
        if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
            raise Refusal(400, f"limit must be a number from 1 to {MAX_LIMIT}, not '{value}'")
        return int(value)

    def after_seq(self) -> int:
        """The `after` cursor of lists ordered by creation (a number)."""
        value = self._values.get("after", "0")
        if not value.isdigit():
            raise Refusal(400, f"after must be the 'next' of the previous page, not '{value}'")
        return int(value)


def page_of(
    rows: Sequence[T], limit: int, cursor: Callable[[T], object]
) -> tuple[Sequence[T], object]:
    """The first `limit` of `rows` (read with one more, to know whether there are more) and
    the `next` cursor: that of the last row shown, or None when this is the last page."""
    if len(rows) > limit:
        return rows[:limit], cursor(rows[limit - 1])
    return rows, None


def iso_time(epoch_seconds: float) -> str:
    return datetime.datetime.fromtimestamp(epoch_seconds, datetime.UTC).isoformat()
