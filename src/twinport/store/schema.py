"""The database schema: each repository module declares its own tables in a SCHEMA string."""

from __future__ import annotations

from twinport.store import jobs, pricing, scenes, sitewise, sync_jobs, time_series, twinmaker


def ddl() -> str:
    return "\n".join(
        module.SCHEMA
        for module in (twinmaker, scenes, sync_jobs, pricing, sitewise, time_series, jobs)
    )
