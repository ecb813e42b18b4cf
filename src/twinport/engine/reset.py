"""What a reset leaves to the engine: the files of the jobs it deleted.

A deleted job stops by itself: a running job's next batch finds no job to write for and stops
before writing (`JobStopped`, "removed"), and a job being validated finds no job to move on.
Their work directories are the engine's files, which no worker will clean up now.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable

from twinport.config import Settings
from twinport.engine.environment import workdir_of


def remove_job_files(settings: Settings, seqs: Iterable[int]) -> None:
    """Deletes the work directories of deleted jobs (a worker still busy with one fails to
    write there, and leaves it deleted)."""
    for seq in seqs:
        shutil.rmtree(workdir_of(settings, seq), ignore_errors=True)
