"""SiteWise asset models and assets as TwinMaker component types and entities.

The mapping is the one AWS IoT TwinMaker's asset sync uses for a custom workspace:

- an asset model (of type ASSET_MODEL) is the component type
  `iotsitewise.assetmodel:<assetModelId>`, named and described as the model;
- each of its properties is the property definition `Property_<propertyId>`, the SiteWise name
  as `displayName`, the data type kept (STRUCT, which TwinMaker lacks, becomes STRING), the
  unit as `unitOfMeasure`; measurements, transforms and metrics are time series stored
  externally (their values stay in SiteWise), attributes are static;
- each hierarchy is the property definition `Hierarchy_<hierarchyId>`, a LIST of RELATIONSHIP;
- an asset is the entity whose id is the asset id, named and described as the asset, under the
  entity of its parent asset (`$ROOT` at the top), with one component, `sitewiseBase`, of its
  model's component type. Its hierarchy properties hold its children as relationship values
  (`targetEntityId` the child asset id, `targetComponentName` `sitewiseBase`), all of them,
  as in SiteWise. An asset's own unit or alias for a property is that property's definition
  on the entity (`unitOfMeasure`; `configuration.alias`).

Not mapped, as asset sync does not map them: component models and composite models, property
values (attribute values and defaults included), tags.

`TwinMakerItems` reads the resources a transfer moves and gives them as TwinMaker bulk-file
items (`componentTypes`, then `entities`), with the same scan protocol as the bulk-file
readers of `twinport.formats`: iterate `(section, index, item)`, then `plan()` for the
processing order (component types, then entities parents first).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from twinport.domain.sitewise.definitions import ASSET_MODEL
from twinport.formats.ordering import dependency_order
from twinport.formats.plan import ScanPlan
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord

__all__ = [
    "SITEWISE_BASE",
    "TwinMakerItems",
    "component_type_document",
    "component_type_id",
    "entity_document",
    "hierarchy_property",
    "model_property",
]

SITEWISE_BASE = "sitewiseBase"
ROOT = "$ROOT"
COMPONENT_TYPES = "componentTypes"
ENTITIES = "entities"
_SECTIONS = (COMPONENT_TYPES, ENTITIES)
_DATA_TYPES = {"STRING": "STRING", "INTEGER": "INTEGER", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN"}
_HIERARCHY_TYPE = {"type": "LIST", "nestedType": {"type": "RELATIONSHIP"}}


def component_type_id(model_id: str) -> str:
    return f"iotsitewise.assetmodel:{model_id}"


def model_property(property_id: str) -> str:
    return f"Property_{property_id}"


def hierarchy_property(hierarchy_id: str) -> str:
    return f"Hierarchy_{hierarchy_id}"


def component_type_document(model: AssetModelRecord) -> dict[str, Any]:
    """The bulk `componentTypes` item of an asset model."""
    definitions = {
        model_property(prop["id"]): _property_definition(prop)
        for prop in model.definition["properties"]
    }
    for hierarchy in model.definition["hierarchies"]:
        definitions[hierarchy_property(hierarchy["id"])] = {
            "dataType": _HIERARCHY_TYPE,
            "displayName": hierarchy["name"],
        }
    doc: dict[str, Any] = {
        "componentTypeId": component_type_id(model.id),
        "componentTypeName": model.name,
    }
    if model.description:
        doc["description"] = model.description
    if definitions:
        doc["propertyDefinitions"] = definitions
    return doc


def entity_document(
    asset: AssetRecord, model: AssetModelRecord, children: Iterable[tuple[str, str]]
) -> dict[str, Any]:
    """The bulk `entities` item of an asset of `model`; `children`: (hierarchy id, child id)."""
    properties: dict[str, Any] = {}
    for prop in model.definition["properties"]:
        override = _overridden_definition(prop, asset.properties.get(prop["id"]))
        if override:
            properties[model_property(prop["id"])] = {"definition": override}
    by_hierarchy: dict[str, list[dict]] = {}
    for hierarchy_id, child_id in children:
        by_hierarchy.setdefault(hierarchy_id, []).append(
            {
                "relationshipValue": {
                    "targetEntityId": child_id,
                    "targetComponentName": SITEWISE_BASE,
                }
            }
        )
    for hierarchy_id, targets in by_hierarchy.items():
        properties[hierarchy_property(hierarchy_id)] = {"value": {"listValue": targets}}
    component: dict[str, Any] = {"componentTypeId": component_type_id(model.id)}
    if properties:
        component["properties"] = properties
    doc: dict[str, Any] = {
        "entityId": asset.id,
        "entityName": asset.name,
        "parentEntityId": asset.parent_id or ROOT,
        "components": {SITEWISE_BASE: component},
    }
    if asset.description:
        doc["description"] = asset.description
    return doc


def _data_type(prop: dict, unit: str | None) -> dict[str, Any]:
    data_type: dict[str, Any] = {"type": _DATA_TYPES.get(prop["dataType"], "STRING")}
    if unit:
        data_type["unitOfMeasure"] = unit
    return data_type


def _property_definition(prop: dict) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "dataType": _data_type(prop, prop.get("unit")),
        "displayName": prop["name"],
    }
    if "attribute" not in prop["type"]:
        definition["isTimeSeries"] = True
        definition["isStoredExternally"] = True
    return definition


def _overridden_definition(prop: dict, settings: dict | None) -> dict[str, Any] | None:
    """What an asset's own unit or alias changes in a property's definition, if anything."""
    if not settings:
        return None
    override: dict[str, Any] = {}
    if settings.get("unit"):
        override["dataType"] = _data_type(prop, settings["unit"])
    if settings.get("alias"):
        override["configuration"] = {"alias": settings["alias"]}
    return override or None


class TwinMakerItems:
    """The TwinMaker items of the SiteWise resources a transfer moves, read from `conn`.

    `model_ids` and `asset_ids` select what moves; None for both moves everything. A selection
    is completed with what its entities need: the ancestors of every asset (an entity is written
    under its parent) and the model of every asset. Models of another type than ASSET_MODEL have
    no component type. Keep the connection open (and unchanged: a snapshot) while iterating.
    """

    def __init__(
        self,
        conn: Connection,
        scope: Scope,
        model_ids: set[str] | None = None,
        asset_ids: set[str] | None = None,
    ):
        self._conn = conn
        self._scope = scope
        self._everything = model_ids is None and asset_ids is None
        self._model_ids = set(model_ids or ())
        self._asset_ids = set(asset_ids or ())
        self._counts = dict.fromkeys(_SECTIONS, 0)
        self._entity_index: dict[str, int] = {}
        self._parent_ids: list[str | None] = []
        self._plan: ScanPlan | None = None

    def __iter__(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        if not self._everything:
            self._close_selection()
        models: dict[str, AssetModelRecord] = {}
        model_ids = None if self._everything else self._model_ids
        for model in repo.iter_models(self._conn, self._scope, model_ids):
            if model.model_type != ASSET_MODEL:
                continue
            models[model.id] = model
            yield COMPONENT_TYPES, self._counts[COMPONENT_TYPES], component_type_document(model)
            self._counts[COMPONENT_TYPES] += 1
        asset_ids = None if self._everything else self._asset_ids
        for asset, children in repo.iter_assets(self._conn, self._scope, asset_ids):
            index = self._counts[ENTITIES]
            self._entity_index[asset.id] = index
            self._parent_ids.append(asset.parent_id)
            yield ENTITIES, index, entity_document(asset, models[asset.model_id], children)
            self._counts[ENTITIES] += 1

    def plan(self) -> ScanPlan:
        """Component types in store order, then entities parents first; call after iterating."""
        if self._plan is None:
            index_of, parent_ids = self._entity_index, self._parent_ids

            def parent_of(item: int) -> tuple[int, ...]:
                parent = index_of.get(parent_ids[item]) if parent_ids[item] else None
                return () if parent is None else (parent,)

            entities = dependency_order(self._counts[ENTITIES], parent_of)
            self._plan = ScanPlan(
                counts=dict(self._counts),
                errors=(),
                complete=True,
                order={
                    COMPONENT_TYPES: array("q", range(self._counts[COMPONENT_TYPES])),
                    ENTITIES: entities.order,
                },
            )
        return self._plan

    def _close_selection(self) -> None:
        """Add the ancestors of the selected assets, and the models of all of them."""
        pending = set(self._asset_ids)
        while pending:
            parents: set[str] = set()
            for asset, _ in repo.iter_assets(self._conn, self._scope, pending):
                self._model_ids.add(asset.model_id)
                if asset.parent_id is not None and asset.parent_id not in self._asset_ids:
                    parents.add(asset.parent_id)
            self._asset_ids |= parents
            pending = parents
