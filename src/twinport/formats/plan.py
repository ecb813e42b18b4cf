"""What one pass over bulk-file items finds: counts, problems and the processing order.

The engine stages the items of a pass and then reads its plan (`engine.imports.stage_scan`);
the TwinMaker and SiteWise scans, and the SiteWise → TwinMaker items, all give one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

# The last problem a job's report lists when checking did not reach the end of the file.
_STOPPED_EARLY = "Checking stopped here; the file may hold more problems"


@dataclass(frozen=True)
class ScanPlan:
    counts: dict[str, int]  # items read per section
    errors: Sequence[str]  # at most max_errors messages, each naming its place in the file
    complete: bool  # False when the pass stopped early or more problems were left out
    # per section, in processing order of the sections: item indices in processing order
    order: dict[str, Sequence[int]]

    @property
    def ok(self) -> bool:
        return not self.errors

    def report_messages(self) -> list[str]:
        """The problems as a job's report lists them: each one, then a note if checking
        stopped before the end of the file or left problems out."""
        if self.complete:
            return list(self.errors)
        return [*self.errors, _STOPPED_EARLY]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def sequence(self) -> Iterator[tuple[int, str, int]]:
        """`(position, section, index)` for every item, in processing order."""
        position = 0
        for section, indices in self.order.items():
            for index in indices:
                yield position, section, index
                position += 1


class ErrorLog:
    """A scan's problems, up to `limit` of them; `overflow` records that more were left out."""

    def __init__(self, limit: int):
        self.limit = limit
        self.messages: list[str] = []
        self.overflow = False

    @property
    def full(self) -> bool:
        return len(self.messages) >= self.limit

    @property
    def room(self) -> int:
        return self.limit - len(self.messages)

    def add(self, messages: Iterable[str]) -> None:
        for message in messages:
            if self.full:
                self.overflow = True
                return
            self.messages.append(message)
