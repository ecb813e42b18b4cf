"""What a job's work is given by the engine: settings, the store, its owner token, S3."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from threading import Event

from twinport.config import Settings
from twinport.s3.client import s3_client
from twinport.scope import Scope
from twinport.store.db import Database
from twinport.store.jobs import Job


def workdirs_root(settings: Settings) -> Path:
    return settings.data_dir / "jobs"


def workdir_of(settings: Settings, seq: int) -> Path:
    """Where a job keeps its files while it is validated and run."""
    return workdirs_root(settings) / str(seq)


@dataclass
class Environment:
    settings: Settings
    db: Database
    owner: str
    shutdown: Event

    def workdir(self, job: Job) -> Path:
        return workdir_of(self.settings, job.seq)

    def s3(self, scope: Scope):
        return s3_client(self.settings, scope)
