from __future__ import annotations

from tests.twinmaker.helpers import all_pages, refused


def test_create_then_get_shows_what_was_given(twinmaker, account):
    created = twinmaker.create_workspace(
        workspaceId="factory",
        description="Line 1",
        s3Location="arn:aws:s3:::factory-bucket",
        role=f"arn:aws:iam::{account}:role/twinmaker",
        tags={"site": "north"},
    )
    assert created["arn"] == f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/factory"

    got = twinmaker.get_workspace(workspaceId="factory")
    assert got["workspaceId"] == "factory"
    assert got["arn"] == created["arn"]
    assert got["description"] == "Line 1"
    assert got["s3Location"] == "arn:aws:s3:::factory-bucket"
    assert got["role"] == f"arn:aws:iam::{account}:role/twinmaker"
    assert got["creationDateTime"] == created["creationDateTime"]
    assert got["updateDateTime"] == created["creationDateTime"]


def test_get_accepts_the_workspace_arn(twinmaker, workspace, account):
    arn = f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace}"
    assert twinmaker.get_workspace(workspaceId=arn)["workspaceId"] == workspace


def test_get_by_arn_of_another_account_is_not_found(twinmaker, workspace):
    arn = f"arn:aws:iottwinmaker:us-east-1:999999999999:workspace/{workspace}"
    assert refused(twinmaker.get_workspace, workspaceId=arn)[0] == "ResourceNotFoundException"


def test_duplicate_workspace_is_a_conflict(twinmaker, workspace):
    assert refused(twinmaker.create_workspace, workspaceId=workspace)[0] == "ConflictException"


def test_unknown_workspace_is_not_found(twinmaker):
    assert refused(twinmaker.get_workspace, workspaceId="nowhere") == (
        "ResourceNotFoundException",
        "Workspace nowhere not found",
    )


def test_workspaces_are_invisible_from_other_accounts_and_regions(twinport, account, workspace):
    other_account = twinport.client("iottwinmaker", account=twinport.new_account())
    assert other_account.list_workspaces()["workspaceSummaries"] == []
    # The same account in another region sees nothing either, and may reuse the id.
    other_region = twinport.client("iottwinmaker", account=account, region="eu-west-1")
    assert other_region.list_workspaces()["workspaceSummaries"] == []
    other_region.create_workspace(workspaceId=workspace)
    assert other_region.get_workspace(workspaceId=workspace)["arn"].startswith(
        "arn:aws:iottwinmaker:eu-west-1:"
    )


def test_update_changes_only_what_is_given(twinmaker, workspace, account):
    before = twinmaker.get_workspace(workspaceId=workspace)
    updated = twinmaker.update_workspace(workspaceId=workspace, description="renamed")
    after = twinmaker.get_workspace(workspaceId=workspace)
    assert after["description"] == "renamed"
    assert after["s3Location"] == before["s3Location"]
    assert after["role"] == before["role"]
    assert after["updateDateTime"] == updated["updateDateTime"] > before["updateDateTime"]
    assert after["creationDateTime"] == before["creationDateTime"]


def test_update_of_unknown_workspace_is_not_found(twinmaker):
    assert (
        refused(twinmaker.update_workspace, workspaceId="nowhere", description="x")[0]
        == "ResourceNotFoundException"
    )


def test_list_pages_through_every_workspace(twinmaker):
    ids = [f"ws{i:02d}" for i in range(7)]
    for workspace_id in ids:
        twinmaker.create_workspace(workspaceId=workspace_id)
    summaries, pages = all_pages(twinmaker.list_workspaces, "workspaceSummaries", maxResults=3)
    assert [s["workspaceId"] for s in summaries] == ids
    assert pages == 3
    summary = twinmaker.list_workspaces()["workspaceSummaries"][0]
    assert set(summary) >= {"workspaceId", "arn", "creationDateTime", "updateDateTime"}


def test_a_tampered_page_token_is_refused(twinmaker):
    for workspace_id in ("ws1", "ws2"):
        twinmaker.create_workspace(workspaceId=workspace_id)
    token = twinmaker.list_workspaces(maxResults=1)["nextToken"]
    assert (
        refused(twinmaker.list_workspaces, maxResults=1, nextToken=token[:-4] + "AAAA")[0]
        == "ValidationException"
    )


def test_delete_removes_an_empty_workspace(twinmaker, workspace):
    assert "message" in twinmaker.delete_workspace(workspaceId=workspace)
    assert refused(twinmaker.get_workspace, workspaceId=workspace)[0] == "ResourceNotFoundException"


def test_delete_of_unknown_workspace_is_not_found(twinmaker):
    assert (
        refused(twinmaker.delete_workspace, workspaceId="nowhere")[0] == "ResourceNotFoundException"
    )


def test_a_workspace_with_entities_cannot_be_deleted(twinmaker, workspace):
    twinmaker.create_entity(workspaceId=workspace, entityId="pump-1", entityName="Pump")
    assert refused(twinmaker.delete_workspace, workspaceId=workspace)[0] == "ValidationException"
    twinmaker.delete_entity(workspaceId=workspace, entityId="pump-1")
    twinmaker.delete_workspace(workspaceId=workspace)


def test_a_workspace_with_component_types_cannot_be_deleted(twinmaker, workspace):
    twinmaker.create_component_type(workspaceId=workspace, componentTypeId="com.example.pump")
    assert refused(twinmaker.delete_workspace, workspaceId=workspace)[0] == "ValidationException"
    assert twinmaker.get_workspace(workspaceId=workspace)["workspaceId"] == workspace
