"""Handlers of the composite model operations: an asset model's composite models, an asset's
composite models, and the models that compose a component model."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.domain.sitewise import composite_models
from twinport.domain.sitewise.composite_models import CompositeInput, require_composite
from twinport.domain.sitewise.ids import Ref, parse_custom_id
from twinport.domain.sitewise.kinds import ASSETS, MODELS
from twinport.services.paging import SITEWISE_PAGES
from twinport.services.sitewise import views
from twinport.services.sitewise.api_asset_models import check_preconditions, composite_input
from twinport.services.sitewise.idempotency import write_once
from twinport.store import Connection
from twinport.store.sitewise import AssetModelRecord


def create_asset_model_composite_model(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        model = _model_to_change(ctx, conn, request)
        written, created = composite_models.create_composite(
            conn,
            ctx.scope,
            model,
            _requested(
                request,
                request.get("assetModelCompositeModelId"),
                model_type=request["assetModelCompositeModelType"],
                composed=parse_custom_id(request.get("composedAssetModelId")),
                parent=parse_custom_id(request.get("parentAssetModelCompositeModelId")),
            ),
            now,
        )
        return {
            "assetModelId": model.id,
            "assetModelCompositeModelId": created["id"],
            "assetModelCompositeModelPath": views.model_composite_path(written, created),
            "assetModelStatus": views.status("UPDATING"),
        }

    return write_once(ctx, request, change)


def update_asset_model_composite_model(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        model = _model_to_change(ctx, conn, request)
        written, updated = composite_models.update_composite(
            conn,
            ctx.scope,
            model,
            parse_custom_id(request["assetModelCompositeModelId"]),
            _requested(request),
            now,
        )
        return {
            "assetModelId": model.id,
            "assetModelCompositeModelPath": views.model_composite_path(written, updated),
            "assetModelStatus": views.status("UPDATING"),
        }

    return write_once(ctx, request, change)


def delete_asset_model_composite_model(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        model = _model_to_change(ctx, conn, request)
        ref = parse_custom_id(request["assetModelCompositeModelId"])
        composite_models.delete_composite(conn, ctx.scope, model, ref, now)
        # The model is updated, not deleted: it answers as UpdateAssetModel does.
        return {"assetModelId": model.id, "assetModelStatus": views.status("UPDATING")}

    return write_once(ctx, request, change)


def describe_asset_model_composite_model(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
    ref = parse_custom_id(request["assetModelCompositeModelId"])
    return views.describe_model_composite(model, require_composite(model, ref))


def list_asset_model_composite_models(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
    summaries = views.model_composite_summaries(model.definition)
    page, token = SITEWISE_PAGES.offset_page(ctx, request, summaries)
    return {"assetModelCompositeModelSummaries": page, "nextToken": token}


def describe_asset_composite_model(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset = ASSETS.require(conn, ctx.scope, parse_custom_id(request["assetId"]))
    model = MODELS.require(conn, ctx.scope, Ref(id=asset.model_id))
    ref = parse_custom_id(request["assetCompositeModelId"])
    return views.describe_asset_composite(asset, model, require_composite(model, ref))


def list_composition_relationships(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    component = MODELS.require(conn, ctx.scope, Ref(id=request["assetModelId"]))
    relationships = [
        views.composition_relationship(model, composite)
        for model, composite in composite_models.composition_relationships(
            conn, ctx.scope, component
        )
    ]
    page, token = SITEWISE_PAGES.offset_page(ctx, request, relationships)
    return {"compositionRelationshipSummaries": page, "nextToken": token}


def _model_to_change(ctx: RequestContext, conn: Connection, request: dict) -> AssetModelRecord:
    """The model a write names, once its If-Match / If-None-Match headers allow the write."""
    model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
    check_preconditions(ctx, request, model)
    return model


def _requested(request: dict, created_id: str | None = None, **on_create) -> CompositeInput:
    """The composite model a request describes. A create names its new id (a CustomID) and
    gives `on_create` the members only a create reads; an update's id names the composite
    model to change, so it is not read here."""
    composite = composite_input(
        {
            "id": created_id,
            "name": request["assetModelCompositeModelName"],
            "externalId": request.get("assetModelCompositeModelExternalId"),
            "description": request.get("assetModelCompositeModelDescription"),
            "properties": request.get("assetModelCompositeModelProperties"),
        }
    )
    return CompositeInput(
        name=composite["name"],
        id=composite.get("id"),
        external_id=composite.get("externalId"),
        description=composite.get("description"),
        properties=composite["properties"],
        **on_create,
    )


HANDLERS = {
    "CreateAssetModelCompositeModel": create_asset_model_composite_model,
    "DescribeAssetModelCompositeModel": describe_asset_model_composite_model,
    "ListAssetModelCompositeModels": list_asset_model_composite_models,
    "UpdateAssetModelCompositeModel": update_asset_model_composite_model,
    "DeleteAssetModelCompositeModel": delete_asset_model_composite_model,
    "DescribeAssetCompositeModel": describe_asset_composite_model,
    "ListCompositionRelationships": list_composition_relationships,
}
