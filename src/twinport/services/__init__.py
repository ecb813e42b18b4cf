"""Service handlers by AWS service name; the transfer jobs belong to the TwinMaker API."""

from __future__ import annotations

from twinport.wire.service import Handler


def all_handlers() -> dict[str, dict[str, Handler]]:
    from twinport.services import sitewise, sts, transfer, twinmaker

    return {
        "iottwinmaker": {**twinmaker.HANDLERS, **transfer.HANDLERS},
        "iotsitewise": sitewise.HANDLERS,
        "sts": sts.HANDLERS,
    }
