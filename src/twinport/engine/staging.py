"""A job's snapshot of its source: the validated items, readable in processing order.

Written once while the job validates, read while it runs, in the job's work directory: a job
that resumes after a crash reads exactly the input it validated. Plain files, written and read
sequentially (a SQLite row per item cost three times as much as the item's JSON):

- `<path>`: the items' documents as JSON, one a line, in file order (JSON text holds no raw
  newline);
- `<path>.offsets`: where each line starts (64-bit integers), to start reading anywhere;
- `<path>.sections`: the section of each run of lines (JSON);
- `<path>.order`: written only when the processing order differs from file order (a child
  before its parent in the file): the line to read at each processing position.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import orjson

_OFFSETS, _SECTIONS, _ORDER = ".offsets", ".sections", ".order"
_CHUNK = 8192  # offsets or positions read or written at a time
_BUFFER = 1 << 20


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def write_staged(path: Path, items: Iterable[tuple[str, bytes]]) -> int:
    """Store (section, JSON document) items in file order: lines 0, 1, 2, ...; how many.

    Each document must be JSON on one line, as orjson writes it."""
    for suffix in ("", _OFFSETS, _SECTIONS, _ORDER):
        _sidecar(path, suffix).unlink(missing_ok=True)
    offsets = array("q")
    sections: list[tuple[str, int]] = []
    count = end = 0
    with (
        open(path, "wb", buffering=_BUFFER) as docs,
        open(_sidecar(path, _OFFSETS), "wb", buffering=_BUFFER) as offsets_file,
    ):
        for section, doc in items:
            if not sections or sections[-1][0] != section:
                sections.append((section, count))
            offsets.append(end)
            docs.write(doc)
            docs.write(b"\n")
            end += len(doc) + 1
            count += 1
            if len(offsets) == _CHUNK:
                offsets.tofile(offsets_file)
                del offsets[:]
        offsets.tofile(offsets_file)
    _sidecar(path, _SECTIONS).write_bytes(orjson.dumps(sections))
    return count


def write_order(path: Path, order: Iterable[int]) -> None:
    """Record the processing order (staged lines, first to last) when it is not file order."""
    order = iter(order)
    in_file_order = 0
    for line in order:
        if line != in_file_order:
            break
        in_file_order += 1
    else:
        return
    with open(_sidecar(path, _ORDER), "wb", buffering=_BUFFER) as out:
        for start in range(0, in_file_order, _CHUNK):
            array("q", range(start, min(start + _CHUNK, in_file_order))).tofile(out)
        chunk = array("q", [line])
        for line in order:
            if len(chunk) >= _CHUNK:
                chunk.tofile(out)
                del chunk[:]
            chunk.append(line)
        chunk.tofile(out)


class StagedItems:
    def __init__(self, path: Path):
        self.path = path

    def read_from(self, position: int) -> Iterator[tuple[int, str, bytes]]:
        """(position, section, document) from `position` on, in processing order."""
        sections = orjson.loads(_sidecar(self.path, _SECTIONS).read_bytes())
        starts = [start for _, start in sections]

        def section_of(line: int) -> str:
            return sections[bisect_right(starts, line) - 1][0]

        with (
            open(self.path, "rb", buffering=_BUFFER) as docs,
            open(_sidecar(self.path, _OFFSETS), "rb") as offsets,
        ):
            order = _sidecar(self.path, _ORDER)
            if not order.exists():
                yield from _in_file_order(docs, offsets, position, sections)
                return
            size = os.fstat(docs.fileno()).st_size
            with open(order, "rb") as lines:
                for at, line in _numbers_from(lines, position):
                    start, end = _line_span(offsets, line, size)
                    yield at, section_of(line), os.pread(docs.fileno(), end - start - 1, start)


def _in_file_order(
    docs: BinaryIO, offsets: BinaryIO, position: int, sections: list
) -> Iterator[tuple[int, str, bytes]]:
    if position * 8 >= os.fstat(offsets.fileno()).st_size:
        return
    docs.seek(_number_at(offsets, position))
    ends = [start for _, start in sections[1:]]
    for index, (section, _) in enumerate(sections):
        end = ends[index] if index < len(ends) else None
        while end is None or position < end:
            doc = docs.readline()
            if not doc:
                return
            yield position, section, doc[:-1]
            position += 1


def _number_at(numbers: BinaryIO, index: int) -> int:
    value = array("q")
    value.frombytes(os.pread(numbers.fileno(), 8, index * 8))
    return value[0]


def _line_span(offsets: BinaryIO, line: int, size: int) -> tuple[int, int]:
    """Where a staged line starts, and where the next one does (or the file ends)."""
    bounds = array("q")
    bounds.frombytes(os.pread(offsets.fileno(), 16, line * 8))
    return bounds[0], bounds[1] if len(bounds) > 1 else size


def _numbers_from(numbers: BinaryIO, start: int) -> Iterator[tuple[int, int]]:
    numbers.seek(start * 8)
    index = start
    while chunk := numbers.read(_CHUNK * 8):
        values = array("q")
        values.frombytes(chunk)
        for value in values:
            yield index, value
            index += 1
