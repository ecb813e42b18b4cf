"""Handlers of the tag operations of asset models and assets."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.domain.sitewise import tags


def tag_resource(ctx: RequestContext, request: dict) -> dict:
    with ctx.db.write(ctx.scope) as conn:
        tags.tag(conn, ctx.scope, request["resourceArn"], request["tags"])
    return {}


def untag_resource(ctx: RequestContext, request: dict) -> dict:
    with ctx.db.write(ctx.scope) as conn:
        tags.untag(conn, ctx.scope, request["resourceArn"], request["tagKeys"])
    return {}


def list_tags_for_resource(ctx: RequestContext, request: dict) -> dict:
    return {"tags": tags.tags_of(ctx.db.connection(), ctx.scope, request["resourceArn"])}


HANDLERS = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
