"""Engine placeholder while the job runner is written."""

from __future__ import annotations

from twinport.config import Settings


class Engine:
    def __init__(self, settings: Settings):
        self.settings = settings

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass
