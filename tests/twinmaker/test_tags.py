"""TagResource, UntagResource and ListTagsForResource of workspaces, component types, entities."""

from __future__ import annotations

import pytest

from tests.transfer.helpers import exported_file, import_job, make_workspace, upload, wait_for
from tests.twinmaker.helpers import refused

SENSOR = "com.example.sensor"


def listed(twinmaker, arn: str) -> dict:
    """Every tag of the resource, read two at a time (ListTagsForResource pages)."""
    tags, token = {}, None
    while True:
        page = twinmaker.list_tags_for_resource(
            resourceARN=arn, maxResults=2, **({"nextToken": token} if token else {})
        )
        assert len(page["tags"]) <= 2
        tags |= page["tags"]
        token = page.get("nextToken")
        if not token:
            return tags


@pytest.fixture
def arns(twinmaker, workspace, account) -> dict[str, str]:
    """A component type and an entity that uses it, created with tags; their ARNs by kind."""
    workspace_arn = f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace}"
    type_arn = twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId=SENSOR,
        propertyDefinitions={"serial": {"dataType": {"type": "STRING"}}},
        tags={"team": "sensors"},
    )["arn"]
    entity_arn = twinmaker.create_entity(
        workspaceId=workspace,
        entityId="boiler-1",
        entityName="Boiler 1",
        components={"probe": {"componentTypeId": SENSOR}},
        tags={"site": "north", "floor": "2", "owner": "ops"},
    )["arn"]
    scene_arn = twinmaker.create_scene(
        workspaceId=workspace,
        sceneId="hall",
        contentLocation="s3://scenes/hall.json",
        tags={"floor": "1"},
    )["arn"]
    return {
        "workspace": workspace_arn,
        "component-type": type_arn,
        "entity": entity_arn,
        "scene": scene_arn,
    }


def test_tags_given_at_create_are_listed(twinmaker, account, arns):
    twinmaker.create_workspace(
        workspaceId="tagged",
        s3Location="arn:aws:s3:::tagged-bucket",
        role=f"arn:aws:iam::{account}:role/twinmaker",
        tags={"env": "test"},
    )
    tagged = f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/tagged"
    assert twinmaker.list_tags_for_resource(resourceARN=tagged)["tags"] == {"env": "test"}
    assert twinmaker.list_tags_for_resource(resourceARN=arns["workspace"])["tags"] == {}
    assert listed(twinmaker, arns["component-type"]) == {"team": "sensors"}
    assert listed(twinmaker, arns["entity"]) == {"site": "north", "floor": "2", "owner": "ops"}
    assert listed(twinmaker, arns["scene"]) == {"floor": "1"}


@pytest.mark.parametrize("kind", ["workspace", "component-type", "entity", "scene"])
def test_tag_and_untag_change_only_the_tags(twinmaker, workspace, arns, kind):
    arn = arns[kind]
    before = listed(twinmaker, arn)
    entity = twinmaker.get_entity(workspaceId=workspace, entityId="boiler-1")

    twinmaker.tag_resource(resourceARN=arn, tags={"site": "south", "cost-center": "42"})
    assert listed(twinmaker, arn) == before | {"site": "south", "cost-center": "42"}

    twinmaker.untag_resource(resourceARN=arn, tagKeys=["site", "cost-center", "absent"])
    assert listed(twinmaker, arn) == {
        k: v for k, v in before.items() if k not in ("site", "cost-center")
    }
    # Nothing else of the resource changed, its update time included.
    after = twinmaker.get_entity(workspaceId=workspace, entityId="boiler-1")
    for member in ("components", "updateDateTime", "entityName", "parentEntityId"):
        assert after[member] == entity[member]


def test_tags_set_later_survive_an_update(twinmaker, workspace, arns):
    twinmaker.tag_resource(resourceARN=arns["component-type"], tags={"late": "yes"})
    twinmaker.tag_resource(resourceARN=arns["entity"], tags={"late": "yes"})
    twinmaker.update_component_type(
        workspaceId=workspace, componentTypeId=SENSOR, description="updated"
    )
    twinmaker.update_entity(workspaceId=workspace, entityId="boiler-1", description="updated")
    assert listed(twinmaker, arns["component-type"]) == {"team": "sensors", "late": "yes"}
    assert listed(twinmaker, arns["entity"])["late"] == "yes"


def test_more_than_50_tags_are_refused(twinmaker, arns):
    arn = arns["component-type"]  # holds one tag
    twinmaker.tag_resource(resourceARN=arn, tags={f"k{n}": "v" for n in range(49)})
    # Replacing the value of a tag it has adds none.
    twinmaker.tag_resource(resourceARN=arn, tags={"k0": "w"})
    with pytest.raises(twinmaker.exceptions.TooManyTagsException):
        twinmaker.tag_resource(resourceARN=arn, tags={"k49": "v"})
    assert len(listed(twinmaker, arn)) == 50


def test_an_arn_that_names_no_resource_is_not_found(twinmaker, workspace, arns, account):
    workspace_arn = arns["workspace"]
    other = "999999999999" if account != "999999999999" else "111111111111"
    for arn in (
        f"{workspace_arn}/entity/missing",
        f"{workspace_arn}/component-type/com.example.missing",
        f"{workspace_arn}/scene/lobby",
        f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/missing",
        arns["entity"].replace(account, other),
        arns["entity"].replace("us-east-1", "eu-west-1"),
    ):
        code, _ = refused(twinmaker.list_tags_for_resource, resourceARN=arn)
        assert code == "ResourceNotFoundException", arn
        with pytest.raises(twinmaker.exceptions.ResourceNotFoundException):
            twinmaker.tag_resource(resourceARN=arn, tags={"a": "b"})
        with pytest.raises(twinmaker.exceptions.ResourceNotFoundException):
            twinmaker.untag_resource(resourceARN=arn, tagKeys=["a"])


BULK = {
    "componentTypes": [
        {
            "componentTypeId": SENSOR,
            "propertyDefinitions": {"serial": {"dataType": {"type": "STRING"}}},
            "tags": {"team": "sensors"},
        }
    ],
    "entities": [
        {
            "entityId": "boiler-1",
            "entityName": "Boiler 1",
            "parentEntityId": "$ROOT",
            "components": {"probe": {"componentTypeId": SENSOR}},
            "tags": {"site": "north"},
        }
    ],
}


def test_tags_of_an_import_are_listed_and_the_file_sets_them_again(twinport):
    account = twinport.new_account()
    twinmaker = twinport.client("iottwinmaker", account)
    bucket = f"tags-{account}"
    workspace_arn = make_workspace(twinport, account, "plant", bucket)
    source = upload(twinport, account, bucket, "plant.json", BULK)
    assert wait_for(twinport, account, import_job(twinport, account, source, workspace_arn))[
        "status"
    ] == {"state": "COMPLETED"}
    type_arn = f"{workspace_arn}/component-type/{SENSOR}"
    entity_arn = f"{workspace_arn}/entity/boiler-1"
    assert listed(twinmaker, type_arn) == {"team": "sensors"}
    assert listed(twinmaker, entity_arn) == {"site": "north"}

    # A type's tags go out with it in an export.
    twinmaker.tag_resource(resourceARN=type_arn, tags={"late": "yes"})
    assert exported_file(twinport, account, workspace_arn, bucket)["componentTypes"][0]["tags"] == {
        "team": "sensors",
        "late": "yes",
    }

    # A file's tags are its resources' whole tag sets: importing it again undoes the tagging.
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace_arn))
    assert (job["progress"]["succeededCount"], job["progress"]["skippedCount"]) == (1, 1)
    assert listed(twinmaker, type_arn) == {"team": "sensors"}
    assert listed(twinmaker, entity_arn) == {"site": "north"}
