"""Scenes: created in a workspace, read, listed, changed, deleted; they hold the workspace."""

from __future__ import annotations

from tests.twinmaker.helpers import all_pages, refused

CONTENT = "s3://plant-bucket/scenes/main.json"


def test_create_then_get_shows_what_was_given(twinmaker, workspace, account):
    created = twinmaker.create_scene(
        workspaceId=workspace,
        sceneId="main",
        contentLocation=CONTENT,
        description="the hall",
        capabilities=["DYNAMIC_SCENE"],
        sceneMetadata={"sceneViewerVersion": "1"},
        tags={"site": "north"},
    )
    assert created["arn"] == (
        f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace}/scene/main"
    )
    got = twinmaker.get_scene(workspaceId=workspace, sceneId="main")
    assert got["workspaceId"] == workspace
    assert got["sceneId"] == "main"
    assert got["arn"] == created["arn"]
    assert got["contentLocation"] == CONTENT
    assert got["description"] == "the hall"
    assert got["capabilities"] == ["DYNAMIC_SCENE"]
    assert got["sceneMetadata"] == {"sceneViewerVersion": "1"}
    assert got["creationDateTime"] == got["updateDateTime"] == created["creationDateTime"]


def test_a_minimal_scene_shows_no_absent_members(twinmaker, workspace):
    twinmaker.create_scene(workspaceId=workspace, sceneId="bare", contentLocation=CONTENT)
    got = twinmaker.get_scene(workspaceId=workspace, sceneId="bare")
    assert "description" not in got and "capabilities" not in got
    assert "sceneMetadata" not in got


def test_duplicate_scene_is_a_conflict(twinmaker, workspace):
    twinmaker.create_scene(workspaceId=workspace, sceneId="main", contentLocation=CONTENT)
    code, _ = refused(
        twinmaker.create_scene, workspaceId=workspace, sceneId="main", contentLocation=CONTENT
    )
    assert code == "ConflictException"


def test_scene_needs_an_existing_workspace(twinmaker):
    code, message = refused(
        twinmaker.create_scene, workspaceId="nowhere", sceneId="main", contentLocation=CONTENT
    )
    assert (code, message) == ("ResourceNotFoundException", "Workspace nowhere not found")


def test_unknown_scene_is_not_found(twinmaker, workspace):
    for call in (twinmaker.get_scene, twinmaker.delete_scene):
        assert refused(call, workspaceId=workspace, sceneId="none")[0] == (
            "ResourceNotFoundException"
        )
    code, _ = refused(
        twinmaker.update_scene, workspaceId=workspace, sceneId="none", description="x"
    )
    assert code == "ResourceNotFoundException"


def test_model_constraints_are_checked(twinmaker, workspace):
    bad = [
        {"sceneId": "main", "contentLocation": "https://bucket/scene.json"},
        {"sceneId": "-main", "contentLocation": CONTENT},
        {"sceneId": "x" * 129, "contentLocation": CONTENT},
    ]
    for arguments in bad:
        code, _ = refused(twinmaker.create_scene, workspaceId=workspace, **arguments)
        assert code == "ValidationException"


def test_update_replaces_only_what_is_given(twinmaker, workspace):
    created = twinmaker.create_scene(
        workspaceId=workspace,
        sceneId="main",
        contentLocation=CONTENT,
        description="the hall",
        capabilities=["DYNAMIC_SCENE"],
    )
    updated = twinmaker.update_scene(
        workspaceId=workspace,
        sceneId="main",
        contentLocation="s3://plant-bucket/scenes/v2.json",
        capabilities=[],
    )
    got = twinmaker.get_scene(workspaceId=workspace, sceneId="main")
    assert got["contentLocation"] == "s3://plant-bucket/scenes/v2.json"
    assert got["description"] == "the hall"
    assert got.get("capabilities", []) == []
    assert got["updateDateTime"] == updated["updateDateTime"] > created["creationDateTime"]
    assert got["creationDateTime"] == created["creationDateTime"]


def test_list_pages_through_every_scene(twinmaker, workspace):
    ids = [f"scene{i:02d}" for i in range(5)]
    for scene_id in reversed(ids):
        twinmaker.create_scene(
            workspaceId=workspace, sceneId=scene_id, contentLocation=CONTENT, description="d"
        )
    scenes, pages = all_pages(
        twinmaker.list_scenes, "sceneSummaries", workspaceId=workspace, maxResults=2
    )
    assert [s["sceneId"] for s in scenes] == ids
    assert pages == 3
    assert scenes[0]["contentLocation"] == CONTENT
    assert scenes[0]["description"] == "d"
    assert scenes[0]["arn"].endswith(f":workspace/{workspace}/scene/scene00")


def test_deleted_scene_is_gone(twinmaker, workspace):
    twinmaker.create_scene(workspaceId=workspace, sceneId="main", contentLocation=CONTENT)
    twinmaker.delete_scene(workspaceId=workspace, sceneId="main")
    assert refused(twinmaker.get_scene, workspaceId=workspace, sceneId="main")[0] == (
        "ResourceNotFoundException"
    )
    assert twinmaker.list_scenes(workspaceId=workspace)["sceneSummaries"] == []


def test_a_workspace_with_scenes_cannot_be_deleted(twinmaker, workspace):
    twinmaker.create_scene(workspaceId=workspace, sceneId="main", contentLocation=CONTENT)
    code, message = refused(twinmaker.delete_workspace, workspaceId=workspace)
    assert code == "ValidationException"
    assert "scenes" in message
    twinmaker.delete_scene(workspaceId=workspace, sceneId="main")
    twinmaker.delete_workspace(workspaceId=workspace)


def test_scenes_are_invisible_from_other_accounts(twinport, twinmaker, workspace):
    twinmaker.create_scene(workspaceId=workspace, sceneId="main", contentLocation=CONTENT)
    other = twinport.client("iottwinmaker", account=twinport.new_account())
    other.create_workspace(workspaceId=workspace)
    assert other.list_scenes(workspaceId=workspace)["sceneSummaries"] == []
