"""Check an input dict against every constraint of its botocore shape, as AWS's front end does.

Constraints: required, string/list/map length, numeric range, enum, pattern (full match: the
service side validates like Java's `Pattern.matches`), and unions (exactly one member set).
One of twinport's own: no string holds the NUL character, which PostgreSQL's text cannot store
(SiteWise's clientToken pattern, 36 to 64 non-space characters, lets it through), so both
stores refuse it alike.
Checkers are compiled once per shape; the messages follow AWS's wording, e.g.
"1 validation error detected: Value 'x' at 'sources.1.member.type' failed to satisfy
constraint: Member must satisfy enum value set: [s3, iotsitewise, iottwinmaker]".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import regex
from botocore.model import Shape

from twinport.wire.errors import InvalidInput
from twinport.wire.pattern_hints import hint

Checker = Callable[[object, str, list[str]], None]


class Validator:
    """Compiled checkers for the shapes of one service model (shape names are per service)."""

    def __init__(self) -> None:
        self._checkers: dict[str, Checker] = {}

    def validate(self, shape: Shape | None, value: dict) -> None:
        if shape is None:
            return
        errors: list[str] = []
        self.checker_for(shape)(value, "", errors)
        if errors:
            count = len(errors)
            noun = "error" if count == 1 else "errors"
            raise InvalidInput(f"{count} validation {noun} detected: " + "; ".join(errors))

    def checker_for(self, shape: Shape) -> Checker:
        found = self._checkers.get(shape.name)
        if found is not None:
            return found
        # Recursive shapes (DataValue holds DataValues) resolve through this late-bound stub.
        slot: list[Checker] = []
        self._checkers[shape.name] = lambda value, path, errors: slot[0](value, path, errors)
        built = self._build(shape)
        slot.append(built)
        self._checkers[shape.name] = built
        return built

    def _build(self, shape: Shape) -> Checker:
        kind = shape.type_name
        if kind == "structure":
            members = {name: self.checker_for(m) for name, m in shape.members.items()}
            return _structure(shape, members)
        if kind == "list":
            return _sized(shape, _each(self.checker_for(shape.member)))
        if kind == "map":
            keys, values = self.checker_for(shape.key), self.checker_for(shape.value)
            return _sized(shape, _map_values(keys, values))
        if kind == "string":
            return _string(shape)
        if kind in ("integer", "long", "float", "double"):
            return _number(shape)
        return _accept


def _accept(value: object, path: str, errors: list[str]) -> None:
    return None


def _structure(shape: Shape, members: dict[str, Checker]) -> Checker:
    required = list(shape.required_members)
    union = bool(shape.metadata.get("union"))

    def check(value: object, path: str, errors: list[str]) -> None:
        if not isinstance(value, dict):
            return
        for name in required:
            if value.get(name) is None:
                errors.append(
                    f"Value null at '{_join(path, name)}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        set_members = 0
        for name, item in value.items():
            if item is None:
                continue
            set_members += 1
            member_check = members.get(name)
            if member_check is not None:
                member_check(item, _join(path, name), errors)
        if union and set_members != 1:
            errors.append(
                f"Value at '{path or shape.name}' failed to satisfy constraint: "
                f"Member must have exactly one member set, found {set_members}"
            )

    return check


def _each(item_check: Checker) -> Checker:
    def check(value: object, path: str, errors: list[str]) -> None:
        for index, item in enumerate(value):  # type: ignore[arg-type]
            item_check(item, f"{path}.{index + 1}.member", errors)

    return check


def _map_values(key_check: Checker, value_check: Checker) -> Checker:
    def check(value: object, path: str, errors: list[str]) -> None:
        for key, item in value.items():  # type: ignore[union-attr]
            key_check(key, f"{path}.key", errors)
            value_check(item, f"{path}.{key}", errors)

    return check


def _sized(shape: Shape, inner: Checker) -> Checker:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")

    def check(value: object, path: str, errors: list[str]) -> None:
        if not isinstance(value, list | dict):
            return
        _length(len(value), low, high, _shown(value), path, errors)
        inner(value, path, errors)

    return check


def _string(shape: Shape) -> Checker:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    enum = shape.metadata.get("enum")
    enum_set = frozenset(enum or ())
    pattern = shape.metadata.get("pattern")
    compiled = _pattern(pattern) if pattern else None
    words = hint(pattern) if pattern else None
    explained = f" ({words})" if words else ""

    def check(value: object, path: str, errors: list[str]) -> None:
        if not isinstance(value, str):
            return
        if low is not None or high is not None:
            _length(len(value), low, high, _shown(value), path, errors)
        if enum and value not in enum_set:
            errors.append(
                f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        if "\x00" in value:
            errors.append(
                f"Value at '{path}' failed to satisfy constraint: "
                "Member must not contain the NUL character (U+0000)"
            )
        elif compiled is not None and compiled.fullmatch(value) is None:
            errors.append(
                f"Value '{_shown(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {pattern}{explained}"
            )

    return check


def _number(shape: Shape) -> Checker:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")

    def check(value: object, path: str, errors: list[str]) -> None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return
        if low is not None and value < low:
            errors.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {low}"
            )
        if high is not None and value > high:
            errors.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {high}"
            )

    return check


def _length(size: int, low, high, shown: str, path: str, errors: list[str]) -> None:
    if low is not None and size < low:
        errors.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {low}"
        )
    if high is not None and size > high:
        errors.append(
            f"Value '{shown}' at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {high}"
        )


_SHOWN_CHARACTERS = 200
_SHOWN_ITEMS = 20


def _shown(value: object) -> str:
    """At most 200 characters of a value: an error message never echoes a huge value back."""
    if isinstance(value, list) and len(value) > _SHOWN_ITEMS:
        value = value[:_SHOWN_ITEMS]
    elif isinstance(value, dict) and len(value) > _SHOWN_ITEMS:
        value = dict(list(value.items())[:_SHOWN_ITEMS])
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= _SHOWN_CHARACTERS else text[:_SHOWN_CHARACTERS] + "..."


@cache
def _pattern(pattern: str) -> regex.Pattern:
    # The `regex` module understands the Java constructs models use: \p{L}, scoped (?i).
    return regex.compile(pattern)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
