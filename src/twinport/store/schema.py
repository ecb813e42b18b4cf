"""The database schema: each repository module declares its own tables in a SCHEMA string."""

from __future__ import annotations

from twinport.store import jobs, sitewise, twinmaker


def ddl() -> str:
    return "\n".join(module.SCHEMA for module in (twinmaker, sitewise, jobs))
