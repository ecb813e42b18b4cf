"""The pricing plan of an account and region: BASIC by default, changes pending a month."""

from __future__ import annotations

import datetime as dt

from tests.twinmaker.helpers import refused
from twinport.domain.twinmaker import pricing
from twinport.scope import Scope
from twinport.store.sqlite import SqliteDatabase as Database


def _next_month_start(now: dt.datetime) -> dt.datetime:
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def test_default_plan_is_basic(twinmaker):
    plan = twinmaker.get_pricing_plan()
    current = plan["currentPricingPlan"]
    assert current["pricingMode"] == "BASIC"
    assert current["updateReason"] == "DEFAULT"
    assert current["billableEntityCount"] == 0
    assert "pendingPricingPlan" not in plan
    # The default is recorded once: its dates do not move.
    assert twinmaker.get_pricing_plan()["currentPricingPlan"] == current


def test_a_change_is_pending_until_next_month(twinmaker):
    current = twinmaker.get_pricing_plan()["currentPricingPlan"]
    answer = twinmaker.update_pricing_plan(pricingMode="STANDARD")
    assert answer["currentPricingPlan"] == current
    pending = answer["pendingPricingPlan"]
    assert pending["pricingMode"] == "STANDARD"
    assert pending["updateReason"] == "PRICING_MODE_UPDATE"
    assert pending["effectiveDateTime"] == _next_month_start(pending["updateDateTime"])
    assert twinmaker.get_pricing_plan()["pendingPricingPlan"] == pending


def test_tiered_bundle_carries_its_bundles(twinmaker):
    answer = twinmaker.update_pricing_plan(pricingMode="TIERED_BUNDLE", bundleNames=["bundle1"])
    pending = answer["pendingPricingPlan"]
    assert pending["bundleInformation"] == {"bundleNames": ["bundle1"]}


def test_bundles_belong_to_tiered_bundle_only(twinmaker):
    assert refused(twinmaker.update_pricing_plan, pricingMode="TIERED_BUNDLE")[0] == (
        "ValidationException"
    )
    code, _ = refused(twinmaker.update_pricing_plan, pricingMode="STANDARD", bundleNames=["b"])
    assert code == "ValidationException"


def test_asking_for_the_current_plan_drops_the_pending_one(twinmaker):
    twinmaker.update_pricing_plan(pricingMode="STANDARD")
    answer = twinmaker.update_pricing_plan(pricingMode="BASIC")
    assert answer["currentPricingPlan"]["pricingMode"] == "BASIC"
    assert "pendingPricingPlan" not in answer


def test_billable_entities_are_those_of_the_account_and_region(twinport, twinmaker, account):
    for workspace_id in ("north", "south"):
        twinmaker.create_workspace(workspaceId=workspace_id)
        twinmaker.create_entity(workspaceId=workspace_id, entityName="pump")
    assert twinmaker.get_pricing_plan()["currentPricingPlan"]["billableEntityCount"] == 2
    elsewhere = twinport.client("iottwinmaker", account=account, region="eu-west-1")
    assert elsewhere.get_pricing_plan()["currentPricingPlan"]["billableEntityCount"] == 0


def test_unknown_mode_is_refused(twinmaker):
    assert refused(twinmaker.update_pricing_plan, pricingMode="FREE")[0] == "ValidationException"


def test_a_pending_plan_becomes_current_when_its_month_starts(tmp_path):
    db, scope = Database(tmp_path / "twinport.db").open(), Scope("123456789012", "us-east-1")
    june = dt.datetime(2026, 6, 15, tzinfo=dt.UTC).timestamp()
    with db.write() as conn:
        pricing.change_plan(conn, scope, "STANDARD", None, june)
    july = dt.datetime(2026, 7, 1, tzinfo=dt.UTC).timestamp()
    with db.write() as conn:
        before = pricing.current_plans(conn, scope, july - 1)
        after = pricing.current_plans(conn, scope, july)
    assert before["currentPricingPlan"]["pricingMode"] == "BASIC"
    assert after["currentPricingPlan"]["pricingMode"] == "STANDARD"
    assert after["currentPricingPlan"]["effectiveDateTime"] == july
    assert "pendingPricingPlan" not in after
    db.close()
