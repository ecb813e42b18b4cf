"""The SiteWise bulk file: read and check it as a stream, plan the import order, write exports.

A file is one JSON object with up to two arrays (`sitewise_schema` has the item rules):

    {"assetModels": [...], "assets": [...]}

Importing a file (one pass, documents never all in memory)::

    scan = SiteWiseScan(path, known=store)  # max_errors=20 by default
    for section, index, doc in scan:        # file order; every item, valid or not
        staging.put(section, index, doc)
    plan = scan.plan()                      # file-level rules and the order, after the pass
    if not plan.ok:
        fail(plan.errors)                   # ["assets[12].assetName: ...", ...]
    for position, section, index in plan.sequence():
        apply(section, staging.get(section, index))

The scan keeps only identities and references, not documents; staged documents must be
discarded when the plan is not ok (the scan yields invalid items too, and stops early at
malformed JSON or once `max_errors` problems were found).

What the pass checks:

- JSON syntax and the root shape, then each item against its schema definition, reporting
  every problem with its path.
- No overlapping definitions: an asset model (or asset) id or external id defined twice, and
  an asset listed as a child twice (an asset has one parent).
- References: an asset model named by a hierarchy (`childAssetModel...`), a composite model
  (`composedAssetModel...`) or an asset (`assetModel...`), and a child asset named in
  `assetHierarchies`, resolve to an item of the file (by id, else by external id), else to a
  resource that exists already: `known`, when given, answers that; a reference found in
  neither is an error. The import resolves references again when it writes (by then the file's
  earlier items exist), so `known` only spares a job that cannot succeed. References to
  members of a model (properties, hierarchies) are left to the import.
- No dependency cycles: among the file's asset models through hierarchies and composition (a
  model whose hierarchy holds its own kind is fine), among its assets through
  `assetHierarchies`.

Processing order: asset models that others reference (hierarchy children, composed models)
before those that reference them, then assets, children before the parents that list them.
Otherwise file order is kept.

Each item has a resource key: its id, or `externalId:<external id>` when it gives no id
(`resource_key`). A reference is keyed the same way from what it gives; `plan.aliases` maps
the references whose key differs from the key of the item they resolve to (an item given
with an id and named by its external id), so that dependents of a resource that fails can be
told apart.

Exporting: `write_sitewise_file(fp, asset_models, assets)` streams the two arrays to a binary
file in the shape this module reads back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, BinaryIO, NamedTuple, Protocol

from twinport.formats import sitewise_schema
from twinport.formats.jsonstream import BulkFileError, iter_root_arrays, write_root_arrays
from twinport.formats.ordering import DependencyOrder, dependency_order
from twinport.formats.plan import ErrorLog, ScanPlan
from twinport.formats.schema import render

__all__ = [
    "ASSET",
    "ASSETS",
    "ASSET_MODEL",
    "ASSET_MODELS",
    "SECTIONS",
    "KnownResources",
    "Plan",
    "SiteWiseScan",
    "resource_key",
    "validate_and_plan",
    "write_sitewise_file",
]

ASSET_MODELS = "assetModels"
ASSETS = "assets"
SECTIONS = (ASSET_MODELS, ASSETS)  # in processing order
ASSET_MODEL = sitewise_schema.ASSET_MODEL
ASSET = sitewise_schema.ASSET
DEFAULT_MAX_ERRORS = 20
EXTERNAL_PREFIX = "externalId:"

_CHECKERS = sitewise_schema.checkers()
_CHECKER_OF_SECTION = {
    ASSET_MODELS: _CHECKERS[sitewise_schema.ASSET_MODEL],
    ASSETS: _CHECKERS[sitewise_schema.ASSET],
}
_ID_FIELDS = {
    ASSET_MODELS: ("assetModelId", "assetModelExternalId"),
    ASSETS: ("assetId", "assetExternalId"),
}


def resource_key(resource_id: str | None, external_id: str | None) -> str:
    """How a resource (or a reference to one) is keyed: by id, else by external id."""
    return resource_id if resource_id is not None else f"{EXTERNAL_PREFIX}{external_id}"


class KnownResources(Protocol):
    """Resources that exist outside the file (in the account the file is imported into)."""

    def has_asset_model(self, model_id: str | None, external_id: str | None) -> bool: ...

    def has_asset(self, asset_id: str | None, external_id: str | None) -> bool: ...


@dataclass(frozen=True)
class Plan(ScanPlan):
    # per resource type (AssetModel, Asset): reference key -> key of the item it resolves to
    aliases: dict[str, dict[str, str]] = field(repr=False)


class _Reference(NamedTuple):
    resource_id: str | None
    external_id: str | None

    @property
    def key(self) -> str:
        return resource_key(self.resource_id, self.external_id)

    def __str__(self) -> str:
        return repr(self.key)

    def member_path(self, where: str, prefix: str) -> str:
        """The path of the member that holds this reference, `<prefix>Id` or
        `<prefix>ExternalId` under `where`."""
        return (
            f"{where}.{prefix}Id" if self.resource_id is not None else f"{where}.{prefix}ExternalId"
        )


# What the members of each list that holds references call the resource they name.
_REFERENCE_PREFIX = {
    "assetModelHierarchies": "childAssetModel",
    "assetModelCompositeModels": "composedAssetModel",
    "assetHierarchies": "childAsset",
}


class _Link(NamedTuple):
    """A reference held by member `n` of list `member` of item `index` of a section. Kept
    without its path, which only a problem needs."""

    index: int
    member: str
    n: int
    ref: _Reference

    def path(self, section: str) -> str:
        where = f"{section}[{self.index}].{self.member}[{self.n}]"
        return self.ref.member_path(where, _REFERENCE_PREFIX[self.member])


class _Identities:
    """Where the items of one section are defined in the file, by id and by external id."""

    def __init__(self) -> None:
        self.by_id: dict[str, int] = {}
        self.by_external_id: dict[str, int] = {}
        self.key_of: dict[int, str] = {}

    def find(self, ref: _Reference) -> int | None:
        if ref.resource_id is not None:
            found = self.by_id.get(ref.resource_id)
            if found is not None or ref.external_id is None:
                return found
        return self.by_external_id.get(ref.external_id)


class SiteWiseScan:
    """One streaming pass over a SiteWise bulk file; see the module docstring."""

    def __init__(
        self,
        path: str | PathLike[str],
        max_errors: int = DEFAULT_MAX_ERRORS,
        known: KnownResources | None = None,
    ):
        self._path = path
        self._known = known
        self._errors = ErrorLog(max_errors)
        self._stopped_early = False
        self._finished = False
        self._counts = dict.fromkeys(SECTIONS, 0)
        self._identities = {section: _Identities() for section in SECTIONS}
        # hierarchy children and composed models of asset models
        self._model_links: list[_Link] = []
        # distinct model references of assets, with the first asset that makes each
        self._asset_models: dict[_Reference, int] = {}
        # every assetHierarchies entry
        self._children: list[_Link] = []
        self._plan: Plan | None = None

    def __iter__(self) -> Iterator[tuple[str, int, Any]]:
        if self._finished:
            raise RuntimeError("a SiteWiseScan can be iterated only once")
        self._finished = True
        try:
            for section, index, doc in iter_root_arrays(self._path, SECTIONS):
                self._counts[section] = index + 1
                problems = _CHECKER_OF_SECTION[section](doc)
                if problems is None:
                    self._remember(section, index, doc)
                else:
                    self._errors.add(render(f"{section}[{index}]", problems))
                yield section, index, doc
                if self._errors.full:
                    self._stopped_early = True
                    return
        except BulkFileError as exc:
            self._errors.add([str(exc)])
            self._stopped_early = True

    def plan(self) -> Plan:
        """File-level rules and the processing order; call after iterating."""
        if not self._finished:
            raise RuntimeError("iterate the scan before asking for its plan")
        if self._plan is None:
            self._plan = self._make_plan()
        return self._plan

    # --- the pass -----------------------------------------------------------------------

    def _remember(self, section: str, index: int, doc: dict[str, Any]) -> None:
        id_field, external_field = _ID_FIELDS[section]
        self._define(section, index, doc.get(id_field), doc.get(external_field))
        if section == ASSET_MODELS:
            member = "assetModelHierarchies"
            for n, hierarchy in enumerate(doc.get(member) or ()):
                ref = _Reference(
                    hierarchy.get("childAssetModelId"), hierarchy.get("childAssetModelExternalId")
                )
                self._model_links.append(_Link(index, member, n, ref))
            member = "assetModelCompositeModels"
            for n, composite in enumerate(doc.get(member) or ()):
                ref = _Reference(
                    composite.get("composedAssetModelId"),
                    composite.get("composedAssetModelExternalId"),
                )
                if ref.resource_id is not None or ref.external_id is not None:
                    self._model_links.append(_Link(index, member, n, ref))
        else:
            model = _Reference(doc.get("assetModelId"), doc.get("assetModelExternalId"))
            self._asset_models.setdefault(model, index)
            children = self._children
            for n, entry in enumerate(doc.get("assetHierarchies") or ()):
                ref = _Reference(entry.get("childAssetId"), entry.get("childAssetExternalId"))
                children.append(_Link(index, "assetHierarchies", n, ref))

    def _define(
        self, section: str, index: int, item_id: str | None, external_id: str | None
    ) -> None:
        identities = self._identities[section]
        identities.key_of[index] = resource_key(item_id, external_id)
        for value, defined, label in (
            (item_id, identities.by_id, "id"),
            (external_id, identities.by_external_id, "external id"),
        ):
            if value is None:
                continue
            first = defined.setdefault(value, index)
            if first != index:
                self._errors.add(
                    [
                        f"{section}[{index}]: {label} {value!r} is already defined by"
                        f" {section}[{first}]"
                    ]
                )

    # --- the plan -----------------------------------------------------------------------

    def _make_plan(self) -> Plan:
        aliases: dict[str, dict[str, str]] = {ASSET_MODEL: {}, ASSET: {}}
        models = self._order_models(aliases[ASSET_MODEL])
        self._check_asset_models(aliases[ASSET_MODEL])
        assets = self._order_assets(aliases[ASSET])
        return Plan(
            counts=dict(self._counts),
            errors=list(self._errors.messages),
            complete=not (self._stopped_early or self._errors.overflow),
            order={ASSET_MODELS: models.order, ASSETS: assets.order},
            aliases=aliases,
        )

    def _resolve(self, section: str, ref: _Reference, aliases: dict[str, str]) -> int | None:
        """The index of the file's item `ref` names, or None."""
        identities = self._identities[section]
        target = identities.find(ref)
        if target is not None and identities.key_of[target] != ref.key:
            aliases[ref.key] = identities.key_of[target]
        return target

    def _check_exists(self, section: str, where: str, ref: _Reference) -> None:
        """A reference to nothing in the file must name a resource that exists already."""
        known = self._known
        if known is None or self._stopped_early:
            return
        exists = (
            known.has_asset_model(ref.resource_id, ref.external_id)
            if section == ASSET_MODELS
            else known.has_asset(ref.resource_id, ref.external_id)
        )
        if not exists:
            kind = "asset model" if section == ASSET_MODELS else "asset"
            self._errors.add([f"{where}: {kind} {ref} is neither in the file nor in SiteWise"])

    def _order_models(self, aliases: dict[str, str]) -> DependencyOrder:
        needs: dict[int, list[int]] = {}
        for link in self._model_links:
            target = self._resolve(ASSET_MODELS, link.ref, aliases)
            if target is None:
                self._check_exists(ASSET_MODELS, link.path(ASSET_MODELS), link.ref)
            # A hierarchy may hold assets of its own model (a tree of one kind).
            elif target != link.index:
                needs.setdefault(link.index, []).append(target)
        return self._ordered(ASSET_MODELS, needs, "hierarchy or composition")

    def _check_asset_models(self, aliases: dict[str, str]) -> None:
        for ref, index in self._asset_models.items():
            if self._resolve(ASSET_MODELS, ref, aliases) is None:
                where = ref.member_path(f"{ASSETS}[{index}]", "assetModel")
                self._check_exists(ASSET_MODELS, where, ref)

    def _order_assets(self, aliases: dict[str, str]) -> DependencyOrder:
        needs: dict[int, list[int]] = {}
        listed_at: dict[int | str, _Link] = {}
        for link in self._children:
            ref = link.ref
            target = self._resolve(ASSETS, ref, aliases)
            if target is None:
                self._check_exists(ASSETS, link.path(ASSETS), ref)
            first = listed_at.setdefault(ref.key if target is None else target, link)
            if first is not link:
                where, first_where = link.path(ASSETS), first.path(ASSETS)
                self._errors.add(
                    [f"{where}: asset {ref} is already listed as a child by {first_where}"]
                )
            if target is not None:
                needs.setdefault(link.index, []).append(target)
        return self._ordered(ASSETS, needs, "assetHierarchies")

    def _ordered(self, section: str, needs: dict[int, list[int]], link: str) -> DependencyOrder:
        empty: tuple[int, ...] = ()
        ordered = dependency_order(self._counts[section], lambda item: needs.get(item, empty))
        key_of = self._identities[section].key_of
        for cycle in ordered.cycles:
            loop = " -> ".join(repr(key_of.get(item, item)) for item in [*cycle, cycle[0]])
            self._errors.add([f"{section}[{min(cycle)}]: {link} cycle {loop}"])
        return ordered


def validate_and_plan(
    path: str | PathLike[str],
    max_errors: int = DEFAULT_MAX_ERRORS,
    known: KnownResources | None = None,
) -> Plan:
    """Check a file and plan its import without keeping its documents."""
    scan = SiteWiseScan(path, max_errors, known)
    for _ in scan:
        pass
    return scan.plan()


def write_sitewise_file(
    fp: BinaryIO, asset_models: Iterable[dict[str, Any]], assets: Iterable[dict[str, Any]]
) -> dict[str, int]:
    """Write `{"assetModels": [...], "assets": [...]}` to a binary file.

    Items are drawn and serialized one at a time, in the order given. Returns how many items
    of each section were written.
    """
    return write_root_arrays(fp, [(ASSET_MODELS, asset_models), (ASSETS, assets)])
