"""The API side of the engine: starts the worker process, wakes it, stops it.

Jobs run in a separate process so that parsing and writing never compete with the API for the
GIL. The two share only the SQLite database; the process dies with the server (kill -9
included) and the next start resumes every job from its committed checkpoint.
"""

from __future__ import annotations

import multiprocessing
import uuid

from twinport.config import Settings


class Engine:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._mp = multiprocessing.get_context("spawn")
        self._wake = self._mp.Event()
        self._stop = self._mp.Event()
        self._process: multiprocessing.process.BaseProcess | None = None

    def start(self) -> None:
        from twinport.engine.worker import run_engine

        # A new owner token per start fences off any worker of an earlier start.
        owner = uuid.uuid4().hex
        self._process = self._mp.Process(
            target=run_engine,
            args=(self.settings, owner, self._wake, self._stop),
            name="twinport-engine",
            daemon=True,
        )
        self._process.start()

    def wake(self) -> None:
        """A job was created: look for work now rather than at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop at the next batch boundary; running jobs keep their checkpoint."""
        if self._process is None:
            return
        self._stop.set()
        self._wake.set()
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._process = None
