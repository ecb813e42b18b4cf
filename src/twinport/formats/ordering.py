"""Order the items of one file section so that every item comes after the items it depends on.

Used for component types (`extendsFrom`) and entities (`parentEntityId`); it suits the
SiteWise format's asset models and assets as well. Items are numbered 0..count-1 in file
order; only dependencies on items of the same section matter (a parent that is not in the
file already exists, or does not, which is for the import itself to find out).

The order is stable: a file already in dependency order keeps its order, and an item that
appears before its parent is moved to just after it. Linear in items plus dependencies.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

__all__ = ["DependencyOrder", "dependency_order"]


@dataclass(frozen=True)
class DependencyOrder:
    order: array  # item numbers in processing order; items caught in a cycle are left out
    cycles: list[list[int]]  # each cycle as items, every one depending on the next

    @property
    def complete(self) -> bool:
        return not self.cycles


def dependency_order(count: int, parents_of: Callable[[int], Collection[int]]) -> DependencyOrder:
    """Order items 0..count-1; `parents_of(i)` names the items (in 0..count-1) `i` depends on.

    `parents_of` is called twice per item. Everything is kept in flat arrays (a few dozen
    bytes an item), so that a million items can be ordered without Python objects for each.
    """
    waiting = array("i", bytes(4 * count))  # parents not yet in the order
    # Each item's children, in item order: children[first_child[p]:first_child[p + 1]].
    first_child = array("q", bytes(8 * (count + 1)))
    for item in range(count):
        parents = _distinct(parents_of(item))
        waiting[item] = len(parents)
        for parent in parents:
            first_child[parent + 1] += 1
    for item in range(count):
        first_child[item + 1] += first_child[item]
    children = array("q", bytes(8 * first_child[count]))
    filled = array("q", first_child)
    for item in range(count):
        for parent in _distinct(parents_of(item)):
            children[filled[parent]] = item
            filled[parent] += 1
    del filled

    order = array("q")
    done = bytearray(count)
    for scanned in range(count):
        if waiting[scanned] or done[scanned]:
            continue
        done[scanned] = 1
        order.append(scanned)
        if first_child[scanned] == first_child[scanned + 1]:
            continue
        stack = [scanned]
        while stack:
            parent = stack.pop()
            ready = []
            for child in children[first_child[parent] : first_child[parent + 1]]:
                waiting[child] -= 1
                # A child later in the file is emitted when the scan reaches it.
                if waiting[child] == 0 and child < scanned:
                    ready.append(child)
            for child in ready:
                done[child] = 1
                order.append(child)
            stack.extend(
                child for child in reversed(ready) if first_child[child] != first_child[child + 1]
            )

    cycles = _cycles(count, parents_of, done) if len(order) < count else []
    return DependencyOrder(order, cycles)


def _distinct(parents: Collection[int]) -> Collection[int]:
    return set(parents) if len(parents) > 1 else parents


def _cycles(
    count: int, parents_of: Callable[[int], Iterable[int]], done: bytearray
) -> list[list[int]]:
    # Every item left over waits for a left-over parent, so walking from any of them through
    # left-over parents must close a loop; each loop is reported once.
    walked_from: dict[int, int] = {}
    cycles = []
    for start in range(count):
        if done[start] or start in walked_from:
            continue
        path = []
        item = start
        while item not in walked_from:
            walked_from[item] = start
            path.append(item)
            item = next(parent for parent in parents_of(item) if not done[parent])
        if walked_from[item] == start:
            cycles.append(path[path.index(item) :])
    return cycles
