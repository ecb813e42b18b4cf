"""The HTTP server `twinport serve` runs: uvicorn, saying where it serves once it does."""

from __future__ import annotations

import socket

import uvicorn


class AnnouncingServer(uvicorn.Server):
    """Prints `announcement` after the port is bound and start-up is done, never before an
    error that stops the server (a port in use, say)."""

    def __init__(self, config: uvicorn.Config, announcement: str):
        super().__init__(config)
        self.announcement = announcement

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(self.announcement, flush=True)
