"""Time series (data streams): which one a request names, and associating them with properties.

twinport ingests no data, so a time series is an alias and where it belongs: an asset property
with an alias has one (the store keeps them in step with the asset's property settings), and a
disassociated one is an alias of no property, made by `disassociate`. Aliases are unique per
account and region, across both kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from twinport.domain.arns import arn
from twinport.domain.sitewise.definitions import PropertyIndex
from twinport.domain.sitewise.faults import invalid_request, not_found
from twinport.domain.sitewise.ids import Ref, new_id
from twinport.domain.sitewise.kinds import ASSETS, MODELS
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store import time_series as series_repo
from twinport.store.sitewise import AssetRecord
from twinport.store.time_series import TimeSeriesRecord


class Holder(Protocol):
    """What an alias check reads of the time series that has an alias."""

    @property
    def alias(self) -> str: ...

    @property
    def asset_id(self) -> str | None: ...

    @property
    def property_id(self) -> str | None: ...


def time_series_arn(scope: Scope, time_series_id: str) -> str:
    return arn(scope, "iotsitewise", f"time-series/{time_series_id}")


def locate(
    conn: Connection, scope: Scope, alias: str | None, asset_ref: Ref, property_ref: Ref
) -> TimeSeriesRecord:
    """The time series a request names: by alias, or by asset and property, or by all three
    when they agree."""
    if asset_ref or property_ref:
        asset, prop = _asset_property(conn, scope, asset_ref, property_ref)
        found = series_repo.by_property(conn, scope, asset.id, prop["id"])
        if found is None or (alias is not None and found.alias != alias):
            named = "time series" if alias is None else f"time series {alias}"
            raise not_found(f"Property {prop['id']} of asset {asset.id} has no {named}.")
        return found
    if alias is None:
        raise invalid_request("Name the time series by its alias, or by assetId and propertyId.")
    return _require_by_alias(conn, scope, alias)


class DataTypes:
    """(dataType, dataTypeSpec) of time series, for one answer: each model and each property
    is looked up once (a page of series mostly shares a few properties)."""

    def __init__(self, conn: Connection, scope: Scope):
        self._conn = conn
        self._scope = scope
        self._indexes: dict[str, PropertyIndex] = {}  # by model id
        self._found: dict[tuple[str, str], tuple[str, str | None]] = {}  # by (model, property)

    def of(self, series: TimeSeriesRecord) -> tuple[str, str | None]:
        if series.model_id is None:
            assert series.data_type is not None, "a disassociated time series keeps its data type"
            return series.data_type, series.data_type_spec
        assert series.property_id is not None, "an associated time series has a property"
        key = (series.model_id, series.property_id)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._look_up(*key)
        return found

    def _look_up(self, model_id: str, property_id: str) -> tuple[str, str | None]:
        index = self._indexes.get(model_id)
        if index is None:
            model = MODELS.require(self._conn, self._scope, Ref(id=model_id))
            index = self._indexes[model_id] = PropertyIndex(model.definition)
        found = index.find(Ref(id=property_id))
        assert found is not None, "the store drops the time series of a removed property"
        return found[0]["dataType"], found[0].get("dataTypeSpec")


def associate(
    conn: Connection, scope: Scope, alias: str, asset_ref: Ref, property_ref: Ref, now: float
) -> None:
    """Make the disassociated time series `alias` the time series of the property."""
    asset, prop = _asset_property(conn, scope, asset_ref, property_ref)
    found = _require_by_alias(conn, scope, alias)
    if found.asset_id is not None:
        raise invalid_request(
            f"Time series {alias} is associated with property {found.property_id} of asset"
            f" {found.asset_id}."
        )
    if "measurement" not in prop["type"]:
        raise invalid_request(
            f"Property {prop['id']} is not a measurement; only measurements take time series."
        )
    if series_repo.by_property(conn, scope, asset.id, prop["id"]) is not None:
        raise invalid_request(f"Property {prop['id']} of asset {asset.id} has a time series.")
    wanted = (prop["dataType"], prop.get("dataTypeSpec"))
    if (found.data_type, found.data_type_spec) != wanted:
        raise invalid_request(
            f"Time series {alias} holds {found.data_type} values; property {prop['id']} is of"
            f" type {prop['dataType']}."
        )
    # The store associates the time series with the property that takes its alias.
    _set_alias(conn, scope, asset, prop["id"], alias, now)


def disassociate(
    conn: Connection, scope: Scope, alias: str, asset_ref: Ref, property_ref: Ref, now: float
) -> None:
    """Make the property's time series `alias` a disassociated one, which keeps the alias,
    its creation date and the property's data type. The property loses its alias."""
    asset, prop = _asset_property(conn, scope, asset_ref, property_ref)
    found = _require_by_alias(conn, scope, alias)
    if (found.asset_id, found.property_id) != (asset.id, prop["id"]):
        raise invalid_request(
            f"Time series {alias} is not associated with property {prop['id']} of asset {asset.id}."
        )
    _set_alias(conn, scope, asset, prop["id"], None, now)
    series_repo.insert_disassociated(
        conn,
        scope,
        TimeSeriesRecord(
            id=new_id(),
            alias=alias,
            asset_id=None,
            property_id=None,
            data_type=prop["dataType"],
            data_type_spec=prop.get("dataTypeSpec"),
            created=found.created,
            updated=now,
        ),
    )


def delete(conn: Connection, scope: Scope, series: TimeSeriesRecord, now: float) -> None:
    """Delete `series`; an associated one by taking its property's alias away."""
    if series.asset_id is None:
        series_repo.delete_disassociated(conn, scope, series.alias)
        return
    asset = ASSETS.require(conn, scope, Ref(id=series.asset_id))
    assert series.property_id is not None, "an associated time series names its property"
    _set_alias(conn, scope, asset, series.property_id, None, now)


def check_aliases(conn: Connection, scope: Scope, asset_id: str, settings: dict[str, dict]) -> None:
    """Refuse property settings (property id -> settings, about to be written for the asset)
    that give an alias twice or give one that another asset's property has."""
    check_alias_holders(
        asset_id, settings, lambda aliases: series_repo.holders(conn, scope, aliases)
    )


def check_alias_holders(
    asset_id: str, settings: dict[str, dict], holders: Callable[[list[str]], Iterable[Holder]]
) -> None:
    """`check_aliases`, given `holders`: the time series that have some of these aliases."""
    aliases = [values["alias"] for values in settings.values() if "alias" in values]
    if not aliases:
        return
    if len(set(aliases)) < len(aliases):
        raise invalid_request(f"Asset {asset_id} gives a property alias to several properties.")
    for holder in holders(aliases):
        if holder.asset_id not in (None, asset_id):
            raise invalid_request(
                f"The alias {holder.alias} is already in use by property {holder.property_id}"
                f" of asset {holder.asset_id}."
            )


def _require_by_alias(conn: Connection, scope: Scope, alias: str) -> TimeSeriesRecord:
    found = series_repo.by_alias(conn, scope, alias)
    if found is None:
        raise not_found(f"Time series {alias} does not exist.")
    return found


def _asset_property(
    conn: Connection, scope: Scope, asset_ref: Ref, property_ref: Ref
) -> tuple[AssetRecord, dict]:
    if not asset_ref or not property_ref:
        raise invalid_request("assetId and propertyId name an asset property together.")
    asset = ASSETS.require(conn, scope, asset_ref)
    model = MODELS.require(conn, scope, Ref(id=asset.model_id))
    found = PropertyIndex(model.definition).find(property_ref)
    if found is None:
        raise not_found(f"Property {property_ref} does not exist on asset {asset.id}.")
    return asset, found[0]


def _set_alias(
    conn: Connection,
    scope: Scope,
    asset: AssetRecord,
    property_id: str,
    alias: str | None,
    now: float,
) -> None:
    """Write the asset with `alias` (None: none) as the property's alias, its other settings
    kept."""
    settings = {k: v for k, v in asset.properties.get(property_id, {}).items() if k != "alias"}
    if alias is not None:
        settings["alias"] = alias
    properties = {k: v for k, v in asset.properties.items() if k != property_id}
    if settings:
        properties[property_id] = settings
    asset.properties = properties
    asset.updated = now
    repo.update(conn, scope, repo.ASSETS, asset)
