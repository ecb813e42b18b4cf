"""Shared pieces of the benchmarks: a server to measure, files, timing, the result table."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.transfer.helpers import entities_file  # noqa: E402

from twinport.testing import TwinportServer  # noqa: E402

ACCOUNT = "123456789012"


@dataclass
class Row:
    figure: str
    value: float
    unit: str
    reference: float | None  # the floor or peer measured in the same run
    reference_name: str
    target: str
    passed: bool

    @property
    def ratio(self) -> float | None:
        if not self.reference:
            return None
        return self.value / self.reference


def print_table(rows: list[Row]) -> None:
    header = ("figure", "value", "floor/peer", "ratio", "target", "result")
    lines = [header]
    for row in rows:
        reference = f"{row.reference:.3g} ({row.reference_name})" if row.reference else "-"
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        lines.append(
            (
                row.figure,
                f"{row.value:.3g} {row.unit}",
                reference,
                ratio,
                row.target,
                "pass" if row.passed else "FAIL",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def write_entities_file(directory: Path, count: int) -> Path:
    path = directory / f"entities-{count}.json"
    if not path.exists():
        path.write_bytes(orjson.dumps(entities_file(count)))
    return path


class PeakRss:
    """Samples the resident memory of a process and its children every few milliseconds."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                total = self.process.memory_info().rss
                total += sum(c.memory_info().rss for c in self.process.children(recursive=True))
            except psutil.Error:
                total = 0
            self.peak = max(self.peak, total)
            time.sleep(0.005)


def measured(twinport, finish: Callable[[], dict]) -> tuple[float, float]:
    """Wall seconds and the server's peak RSS in MB while `finish()` runs a job to its end."""
    with PeakRss(twinport.process.pid) as rss:
        start = time.perf_counter()
        job = finish()
        elapsed = time.perf_counter() - start
    if job["status"]["state"] != "COMPLETED":
        raise RuntimeError(f"job {job['metadataTransferJobId']} did not complete: {job['status']}")
    return elapsed, rss.peak / 1e6


def bare_database(directory: Path) -> sqlite3.Connection:
    """The floor's database: one table, as durable as twinport's own (WAL, synchronous NORMAL)."""
    conn = sqlite3.connect(directory / "floor.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def server(*args: str) -> TwinportServer:
    """A fresh twinport, started with `args`, whose data directory is removed when it stops."""
    return TwinportServer(args=args)
