"""A workspace's component types with what each inherits through `extendsFrom`.

Entity writes check every component against its type, so the catalog of a workspace is cached
and rebuilt only when the workspace's `types_token` says its component types changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from twinport.domain.twinmaker import builtins
from twinport.domain.twinmaker.documents import Doc, decode
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import twinmaker as store

# name -> (definition, inherited)
Members = dict[str, tuple[Doc, bool]]

# Members that a component type inherits from the types it extends, own ones overriding.
_INHERITED_MEMBERS = (
    "propertyDefinitions",
    "functions",
    "propertyGroups",
    "compositeComponentTypes",
)


@dataclass(frozen=True)
class TypeRecord:
    id: str
    doc: Doc
    created: float
    updated: float


class TypeView:
    """One component type as GetComponentType shows it: own and inherited members merged."""

    def __init__(self, record: TypeRecord, parents: list[TypeView]):
        self.record = record
        self.parents = parents

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def doc(self) -> Doc:
        return self.record.doc

    @cached_property
    def members(self) -> dict[str, Members]:
        merged: dict[str, Members] = {name: {} for name in _INHERITED_MEMBERS}
        for parent in self.parents:
            for name in _INHERITED_MEMBERS:
                for key, (value, _) in parent.members[name].items():
                    merged[name][key] = (value, True)
        for name in _INHERITED_MEMBERS:
            for key, value in (self.doc.get(name) or {}).items():
                merged[name][key] = (value, False)
        return merged

    @property
    def property_definitions(self) -> Members:
        return self.members["propertyDefinitions"]

    @cached_property
    def ancestors(self) -> list[str]:
        """Every type this one extends, directly or not, nearest first, each once."""
        seen: dict[str, None] = {}
        for parent in self.parents:
            seen.setdefault(parent.id)
        for parent in self.parents:
            for ancestor in parent.ancestors:
                seen.setdefault(ancestor)
        return list(seen)

    @cached_property
    def required_properties(self) -> tuple[str, ...]:
        """Properties every component must give a value: required and without a default."""
        return tuple(
            name
            for name, (definition, _) in self.property_definitions.items()
            if definition.get("isRequiredInEntity") and "defaultValue" not in definition
        )

    @property
    def is_singleton(self) -> bool:
        return bool(self.doc.get("isSingleton"))

    @property
    def is_abstract(self) -> bool:
        # A type is abstract while one of its functions has no implementation (AWS's
        # alarm.basic: a dataReader without implementedBy), to be supplied by a subtype.
        return any(not fn.get("implementedBy") for fn, _ in self.members["functions"].values())


class TypeCatalog:
    def __init__(self, records: Iterable[TypeRecord]):
        self._records = {record.id: record for record in records}
        self._views: dict[str, TypeView] = {}

    def with_type(self, record: TypeRecord) -> TypeCatalog:
        """This catalog with one type added or replaced (to check a write before making it)."""
        return TypeCatalog([*(r for r in self._records.values() if r.id != record.id), record])

    def __contains__(self, type_id: str) -> bool:
        return type_id in self._records

    def record(self, type_id: str) -> TypeRecord:
        return self._records[type_id]

    def ids(self) -> list[str]:
        return sorted(self._records)

    def get(self, type_id: str) -> TypeView | None:
        view = self._views.get(type_id)
        if view is not None or type_id not in self._records:
            return view
        return self._view(type_id, ())

    def extenders(self, type_id: str) -> list[str]:
        """Ids of the types that extend `type_id` directly."""
        return sorted(
            r.id for r in self._records.values() if type_id in (r.doc.get("extendsFrom") or ())
        )

    def cycle_through(self, type_id: str) -> bool:
        """Whether `type_id` reaches itself through extendsFrom."""
        stack = list(self._records[type_id].doc.get("extendsFrom") or ())
        seen: set[str] = set()
        while stack:
            current = stack.pop()
            if current == type_id:
                return True
            if current in seen or current not in self._records:
                continue
            seen.add(current)
            stack.extend(self._records[current].doc.get("extendsFrom") or ())
        return False

    def depth(self, type_id: str) -> int:
        """How many types deep `type_id` is (1: it extends nothing), counted without recursion,
        so that a chain too deep to build views of can be refused before it is built."""
        depths: dict[str, int] = {}
        open_ids: set[str] = set()  # being counted: a parent among them closes a cycle
        stack = [(type_id, False)]
        while stack:
            current, counted_parents = stack.pop()
            parents = [
                p for p in self._records[current].doc.get("extendsFrom") or () if p in self._records
            ]
            if counted_parents:
                open_ids.discard(current)
                depths[current] = 1 + max((depths.get(p, 0) for p in parents), default=0)
            elif current not in depths and current not in open_ids:
                open_ids.add(current)
                stack.append((current, True))
                stack.extend((p, False) for p in parents if p not in depths and p not in open_ids)
        return depths[type_id]

    def _view(self, type_id: str, path: tuple[str, ...]) -> TypeView:
        view = self._views.get(type_id)
        if view is None:
            record = self._records[type_id]
            parents = [
                self._view(parent, (*path, type_id))
                for parent in record.doc.get("extendsFrom") or ()
                # A stored catalog never holds a cycle or a missing parent; a catalog with a
                # proposed write may, and is checked with cycle_through before it is used.
                if parent in self._records and parent not in path and parent != type_id
            ]
            view = TypeView(record, parents)
            self._views[type_id] = view
        return view


# Every workspace has them; no stored type can take their ids (their namespace is reserved).
_BUILT_IN_RECORDS = tuple(
    TypeRecord(type_id, doc, builtins.CREATED, builtins.CREATED)
    for type_id, doc in builtins.BUILT_IN_TYPES.items()
)
_CACHE_SIZE = 64
_cache: dict[tuple[str, str, str], tuple[str, TypeCatalog]] = {}
_cache_lock = threading.Lock()


def catalog_for(
    conn: Connection, scope: Scope, ws: store.WorkspaceRef | store.WorkspaceRow
) -> TypeCatalog:
    """The workspace's catalog as of `ws.types_token` (read in the caller's transaction)."""
    key = (scope.account, scope.region, ws.workspace_id)
    cached = _cache.get(key)
    if cached is not None and cached[0] == ws.types_token:
        return cached[1]
    stored = (
        TypeRecord(row.id, decode(row.doc), row.created, row.updated)
        for row in store.all_component_types(conn, ws.ws_key)
    )
    catalog = TypeCatalog([*_BUILT_IN_RECORDS, *stored])
    with _cache_lock:
        _cache.pop(key, None)
        _cache[key] = (ws.types_token, catalog)
        while len(_cache) > _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
    return catalog
