"""The transfers a job can run, one per supported (source, destination) pair."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from twinport.store.jobs import Job

if TYPE_CHECKING:
    from twinport.engine.control import JobControl
    from twinport.engine.lifecycle import Environment

_MAX_LISTED = 10


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
        "errorCode": "VALIDATION_ERROR",
        "errorMessage": message,
    }


class Transfer(Protocol):
    def validate(self, env: Environment, job: Job, workdir: Path) -> int:
        """Check the source and snapshot it into `workdir`; raise JobInvalid if it is bad.

        Returns how many resources the job will move, as far as it is known before it runs.
        """

    def run(self, env: Environment, control: JobControl, workdir: Path) -> None:
        """Move every resource, committing progress through `control`."""


def transfer_for(job: Job) -> Transfer:
    from twinport.engine.transfers import sitewise, twinmaker

    transfers: dict[tuple[str, str], Transfer] = {
        ("s3", "iottwinmaker"): twinmaker.IMPORT,
        ("iottwinmaker", "s3"): twinmaker.EXPORT,
        ("s3", "iotsitewise"): sitewise.IMPORT,
        ("iotsitewise", "s3"): sitewise.EXPORT,
        ("iotsitewise", "iottwinmaker"): sitewise.TO_TWINMAKER,
    }
    return transfers[(job.source_type, job.destination_type)]
