"""A human hint for a pattern constraint, read from the regular expression itself.

A message like "Member must satisfy regular expression pattern: [a-zA-Z_0-9][a-zA-Z_\\-0-9]*"
names the rule; most users need it said in words. Patterns made of character classes (the
ids and names of the models) are described: how many characters at least, which ones, and
what the first and last must be; a UUID is named; an alternative that is neither gets no
hint. Described from the model, never written by hand per member.
"""

from __future__ import annotations

import re
from functools import cache

_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# One character class and its quantifier, the only parts a describable pattern has.
_ELEMENT = re.compile(r"\[((?:\\.|[^\]\\])+)\]([*+?]?)")
_RANGES = {"a-z": "lowercase letters", "A-Z": "uppercase letters", "0-9": "digits"}


@cache
def hint(pattern: str) -> str | None:
    """Words for `pattern`, or None when it is not made of parts described here."""
    described = [_alternative(part.strip("^$")) for part in pattern.split("|")]
    if not described or None in described:
        return None
    return " or ".join(d for d in described if d)


def _alternative(pattern: str) -> str | None:
    if pattern == _UUID:
        return "a UUID"
    elements = []
    position = 0
    while position < len(pattern):
        found = _ELEMENT.match(pattern, position)
        if found is None:
            return None
        elements.append((_characters(found.group(1)), found.group(2)))
        position = found.end()
    if not elements or any(chars is None for chars, _ in elements):
        return None
    allowed = _join(sorted({c for chars, _ in elements for c in chars}, key=_order))
    least = sum(1 for _, quantifier in elements if quantifier in ("", "+"))
    text = f"{least} or more characters: {allowed}"
    first, last = elements[0], elements[-1]
    if first[1] in ("", "+") and _join(first[0]) != allowed:
        text += f"; the first one of {_join(first[0])}"
    if len(elements) > 1 and last[1] in ("", "+") and _join(last[0]) != allowed:
        text += f"; the last one of {_join(last[0])}"
    return text


def _characters(content: str) -> list[str] | None:
    """What a character class admits, in words; None for a negated class."""
    if content.startswith("^"):
        return None
    words: set[str] = set()
    index = 0
    while index < len(content):
        three = content[index : index + 3]
        if three in _RANGES:
            words.add(_RANGES[three])
            index += 3
            continue
        if content[index] == "\\" and index + 1 < len(content):
            char = content[index + 1]
            if char in "sdw":
                return None
            index += 2
        else:
            char = content[index]
            index += 1
        words.add(f"'{char}'")
    if {"lowercase letters", "uppercase letters"} <= words:
        words -= {"lowercase letters", "uppercase letters"}
        words.add("letters")
    return sorted(words, key=_order)


_RANK = {"letters": 0, "lowercase letters": 0, "uppercase letters": 1, "digits": 2}


def _order(word: str) -> tuple[int, str]:
    return (_RANK.get(word, 3), word)


def _join(words: list[str]) -> str:
    return ", ".join(words)
