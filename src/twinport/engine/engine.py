"""The API side of the engine: starts the worker process, wakes it, stops it.

Jobs run in a separate process so that parsing and writing never compete with the API for the
GIL. The two share only the store and a pipe: each byte the server writes wakes the
engine (a job was created); the pipe's end stops it. The process dies with the server (kill -9
included) and the next start resumes every job from its committed checkpoint.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

from twinport.config import Settings
from twinport.engine.nodes import new_owner


class Engine:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        owner = new_owner(self.settings)
        command = [sys.executable, "-m", "twinport.engine.worker", owner, self.settings.to_json()]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE)
        os.set_blocking(self._process.stdin.fileno(), False)

    @property
    def wake_fd(self) -> int:
        """The pipe's end that wakes the engine, for the server's other API processes."""
        assert self._process is not None and self._process.stdin is not None
        return self._process.stdin.fileno()

    def wake(self) -> None:
        """A job was created: look for work now rather than at the next poll."""
        wake_through(self.wake_fd)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop at the next batch boundary; running jobs keep their checkpoint."""
        if self._process is None:
            return
        self._process.stdin.close()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


class WakeThrough:
    """The engine another process started, as the server's other API processes see it: they
    hold the end of its pipe (`Engine.wake_fd`) and only wake it."""

    def __init__(self, fd: int):
        self._fd = fd

    def wake(self) -> None:
        wake_through(self._fd)


def wake_through(fd: int) -> None:
    # A full pipe already holds wake-ups the engine has yet to read.
    with contextlib.suppress(BlockingIOError):
        os.write(fd, b"w")
