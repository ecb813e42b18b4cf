"""What a transfer implements, and how it says that a job's source is bad.

Each supported pair (`twinport.transfer.registry`) names one `Transfer`; the engine validates a
job with it, then runs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from twinport.engine.control import JobControl
from twinport.engine.environment import Environment
from twinport.store.jobs import Job
from twinport.transfer.states import JobError

_MAX_LISTED = 10
# The subdirectory of a work directory for what only validation needs (the source's copy):
# a node that takes the job over is given the work directory's files, not this.
SCRATCH = "scratch"


class JobInvalid(Exception):
    """The job's source failed validation; `errors` are report rows."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors[0]["errorMessage"] if errors else "invalid")
        self.errors = errors

    def summary(self) -> str:
        shown = "; ".join(e["errorMessage"] for e in self.errors[:_MAX_LISTED])
        more = len(self.errors) - _MAX_LISTED
        tail = f"; and {more} more (see the report)" if more > 0 else ""
        return (shown + tail)[:2048]


def template_error(message: str) -> dict:
    return {
        "resourceType": "Template",
        "resourceId": None,
        "errorCode": JobError.VALIDATION_ERROR,
        "errorMessage": message,
    }


class Transfer(Protocol):
    def validate(self, env: Environment, job: Job, workdir: Path) -> int:
        """Check the source and snapshot it into files in `workdir`; raise JobInvalid if it
        is bad. `run` may read those files on another node (`engine.workfiles`).

        Returns how many resources the job will move, as far as it is known before it runs.
        """

    def run(self, env: Environment, control: JobControl, workdir: Path) -> None:
        """Move every resource, committing progress through `control`."""
