"""Stored asset models and assets in the shapes the SiteWise API answers with.

Resources settle at once, so a Describe or List always shows ACTIVE; only the answer of the
create, update or delete call itself names the transitional state.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from twinport.domain.members import compact
from twinport.domain.sitewise.asset_models import etag
from twinport.domain.sitewise.definitions import all_properties
from twinport.domain.sitewise.ids import EXTERNAL_PREFIX, asset_arn, model_arn, notification_topic
from twinport.scope import Scope
from twinport.store.sitewise import AssetModelRecord, AssetRecord

ACTIVE = {"state": "ACTIVE"}

# Renders a property given the members from the model's root down to it.
RenderProperty = Callable[[dict, list[dict]], dict]


def status(state: str) -> dict:
    return {"state": state}


# --- asset models -------------------------------------------------------------------------


def describe_model(scope: Scope, model: AssetModelRecord, exclude_properties: bool) -> dict:
    definition = model.definition
    properties = [] if exclude_properties else definition["properties"]
    composites = definition["compositeModels"]
    return {
        "assetModelId": model.id,
        "assetModelExternalId": model.external_id,
        "assetModelArn": model_arn(scope, model.id),
        "assetModelName": model.name,
        "assetModelType": model.model_type,
        "assetModelDescription": model.description or "",
        "assetModelProperties": [model_property(p, [p]) for p in properties],
        "assetModelHierarchies": [
            compact(
                id=h["id"],
                externalId=h.get("externalId"),
                name=h["name"],
                childAssetModelId=h["childAssetModelId"],
            )
            for h in definition["hierarchies"]
        ],
        "assetModelCompositeModels": _composite_models(
            composites, exclude_properties, model_property
        ),
        "assetModelCompositeModelSummaries": _composite_summaries(composites, None),
        "assetModelCreationDate": model.created,
        "assetModelLastUpdateDate": model.updated,
        "assetModelStatus": ACTIVE,
        "assetModelVersion": str(model.version),
        "eTag": etag(model),
    }


def model_summary(scope: Scope, model: AssetModelRecord) -> dict:
    return compact(
        id=model.id,
        externalId=model.external_id,
        arn=model_arn(scope, model.id),
        name=model.name,
        assetModelType=model.model_type,
        description=model.description or "",
        creationDate=model.created,
        lastUpdateDate=model.updated,
        status=ACTIVE,
        version=str(model.version),
    )


def model_property(prop: dict, path: list[dict]) -> dict:
    """A property in the API's form; `path` runs from the model's root to the property."""
    return compact(
        id=prop["id"],
        externalId=prop.get("externalId"),
        name=prop["name"],
        dataType=prop["dataType"],
        dataTypeSpec=prop.get("dataTypeSpec"),
        unit=prop.get("unit"),
        type=property_type(prop["type"]),
        path=_path(path),
    )


def property_type(stored: dict) -> dict:
    kind, body = next(iter(stored.items()))
    if "variables" not in body:
        return {kind: body}
    variables = [
        {"name": v["name"], "value": _variable_value(v["value"])} for v in body["variables"]
    ]
    return {kind: {**body, "variables": variables}}


def composite_path(composite: dict, composites: list[dict]) -> list[dict]:
    """The composite models from the root down to `composite`."""
    by_id = {c["id"]: c for c in composites}
    path = [composite]
    while (parent := by_id.get(path[0].get("parentId"))) is not None and parent not in path:
        path.insert(0, parent)
    return path


def property_path(prop: dict, composite: dict | None, composites: list[dict]) -> list[dict]:
    """The members from the model's root down to `prop`, which `composite` holds if not None."""
    return [prop] if composite is None else [*composite_path(composite, composites), prop]


def property_summaries(
    definition: dict, with_composites: bool, summary: RenderProperty, composite_key: str
) -> list[dict]:
    """`summary` of each property of the model itself and, `with_composites`, of each property
    of its composite models, which names its composite model under `composite_key`."""
    composites = definition["compositeModels"]
    summaries = []
    for prop, composite in all_properties(definition):
        if composite is None:
            summaries.append(summary(prop, [prop]))
        elif with_composites:
            path = property_path(prop, composite, composites)
            summaries.append({**summary(prop, path), composite_key: composite["id"]})
    return summaries


# --- assets -------------------------------------------------------------------------------


def describe_asset(
    scope: Scope, asset: AssetRecord, model: AssetModelRecord, exclude_properties: bool
) -> dict:
    definition = model.definition
    composites = definition["compositeModels"]
    properties = [] if exclude_properties else definition["properties"]
    return {
        "assetId": asset.id,
        "assetExternalId": asset.external_id,
        "assetArn": asset_arn(scope, asset.id),
        "assetName": asset.name,
        "assetModelId": asset.model_id,
        "assetDescription": asset.description,
        "assetProperties": [asset_property(asset, p, [p]) for p in properties],
        "assetHierarchies": asset_hierarchies(model),
        "assetCompositeModels": _composite_models(
            composites, exclude_properties, partial(asset_property, asset)
        ),
        "assetCompositeModelSummaries": _composite_summaries(composites, ""),
        "assetCreationDate": asset.created,
        "assetLastUpdateDate": asset.updated,
        "assetStatus": ACTIVE,
    }


def asset_summary(scope: Scope, asset: AssetRecord, model: AssetModelRecord) -> dict:
    return compact(
        id=asset.id,
        externalId=asset.external_id,
        arn=asset_arn(scope, asset.id),
        name=asset.name,
        assetModelId=asset.model_id,
        description=asset.description,
        creationDate=asset.created,
        lastUpdateDate=asset.updated,
        status=ACTIVE,
        hierarchies=asset_hierarchies(model),
    )


def asset_hierarchies(model: AssetModelRecord) -> list[dict]:
    return [
        compact(id=h["id"], externalId=h.get("externalId"), name=h["name"])
        for h in model.definition["hierarchies"]
    ]


def asset_property(asset: AssetRecord, prop: dict, path: list[dict]) -> dict:
    """An asset's property (AssetProperty / Property shapes): the model's property with the
    asset's own alias, unit and notification state."""
    settings = asset.properties.get(prop["id"], {})
    return compact(
        id=prop["id"],
        externalId=prop.get("externalId"),
        name=prop["name"],
        alias=settings.get("alias"),
        notification=notification(asset, prop["id"]),
        dataType=prop["dataType"],
        dataTypeSpec=prop.get("dataTypeSpec"),
        unit=settings.get("unit", prop.get("unit")),
        path=_path(path),
    )


def asset_property_summary(asset: AssetRecord, prop: dict, path: list[dict]) -> dict:
    """An asset's property as ListAssetProperties lists it (AssetPropertySummary): no name and
    no data type, which only DescribeAssetProperty gives."""
    settings = asset.properties.get(prop["id"], {})
    return compact(
        id=prop["id"],
        externalId=prop.get("externalId"),
        alias=settings.get("alias"),
        unit=settings.get("unit", prop.get("unit")),
        notification=notification(asset, prop["id"]),
        path=_path(path),
    )


def notification(asset: AssetRecord, property_id: str) -> dict:
    state = asset.properties.get(property_id, {}).get("propertyNotificationState", "DISABLED")
    return {"topic": notification_topic(asset.model_id, asset.id, property_id), "state": state}


# --- composite models ---------------------------------------------------------------------


def model_composite_summaries(definition: dict) -> list[dict]:
    """Every composite model of a model, nested ones too, as ListAssetModelCompositeModels
    lists them."""
    return _composite_summaries(definition["compositeModels"], None)


def model_composite_path(model: AssetModelRecord, composite: dict) -> list[dict]:
    return _path(composite_path(composite, model.definition["compositeModels"]))


def describe_model_composite(model: AssetModelRecord, composite: dict) -> dict:
    composites = model.definition["compositeModels"]
    composed = composite.get("composedAssetModelId")
    return compact(
        assetModelId=model.id,
        assetModelCompositeModelId=composite["id"],
        assetModelCompositeModelExternalId=composite.get("externalId"),
        assetModelCompositeModelPath=model_composite_path(model, composite),
        assetModelCompositeModelName=composite["name"],
        assetModelCompositeModelDescription=composite.get("description", ""),
        assetModelCompositeModelType=composite["type"],
        assetModelCompositeModelProperties=[
            model_property(p, property_path(p, composite, composites))
            for p in composite["properties"]
        ],
        compositionDetails={"compositionRelationship": [{"id": composed}]} if composed else None,
        assetModelCompositeModelSummaries=_nested_summaries(composite, composites, None),
    )


def describe_asset_composite(asset: AssetRecord, model: AssetModelRecord, composite: dict) -> dict:
    """An asset's composite model: the model's, with the asset's settings of its properties."""
    composites = model.definition["compositeModels"]
    return compact(
        assetId=asset.id,
        assetCompositeModelId=composite["id"],
        assetCompositeModelExternalId=composite.get("externalId"),
        assetCompositeModelPath=_path(composite_path(composite, composites)),
        assetCompositeModelName=composite["name"],
        assetCompositeModelDescription=composite.get("description", ""),
        assetCompositeModelType=composite["type"],
        assetCompositeModelProperties=[
            asset_property(asset, p, property_path(p, composite, composites))
            for p in composite["properties"]
        ],
        assetCompositeModelSummaries=_nested_summaries(composite, composites, ""),
    )


def composition_relationship(model: AssetModelRecord, composite: dict) -> dict:
    return {
        "assetModelId": model.id,
        "assetModelCompositeModelId": composite["id"],
        "assetModelCompositeModelType": composite["type"],
    }


# --- internals ----------------------------------------------------------------------------


def _composite_models(
    composites: list[dict], exclude_properties: bool, render_property: RenderProperty
) -> list[dict]:
    return [
        compact(
            id=c["id"],
            externalId=c.get("externalId"),
            name=c["name"],
            description=c.get("description"),
            type=c["type"],
            properties=[]
            if exclude_properties
            else [render_property(p, property_path(p, c, composites)) for p in c["properties"]],
        )
        for c in composites
    ]


def _composite_summaries(composites: list[dict], no_description: str | None) -> list[dict]:
    """`no_description` stands for a missing description: the asset's summary requires one."""
    return [
        compact(
            id=c["id"],
            externalId=c.get("externalId"),
            name=c["name"],
            type=c["type"],
            description=no_description if c.get("description") is None else c["description"],
            path=_path(composite_path(c, composites)),
        )
        for c in composites
    ]


def _nested_summaries(
    composite: dict, composites: list[dict], no_description: str | None
) -> list[dict]:
    """The summaries of the composite models directly inside `composite`."""
    summaries = _composite_summaries(composites, no_description)
    return [
        summary
        for child, summary in zip(composites, summaries, strict=True)
        if child.get("parentId") == composite["id"]
    ]


def _variable_value(stored: dict) -> dict:
    """The API names a target by `propertyId` / `hierarchyId` only: an unresolved external id
    goes back in its `externalId:` form."""
    value = {k: v for k, v in stored.items() if k in ("propertyId", "hierarchyId", "propertyPath")}
    if "propertyId" not in value and "propertyExternalId" in stored:
        value["propertyId"] = EXTERNAL_PREFIX + stored["propertyExternalId"]
    if "hierarchyId" not in value and "hierarchyExternalId" in stored:
        value["hierarchyId"] = EXTERNAL_PREFIX + stored["hierarchyExternalId"]
    return value


def _path(members: list[dict]) -> list[dict]:
    return [{"id": m["id"], "name": m["name"]} for m in members]
