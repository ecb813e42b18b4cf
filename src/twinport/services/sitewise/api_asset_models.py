"""Handlers of the asset model operations."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.domain.sitewise import asset_models
from twinport.domain.sitewise.asset_models import etag
from twinport.domain.sitewise.definitions import AssetModelInput
from twinport.domain.sitewise.faults import invalid_request, precondition_failed
from twinport.domain.sitewise.ids import model_arn, parse_custom_id
from twinport.domain.sitewise.kinds import MODELS
from twinport.services.paging import SITEWISE_PAGES
from twinport.services.sitewise import views
from twinport.services.sitewise.idempotency import write_once
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord


def create_asset_model(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        model = asset_models.create_asset_model(
            conn, ctx.scope, model_input(request, request.get("assetModelId")), now
        )
        return {
            "assetModelId": model.id,
            "assetModelArn": model_arn(ctx.scope, model.id),
            "assetModelStatus": views.status("CREATING"),
        }

    return write_once(ctx, request, change)


def update_asset_model(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
        check_preconditions(ctx, request, model)
        asset_models.write_asset_model(conn, ctx.scope, model_input(request, None), model, now)
        return {"assetModelId": model.id, "assetModelStatus": views.status("UPDATING")}

    return write_once(ctx, request, change)


def delete_asset_model(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
        check_preconditions(ctx, request, model)
        asset_models.delete_asset_model(conn, ctx.scope, model)
        return {"assetModelId": model.id, "assetModelStatus": views.status("DELETING")}

    return write_once(ctx, request, change)


def describe_asset_model(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
    return views.describe_model(ctx.scope, model, bool(request.get("excludeProperties")))


def list_asset_models(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    types = request.get("assetModelTypes")
    models, token = SITEWISE_PAGES.keyset_page(
        ctx,
        request,
        lambda after, limit: repo.page_models(conn, ctx.scope, types, after, limit),
        lambda model: model.seq,
    )
    return {
        "assetModelSummaries": [views.model_summary(ctx.scope, m) for m in models],
        "nextToken": token,
    }


def list_asset_model_properties(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    model = MODELS.require(conn, ctx.scope, parse_custom_id(request["assetModelId"]))
    summaries = views.property_summaries(
        model.definition,
        request.get("filter") == "ALL",
        views.model_property,
        "assetModelCompositeModelId",
    )
    page, token = SITEWISE_PAGES.offset_page(ctx, request, summaries)
    return {"assetModelPropertySummaries": page, "nextToken": token}


def model_input(request: dict, model_id: str | None) -> AssetModelInput:
    """A CreateAssetModel / UpdateAssetModel request in the vocabulary of the definitions."""
    return AssetModelInput(
        name=request["assetModelName"],
        id=model_id,
        external_id=request.get("assetModelExternalId"),
        description=request.get("assetModelDescription"),
        model_type=request.get("assetModelType"),
        properties=[_member(p) for p in request.get("assetModelProperties") or []],
        hierarchies=[_hierarchy(h) for h in request.get("assetModelHierarchies") or []],
        composite_models=[
            composite_input(c) for c in request.get("assetModelCompositeModels") or []
        ],
        tags=request.get("tags"),
    )


def _member(item: dict) -> dict:
    """A member whose `id` may be a CustomID (`externalId:...` names an existing member)."""
    member = dict(item)
    ref = parse_custom_id(member.pop("id", None))
    if ref.id is not None:
        member["id"] = ref.id
    if ref.external_id is not None:
        if member.get("externalId") not in (None, ref.external_id):
            raise invalid_request(
                f"The member {item['name']} is named by externalId:{ref.external_id} but gives"
                f" the external ID {member['externalId']}."
            )
        member["externalId"] = ref.external_id
    return member


def _hierarchy(item: dict) -> dict:
    hierarchy = _member(item)
    child = parse_custom_id(hierarchy.pop("childAssetModelId"))
    hierarchy["childAssetModelId"] = child.id
    hierarchy["childAssetModelExternalId"] = child.external_id
    return hierarchy


def composite_input(item: dict) -> dict:
    """A composite model of a request in the definitions' form (its `externalId:` ids split)."""
    composite = _member(item)
    composite["properties"] = [_member(p) for p in item.get("properties") or []]
    return composite


def check_preconditions(ctx: RequestContext, request: dict, model: AssetModelRecord) -> None:
    """The request's ifMatch and ifNoneMatch against the model's current eTag."""
    current = etag(model)
    if request.get("ifMatch") not in (None, current):
        raise precondition_failed(
            f"The ETag {request['ifMatch']} does not match the current version of asset model"
            f" {model.id}.",
            model.id,
            model_arn(ctx.scope, model.id),
        )
    if request.get("ifNoneMatch") == "*":
        raise precondition_failed(
            f"Asset model {model.id} already has a version.",
            model.id,
            model_arn(ctx.scope, model.id),
        )


HANDLERS = {
    "CreateAssetModel": create_asset_model,
    "DescribeAssetModel": describe_asset_model,
    "ListAssetModels": list_asset_models,
    "UpdateAssetModel": update_asset_model,
    "DeleteAssetModel": delete_asset_model,
    "ListAssetModelProperties": list_asset_model_properties,
}
