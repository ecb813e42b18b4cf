"""What writing an asset reads and writes: models and assets by reference, and the asset tree.

`AssetStore` asks the database every time: the API writes one asset a transaction.
`RememberingAssetStore` serves a bulk import, which writes thousands of assets in a run of
transactions on one connection: it keeps the models and assets it has read or written, and
reads what a run of items will need in a few queries (`read_ahead`). What it keeps is what the
database holds as long as every write goes through it: `forget_if_stale` at the start of each
transaction forgets it all when another connection has committed since the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from twinport.domain.sitewise.definitions import PropertyIndex
from twinport.domain.sitewise.ids import Ref
from twinport.domain.sitewise.kinds import ASSETS, MODELS
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord

# How many assets a RememberingAssetStore keeps at most (about 1.5 kB each).
_MAX_KEPT = 10_000


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
    not written through it: whoever writes one (which may change assets too) must `forget`."""

    def __init__(self, conn: Connection, scope: Scope):
        super().__init__(conn, scope)
        self._models: dict[Ref, AssetModelRecord | None] = {}
        self._properties: dict[str, PropertyIndex] = {}  # by model id
        self._assets: dict[str, AssetRecord | None] = {}  # by id; None: there is none
        self._external_ids: dict[str, str | None] = {}  # external id -> asset id or None
        self._children: dict[str, dict[str, str]] = {}  # parent id -> child id -> hierarchy id
        self._data_version = repo.data_version(conn)

    def forget(self) -> None:
        self._models.clear()
        self._properties.clear()
        self._assets.clear()
        self._external_ids.clear()
        self._children.clear()

    def forget_if_stale(self) -> None:
        """Forget everything if another connection has committed since this was last asked
        (or too much is kept: memory stays bounded whatever the size of the import)."""
        version = repo.data_version(self.conn)
        if version != self._data_version or len(self._assets) > _MAX_KEPT:
            self.forget()
            self._data_version = version

    def read_ahead(self, ids: Iterable[str], external_ids: Iterable[str]) -> None:
        """Read at once the assets with these ids or external ids that are not known yet, and
        the children of those found."""
        ids = [i for i in ids if i not in self._assets]
        external_ids = [e for e in external_ids if e not in self._external_ids]
        if not ids and not external_ids:
            return
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
            self._children[parent_id] = super().children(parent_id)
        return dict(self._children[parent_id])

    def insert(self, record: AssetRecord) -> None:
        super().insert(record)
        self._remember(record)
        self._children[record.id] = {}  # a new asset has no children yet

    def update(self, record: AssetRecord) -> None:
        super().update(record)
        self._remember(record)

    def set_parent(
        self, child_ids: list[str], parent_id: str | None, hierarchy_id: str | None
    ) -> None:
        super().set_parent(child_ids, parent_id, hierarchy_id)
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
