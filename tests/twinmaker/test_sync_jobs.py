"""Sync jobs: SiteWise asset models and assets synced into a workspace at Create."""

from __future__ import annotations

import pytest

from tests.sitewise.sitewise_support import make_tree
from tests.twinmaker.helpers import all_pages, refused

TYPE = "iotsitewise.assetmodel:"


@pytest.fixture
def tree(twinport, account) -> dict:
    return make_tree(twinport.client("iotsitewise", account=account))


def _role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/sync"


def _resources(twinmaker, workspace, **kwargs) -> list[dict]:
    items, _ = all_pages(
        twinmaker.list_sync_resources,
        "syncResources",
        workspaceId=workspace,
        syncSource="SITEWISE",
        **kwargs,
    )
    return items


def test_create_syncs_every_model_and_asset(twinmaker, workspace, account, tree):
    created = twinmaker.create_sync_job(
        workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account)
    )
    assert created["state"] == "CREATING"
    assert created["arn"] == (
        f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace}/sync-job/SITEWISE"
    )
    plant = twinmaker.get_entity(workspaceId=workspace, entityId=tree["plant"])
    assert plant["components"]["sitewiseBase"]["componentTypeId"] == TYPE + tree["plant_model"]
    line = twinmaker.get_entity(workspaceId=workspace, entityId=tree["lines"][0])
    assert line["entityName"] == "Line 1"
    twinmaker.get_component_type(workspaceId=workspace, componentTypeId=TYPE + tree["line_model"])

    resources = _resources(twinmaker, workspace)
    assert {(r["resourceType"], r["resourceId"], r["externalId"]) for r in resources} == {
        ("COMPONENT_TYPE", TYPE + tree["line_model"], tree["line_model"]),
        ("COMPONENT_TYPE", TYPE + tree["plant_model"], tree["plant_model"]),
        ("ENTITY", tree["plant"], tree["plant"]),
        *(("ENTITY", line, line) for line in tree["lines"]),
    }
    assert {r["status"]["state"] for r in resources} == {"IN_SYNC"}


def test_get_and_list_show_the_active_job(twinmaker, workspace, account):
    created = twinmaker.create_sync_job(
        workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account)
    )
    got = twinmaker.get_sync_job(workspaceId=workspace, syncSource="SITEWISE")
    assert got["arn"] == created["arn"]
    assert got["workspaceId"] == workspace
    assert got["syncRole"] == _role(account)
    assert got["status"] == {"state": "ACTIVE"}
    assert got["creationDateTime"] == created["creationDateTime"]
    # The workspace is a query parameter that may be left out: the account's only job.
    assert twinmaker.get_sync_job(syncSource="SITEWISE")["arn"] == created["arn"]
    listed = twinmaker.list_sync_jobs(workspaceId=workspace)["syncJobSummaries"]
    assert [(j["syncSource"], j["status"]["state"]) for j in listed] == [("SITEWISE", "ACTIVE")]


def test_a_second_job_of_the_source_is_a_conflict(twinmaker, workspace, account):
    twinmaker.create_sync_job(workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account))
    code, _ = refused(
        twinmaker.create_sync_job,
        workspaceId=workspace,
        syncSource="SITEWISE",
        syncRole=_role(account),
    )
    assert code == "ConflictException"


def test_only_sitewise_is_a_source(twinmaker, workspace, account):
    code, _ = refused(
        twinmaker.create_sync_job,
        workspaceId=workspace,
        syncSource="KINESIS",
        syncRole=_role(account),
    )
    assert code == "ValidationException"


def test_unknown_workspace_or_job_is_not_found(twinmaker, workspace, account):
    code, _ = refused(
        twinmaker.create_sync_job,
        workspaceId="nowhere",
        syncSource="SITEWISE",
        syncRole=_role(account),
    )
    assert code == "ResourceNotFoundException"
    for call in (twinmaker.get_sync_job, twinmaker.delete_sync_job):
        code, _ = refused(call, workspaceId=workspace, syncSource="SITEWISE")
        assert code == "ResourceNotFoundException"
    assert refused(twinmaker.get_sync_job, syncSource="SITEWISE")[0] == "ResourceNotFoundException"


def test_resources_are_filtered(twinmaker, workspace, account, tree):
    twinmaker.create_sync_job(workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account))
    entities = _resources(twinmaker, workspace, filters=[{"resourceType": "ENTITY"}])
    assert {r["resourceId"] for r in entities} == {tree["plant"], *tree["lines"]}
    by_external = _resources(
        twinmaker, workspace, filters=[{"externalId": tree["line_model"]}, {"state": "IN_SYNC"}]
    )
    assert [r["resourceId"] for r in by_external] == [TYPE + tree["line_model"]]
    assert _resources(twinmaker, workspace, filters=[{"state": "ERROR"}]) == []
    everything, pages = all_pages(
        twinmaker.list_sync_resources,
        "syncResources",
        workspaceId=workspace,
        syncSource="SITEWISE",
        maxResults=2,
    )
    assert len(everything) == 5 and pages == 3


def test_an_existing_entity_blocks_its_asset(twinmaker, workspace, account, tree):
    line = tree["lines"][0]
    twinmaker.create_entity(workspaceId=workspace, entityId=line, entityName="mine")
    twinmaker.create_sync_job(workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account))
    (failed,) = _resources(twinmaker, workspace, filters=[{"state": "ERROR"}])
    assert failed["resourceId"] == line
    assert failed["status"]["error"]["code"] == "SYNC_PROCESSING_ERROR"
    assert twinmaker.get_entity(workspaceId=workspace, entityId=line)["entityName"] == "mine"


def test_delete_removes_the_job_and_what_it_synced(twinmaker, workspace, account, tree):
    twinmaker.create_entity(workspaceId=workspace, entityId="own", entityName="own")
    twinmaker.create_sync_job(workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account))
    deleted = twinmaker.delete_sync_job(workspaceId=workspace, syncSource="SITEWISE")
    assert deleted["state"] == "DELETING"
    assert twinmaker.list_sync_jobs(workspaceId=workspace)["syncJobSummaries"] == []
    entities = twinmaker.list_entities(workspaceId=workspace)["entitySummaries"]
    assert [e["entityId"] for e in entities] == ["own"]
    types = twinmaker.list_component_types(workspaceId=workspace)["componentTypeSummaries"]
    assert not [t for t in types if t["componentTypeId"].startswith(TYPE)]


def test_a_workspace_with_a_sync_job_cannot_be_deleted(twinmaker, workspace, account):
    twinmaker.create_sync_job(workspaceId=workspace, syncSource="SITEWISE", syncRole=_role(account))
    code, message = refused(twinmaker.delete_workspace, workspaceId=workspace)
    assert code == "ValidationException" and "sync jobs" in message
    twinmaker.delete_sync_job(workspaceId=workspace, syncSource="SITEWISE")
    twinmaker.delete_workspace(workspaceId=workspace)
