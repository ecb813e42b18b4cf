"""Handlers of the pricing plan operations."""

from __future__ import annotations

import time

from twinport.context import RequestContext
from twinport.domain.twinmaker import pricing
from twinport.domain.twinmaker.documents import Doc


def get_pricing_plan(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        return pricing.current_plans(conn, ctx.scope, time.time())


def update_pricing_plan(ctx: RequestContext, data: Doc) -> Doc:
    with ctx.db.write(ctx.scope) as conn:
        return pricing.change_plan(
            conn, ctx.scope, data["pricingMode"], data.get("bundleNames"), time.time()
        )


HANDLERS = {
    "GetPricingPlan": get_pricing_plan,
    "UpdatePricingPlan": update_pricing_plan,
}
