"""Handlers of the asset operations: assets, their properties and their hierarchy."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from twinport.context import RequestContext
from twinport.domain.members import compact
from twinport.domain.sitewise import assets, time_series
from twinport.domain.sitewise.assets import AssetInput, find_property
from twinport.domain.sitewise.faults import invalid_request, not_found
from twinport.domain.sitewise.ids import Ref, asset_arn, parse_custom_id
from twinport.domain.sitewise.kinds import ASSETS, MODELS
from twinport.scope import Scope
from twinport.services.paging import SITEWISE_PAGES
from twinport.services.sitewise import views
from twinport.services.sitewise.idempotency import write_once
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord


def create_asset(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        asset = assets.create_asset(
            conn,
            ctx.scope,
            AssetInput(
                name=request["assetName"],
                id=request.get("assetId"),
                external_id=request.get("assetExternalId"),
                description=request.get("assetDescription"),
                model=parse_custom_id(request["assetModelId"]),
                tags=request.get("tags"),
            ),
            now,
        )
        return {
            "assetId": asset.id,
            "assetArn": asset_arn(ctx.scope, asset.id),
            "assetStatus": views.status("CREATING"),
        }

    return write_once(ctx, request, change)


def update_asset(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        asset = _asset(conn, ctx.scope, request)
        update = AssetInput(
            name=request["assetName"],
            external_id=request.get("assetExternalId"),
            description=request.get("assetDescription"),
        )
        assets.write_asset(conn, ctx.scope, update, asset, now)
        return {"assetId": asset.id, "assetStatus": views.status("UPDATING")}

    return write_once(ctx, request, change)


def delete_asset(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        asset = _asset(conn, ctx.scope, request)
        assets.delete_asset(conn, ctx.scope, asset)
        return {"assetId": asset.id, "assetStatus": views.status("DELETING")}

    return write_once(ctx, request, change)


def describe_asset(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset = _asset(conn, ctx.scope, request)
    model = MODELS.require(conn, ctx.scope, Ref(id=asset.model_id))
    return views.describe_asset(ctx.scope, asset, model, bool(request.get("excludeProperties")))


def list_assets(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    top_level = request.get("filter") == "TOP_LEVEL"
    model_ref = parse_custom_id(request.get("assetModelId"))
    if not model_ref and not top_level:
        raise invalid_request("assetModelId is required when filter is ALL.")
    model_id = MODELS.require(conn, ctx.scope, model_ref).id if model_ref else None
    return _asset_page(ctx, conn, request, model_id=model_id, top_level=top_level)


def list_associated_assets(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset = _asset(conn, ctx.scope, request)
    if request.get("traversalDirection") == "PARENT":
        parent = (
            repo.get(conn, ctx.scope, repo.ASSETS, asset.parent_id) if asset.parent_id else None
        )
        found = [_summary(conn, ctx.scope, parent, {})] if parent else []
        page, token = SITEWISE_PAGES.offset_page(ctx, request, found)
        return {"assetSummaries": page, "nextToken": token}
    hierarchy_id = None
    if request.get("hierarchyId"):
        hierarchy_ref = parse_custom_id(request["hierarchyId"])
        hierarchy_id = assets.hierarchy_of(conn, ctx.scope, asset, hierarchy_ref)["id"]
    return _asset_page(ctx, conn, request, parent_id=asset.id, hierarchy_id=hierarchy_id)


def associate_assets(ctx: RequestContext, request: dict) -> dict:
    return _relink(ctx, request, assets.associate)


def disassociate_assets(ctx: RequestContext, request: dict) -> dict:
    return _relink(ctx, request, assets.disassociate)


def list_asset_properties(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset = _asset(conn, ctx.scope, request)
    model = MODELS.require(conn, ctx.scope, Ref(id=asset.model_id))
    summaries = views.property_summaries(
        model.definition,
        request.get("filter") == "ALL",
        partial(views.asset_property_summary, asset),
        "assetCompositeModelId",
    )
    page, token = SITEWISE_PAGES.offset_page(ctx, request, summaries)
    return {"assetPropertySummaries": page, "nextToken": token}


def describe_asset_property(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset = _asset(conn, ctx.scope, request)
    model, prop, composite = _property(conn, ctx.scope, asset, request)
    path = views.property_path(prop, composite, model.definition["compositeModels"])
    described = {
        **views.asset_property(asset, prop, path),
        "type": views.property_type(prop["type"]),
    }
    answer = {
        "assetId": asset.id,
        "assetExternalId": asset.external_id,
        "assetName": asset.name,
        "assetModelId": asset.model_id,
    }
    if composite is None:
        answer["assetProperty"] = described
    else:
        answer["compositeModel"] = compact(
            id=composite["id"],
            externalId=composite.get("externalId"),
            name=composite["name"],
            type=composite["type"],
            assetProperty=described,
        )
    return answer


def update_asset_property(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        asset = _asset(conn, ctx.scope, request)
        _, prop, _ = _property(conn, ctx.scope, asset, request)
        kept = asset.properties.get(prop["id"], {}).get("attributeValue")
        settings = assets.clean_settings(
            {
                "alias": request.get("propertyAlias"),
                "unit": request.get("propertyUnit"),
                "propertyNotificationState": request.get("propertyNotificationState"),
                "attributeValue": kept,
            }
        )
        properties = {k: v for k, v in asset.properties.items() if k != prop["id"]}
        if settings:
            properties[prop["id"]] = settings
        if properties != asset.properties:
            time_series.check_aliases(conn, ctx.scope, asset.id, properties)
            asset.properties = properties
            asset.updated = now
            repo.update(conn, ctx.scope, repo.ASSETS, asset)
        return {}

    return write_once(ctx, request, change)


def list_asset_relationships(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset = _asset(conn, ctx.scope, request)
    path = repo.path_to_root(conn, ctx.scope, asset.id)
    relationships = [
        {
            "relationshipType": "HIERARCHY",
            "hierarchyInfo": compact(childAssetId=child, parentAssetId=parent),
        }
        for child, parent in path
    ]
    page, token = SITEWISE_PAGES.offset_page(ctx, request, relationships)
    return {"assetRelationshipSummaries": page, "nextToken": token}


def _asset(conn: Connection, scope: Scope, request: dict) -> AssetRecord:
    return ASSETS.require(conn, scope, parse_custom_id(request["assetId"]))


def _relink(
    ctx: RequestContext,
    request: dict,
    link: Callable[[Connection, Scope, AssetRecord, dict, AssetRecord], None],
) -> dict:
    """`link` (associate or disassociate) the request's parent and child asset through the
    hierarchy it names."""

    def change(conn, now):
        parent = _asset(conn, ctx.scope, request)
        child = ASSETS.require(conn, ctx.scope, parse_custom_id(request["childAssetId"]))
        hierarchy_ref = parse_custom_id(request["hierarchyId"])
        hierarchy = assets.hierarchy_of(conn, ctx.scope, parent, hierarchy_ref)
        link(conn, ctx.scope, parent, hierarchy, child)
        return {}

    return write_once(ctx, request, change)


def _property(
    conn: Connection, scope: Scope, asset: AssetRecord, request: dict
) -> tuple[AssetModelRecord, dict, dict | None]:
    model = MODELS.require(conn, scope, Ref(id=asset.model_id))
    found = find_property(model, parse_custom_id(request["propertyId"]))
    if found is None:
        raise not_found(f"Property {request['propertyId']} does not exist on asset {asset.id}.")
    return model, *found


def _asset_page(ctx: RequestContext, conn: Connection, request: dict, **where) -> dict:
    found, token = SITEWISE_PAGES.keyset_page(
        ctx,
        request,
        lambda after, limit: repo.page_assets(
            conn, ctx.scope, after_seq=after, limit=limit, **where
        ),
        lambda asset: asset.seq,
    )
    models: dict[str, AssetModelRecord] = {}
    summaries = [_summary(conn, ctx.scope, a, models) for a in found]
    return {"assetSummaries": summaries, "nextToken": token}


def _summary(
    conn: Connection, scope: Scope, asset: AssetRecord, models: dict[str, AssetModelRecord]
) -> dict:
    """An asset summary; `models` caches the models already read for this page."""
    if asset.model_id not in models:
        models[asset.model_id] = MODELS.find(conn, scope, Ref(id=asset.model_id))
    return views.asset_summary(scope, asset, models[asset.model_id])


HANDLERS = {
    "CreateAsset": create_asset,
    "DescribeAsset": describe_asset,
    "ListAssets": list_assets,
    "UpdateAsset": update_asset,
    "DeleteAsset": delete_asset,
    "AssociateAssets": associate_assets,
    "DisassociateAssets": disassociate_assets,
    "ListAssociatedAssets": list_associated_assets,
    "ListAssetProperties": list_asset_properties,
    "DescribeAssetProperty": describe_asset_property,
    "UpdateAssetProperty": update_asset_property,
    "ListAssetRelationships": list_asset_relationships,
}
