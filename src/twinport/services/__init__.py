"""Service handlers by AWS service name; the transfer jobs belong to the TwinMaker API."""

from __future__ import annotations

import importlib

from twinport.wire.service import Handler

# (AWS service, module exporting HANDLERS)
_PACKAGES = (
    ("iottwinmaker", "twinport.services.twinmaker"),
    ("iottwinmaker", "twinport.services.transfer"),
    ("iotsitewise", "twinport.services.sitewise"),
)


def all_handlers() -> dict[str, dict[str, Handler]]:
    handlers: dict[str, dict[str, Handler]] = {}
    for service, module_name in _PACKAGES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        handlers.setdefault(service, {}).update(module.HANDLERS)
    return handlers
