"""What a handler knows of the request it serves: who asks, where, and the server's parts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from twinport.scope import Scope

if TYPE_CHECKING:
    from twinport.config import Settings
    from twinport.store.db import Database


class JobWaker(Protocol):
    """The job engine, as a handler sees it: told when a job was created."""

    def wake(self) -> None: ...


@dataclass(frozen=True)
class RequestContext:
    scope: Scope
    service: str
    operation: str
    db: Database
    settings: Settings
    engine: JobWaker | None = None

    @property
    def account(self) -> str:
        return self.scope.account

    @property
    def region(self) -> str:
        return self.scope.region
