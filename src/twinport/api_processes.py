"""`twinport serve --api-processes N`: N processes answer requests on one port, over one store.

A process answers on one event loop, one request at a time: under 32 connections each request
waits for the 31 others, and on two cores one process leaves the second mostly idle. The main
process (the one `twinport serve` runs) keeps the job engine and the embedded S3, and starts
N-1 more API processes, which accept connections on its listening socket, open the same store
and wake the same engine. What only the main process holds, they pass on to it over a loopback
socket of its own (`twinport.gateway.forward`): S3 requests, and reset. Each one stops when
the main process does, even when it is killed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass

from twinport.config import Settings


@dataclass(frozen=True)
class MainProcess:
    """What an API process other than the main one knows of it: its port for the requests
    passed on, and its engine's wake-up pipe."""

    forward_port: int
    wake_fd: int


class ApiProcesses:
    """The main process's side: the listening socket they share, and the other processes."""

    def __init__(self, settings: Settings, listener: socket.socket):
        self.settings = settings
        self.listener = listener
        # Only this process listens here: what is passed on must not come back to another.
        self.forward = socket.create_server(("127.0.0.1", 0))
        self._processes: list[subprocess.Popen] = []
        self._lifeline: int | None = None

    def start(self, wake_fd: int) -> None:
        """Start the other API processes; they serve once the main process has its store."""
        lifeline_read, self._lifeline = os.pipe()
        listen_fd = self.listener.fileno()
        forward_port = self.forward.getsockname()[1]
        for _ in range(self.settings.api_processes - 1):
            command = [sys.executable, "-m", "twinport.cli.api_process", self.settings.to_json()]
            command += [str(n) for n in (listen_fd, forward_port, wake_fd, lifeline_read)]
            self._processes.append(
                subprocess.Popen(command, pass_fds=(listen_fd, wake_fd, lifeline_read))
            )
        os.close(lifeline_read)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop them gracefully (they finish the requests they hold), before the engine stops:
        they hold its pipe, whose end stops it."""
        for process in self._processes:
            process.terminate()
        for process in self._processes:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._processes = []
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None


def listen(settings: Settings) -> socket.socket:
    """The server's listening socket, bound before any process serves, so that all share it;
    OSError when the address is taken."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    listener = socket.create_server((settings.host, settings.port), family=family, backlog=2048)
    listener.set_inheritable(True)
    return listener
