"""Asset rules: identity, the model an asset follows, per-asset property settings, the tree.

An asset's property settings are kept only where they differ from the model: a map from
property id to `{alias, unit, attributeValue, propertyNotificationState}` (the bulk file's
names). Its children are the assets whose parent it is; a child is associated through one
hierarchy of the parent's model, and the child's model must be that hierarchy's child model.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from twinport.domain.outcome import Outcome
from twinport.domain.sitewise.asset_store import AssetStore
from twinport.domain.sitewise.definitions import ASSET_MODEL, PropertyIndex
from twinport.domain.sitewise.faults import already_exists, conflicting, invalid_request
from twinport.domain.sitewise.ids import Ref, asset_arn, new_id
from twinport.domain.sitewise.kinds import ASSETS, MODELS
from twinport.domain.sitewise.time_series import check_alias_holders
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord

SETTING_KEYS = frozenset(("alias", "unit", "attributeValue", "propertyNotificationState"))


@dataclass
class AssetInput:
    """What a request says an asset is: all of it, except that `properties`, `children` or
    `tags` left None keep what the asset has, and an existing asset keeps its model."""

    name: str
    id: str | None = None
    external_id: str | None = None
    description: str | None = None
    model: Ref = Ref()
    properties: list[dict] | None = None
    children: list[dict] | None = None
    tags: dict[str, str] | None = None


def find_property(model: AssetModelRecord, ref: Ref) -> tuple[dict, dict | None] | None:
    """(property, its composite model or None) of `model` that `ref` names."""
    return PropertyIndex(model.definition).find(ref)


def find_hierarchy(model: AssetModelRecord, ref: Ref) -> dict | None:
    return next((h for h in model.definition["hierarchies"] if ref.names(h)), None)


def require_hierarchy(model: AssetModelRecord, ref: Ref, asset: AssetRecord) -> dict:
    hierarchy = find_hierarchy(model, ref)
    if hierarchy is None:
        raise invalid_request(
            f"Hierarchy {ref} is not defined in asset model {model.id} of asset {asset.id}."
        )
    return hierarchy


def write_asset(
    conn: Connection,
    scope: Scope,
    request: AssetInput,
    existing: AssetRecord | None,
    now: float,
    store: AssetStore | None = None,
) -> tuple[Outcome, AssetRecord]:
    """Create the asset (`existing` None) or replace `existing` with what `request` says.

    Every rule is checked before the first write, so a refused request writes nothing.
    `store` (by default one on `conn`) is what it reads and writes through.
    """
    store = store or AssetStore(conn, scope)
    model = _model_for(store, request, existing)
    asset_id = existing.id if existing else request.id or new_id()
    external_id = ASSETS.kept_external_id(request.external_id, existing)
    if external_id is not None:
        holder = store.asset(Ref(external_id=external_id))
        ASSETS.check_holder(scope, asset_id, external_id, holder)
    if request.properties is not None:
        settings = property_settings(model, store.properties(model), request.properties)
        check_alias_holders(asset_id, settings, store.alias_holders)
    else:
        settings = existing.properties if existing else {}
    tags = request.tags if request.tags is not None else (existing.tags if existing else {})
    record = AssetRecord(
        id=asset_id,
        external_id=external_id,
        name=request.name,
        description=request.description,
        model_id=model.id,
        parent_id=existing.parent_id if existing else None,
        parent_hierarchy_id=existing.parent_hierarchy_id if existing else None,
        properties=settings,
        tags=tags,
        created=existing.created if existing else now,
        updated=now,
        seq=existing.seq if existing else None,
    )
    wanted = None
    if request.children is not None:
        wanted = wanted_children(store, record, model, request.children)
    if existing is None:
        store.insert(record)
        outcome = Outcome.CREATED
    elif _same_content(record, existing):
        record = existing
        outcome = Outcome.UNCHANGED
    else:
        store.update(record)
        outcome = Outcome.UPDATED
    if wanted is not None:
        current = store.children(record.id) if existing else {}  # a new asset has none
        if set_children(store, record, current, wanted) and outcome is Outcome.UNCHANGED:
            outcome = Outcome.UPDATED
    return outcome, record


def create_asset(conn: Connection, scope: Scope, request: AssetInput, now: float) -> AssetRecord:
    ASSETS.check_id_free(conn, scope, request.id)
    return write_asset(conn, scope, request, None, now)[1]


def delete_asset(conn: Connection, scope: Scope, asset: AssetRecord) -> None:
    arn = asset_arn(scope, asset.id)
    if asset.parent_id is not None:
        raise conflicting(
            f"Asset {asset.id} is associated with parent asset {asset.parent_id}."
            " Disassociate it before you delete it.",
            asset.id,
            arn,
        )
    if repo.has_asset_with(conn, scope, "parent_id", asset.id):
        raise conflicting(
            f"Asset {asset.id} has associated child assets. Disassociate them before you"
            " delete the asset.",
            asset.id,
            arn,
        )
    repo.delete(conn, scope, repo.ASSETS, asset.id)


def property_settings(
    model: AssetModelRecord, properties: PropertyIndex, entries: list[dict]
) -> dict[str, dict]:
    """The settings map for the bulk `assetProperties` entries of an asset of `model`, whose
    properties are `properties`."""
    settings: dict[str, dict] = {}
    for entry in entries:
        ref = Ref(entry.get("id"), entry.get("externalId"))
        found = properties.find(ref)
        if found is None:
            raise invalid_request(f"Property {ref} is not defined in asset model {model.id}.")
        prop = found[0]
        if prop["id"] in settings:
            raise invalid_request(f"Property {prop['id']} is listed more than once.")
        if entry.get("attributeValue") is not None and "attribute" not in prop["type"]:
            raise invalid_request(
                f"Property {prop['id']} is not an attribute and cannot take an attribute value."
            )
        values = clean_settings(entry)
        if values:
            settings[prop["id"]] = values
    return settings


def clean_settings(values: dict) -> dict:
    """Property settings as stored: only those that differ from the defaults."""
    return {
        k: v
        for k, v in values.items()
        if v is not None
        and k in SETTING_KEYS
        and (v != "DISABLED" or k != "propertyNotificationState")
    }


def wanted_children(
    store: AssetStore, parent: AssetRecord, model: AssetModelRecord, entries: list[dict]
) -> dict[str, str]:
    """child id -> hierarchy id, for the bulk `assetHierarchies` entries of `parent`, an asset
    of `model` about to be written; every entry checked."""
    wanted: dict[str, str] = {}
    if not entries:
        return wanted
    refs = [Ref(e.get("childAssetId"), e.get("childAssetExternalId")) for e in entries]
    children = store.assets(refs)
    ancestors = store.ancestors(parent)
    for entry, ref, found in zip(entries, refs, children, strict=True):
        hierarchy = require_hierarchy(model, Ref(entry.get("id"), entry.get("externalId")), parent)
        child = ASSETS.present(_once_written(ref, found, parent), ref)
        check_association(parent, hierarchy, child, ancestors)
        if child.id in wanted:
            raise invalid_request(f"Child asset {child.id} is listed more than once.")
        wanted[child.id] = hierarchy["id"]
    return wanted


def _once_written(ref: Ref, found: AssetRecord | None, asset: AssetRecord) -> AssetRecord | None:
    """What `ref` names once `asset` is written, given what it names now (`found`)."""
    if ref.id == asset.id:
        return asset
    if ref.external_id is not None and ref.external_id == asset.external_id:
        return asset if found is None or found.id == asset.id else found
    return found


def set_children(
    store: AssetStore, parent: AssetRecord, current: dict[str, str], wanted: dict[str, str]
) -> bool:
    """Make the children of `parent` (now `current`) exactly `wanted` (from `wanted_children`).
    A wanted child that has another parent moves here. True if anything changed."""
    if current == wanted:
        return False
    gone = [child_id for child_id in current if child_id not in wanted]
    store.set_parent(gone, None, None)
    moved: dict[str, list[str]] = defaultdict(list)
    for child_id, hierarchy_id in wanted.items():
        if current.get(child_id) != hierarchy_id:
            moved[hierarchy_id].append(child_id)
    for hierarchy_id, child_ids in moved.items():
        store.set_parent(child_ids, parent.id, hierarchy_id)
    return True


def hierarchy_of(conn: Connection, scope: Scope, asset: AssetRecord, ref: Ref) -> dict:
    """The hierarchy of the asset's model that `ref` names."""
    model = MODELS.require(conn, scope, Ref(id=asset.model_id))
    return require_hierarchy(model, ref, asset)


def associate(
    conn: Connection, scope: Scope, parent: AssetRecord, hierarchy: dict, child: AssetRecord
) -> None:
    """Make `child` a child of `parent` through `hierarchy`, one of the parent model's."""
    if child.parent_id == parent.id and child.parent_hierarchy_id == hierarchy["id"]:
        raise already_exists(
            f"Asset {child.id} is already associated with asset {parent.id} through hierarchy"
            f" {hierarchy['id']}.",
            child.id,
            asset_arn(scope, child.id),
        )
    if child.parent_id is not None:
        raise invalid_request(
            f"Asset {child.id} is already associated with parent asset {child.parent_id}."
        )
    ancestors = {asset_id for asset_id, _ in repo.path_to_root(conn, scope, parent.id)}
    check_association(parent, hierarchy, child, ancestors)
    repo.set_parent(conn, scope, [child.id], parent.id, hierarchy["id"])


def disassociate(
    conn: Connection, scope: Scope, parent: AssetRecord, hierarchy: dict, child: AssetRecord
) -> None:
    """Undo `associate`."""
    if child.parent_id != parent.id or child.parent_hierarchy_id != hierarchy["id"]:
        raise invalid_request(
            f"Asset {child.id} is not associated with asset {parent.id} through hierarchy"
            f" {hierarchy['id']}."
        )
    repo.set_parent(conn, scope, [child.id], None, None)


def check_association(
    parent: AssetRecord, hierarchy: dict, child: AssetRecord, ancestors: set[str]
) -> None:
    """`ancestors`: the parent and every asset above it."""
    if child.model_id != hierarchy["childAssetModelId"]:
        raise invalid_request(
            f"Hierarchy {hierarchy['id']} accepts only assets of asset model"
            f" {hierarchy['childAssetModelId']}; asset {child.id} is of asset model"
            f" {child.model_id}."
        )
    if child.id in ancestors:
        raise invalid_request(
            f"Associating asset {child.id} under asset {parent.id} would create a cycle."
        )


def _model_for(
    store: AssetStore, request: AssetInput, existing: AssetRecord | None
) -> AssetModelRecord:
    if existing is None:
        model = MODELS.present(store.model(request.model), request.model)
        if model.model_type != ASSET_MODEL:
            raise invalid_request(
                f"Asset model {model.id} is a {model.model_type}; assets can only be created"
                " from models of type ASSET_MODEL."
            )
        return model
    current = Ref(id=existing.model_id)
    model = MODELS.present(store.model(current), current)
    if request.model and not request.model.names({"id": model.id, "externalId": model.external_id}):
        raise invalid_request(
            f"Asset {existing.id} is of asset model {model.id}; its model cannot be changed."
        )
    return model


def _same_content(new: AssetRecord, old: AssetRecord) -> bool:
    return (
        new.external_id == old.external_id
        and new.name == old.name
        and new.description == old.description
        and new.properties == old.properties
        and new.tags == old.tags
    )
