"""A metadata transfer job as `twinport jobs` writes it: counts, times, its error, its pair."""

from __future__ import annotations

from datetime import datetime

FINISHED = ("COMPLETED", "ERROR", "CANCELLED")


def counts(progress: dict | None) -> str:
    """ "succeeded 9 · skipped 0 · failed 1 of 10"; "no progress yet" before the job runs."""
    if not progress:
        return "no progress yet"
    return (
        f"succeeded {progress['succeededCount']:,} · skipped {progress['skippedCount']:,}"
        f" · failed {progress['failedCount']:,} of {progress['totalCount']:,}"
    )


def done(progress: dict | None) -> int:
    """How many resources the job has dealt with, whatever their outcome."""
    if not progress:
        return 0
    return progress["succeededCount"] + progress["skippedCount"] + progress["failedCount"]


def short_counts(progress: dict | None) -> str:
    """ "9 of 10, 1 failed", for a table cell."""
    if not progress:
        return "-"
    failed = f", {progress['failedCount']:,} failed" if progress["failedCount"] else ""
    return f"{done(progress):,} of {progress['totalCount']:,}{failed}"


def when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def error(status: dict) -> str | None:
    """ "CODE: message" of a job that ended in error, else None."""
    found = status.get("error")
    return f"{found['code']}: {found['message']}" if found else None


def pair(source: str, destination: str) -> str:
    return f"{source} → {destination}"


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}"
