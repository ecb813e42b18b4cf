"""What a handler knows of the request it serves: who asks, where, and the server's parts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from twinport.config import Settings
    from twinport.engine import Engine
    from twinport.store.db import Database


@dataclass(frozen=True)
class Scope:
    """Every resource and job lives in one (account, region) and is invisible from any other."""

    account: str
    region: str


@dataclass(frozen=True)
class RequestContext:
    scope: Scope
    service: str
    operation: str
    db: Database
    settings: Settings
    engine: Engine | None = None

    @property
    def account(self) -> str:
        return self.scope.account

    @property
    def region(self) -> str:
        return self.scope.region
