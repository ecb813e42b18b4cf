"""An API process other than the main one: `twinport serve --api-processes N` starts N-1 of
them (`twinport.api_processes`), passing the listening socket, the main process's port for what
they pass on, the engine's wake-up pipe and a pipe that closes when the main process ends."""

from __future__ import annotations

import gc
import os
import signal
import socket
import sys
import threading

import uvicorn

from twinport.api_processes import MainProcess
from twinport.app import create_app
from twinport.config import Settings
from twinport.logs import setup as setup_logs
from twinport.server import server_config


def main(argv: list[str]) -> None:
    gc.disable()  # as in `twinport serve`: the gateway turns it on once started
    settings_json, listen_fd, forward_port, wake_fd, lifeline = argv
    settings = Settings.from_json(settings_json)
    threshold = setup_logs(settings.log_level, settings.log_format, settings.quiet)
    _stop_with_main(int(lifeline))
    app = create_app(settings, main=MainProcess(int(forward_port), int(wake_fd)))
    server = uvicorn.Server(server_config(app, settings, threshold))
    server.run(sockets=[socket.socket(fileno=int(listen_fd))])


def _stop_with_main(lifeline: int) -> None:
    """Stop gracefully when the main process is gone: its end of the pipe closes with it."""

    def wait() -> None:
        os.read(lifeline, 1)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait, daemon=True, name="twinport-lifeline").start()


if __name__ == "__main__":
    main(sys.argv[1:])
