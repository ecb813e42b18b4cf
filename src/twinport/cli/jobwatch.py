"""`twinport jobs watch`: follow a job until it ends (a live progress bar on a terminal, plain
lines elsewhere), then print how it ended and, if it failed, the errors of its report."""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn

from twinport.cli import jobview

POLL_SECONDS = 0.25
PLAIN_LINE_SECONDS = 1.0  # at most one progress line a second when not on a terminal
MAX_REPORT_ERRORS = 20


def watch(twinmaker, args: argparse.Namespace) -> int:
    """0 if the job COMPLETED, 1 if it ended in ERROR or CANCELLED."""
    console = Console()
    show = _LiveBar(console) if console.is_terminal else _PlainLines()
    pace = _Pace()
    with show:
        while True:
            job = twinmaker.get_metadata_transfer_job(metadataTransferJobId=args.job)
            pace.note(job)
            show.update(job, pace)
            if job["status"]["state"] in jobview.FINISHED:
                break
            time.sleep(POLL_SECONDS)
    return _outcome(job)


class _Pace:
    """Resources a second since the watch first saw the job's progress, and the time left."""

    def __init__(self) -> None:
        self._first: tuple[float, int] | None = None
        self._rate: float | None = None
        self._left: int | None = None

    def note(self, job: dict) -> None:
        progress = job.get("progress")
        if not progress:
            return
        now, done = time.monotonic(), jobview.done(progress)
        if self._first is None:
            self._first = (now, done)
        elapsed, moved = now - self._first[0], done - self._first[1]
        self._rate = moved / elapsed if elapsed >= 0.5 and moved > 0 else None
        running = job["status"]["state"] == "RUNNING"
        self._left = progress["totalCount"] - done if running else None

    def __str__(self) -> str:
        if self._rate is None:
            return ""
        eta = f" · ETA {jobview.duration(self._left / self._rate)}" if self._left else ""
        return f"{self._rate:,.0f}/s{eta}"


class _LiveBar:
    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("{task.fields[state]:<10}"),
            BarColumn(bar_width=24),
            TextColumn("{task.fields[counts]}"),
            TextColumn("{task.fields[pace]}"),
            console=console,
            refresh_per_second=8,
        )
        self._task: TaskID | None = None  # added with the first answer: no empty first frame

    def __enter__(self) -> _LiveBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def update(self, job: dict, pace: _Pace) -> None:
        state, progress = job["status"]["state"], job.get("progress")
        total = progress["totalCount"] if progress and progress["totalCount"] else None
        completed = jobview.done(progress)
        if total is None and state in jobview.FINISHED:
            # Nothing to count: a still bar, full only if the job completed.
            total, completed = 1, int(state == "COMPLETED")
        counts, shown = jobview.counts(progress), str(pace)
        fields = {"total": total, "completed": completed, "state": state, "counts": counts}
        if self._task is None:
            self._task = self._progress.add_task("job", pace=shown, **fields)
        else:
            self._progress.update(self._task, pace=shown, **fields)


class _PlainLines:
    """One line per change of state, and per change of progress at most once a second, until
    the job ends (its outcome says how)."""

    def __init__(self) -> None:
        self._shown: tuple[str, int] | None = None
        self._shown_at = 0.0

    def __enter__(self) -> _PlainLines:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def update(self, job: dict, pace: _Pace) -> None:
        state, progress = job["status"]["state"], job.get("progress")
        if state in jobview.FINISHED:
            return
        seen, now = (state, jobview.done(progress)), time.monotonic()
        new_state = self._shown is None or state != self._shown[0]
        moved = seen != self._shown and now - self._shown_at >= PLAIN_LINE_SECONDS
        if new_state or moved:
            line = f"{state:<10} {jobview.counts(progress)}"
            print(f"{line}  {pace}".rstrip(), flush=True)
            self._shown, self._shown_at = seen, now


def _outcome(job: dict) -> int:
    status = job["status"]
    took = jobview.duration((job["updateDateTime"] - job["creationDateTime"]).total_seconds())
    progress = job.get("progress")
    print(f"{status['state']} in {took}" + (f": {jobview.counts(progress)}" if progress else ""))
    if status["state"] == "COMPLETED":
        return 0
    error = jobview.error(status)
    if error:
        print(f"error: {error}")
    if job.get("reportUrl"):
        _print_report_errors(job["reportUrl"])
    return 1


def _print_report_errors(url: str) -> None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            errors = json.loads(response.read())["errors"]
    except (OSError, ValueError, KeyError) as problem:
        print(f"twinport jobs: could not read the job's report: {problem}", file=sys.stderr)
        return
    if not errors:
        return
    print(f"report errors ({len(errors):,}):")
    for row in errors[:MAX_REPORT_ERRORS]:
        where = " ".join(part for part in (row["resourceType"], row["resourceId"]) if part)
        print(f"  {where}: {row['errorMessage']} ({row['errorCode']})")
    if len(errors) > MAX_REPORT_ERRORS:
        print(f"  … {len(errors) - MAX_REPORT_ERRORS:,} more in the report")
