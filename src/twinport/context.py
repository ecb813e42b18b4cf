"""What a handler knows of the request it serves: who asks, where, and the server's parts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from twinport.scope import Scope

if TYPE_CHECKING:
    from twinport.config import Settings
    from twinport.store.db import Database

# A Host header fit to name in a URL: a name or an IPv4 or [IPv6] address, and a port.
_HOST = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")


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
    host: str | None = None  # the Host header the request came in on

    @property
    def account(self) -> str:
        return self.scope.account

    @property
    def region(self) -> str:
        return self.scope.region

    @property
    def public_url(self) -> str:
        """Where the caller reaches twinport, for the URLs a handler returns: `--public-url`,
        else the Host the request came in on (the name a client in another container used),
        else the server's own address."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        if self.host and _HOST.fullmatch(self.host):
            return f"http://{self.host}"
        return self.settings.base_url
