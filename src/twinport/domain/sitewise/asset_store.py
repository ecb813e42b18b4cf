"""What writing an asset reads and writes: models and assets by reference, the asset tree,
and which time series hold property aliases.

`AssetStore` asks the database every time: the API writes one asset a transaction.
`RememberingAssetStore` serves a bulk import, which writes thousands of assets in a run of
transactions on one connection: it keeps the models, assets and alias holders it has read or
written, and reads what a run of items will need in a few queries (`read_ahead`). What it keeps
is what the database holds as long as every write goes through it: `forget_if_stale` at the
start of each transaction forgets it all when another connection has committed since the last
one. Asked to (`hold_back`), it also holds back the rows of new assets and inserts them
together at `flush`, with their parents already set: one statement for a few hundred rows
costs far less than a statement for each, and no child is inserted and then updated. Whatever
reads the database first writes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from twinport.domain.sitewise.definitions import PropertyIndex
from twinport.domain.sitewise.ids import Ref
from twinport.domain.sitewise.kinds import ASSETS, MODELS
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store import time_series as series_repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord

# How many assets a RememberingAssetStore keeps at most (about 1.5 kB each).
_MAX_KEPT = 10_000


class AliasHolder(NamedTuple):
    """The time series that has a property alias: of a property of an asset, or of none."""

    alias: str
    asset_id: str | None
    property_id: str | None


class AssetStore:
    """The models and assets of a scope, on an open connection inside the caller's
    transaction."""

    def __init__(self, conn: Connection, scope: Scope):
        self.conn = conn
        self.scope = scope

    def model(self, ref: Ref) -> AssetModelRecord | None:
        return MODELS.find(self.conn, self.scope, ref)

    def properties(self, model: AssetModelRecord) -> PropertyIndex:
        return PropertyIndex(model.definition)

    def asset(self, ref: Ref) -> AssetRecord | None:
        """The asset `ref` names: by id, else by external id (as `Kind.find`)."""
        return ASSETS.find(self.conn, self.scope, ref)

    def assets(self, refs: Sequence[Ref]) -> list[AssetRecord | None]:
        """The asset each of `refs` names, as `asset` finds it, read together."""
        found = repo.get_many(self.conn, self.scope, repo.ASSETS, _ids(refs))
        by_id = {asset.id: asset for asset in found}
        external_ids = [
            r.external_id for r in refs if r.external_id is not None and r.id not in by_id
        ]
        found = repo.get_many(self.conn, self.scope, repo.ASSETS, external_ids, "external_id")
        by_external_id = {asset.external_id: asset for asset in found}
        return [_pick(ref, by_id.get, by_external_id.get) for ref in refs]

    def children(self, parent_id: str) -> dict[str, str]:
        """child id -> hierarchy id, for the children of `parent_id`."""
        return repo.children(self.conn, self.scope, parent_id)

    def alias_holders(self, aliases: list[str]) -> list[AliasHolder]:
        """The time series that have some of `aliases`."""
        found = series_repo.holders(self.conn, self.scope, aliases)
        return [AliasHolder(t.alias, t.asset_id, t.property_id) for t in found]

    def ancestors(self, asset: AssetRecord) -> set[str]:
        """`asset` and every asset above it."""
        if asset.parent_id is None:
            return {asset.id}
        return {asset_id for asset_id, _ in repo.path_to_root(self.conn, self.scope, asset.id)}

    def insert(self, record: AssetRecord) -> None:
        repo.insert(self.conn, self.scope, repo.ASSETS, record)

    def update(self, record: AssetRecord) -> None:
        repo.update(self.conn, self.scope, repo.ASSETS, record)

    def set_parent(
        self, child_ids: list[str], parent_id: str | None, hierarchy_id: str | None
    ) -> None:
        repo.set_parent(self.conn, self.scope, child_ids, parent_id, hierarchy_id)


class RememberingAssetStore(AssetStore):
    """An AssetStore that keeps what it read and wrote; see the module docstring. Models are
    not written through it: whoever writes one (which may change assets too) must `forget`.
    With `hold_back`, new assets are inserted at `flush`, which must come before the
    transaction commits."""

    def __init__(self, conn: Connection, scope: Scope, hold_back: bool = False):
        super().__init__(conn, scope)
        self._hold_back = hold_back
        self._models: dict[Ref, AssetModelRecord | None] = {}
        self._properties: dict[str, PropertyIndex] = {}  # by model id
        self._assets: dict[str, AssetRecord | None] = {}  # by id; None: there is none
        self._external_ids: dict[str, str | None] = {}  # external id -> asset id or None
        self._children: dict[str, dict[str, str]] = {}  # parent id -> child id -> hierarchy id
        self._aliases: dict[str, AliasHolder | None] = {}  # None: no time series has it
        self._unwritten: dict[str, AssetRecord] = {}  # new assets, by id, in insertion order
        self._data_version = repo.data_version(conn)

    def flush(self) -> None:
        """Insert the new assets held back."""
        if self._unwritten:
            repo.insert_many(self.conn, self.scope, repo.ASSETS, list(self._unwritten.values()))
            self._unwritten.clear()

    def transaction_ends(self) -> None:
        """Insert the new assets held back, and note the database's version as this
        transaction leaves it: the next `forget_if_stale` sees only other connections' writes."""
        self.flush()
        self._data_version = repo.data_version(self.conn)

    def forget(self) -> None:
        self.flush()
        self._models.clear()
        self._properties.clear()
        self._assets.clear()
        self._external_ids.clear()
        self._children.clear()
        self._aliases.clear()

    def forget_if_stale(self) -> None:
        """Forget everything if another connection has committed since this was last asked
        (or too much is kept: memory stays bounded whatever the size of the import)."""
        version = repo.data_version(self.conn)
        if version != self._data_version or len(self._assets) > _MAX_KEPT:
            self.forget()
            self._data_version = version

    def read_ahead(
        self, ids: Iterable[str], external_ids: Iterable[str], aliases: Iterable[str] = ()
    ) -> None:
        """Read at once the assets with these ids or external ids that are not known yet, the
        children of those found, and the holders of these aliases."""
        aliases = [a for a in aliases if a not in self._aliases]
        if aliases:
            self.flush()
            self._aliases.update(dict.fromkeys(aliases))
            self._aliases.update((h.alias, h) for h in super().alias_holders(aliases))
        ids = [i for i in ids if i not in self._assets]
        external_ids = [e for e in external_ids if e not in self._external_ids]
        if not ids and not external_ids:
            return
        self.flush()
        found = repo.get_many(self.conn, self.scope, repo.ASSETS, ids)
        self._assets.update(dict.fromkeys(ids))
        for asset in found:
            self._remember(asset)
        external_ids = [e for e in external_ids if e not in self._external_ids]
        by_external_id = repo.get_many(
            self.conn, self.scope, repo.ASSETS, external_ids, "external_id"
        )
        self._external_ids.update(dict.fromkeys(external_ids))
        for asset in by_external_id:
            self._remember(asset)
        found += by_external_id
        parents = [a.id for a in found if a.id not in self._children]
        self._children.update(repo.children_of_many(self.conn, self.scope, parents))

    def model(self, ref: Ref) -> AssetModelRecord | None:
        if ref not in self._models:
            self._models[ref] = super().model(ref)
        return self._models[ref]

    def properties(self, model: AssetModelRecord) -> PropertyIndex:
        if model.id not in self._properties:
            self._properties[model.id] = super().properties(model)
        return self._properties[model.id]

    def asset(self, ref: Ref) -> AssetRecord | None:
        if not self._knows(ref):
            self.read_ahead(_ids([ref]), _external_ids([ref]))
        return _pick(ref, self._assets.get, self._by_external_id)

    def assets(self, refs: Sequence[Ref]) -> list[AssetRecord | None]:
        self.read_ahead(_ids(refs), _external_ids(refs))
        return [_pick(ref, self._assets.get, self._by_external_id) for ref in refs]

    def children(self, parent_id: str) -> dict[str, str]:
        if parent_id not in self._children:
            self.flush()
            self._children[parent_id] = super().children(parent_id)
        return dict(self._children[parent_id])

    def alias_holders(self, aliases: list[str]) -> list[AliasHolder]:
        known = self._aliases
        if any(a not in known for a in aliases):
            self.read_ahead((), (), aliases)
        return [h for a in aliases if (h := known[a]) is not None]

    def ancestors(self, asset: AssetRecord) -> set[str]:
        if asset.parent_id is not None:
            self.flush()
        return super().ancestors(asset)

    def insert(self, record: AssetRecord) -> None:
        if self._hold_back:
            self._unwritten[record.id] = record
        else:
            super().insert(record)
        self._remember(record)
        self._remember_aliases(None, record)
        self._children[record.id] = {}  # a new asset has no children yet

    def update(self, record: AssetRecord) -> None:
        if record.id in self._unwritten:
            self._unwritten[record.id] = record
        else:
            super().update(record)
        self._remember_aliases(self._assets.get(record.id), record)
        self._remember(record)

    def set_parent(
        self, child_ids: list[str], parent_id: str | None, hierarchy_id: str | None
    ) -> None:
        written = [child_id for child_id in child_ids if child_id not in self._unwritten]
        if written:
            super().set_parent(written, parent_id, hierarchy_id)
        for child_id in child_ids:
            child = self._assets.get(child_id)
            if child is not None:
                if child.parent_id in self._children:
                    self._children[child.parent_id].pop(child_id, None)
                child.parent_id, child.parent_hierarchy_id = parent_id, hierarchy_id
            else:  # its former parent is not known: forget every list of children
                self._children.clear()
            if parent_id is not None and parent_id in self._children:
                self._children[parent_id][child_id] = hierarchy_id

    def _knows(self, ref: Ref) -> bool:
        """Whether what `ref` names is known without reading."""
        return (ref.id is None or ref.id in self._assets) and (
            ref.external_id is None or ref.external_id in self._external_ids
        )

    def _remember_aliases(self, old: AssetRecord | None, new: AssetRecord) -> None:
        """What the store's triggers make of the time series when `old` becomes `new`: the
        aliases of `new` are its properties' (taken over if disassociated), and those `old`
        had are no longer (`new`'s checks refused any held by another asset)."""
        for values in (old.properties if old is not None else {}).values():
            if "alias" in values:
                self._aliases.pop(values["alias"], None)  # read again if asked
        for property_id, values in new.properties.items():
            if "alias" in values:
                alias = values["alias"]
                self._aliases[alias] = AliasHolder(alias, new.id, property_id)

    def _remember(self, asset: AssetRecord) -> None:
        self._assets[asset.id] = asset
        if asset.external_id is not None:
            self._external_ids[asset.external_id] = asset.id

    def _by_external_id(self, external_id: str) -> AssetRecord | None:
        asset_id = self._external_ids.get(external_id)
        return None if asset_id is None else self._assets[asset_id]


Find = Callable[[str], AssetRecord | None]


def _ids(refs: Iterable[Ref]) -> list[str]:
    return [r.id for r in refs if r.id is not None]


def _external_ids(refs: Iterable[Ref]) -> list[str]:
    return [r.external_id for r in refs if r.external_id is not None]


def _pick(ref: Ref, by_id: Find, by_external_id: Find) -> AssetRecord | None:
    """What `Kind.find` finds for `ref`, given lookups by id and by external id."""
    if ref.id is not None:
        found = by_id(ref.id)
        if found is not None or ref.external_id is None:
            return found
    return by_external_id(ref.external_id) if ref.external_id is not None else None
