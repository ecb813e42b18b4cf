"""A map from string ids to integers that costs about 40 bytes an id instead of a dict's 130.

A bulk file scan must remember every id it has seen until its pass ends (to find an id defined
twice, or the item a parent id names): a million ids in a dict with their strings take over
a hundred megabytes. `IdIndex` keeps, per id, two 64-bit hashes and its value in flat arrays,
and finds them through an open-addressing table of entry numbers; the ids themselves are not
kept (a scan that must name one in a message reads it again from the file).

The two hashes are Python's own keyed string hash (SipHash) of the id and of the id with a
NUL appended: 128 bits, so two distinct ids are taken for one with odds of about 2**-128 per
pair, nothing next to a million ids.

    index = IdIndex()
    first = index.setdefault("e1", 7)   # 7; a later setdefault("e1", 9) returns 7 too
    index.get("e1")                     # 7; -1 for an id never added
"""

from __future__ import annotations

from array import array

__all__ = ["IdIndex", "id_hashes"]

_FIRST_SLOTS = 1 << 10
_EMPTY = -1


def id_hashes(key: str) -> tuple[int, int]:
    """The two hashes an id is known by (to look it up later without keeping it)."""
    return hash(key), hash(key + "\0")


class IdIndex:
    def __init__(self) -> None:
        self._first_hash = array("q")  # per entry
        self._second_hash = array("q")
        self._values = array("q")
        self._slots = array("i", [_EMPTY]) * _FIRST_SLOTS  # entry numbers; kept at most half full
        self._mask = _FIRST_SLOTS - 1

    def __len__(self) -> int:
        return len(self._values)

    def setdefault(self, key: str, value: int) -> int:
        """The value of `key`, after giving it `value` if it had none."""
        first, second = hash(key), hash(key + "\0")
        slot, entry = self._probe(first, second)
        if entry != _EMPTY:
            return self._values[entry]
        self._slots[slot] = len(self._values)
        self._first_hash.append(first)
        self._second_hash.append(second)
        self._values.append(value)
        if 2 * len(self._values) > len(self._slots):
            self._grow()
        return value

    def get(self, key: str, default: int = -1) -> int:
        return self.find(hash(key), hash(key + "\0"), default)

    def find(self, first: int, second: int, default: int = -1) -> int:
        """`get` by the `id_hashes` of an id."""
        entry = self._probe(first, second)[1]
        return default if entry == _EMPTY else self._values[entry]

    def _probe(self, first: int, second: int) -> tuple[int, int]:
        """The slot of the id with these hashes, and its entry (or the free slot, _EMPTY)."""
        slots, mask = self._slots, self._mask
        first_hash, second_hash = self._first_hash, self._second_hash
        slot = first & mask
        while True:
            entry = slots[slot]
            if entry == _EMPTY or (first_hash[entry] == first and second_hash[entry] == second):
                return slot, entry
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        size = 2 * len(self._slots)
        mask = size - 1
        slots = array("i", [_EMPTY]) * size
        for entry, first in enumerate(self._first_hash):
            slot = first & mask
            while slots[slot] != _EMPTY:
                slot = (slot + 1) & mask
            slots[slot] = entry
        self._slots, self._mask = slots, mask
