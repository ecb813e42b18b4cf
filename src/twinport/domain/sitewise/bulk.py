"""SiteWise for the metadata transfer engine: bulk-file documents in, bulk-file documents out.

Every function works on an open connection inside the caller's transaction, in one scope, and
applies the same rules as the API (the same code). A per-resource failure raises ServiceError
with SiteWise's error code; nothing of that resource is written then (every rule is checked
before the first write). `BulkImport` puts the items of one import over many transactions,
reading what runs of items need in a few queries.

Import semantics: a document replaces the resource with its id (or, when it gives no id, the
one with its external id), or creates it, keeping the ids it gives. Properties, hierarchies and
composite models of a model are replaced wholesale; an asset's `assetProperties` are its full
list of property settings and its `assetHierarchies` the full list of its children (children
must exist already: write children before the parents that list them). Identical documents
write nothing and report "unchanged".

Export: `iter_asset_model_documents` / `iter_asset_documents` yield documents that, imported
into an empty account (models before assets, child assets before parents), reproduce every
model and asset with its ids and external ids.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from twinport.domain.members import compact
from twinport.domain.outcome import Outcome
from twinport.domain.sitewise import asset_models, assets
from twinport.domain.sitewise.asset_store import AssetStore, RememberingAssetStore
from twinport.domain.sitewise.assets import AssetInput, find_hierarchy, find_property
from twinport.domain.sitewise.definitions import AssetModelInput
from twinport.domain.sitewise.ids import EXTERNAL_PREFIX, Ref
from twinport.domain.sitewise.kinds import ASSETS, MODELS, Kind
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord

__all__ = [
    "BulkImport",
    "Outcome",
    "asset_ids_of_model",
    "descendant_asset_ids",
    "iter_asset_documents",
    "iter_asset_model_documents",
    "offspring_model_ids",
    "put_asset",
    "put_asset_model",
    "resolve_asset",
    "resolve_asset_model",
    "resolve_model_hierarchy",
    "resolve_model_property",
]

M = TypeVar("M")  # a member of a model: a property or a hierarchy


# --- import -------------------------------------------------------------------------------


def put_asset_model(
    conn: Connection, scope: Scope, document: dict, now: float | None = None
) -> Outcome:
    """Create or replace the asset model of a bulk `assetModels` item."""
    request = AssetModelInput(
        **_common_fields(document, "assetModel"),
        model_type=document.get("assetModelType"),
        properties=document.get("assetModelProperties") or [],
        hierarchies=document.get("assetModelHierarchies") or [],
        composite_models=document.get("assetModelCompositeModels") or [],
    )
    existing = MODELS.find_for_upsert(conn, scope, request.id, request.external_id)
    return asset_models.write_asset_model(conn, scope, request, existing, _now(now))[0]


def put_asset(conn: Connection, scope: Scope, document: dict, now: float | None = None) -> Outcome:
    """Create or replace the asset of a bulk `assets` item, children included."""
    return _put_asset(AssetStore(conn, scope), document, now)


class BulkImport:
    """`put_asset_model` and `put_asset` for many items, over a run of transactions on one
    connection, remembering the models and assets read and written (a
    `RememberingAssetStore`). Begin every transaction with `read_ahead`. With `hold_back`,
    new assets are inserted together at `flush`, which must end every transaction."""

    def __init__(self, conn: Connection, scope: Scope, hold_back: bool = False):
        self._store = RememberingAssetStore(conn, scope, hold_back)

    @property
    def conn(self) -> Connection:
        return self._store.conn

    def read_ahead(self, documents: Iterable[dict]) -> None:
        """Fetch at once the assets putting these `assets` items reads, after forgetting
        what other connections may have changed since the last call."""
        self._store.forget_if_stale()
        ids: list[str] = []
        external_ids: list[str] = []
        aliases: list[str] = []
        for document in documents:
            _add_asset_keys(document, ids, external_ids)
            aliases += [
                alias
                for entry in document.get("assetProperties") or ()
                if (alias := entry.get("alias")) is not None
            ]
        self._store.read_ahead(ids, external_ids, aliases)

    def put_asset_model(self, document: dict, now: float | None = None) -> Outcome:
        # Writing a model may change assets too (properties or hierarchies it drops).
        self._store.forget()
        return put_asset_model(self._store.conn, self._store.scope, document, now)

    def put_asset(self, document: dict, now: float | None = None) -> Outcome:
        return _put_asset(self._store, document, now)

    def flush(self) -> None:
        """Insert the new assets held back (see `hold_back`); the transaction ends next."""
        self._store.transaction_ends()


# --- resolution ---------------------------------------------------------------------------


def resolve_asset_model(
    conn: Connection, scope: Scope, id: str | None = None, external_id: str | None = None
) -> str | None:
    """The id of the existing model with this id (else this external id), or None."""
    return _resolve(conn, scope, MODELS, Ref(id, external_id))


def resolve_asset(
    conn: Connection, scope: Scope, id: str | None = None, external_id: str | None = None
) -> str | None:
    """The id of the existing asset with this id (else this external id), or None."""
    return _resolve(conn, scope, ASSETS, Ref(id, external_id))


def resolve_model_property(
    conn: Connection,
    scope: Scope,
    model_id: str,
    id: str | None = None,
    external_id: str | None = None,
) -> str | None:
    """The id of the property of model `model_id` with this id or external id, or None."""
    found = _model_member(conn, scope, model_id, find_property, id, external_id)
    return found[0]["id"] if found else None


def resolve_model_hierarchy(
    conn: Connection,
    scope: Scope,
    model_id: str,
    id: str | None = None,
    external_id: str | None = None,
) -> str | None:
    """The id of the hierarchy of model `model_id` with this id or external id, or None."""
    found = _model_member(conn, scope, model_id, find_hierarchy, id, external_id)
    return found["id"] if found else None


# --- export selection ---------------------------------------------------------------------


def asset_ids_of_model(conn: Connection, scope: Scope, model_id: str) -> list[str]:
    return repo.asset_ids_of_model(conn, scope, model_id)


def descendant_asset_ids(conn: Connection, scope: Scope, asset_id: str) -> list[str]:
    """Every asset below `asset_id` in the asset tree, nearest first."""
    return repo.descendants(conn, scope, asset_id)


def offspring_model_ids(conn: Connection, scope: Scope, model_id: str) -> list[str]:
    """The models below `model_id`: child models of its hierarchies and the component models
    it composes, recursively (so an export of them imports on its own)."""
    found: list[str] = []
    pending = [model_id]
    seen = {model_id}
    while pending:
        model = repo.get(conn, scope, repo.MODELS, pending.pop(0))
        if model is None:
            continue
        definition = model.definition
        linked = [h["childAssetModelId"] for h in definition["hierarchies"]]
        linked += [
            c["composedAssetModelId"]
            for c in definition["compositeModels"]
            if "composedAssetModelId" in c
        ]
        for other in linked:
            if other not in seen:
                seen.add(other)
                found.append(other)
                pending.append(other)
    return found


# --- export -------------------------------------------------------------------------------


def iter_asset_model_documents(
    conn: Connection, scope: Scope, ids: Iterable[str] | None = None
) -> Iterator[dict]:
    """Bulk `assetModels` items of every model (or of `ids`), streamed from the store."""
    for model in repo.iter_models(conn, scope, ids):
        yield asset_model_document(model)


def iter_asset_documents(
    conn: Connection, scope: Scope, ids: Iterable[str] | None = None
) -> Iterator[dict]:
    """Bulk `assets` items of every asset (or of `ids`), streamed from the store."""
    for asset, children in repo.iter_assets(conn, scope, ids):
        yield asset_document(asset, children)


def asset_model_document(model: AssetModelRecord) -> dict:
    definition = model.definition
    return compact(
        assetModelId=model.id,
        assetModelExternalId=model.external_id,
        assetModelName=model.name,
        assetModelDescription=model.description,
        assetModelType=model.model_type,
        assetModelProperties=[_property(p) for p in definition["properties"]] or None,
        assetModelHierarchies=definition["hierarchies"] or None,
        assetModelCompositeModels=[
            {**c, "properties": [_property(p) for p in c["properties"]]}
            if c["properties"]
            else {k: v for k, v in c.items() if k != "properties"}
            for c in definition["compositeModels"]
        ]
        or None,
        tags=_tag_list(model.tags),
    )


def asset_document(asset: AssetRecord, children: list[tuple[str, str]]) -> dict:
    """`children`: (hierarchy id, child asset id) pairs of the asset.

    Built member by member rather than through `compact`: an export makes one per asset."""
    document: dict = {"assetId": asset.id}
    if asset.external_id is not None:
        document["assetExternalId"] = asset.external_id
    document["assetName"] = asset.name
    if asset.description is not None:
        document["assetDescription"] = asset.description
    document["assetModelId"] = asset.model_id
    if asset.properties:
        document["assetProperties"] = [
            {"id": pid, **values} for pid, values in asset.properties.items()
        ]
    if children:
        document["assetHierarchies"] = [{"id": hid, "childAssetId": cid} for hid, cid in children]
    if asset.tags:
        document["tags"] = _tag_list(asset.tags)
    return document


def _property(prop: dict) -> dict:
    """A stored property in the bulk form: variables name targets by id or external id."""
    kind, body = next(iter(prop["type"].items()))
    if "variables" not in body:
        return prop
    variables = [
        {"name": v["name"], "value": _variable_value(v["value"])} for v in body["variables"]
    ]
    return {**prop, "type": {kind: {**body, "variables": variables}}}


def _variable_value(stored: dict) -> dict:
    value: dict = {}
    for key in ("property", "hierarchy"):
        reference, external_id = stored.get(f"{key}Id"), stored.get(f"{key}ExternalId")
        if reference is not None and reference.startswith(EXTERNAL_PREFIX):
            reference, external_id = None, reference[len(EXTERNAL_PREFIX) :]
        value.update(compact(**{f"{key}Id": reference, f"{key}ExternalId": external_id}))
    return value


def _common_fields(document: dict, prefix: str) -> dict:
    """The fields both kinds of bulk item have, named `{prefix}Name`, `{prefix}Id`, ..."""
    return {
        "name": document[f"{prefix}Name"],
        "id": document.get(f"{prefix}Id"),
        "external_id": document.get(f"{prefix}ExternalId"),
        "description": document.get(f"{prefix}Description"),
        "tags": _tag_map(document.get("tags")),
    }


def _put_asset(store: AssetStore, document: dict, now: float | None) -> Outcome:
    request = AssetInput(
        **_common_fields(document, "asset"),
        model=Ref(document.get("assetModelId"), document.get("assetModelExternalId")),
        properties=document.get("assetProperties") or [],
        children=document.get("assetHierarchies") or [],
    )
    # The asset it replaces: the one with its id if it gives one (else it is new), else the
    # one with its external id.
    replaced = Ref(request.id) if request.id is not None else Ref(external_id=request.external_id)
    existing = store.asset(replaced)
    return assets.write_asset(store.conn, store.scope, request, existing, _now(now), store)[0]


def _add_asset_keys(document: dict, ids: list[str], external_ids: list[str]) -> None:
    """Add the ids and external ids of the assets putting an `assets` item looks up: itself
    (by external id too: it must be the only one with it), and its children."""
    for id_key, external_key, item in (
        ("assetId", "assetExternalId", document),
        *(
            ("childAssetId", "childAssetExternalId", entry)
            for entry in document.get("assetHierarchies") or ()
        ),
    ):
        if (value := item.get(id_key)) is not None:
            ids.append(value)
        if (value := item.get(external_key)) is not None:
            external_ids.append(value)


def _now(now: float | None) -> float:
    return time.time() if now is None else now


def _model_member(
    conn: Connection,
    scope: Scope,
    model_id: str,
    find: Callable[[AssetModelRecord, Ref], M | None],
    member_id: str | None,
    external_id: str | None,
) -> M | None:
    """What `find` finds in model `model_id` by the member's id when given, else by its
    external id."""
    model = repo.get(conn, scope, repo.MODELS, model_id)
    if model is None:
        return None
    return find(model, Ref(member_id) if member_id is not None else Ref(external_id=external_id))


def _resolve(conn: Connection, scope: Scope, kind: Kind, ref: Ref) -> str | None:
    found = kind.find(conn, scope, ref)
    return found.id if found else None


def _tag_map(tags: list[dict] | None) -> dict[str, str]:
    return {tag["key"]: tag["value"] for tag in tags or []}


def _tag_list(tags: dict[str, str]) -> list[dict] | None:
    return [{"key": k, "value": v} for k, v in tags.items()] or None
