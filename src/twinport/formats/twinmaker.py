"""The TwinMaker bulk file: read and check it as a stream, plan the import order, write exports.

A file is one JSON object with up to three arrays (`twinmaker_schema` has the item rules):

    {"componentTypes": [...], "entities": [...], "entityComponents": [...]}

Importing a file (one pass, documents never all in memory)::

    scan = TwinMakerScan(path)              # max_errors=20 by default
    for section, index, doc in scan:        # file order; every item, valid or not
        staging.put(section, index, doc)    # e.g. a SQLite row keyed by (section, index)
    plan = scan.plan()                      # file-level rules and the order, after the pass
    if not plan.ok:
        fail(plan.errors)                   # ["entities[12].entityName: ...", ...]
    for position, section, index in plan.sequence():
        apply(section, staging.get(section, index))

`plan.positions[section][index]` is the processing position of an item, if the staging
table is to be keyed by position instead. `validate_and_plan(path)` runs the pass without
keeping the documents. Staged documents must be discarded when the plan is not ok: the scan
yields items that failed their checks too, and it stops early (`plan.complete` False) at
malformed JSON or once `max_errors` problems have been found.

What the pass checks:

- JSON syntax and the root shape (an object with only those keys, each an array), then
  each item against its schema definition, reporting every problem with its path.
- No overlapping definitions: an entityId defined twice in `entities`; an (entityId,
  componentName) pair repeated in `entityComponents`; a componentTypeId defined twice. An
  entity of `entities` may also be given components in `entityComponents` (twinport's own
  exports do so for components with a `componentExternalId`): they apply after the entity.
- No dependency cycles: `extendsFrom` among the file's component types, `parentEntityId`
  among the file's entities.

Processing order: component types by `extendsFrom` (parents in the file first), entities
by `parentEntityId` (parents in the file first; `$ROOT`, no parent, or a parent not in the
file is top level), then `entityComponents` in file order. Otherwise file order is kept
(`plan.order` then holds ranges, not arrays).

Memory: the pass keeps no documents, and entity and entity component ids only as hashes in
an `IdIndex` (about 40 bytes an entity, against 150 in a dict): a gigabyte file is checked in
a few tens of megabytes. The few messages that name ids known only after the pass (cycles,
entities given components twice) read those ids again from the file.

Exporting: `write_twinmaker_file(fp, component_types, entities[, entity_components])`
streams the arrays to a binary file in the shape this module reads back.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, BinaryIO

from twinport.formats import twinmaker_schema
from twinport.formats.idindex import IdIndex, id_hashes
from twinport.formats.jsonstream import BulkFileError, iter_root_arrays, write_root_arrays
from twinport.formats.limits import MAX_INHERITANCE_DEPTH
from twinport.formats.ordering import DependencyOrder, dependency_order
from twinport.formats.plan import ErrorLog, ScanPlan
from twinport.formats.schema import render

__all__ = [
    "COMPONENT_TYPES",
    "ENTITIES",
    "ENTITY_COMPONENTS",
    "SECTIONS",
    "Plan",
    "TwinMakerScan",
    "validate_and_plan",
    "write_twinmaker_file",
]

COMPONENT_TYPES = "componentTypes"
ENTITIES = "entities"
ENTITY_COMPONENTS = "entityComponents"
SECTIONS = (COMPONENT_TYPES, ENTITIES, ENTITY_COMPONENTS)  # in processing order
ROOT_PARENT = "$ROOT"
DEFAULT_MAX_ERRORS = 20
_NO_PARENT = -1
_PARENT_LATER = -2

_CHECKERS = twinmaker_schema.checkers()
_CHECKER_OF_SECTION = {
    COMPONENT_TYPES: _CHECKERS[twinmaker_schema.COMPONENT_TYPE],
    ENTITIES: _CHECKERS[twinmaker_schema.ENTITY],
    ENTITY_COMPONENTS: _CHECKERS[twinmaker_schema.ENTITY_COMPONENT],
}


@dataclass(frozen=True)
class Plan(ScanPlan):
    # per section, index -> processing position (-1: left out, being part of a cycle)
    positions: dict[str, Sequence[int]] = field(repr=False)


class _IdRefs:
    """(item index, id) pairs, the id kept as its `id_hashes`, in flat arrays."""

    def __init__(self) -> None:
        self._columns = (array("q"), array("q"), array("q"))

    def add(self, index: int, item_id: str) -> None:
        for column, value in zip(self._columns, (index, *id_hashes(item_id)), strict=True):
            column.append(value)

    def __bool__(self) -> bool:
        return bool(self._columns[0])

    def __iter__(self) -> Iterator[tuple[int, int, int]]:
        """(index, first hash, second hash)"""
        return zip(*self._columns, strict=True)


class TwinMakerScan:
    """One streaming pass over a TwinMaker bulk file; see the module docstring."""

    def __init__(self, path: str | PathLike[str], max_errors: int = DEFAULT_MAX_ERRORS):
        self._path = path
        self._errors = ErrorLog(max_errors)
        self._counts = dict.fromkeys(SECTIONS, 0)
        self._stopped_early = False
        self._iterated = False
        self._component_type_index: dict[str, int] = {}
        self._extends_from: list[tuple[str, ...]] = []
        self._entity_index = IdIndex()
        # Per entity, the index of its parent in the file, or _NO_PARENT, or _PARENT_LATER
        # for a parent that comes after it (found once the pass is over: _later_parents).
        self._entity_parent = array("q")
        self._later_parents = _IdRefs()
        self._last_parent: tuple[str, int] = (ROOT_PARENT, _NO_PARENT)
        # (entityId, componentName) -> first index. An entity of the same file may have the
        # item's entityId: its entityComponents apply after it, as the published schema allows.
        self._component_index = IdIndex()
        self._plan: Plan | None = None

    def __iter__(self) -> Iterator[tuple[str, int, Any]]:
        if self._iterated:
            raise RuntimeError("a TwinMakerScan can be iterated only once")
        self._iterated = True
        errors = self._errors
        try:
            for section, index, doc in iter_root_arrays(self._path, SECTIONS):
                self._counts[section] = index + 1
                problems = _CHECKER_OF_SECTION[section](doc)
                if problems is not None:
                    errors.add(render(f"{section}[{index}]", problems))
                self._remember(section, index, doc if problems is None else None)
                yield section, index, doc
                if errors.full:
                    self._stopped_early = True
                    return
        except BulkFileError as exc:
            errors.add([str(exc)])
            self._stopped_early = True

    def plan(self) -> Plan:
        """File-level rules and the processing order; call after iterating."""
        if not self._iterated:
            raise RuntimeError("iterate the scan before asking for its plan")
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    def _make_plan(self) -> Plan:
        component_types = self._order_component_types()
        order = {
            COMPONENT_TYPES: component_types.order,
            ENTITIES: self._order_entities(),
            ENTITY_COMPONENTS: range(self._counts[ENTITY_COMPONENTS]),
        }
        errors = self._errors
        return Plan(
            counts=dict(self._counts),
            errors=list(errors.messages),
            complete=not (self._stopped_early or errors.overflow),
            order=order,
            positions=_positions(order, self._counts),
        )

    def _remember(self, section: str, index: int, doc: dict[str, Any] | None) -> None:
        """Keep what the file-level rules need of an item; `doc` is None if it is invalid."""
        if section == ENTITIES:
            parent = ROOT_PARENT if doc is None else doc.get("parentEntityId", ROOT_PARENT)
            self._entity_parent.append(self._parent_index(index, parent))
            if doc is not None:
                self._define(self._entity_index, doc["entityId"], ENTITIES, index, "entityId")
        elif section == COMPONENT_TYPES:
            self._extends_from.append(() if doc is None else tuple(doc.get("extendsFrom", ())))
            if doc is not None:
                type_id = doc["componentTypeId"]
                self._define(
                    self._component_type_index, type_id, COMPONENT_TYPES, index, "componentTypeId"
                )
        elif doc is not None:
            entity_id, name = doc["entityId"], doc["componentName"]
            self._define(
                self._component_index,
                f"{entity_id}\0{name}",  # neither part can hold a NUL
                ENTITY_COMPONENTS,
                index,
                "(entityId, componentName)",
                shown=(entity_id, name),
            )

    def _parent_index(self, index: int, parent: str) -> int:
        if parent == ROOT_PARENT:
            return _NO_PARENT
        last_id, last_index = self._last_parent  # siblings tend to come together
        if parent == last_id:
            return last_index
        found = self._entity_index.get(parent)
        if found >= 0:
            self._last_parent = (parent, found)
            return found
        self._later_parents.add(index, parent)
        return _PARENT_LATER

    def _define(
        self,
        defined: dict[str, int] | IdIndex,
        key: str,
        section: str,
        index: int,
        what: str,
        shown: Any = None,
    ) -> bool:
        """Whether this is the first definition of `key`; reports a second one."""
        first = defined.setdefault(key, index)
        if first != index:
            self._errors.add(
                [
                    f"{section}[{index}]: {what} {key if shown is None else shown!r}"
                    f" is already defined by {section}[{first}]"
                ]
            )
        return first == index

    def _order_component_types(self) -> DependencyOrder:
        index_of = self._component_type_index
        extends = self._extends_from

        def parents_of(item: int) -> list[int]:
            return [index_of[parent] for parent in extends[item] if parent in index_of]

        ordered = dependency_order(len(extends), parents_of)
        if ordered.cycles:
            id_of = {index: type_id for type_id, index in index_of.items()}
            self._report_cycles(COMPONENT_TYPES, "extendsFrom", ordered, id_of)
        else:
            self._check_inheritance_depth(ordered.order, parents_of)
        return ordered

    def _check_inheritance_depth(
        self, order: Sequence[int], parents_of: Callable[[int], list[int]]
    ) -> None:
        """Report the first type whose extendsFrom chain in the file is longer than the API
        allows; the types a workspace already has are counted when each type is written."""
        depth: dict[int, int] = {}
        for item in order:  # parents first
            depth[item] = 1 + max((depth[p] for p in parents_of(item)), default=0)
            if depth[item] > MAX_INHERITANCE_DEPTH:
                self._errors.add(
                    [
                        f"{COMPONENT_TYPES}[{item}]: extendsFrom builds a chain of more than"
                        f" {MAX_INHERITANCE_DEPTH} component types"
                    ]
                )
                return

    def _order_entities(self) -> Sequence[int]:
        parents = self._entity_parent
        if not self._later_parents:
            # Every parent in the file comes before its children: no cycle, file order.
            return range(len(parents))
        for index, first, second in self._later_parents:
            parents[index] = self._entity_index.find(first, second, _NO_PARENT)

        def parents_of(item: int) -> tuple[int, ...]:
            parent = parents[item]
            return () if parent == _NO_PARENT else (parent,)

        ordered = dependency_order(len(parents), parents_of)
        if ordered.cycles:
            shown = ordered.cycles[: self._errors.room]
            id_of = self._read_ids(ENTITIES, "entityId", (i for cycle in shown for i in cycle))
            self._report_cycles(ENTITIES, "parentEntityId", ordered, id_of)
        return ordered.order

    def _report_cycles(
        self, section: str, link: str, ordered: DependencyOrder, id_of: dict[int, str]
    ) -> None:
        for cycle in ordered.cycles:
            loop = " -> ".join(repr(id_of.get(item)) for item in [*cycle, cycle[0]])
            self._errors.add([f"{section}[{min(cycle)}]: {link} cycle {loop}"])

    def _read_ids(self, section: str, field: str, indices: Iterable[int]) -> dict[int, str]:
        """`field` of the items of `section` at `indices`, read again from the file."""
        wanted = set(indices)
        found: dict[int, str] = {}
        if not wanted:
            return found
        last = max(wanted)
        for item_section, index, doc in iter_root_arrays(self._path, SECTIONS):
            if item_section == section:
                if index in wanted:
                    found[index] = doc[field]
                if index == last:
                    break
        return found


def _positions(order: dict[str, Sequence[int]], counts: dict[str, int]) -> dict[str, Sequence[int]]:
    positions: dict[str, Sequence[int]] = {}
    position = 0
    for section in SECTIONS:
        count = counts[section]
        if order[section] == range(count):
            positions[section] = range(position, position + count)
            position += count
            continue
        inverse = array("q", [-1]) * count
        for index in order[section]:
            inverse[index] = position
            position += 1
        positions[section] = inverse
    return positions


def validate_and_plan(path: str | PathLike[str], max_errors: int = DEFAULT_MAX_ERRORS) -> Plan:
    """Check a file and plan its import without keeping its documents."""
    scan = TwinMakerScan(path, max_errors)
    for _ in scan:
        pass
    return scan.plan()


def write_twinmaker_file(
    fp: BinaryIO,
    component_types: Iterable[dict[str, Any]],
    entities: Iterable[dict[str, Any]],
    entity_components: Iterable[dict[str, Any]] | None = None,
) -> dict[str, int]:
    """Write `{"componentTypes": [...], "entities": [...]}` to a binary file.

    Items are drawn and serialized one at a time, in the order given. `entity_components`,
    when given, is written as a third array, `entityComponents`. Returns how many items of
    each section were written.
    """
    sections = [(COMPONENT_TYPES, component_types), (ENTITIES, entities)]
    if entity_components is not None:
        sections.append((ENTITY_COMPONENTS, entity_components))
    return write_root_arrays(fp, sections)
