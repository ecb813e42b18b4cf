"""Handlers of the time series (data stream) operations."""

from __future__ import annotations

from collections.abc import Callable

from twinport.context import RequestContext
from twinport.domain.sitewise import time_series
from twinport.domain.sitewise.ids import Ref, parse_custom_id
from twinport.domain.sitewise.kinds import ASSETS
from twinport.scope import Scope
from twinport.services.paging import SITEWISE_PAGES
from twinport.services.sitewise.idempotency import write_once
from twinport.store import Connection
from twinport.store import time_series as series_repo
from twinport.store.time_series import TimeSeriesRecord

Link = Callable[[Connection, Scope, str, Ref, Ref, float], None]


def associate_time_series(ctx: RequestContext, request: dict) -> dict:
    return _relink(ctx, request, time_series.associate)


def disassociate_time_series(ctx: RequestContext, request: dict) -> dict:
    return _relink(ctx, request, time_series.disassociate)


def describe_time_series(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    series = _locate(conn, ctx.scope, request)
    return _describe(series, time_series.DataTypes(conn, ctx.scope), _arn_prefix(ctx.scope))


def list_time_series(ctx: RequestContext, request: dict) -> dict:
    conn = ctx.db.connection()
    asset_ref = parse_custom_id(request.get("assetId"))
    asset_id = ASSETS.require(conn, ctx.scope, asset_ref).id if asset_ref else None
    kind = request.get("timeSeriesType")
    found, token = SITEWISE_PAGES.keyset_page(
        ctx,
        request,
        lambda after, limit: series_repo.page(
            conn,
            ctx.scope,
            asset_id=asset_id,
            alias_prefix=request.get("aliasPrefix"),
            associated=None if kind is None else kind == "ASSOCIATED",
            after_seq=after,
            limit=limit,
        ),
        lambda series: series.seq,
    )
    types = time_series.DataTypes(conn, ctx.scope)
    arn_prefix = _arn_prefix(ctx.scope)
    summaries = [_describe(series, types, arn_prefix) for series in found]
    return {"TimeSeriesSummaries": summaries, "nextToken": token}


def delete_time_series(ctx: RequestContext, request: dict) -> dict:
    def change(conn, now):
        time_series.delete(conn, ctx.scope, _locate(conn, ctx.scope, request), now)
        return {}

    return write_once(ctx, request, change)


def _relink(ctx: RequestContext, request: dict, link: Link) -> dict:
    """`link` (associate or disassociate) the request's time series and asset property."""

    def change(conn, now):
        asset_ref, property_ref = _property_refs(request)
        link(conn, ctx.scope, request["alias"], asset_ref, property_ref, now)
        return {}

    return write_once(ctx, request, change)


def _locate(conn: Connection, scope: Scope, request: dict) -> TimeSeriesRecord:
    return time_series.locate(conn, scope, request.get("alias"), *_property_refs(request))


def _property_refs(request: dict) -> tuple[Ref, Ref]:
    return parse_custom_id(request.get("assetId")), parse_custom_id(request.get("propertyId"))


def _describe(series: TimeSeriesRecord, types: time_series.DataTypes, arn_prefix: str) -> dict:
    """DescribeTimeSeries' answer, which is also ListTimeSeries' summary. Built member by
    member rather than through `compact`: a page holds many, and three members may be absent."""
    data_type, data_type_spec = types.of(series)
    summary: dict = {}
    if series.asset_id is not None:
        summary["assetId"] = series.asset_id
        summary["propertyId"] = series.property_id
    summary["alias"] = series.alias
    summary["timeSeriesId"] = series.id
    summary["dataType"] = data_type
    if data_type_spec is not None:
        summary["dataTypeSpec"] = data_type_spec
    summary["timeSeriesCreationDate"] = series.created
    summary["timeSeriesLastUpdateDate"] = series.updated
    summary["timeSeriesArn"] = arn_prefix + series.id
    return summary


def _arn_prefix(scope: Scope) -> str:
    """What the ARNs of the scope's time series begin with, made once an answer."""
    return time_series.time_series_arn(scope, "")


HANDLERS = {
    "AssociateTimeSeriesToAssetProperty": associate_time_series,
    "DisassociateTimeSeriesFromAssetProperty": disassociate_time_series,
    "DescribeTimeSeries": describe_time_series,
    "ListTimeSeries": list_time_series,
    "DeleteTimeSeries": delete_time_series,
}
