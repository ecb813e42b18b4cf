"""Handlers of the tag operations of workspaces, component types and entities."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.domain.twinmaker import tags
from twinport.domain.twinmaker.documents import Doc
from twinport.services.paging import TWINMAKER_PAGES


def tag_resource(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        tags.tag(conn, ctx.scope, data["resourceARN"], data["tags"])
    return {}


def untag_resource(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        tags.untag(conn, ctx.scope, data["resourceARN"], data["tagKeys"])
    return {}


def list_tags_for_resource(ctx: RequestContext, data: Doc) -> Doc:
    found = tags.tags_of(ctx.db.connection(), ctx.scope, data["resourceARN"])
    after = TWINMAKER_PAGES.position(ctx, data)
    keys = [k for k in sorted(found) if after is None or k > after]
    page, token = TWINMAKER_PAGES.cut(ctx, data, keys, lambda key: key)
    return {"tags": {key: found[key] for key in page}, "nextToken": token}


HANDLERS = {
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}
