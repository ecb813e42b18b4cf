"""Where a resource or job lives: one account and region, invisible from any other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Every resource and job lives in one (account, region) and is invisible from any other."""

    account: str
    region: str
