"""Stream the items of the top-level arrays of a JSON file whose root is an object.

Both bulk file formats have this shape: `{"<section>": [item, item, ...], ...}`, and a file
can hold a million items (a gigabyte), so it is never loaded whole. `iter_root_arrays` reads
it in chunks and yields `(section, index, item)` for every array element, in file order.

How: the root object and the arrays are walked in Python (a handful of tokens per item),
and every item is built by the C scanner of the standard `json` module (`scan_once(text,
pos) -> (value, end)`). That gives, in one pass, what a pull parser like ijson only gives
with several: the root structure (unknown or repeated keys, a section that is not an array)
and the file order of the sections, while the objects are still built in C. Measured on a
100,000-entity file, this is as fast as one ijson `items()` pass over a single section, and
2-3x faster than ijson passes that also check the root structure.

Memory stays flat: the text window holds about a megabyte plus the item being scanned.
Numbers come out as `int` (integers) or `float` (anything with a fraction or exponent);
integers beyond 64 bits become floats, and `NaN`/`Infinity` (accepted by Python but not
JSON), unpaired surrogates (`"\\ud800"`) and items nested deeper than the request limit are
rejected, so every item can be written back with orjson. A UTF-8 byte-order mark is tolerated.

`write_root_arrays` is the other direction: it writes such a file from iterables, one item
at a time with orjson.
"""

from __future__ import annotations

import codecs
import json
import json.scanner
import re
from collections.abc import Collection, Iterable, Iterator
from os import PathLike
from typing import Any, BinaryIO, NoReturn

import orjson

from twinport.formats.limits import MAX_JSON_DEPTH, nests_deeper_than

__all__ = ["BulkFileError", "iter_root_arrays", "write_root_arrays"]

_READ_BYTES = 1 << 20
# Characters kept ahead of the cursor before an item is scanned; an item that does not fit
# is retried with a doubled window.
_LOOKAHEAD = 1 << 16
# An item bigger than this is reported instead of being buffered further: it keeps a
# malformed file (say, an unterminated string) from pulling the rest of the file into memory.
_MAX_ITEM_CHARS = 64 << 20
# A syntax error this far before the end of the window cannot be caused by the window's end.
_ERROR_MARGIN = 64
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Items are staged and exported with orjson: integers must fit its 64 bits, and strings must
# be Unicode text. An unpaired surrogate can only come from an escape ("\ud800"), so only
# items whose text holds a surrogate escape are inspected string by string.
_INT_RANGE = range(-(2**63), 2**64)
_MAX_DOUBLE_DIGITS = 310  # a sign and 309 digits
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class BulkFileError(Exception):
    """The file is not a JSON object of arrays as the format requires.

    Raised for malformed JSON (the message gives line, column and character offset), a root
    that is not an object, a key that is not a known section, a repeated key, a section
    whose value is not an array, and values no import could keep (NaN, a number beyond a
    double, an unpaired surrogate). Once raised, the rest of the file is not read.
    """


class _LiteralRejected(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _LiteralRejected(name)


def _c_scanner() -> Any:
    if json.scanner.c_make_scanner is None:
        raise RuntimeError(
            "the C accelerator of the json module (_json) is unavailable; "
            "streaming bulk files without it would be far too slow"
        )
    decoder = json.JSONDecoder(parse_int=_parse_int, parse_constant=_reject_constant)
    return json.scanner.c_make_scanner(decoder)


def iter_root_arrays(
    path: str | PathLike[str], sections: Collection[str]
) -> Iterator[tuple[str, int, Any]]:
    """Yield `(section, index, item)` for each element of each top-level array, in file order.

    `sections` are the keys allowed in the root object; each may appear at most once and
    its value must be an array. Items are returned as parsed (any JSON value); checking
    them is the caller's job. Raises `BulkFileError` at the first structural problem.
    """
    with open(path, "rb") as raw:
        yield from _RootWalker(raw, frozenset(sections)).walk()


def _parse_int(digits: str) -> int | float:
    # A double ends near 1.8e308; checking the length first also keeps Python's limit on
    # converting long digit strings out of the message.
    if len(digits) > _MAX_DOUBLE_DIGITS:
        raise ValueError("a number is too large for a double")
    value = int(digits)
    if value in _INT_RANGE:
        return value
    try:
        return float(value)  # as a double would read it
    except OverflowError:
        raise ValueError("a number is too large for a double") from None


def _check_text(value: Any, where: str) -> None:
    """Raise `BulkFileError` if a string (or key) in `value` holds an unpaired surrogate."""
    pending = [value]
    while pending:
        value = pending.pop()
        if type(value) is dict:
            pending.extend(value.keys())
            pending.extend(value.values())
        elif type(value) is list:
            pending.extend(value)
        elif type(value) is str:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BulkFileError(
                    f"{where}: a string holds an unpaired UTF-16 surrogate, which is not text"
                ) from None


class _Text:
    """A sliding window of decoded text over a binary file, with line/column bookkeeping."""

    def __init__(self, raw: BinaryIO):
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        self._bytes_read = 0
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._dropped_chars = 0
        self._dropped_lines = 0
        self._column_base = 0  # characters between the last dropped newline and buf[0]

    def ensure(self, ahead: int) -> None:
        """Make at least `ahead` characters available after `pos`, unless the file ends first."""
        if len(self.buf) - self.pos >= ahead or self.eof:
            return
        self._drop_consumed()
        parts = [self.buf]
        available = len(self.buf)
        while available < ahead and not self.eof:
            chunk = self._read()
            parts.append(chunk)
            available += len(chunk)
        self.buf = "".join(parts)

    def skip_whitespace(self) -> None:
        while True:
            self.pos = _WHITESPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf) or self.eof:
                return
            self.ensure(_LOOKAHEAD)

    def peek(self) -> str:
        """The next character after whitespace, or "" at the end of the file."""
        self.skip_whitespace()
        return self.buf[self.pos : self.pos + 1]

    def where(self, pos: int | None = None) -> str:
        pos = self.pos if pos is None else pos
        newline = self.buf.rfind("\n", 0, pos)
        line = self._dropped_lines + self.buf.count("\n", 0, pos) + 1
        column = pos - newline if newline >= 0 else self._column_base + pos + 1
        return f"line {line}, column {column} (character {self._dropped_chars + pos})"

    def _drop_consumed(self) -> None:
        consumed = self.buf[: self.pos]
        newline = consumed.rfind("\n")
        if newline >= 0:
            self._dropped_lines += consumed.count("\n")
            self._column_base = len(consumed) - newline - 1
        else:
            self._column_base += len(consumed)
        self._dropped_chars += len(consumed)
        self.buf = self.buf[self.pos :]
        self.pos = 0

    def _read(self) -> str:
        data = self._raw.read(_READ_BYTES)
        if not data:
            self.eof = True
        # Bytes of a character split across reads wait in the decoder and start the next input.
        offset = self._bytes_read - len(self._decoder.getstate()[0])
        try:
            text = self._decoder.decode(data, final=self.eof)
        except UnicodeDecodeError as exc:
            raise BulkFileError(
                f"the file is not valid UTF-8 (byte offset {offset + exc.start})"
            ) from None
        self._bytes_read += len(data)
        return text


class _RootWalker:
    def __init__(self, raw: BinaryIO, sections: frozenset[str]):
        self._text = _Text(raw)
        self._sections = sections
        self._scan = _c_scanner()

    def walk(self) -> Iterator[tuple[str, int, Any]]:
        text = self._text
        text.ensure(_LOOKAHEAD)
        first = text.peek()
        if first == "":
            raise BulkFileError("the file is empty: expected a JSON object")
        if first != "{":
            raise BulkFileError("the root of the file must be a JSON object")
        text.pos += 1
        seen: set[str] = set()
        if text.peek() == "}":
            text.pos += 1
        else:
            while True:
                section = self._key()
                if section not in self._sections:
                    allowed = ", ".join(sorted(self._sections))
                    raise BulkFileError(
                        f"unknown top-level key {section!r} (allowed keys: {allowed})"
                    )
                if section in seen:
                    raise BulkFileError(f"top-level key {section!r} appears more than once")
                seen.add(section)
                yield from self._array(section)
                if self._delimiter("}", "the root object"):
                    break
        if text.peek() != "":
            raise BulkFileError(f"unexpected data after the root object at {text.where()}")

    def _key(self) -> str:
        text = self._text
        if text.peek() != '"':
            self._syntax_error("expected a property name in double quotes")
        key, end = self._parse(json.decoder.scanstring, text.pos + 1, "a top-level key")
        text.pos = end
        if text.peek() != ":":
            self._syntax_error("expected ':' after a property name")
        text.pos += 1
        return key

    def _array(self, section: str) -> Iterator[tuple[str, int, Any]]:
        text = self._text
        if text.peek() != "[":
            raise BulkFileError(f"{section}: expected an array")
        text.pos += 1
        if text.peek() == "]":
            text.pos += 1
            return
        index = 0
        while True:
            text.ensure(_LOOKAHEAD)
            text.skip_whitespace()
            where = f"{section}[{index}]"
            item, end = self._value(text.pos, where)
            if _SURROGATE_ESCAPE.search(text.buf, text.pos, end):
                _check_text(item, where)
            # An item with fewer brackets than the limit cannot nest past it: most skip the walk.
            brackets = text.buf.count("[", text.pos, end) + text.buf.count("{", text.pos, end)
            if brackets > MAX_JSON_DEPTH and nests_deeper_than(item, MAX_JSON_DEPTH):
                raise BulkFileError(f"{where}: nests JSON deeper than {MAX_JSON_DEPTH} levels")
            text.pos = end
            yield section, index, item
            index += 1
            if self._delimiter("]", f"the {section} array"):
                return

    def _delimiter(self, closer: str, container: str) -> bool:
        """Consume ',' (False: more follows) or `closer` (True: the container ends)."""
        text = self._text
        char = text.peek()
        if char == ",":
            text.pos += 1
            return False
        if char == closer:
            text.pos += 1
            return True
        self._syntax_error(f"expected ',' or '{closer}' in {container}")

    def _value(self, pos: int, what: str) -> tuple[Any, int]:
        return self._parse(self._scan, pos, what)

    def _parse(self, parse: Any, pos: int, what: str) -> tuple[Any, int]:
        """Run a C parse function at `pos`, widening the window while the text ends too soon."""
        text = self._text
        while True:
            try:
                value, end = parse(text.buf, pos)
            except StopIteration:
                if pos >= len(text.buf) - _ERROR_MARGIN and self._widen(pos):
                    pos = text.pos
                    continue
                self._syntax_error(f"expected a JSON value for {what}", pos)
            except json.JSONDecodeError as exc:
                if self._truncated(exc) and self._widen(pos):
                    pos = text.pos
                    continue
                self._syntax_error(exc.msg, exc.pos)
            except _LiteralRejected as exc:
                raise BulkFileError(f"{what}: {exc} is not valid JSON") from None
            except RecursionError:
                raise BulkFileError(f"{what}: nested too deeply") from None
            except ValueError as exc:  # from _parse_int
                raise BulkFileError(f"{what}: {exc}") from None
            if end < len(text.buf) or text.eof or not self._widen(pos):
                return value, end
            # A number or literal that ends exactly at the window's end may continue.
            pos = text.pos

    def _truncated(self, exc: json.JSONDecodeError) -> bool:
        return exc.msg.startswith("Unterminated string") or (
            exc.pos >= len(self._text.buf) - _ERROR_MARGIN
        )

    def _widen(self, pos: int) -> bool:
        """Move the cursor to `pos` and read more text; False when nothing more can be read."""
        text = self._text
        text.pos = pos
        ahead = len(text.buf) - pos
        if text.eof:
            return False
        if ahead >= _MAX_ITEM_CHARS:
            raise BulkFileError(
                f"a value starting at {text.where()} is larger than {_MAX_ITEM_CHARS} "
                "characters or never ends"
            )
        text.ensure(max(2 * ahead, _LOOKAHEAD))
        return True

    def _syntax_error(self, message: str, pos: int | None = None) -> NoReturn:
        raise BulkFileError(f"malformed JSON at {self._text.where(pos)}: {message}")


def write_root_arrays(
    fp: BinaryIO, sections: Iterable[tuple[str, Iterable[Any]]]
) -> dict[str, int]:
    """Write `{"<section>": [item, ...], ...}` to a binary file, one item per line.

    Items are serialized one at a time with orjson as they are drawn from their iterables,
    so no section is ever held whole. Returns the number of items written per section.
    """
    counts: dict[str, int] = {}
    opener = b"{"
    for section, items in sections:
        fp.write(opener + orjson.dumps(section) + b":[")
        count = 0
        for item in items:
            fp.write((b"\n" if count == 0 else b",\n") + orjson.dumps(item))
            count += 1
        fp.write(b"\n]" if count else b"]")
        counts[section] = count
        opener = b",\n"
    fp.write(b"}\n" if counts else b"{}\n")
    return counts
