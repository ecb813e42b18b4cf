"""The TwinMaker pricing plan of an account and region.

Every account starts on the BASIC plan. A change is pending until the start of the next
month (UTC), as in AWS; from then on it is the current plan. The stored form is
`{"current": plan, "pending": plan}` (pending absent when nothing is pending), each plan a
PricingPlan without its billableEntityCount, which is counted when the plan is read.
"""

from __future__ import annotations

import datetime as dt

from twinport.domain.twinmaker.documents import Doc, decode, encode
from twinport.errors import validation
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import pricing as store

BASIC = "BASIC"
TIERED_BUNDLE = "TIERED_BUNDLE"


def current_plans(conn: Connection, scope: Scope, now: float) -> Doc:
    """{currentPricingPlan, pendingPricingPlan?} as they stand at `now`; the first call of an
    account and region records its default plan, so that its dates stay the same."""
    return _answer(conn, scope, _stored(conn, scope, now))


def change_plan(
    conn: Connection, scope: Scope, mode: str, bundle_names: list[str] | None, now: float
) -> Doc:
    """Make `mode` (with `bundle_names` for TIERED_BUNDLE) the pending plan; the answer as
    `current_plans`. Asking for the current plan again drops what was pending."""
    if mode == TIERED_BUNDLE and not bundle_names:
        raise validation("bundleNames are required for the TIERED_BUNDLE pricing mode")
    if mode != TIERED_BUNDLE and bundle_names:
        raise validation(f"bundleNames are only accepted for the {TIERED_BUNDLE} pricing mode")
    stored = _stored(conn, scope, now)
    wanted = _plan(mode, bundle_names, _next_month(now), now, "PRICING_MODE_UPDATE")
    if _same(wanted, stored["current"]):
        stored.pop("pending", None)
    else:
        stored["pending"] = wanted
    store.put_plan(conn, scope, encode(stored))
    return _answer(conn, scope, stored)


def _stored(conn: Connection, scope: Scope, now: float) -> Doc:
    """The plans of the account, a pending plan that took effect made current."""
    blob = store.get_plan(conn, scope)
    if blob is None:
        stored = {"current": _plan(BASIC, None, now, now, "DEFAULT")}
        store.put_plan(conn, scope, encode(stored))
        return stored
    stored = decode(blob)
    pending = stored.get("pending")
    if pending is not None and pending["effectiveDateTime"] <= now:
        stored = {"current": pending}
        store.put_plan(conn, scope, encode(stored))
    return stored


def _answer(conn: Connection, scope: Scope, stored: Doc) -> Doc:
    count = store.entity_count(conn, scope)
    answer = {"currentPricingPlan": {**stored["current"], "billableEntityCount": count}}
    if "pending" in stored:
        answer["pendingPricingPlan"] = {**stored["pending"], "billableEntityCount": count}
    return answer


def _plan(
    mode: str, bundle_names: list[str] | None, effective: float, now: float, reason: str
) -> Doc:
    plan: Doc = {
        "pricingMode": mode,
        "effectiveDateTime": effective,
        "updateDateTime": now,
        "updateReason": reason,
    }
    if bundle_names:
        plan["bundleInformation"] = {"bundleNames": bundle_names}
    return plan


def _same(plan: Doc, other: Doc) -> bool:
    return plan["pricingMode"] == other["pricingMode"] and plan.get(
        "bundleInformation"
    ) == other.get("bundleInformation")


def _next_month(now: float) -> float:
    """The start (UTC) of the month after the one `now` is in."""
    day = dt.datetime.fromtimestamp(now, dt.UTC)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC).timestamp()
