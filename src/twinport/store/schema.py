"""The database schema: each repository module declares its own tables in a SCHEMA string."""

from __future__ import annotations

import importlib

# Repository modules whose SCHEMA is applied on open, in this order.
_MODULES = (
    "twinport.store.twinmaker",
    "twinport.store.sitewise",
    "twinport.store.jobs",
    "twinport.store.s3objects",
)


def ddl() -> str:
    parts = []
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        parts.append(module.SCHEMA)
    return "\n".join(parts)
