from __future__ import annotations

import uuid

import pytest

from tests.twinmaker.helpers import all_pages, refused

SENSOR = "com.example.sensor"


@pytest.fixture
def sensor_type(twinmaker, workspace) -> str:
    twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId=SENSOR,
        propertyDefinitions={
            "serial": {"dataType": {"type": "STRING"}, "isExternalId": True},
            "unit": {"dataType": {"type": "STRING"}, "defaultValue": {"stringValue": "C"}},
            "limit": {"dataType": {"type": "DOUBLE"}},
        },
    )
    return SENSOR


def sensor(serial: str, **properties) -> dict:
    values = {"serial": {"value": {"stringValue": serial}}, **properties}
    return {"componentTypeId": SENSOR, "properties": values}


def test_create_then_get(twinmaker, workspace, sensor_type, account):
    created = twinmaker.create_entity(
        workspaceId=workspace,
        entityId="boiler-1",
        entityName="Boiler 1",
        description="The first boiler",
        components={"temperature": sensor("S-1", limit={"value": {"doubleValue": 90.0}})},
    )
    arn = f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace}/entity/boiler-1"
    assert created["entityId"] == "boiler-1"
    assert created["arn"] == arn
    assert created["state"] == "CREATING"

    got = twinmaker.get_entity(workspaceId=workspace, entityId="boiler-1")
    assert got["arn"] == arn
    assert got["entityName"] == "Boiler 1"
    assert got["description"] == "The first boiler"
    assert got["workspaceId"] == workspace
    assert got["status"] == {"state": "ACTIVE"}
    assert got["parentEntityId"] == "$ROOT"
    assert got["hasChildEntities"] is False
    assert got["areAllComponentsReturned"] is True
    assert got["creationDateTime"] == created["creationDateTime"] == got["updateDateTime"]
    component = got["components"]["temperature"]
    assert component["componentName"] == "temperature"
    assert component["componentTypeId"] == SENSOR
    assert component["status"] == {"state": "ACTIVE"}
    assert component["areAllPropertiesReturned"] is True
    properties = component["properties"]
    # Every property of the type is there, with its definition; values where the entity set one.
    assert set(properties) == {"serial", "unit", "limit"}
    assert properties["limit"]["value"] == {"doubleValue": 90.0}
    assert properties["serial"]["definition"]["isExternalId"] is True
    assert properties["unit"]["definition"]["defaultValue"] == {"stringValue": "C"}
    assert "value" not in properties["unit"]
    assert all(p["definition"]["isInherited"] for p in properties.values())


def test_an_entity_without_id_gets_a_uuid(twinmaker, workspace):
    entity_id = twinmaker.create_entity(workspaceId=workspace, entityName="Anonymous")["entityId"]
    assert str(uuid.UUID(entity_id)) == entity_id
    assert twinmaker.get_entity(workspaceId=workspace, entityId=entity_id)["entityName"] == (
        "Anonymous"
    )


def test_a_component_may_define_properties_of_its_own(twinmaker, workspace, sensor_type):
    twinmaker.create_entity(
        workspaceId=workspace,
        entityId="boiler-1",
        entityName="Boiler",
        components={
            "temperature": sensor(
                "S-1",
                note={
                    "definition": {"dataType": {"type": "STRING"}},
                    "value": {"stringValue": "x"},
                },
            )
        },
    )
    properties = twinmaker.get_entity(workspaceId=workspace, entityId="boiler-1")["components"][
        "temperature"
    ]["properties"]
    assert properties["note"]["definition"]["isInherited"] is False
    assert properties["note"]["value"] == {"stringValue": "x"}


def test_create_refusals(twinmaker, workspace, sensor_type):
    twinmaker.create_component_type(
        workspaceId=workspace, componentTypeId="com.example.single", isSingleton=True
    )
    twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId="com.example.strict",
        propertyDefinitions={"key": {"dataType": {"type": "STRING"}, "isRequiredInEntity": True}},
    )
    twinmaker.create_entity(workspaceId=workspace, entityId="taken", entityName="Taken")
    create = twinmaker.create_entity
    cases = {
        "ConflictException": [{"entityId": "taken"}],
        "ValidationException": [
            {"parentEntityId": "missing-parent"},
            {"components": {"c": {"componentTypeId": "com.example.unknown"}}},
            {"components": {"c": sensor("S", extra={"value": {"stringValue": "x"}})}},
            {"components": {"c": sensor("S", limit={"value": {"stringValue": "hot"}})}},
            {"components": {"c": {"componentTypeId": "com.example.strict"}}},
            {
                "components": {
                    "a": {"componentTypeId": "com.example.single"},
                    "b": {"componentTypeId": "com.example.single"},
                }
            },
            {
                "components": {
                    "c": {
                        **sensor("S"),
                        "propertyGroups": {"g": {"groupType": "TABULAR", "propertyNames": ["x"]}},
                    }
                }
            },
            {"compositeComponents": {"c/sub": {"description": "x"}}},
        ],
    }
    for expected, variants in cases.items():
        for variant in variants:
            arguments = {"workspaceId": workspace, "entityId": "new-one", "entityName": "New"}
            code, _ = refused(create, **{**arguments, **variant})
            assert code == expected, variant
    assert refused(create, workspaceId="nowhere", entityName="x")[0] == "ResourceNotFoundException"
    assert refused(twinmaker.get_entity, workspaceId=workspace, entityId="new-one")[0] == (
        "ResourceNotFoundException"
    )


def test_children_and_has_child_entities(twinmaker, workspace):
    twinmaker.create_entity(workspaceId=workspace, entityId="site", entityName="Site")
    twinmaker.create_entity(
        workspaceId=workspace, entityId="line", entityName="Line", parentEntityId="site"
    )
    site = twinmaker.get_entity(workspaceId=workspace, entityId="site")
    line = twinmaker.get_entity(workspaceId=workspace, entityId="line")
    assert site["hasChildEntities"] is True
    assert line["hasChildEntities"] is False
    assert line["parentEntityId"] == "site"
    summaries = twinmaker.list_entities(workspaceId=workspace)["entitySummaries"]
    by_id = {s["entityId"]: s for s in summaries}
    assert by_id["site"]["hasChildEntities"] is True
    assert by_id["site"]["parentEntityId"] == "$ROOT"
    assert by_id["line"]["parentEntityId"] == "site"
    assert by_id["line"]["status"] == {"state": "ACTIVE"}


def test_list_filters(twinmaker, workspace, sensor_type):
    create = twinmaker.create_entity
    create(workspaceId=workspace, entityId="site", entityName="Site")
    create(
        workspaceId=workspace,
        entityId="tank-1",
        entityName="Tank 1",
        parentEntityId="site",
        components={"level": sensor("LX-1")},
    )
    create(workspaceId=workspace, entityId="tank-2", entityName="Tank 2", parentEntityId="site")
    create(
        workspaceId=workspace,
        entityId="pump-1",
        entityName="Pump",
        components={"flow": sensor("FX-9")},
    )

    def ids(*filters) -> list[str]:
        response = twinmaker.list_entities(workspaceId=workspace, filters=list(filters))
        return [s["entityId"] for s in response["entitySummaries"]]

    assert ids() == ["pump-1", "site", "tank-1", "tank-2"]
    assert ids({"parentEntityId": "$ROOT"}) == ["pump-1", "site"]
    assert ids({"parentEntityId": "site"}) == ["tank-1", "tank-2"]
    assert ids({"componentTypeId": SENSOR}) == ["pump-1", "tank-1"]
    assert ids({"componentTypeId": "com.example.other"}) == []
    assert ids({"externalId": "LX-1"}) == ["tank-1"]
    assert ids({"externalId": "nothing"}) == []
    code, _ = refused(
        twinmaker.list_entities,
        workspaceId=workspace,
        filters=[{"parentEntityId": "site"}, {"componentTypeId": SENSOR}],
    )
    assert code == "ValidationException"


def test_list_pages(twinmaker, workspace):
    for index in range(7):
        twinmaker.create_entity(
            workspaceId=workspace, entityId=f"e-{index}", entityName=f"E{index}"
        )
    summaries, pages = all_pages(
        twinmaker.list_entities, "entitySummaries", workspaceId=workspace, maxResults=3
    )
    assert [s["entityId"] for s in summaries] == [f"e-{i}" for i in range(7)]
    assert pages == 3
    # A token answers only the request it came from.
    token = twinmaker.list_entities(workspaceId=workspace, maxResults=3)["nextToken"]
    code, _ = refused(
        twinmaker.list_entities,
        workspaceId=workspace,
        maxResults=3,
        nextToken=token,
        filters=[{"parentEntityId": "$ROOT"}],
    )
    assert code == "ValidationException"


def test_delete_refuses_a_parent_unless_recursive(twinmaker, workspace):
    create = twinmaker.create_entity
    create(workspaceId=workspace, entityId="site", entityName="Site")
    create(workspaceId=workspace, entityId="line", entityName="Line", parentEntityId="site")
    create(workspaceId=workspace, entityId="cell", entityName="Cell", parentEntityId="line")
    create(workspaceId=workspace, entityId="other", entityName="Other")

    code, message = refused(twinmaker.delete_entity, workspaceId=workspace, entityId="site")
    assert code == "ValidationException"
    assert "site" in message
    code, _ = refused(
        twinmaker.delete_entity, workspaceId=workspace, entityId="site", isRecursive=False
    )
    assert code == "ValidationException"

    response = twinmaker.delete_entity(workspaceId=workspace, entityId="site", isRecursive=True)
    assert response["state"] == "DELETING"
    remaining = twinmaker.list_entities(workspaceId=workspace)["entitySummaries"]
    assert [s["entityId"] for s in remaining] == ["other"]
    assert refused(twinmaker.delete_entity, workspaceId=workspace, entityId="site")[0] == (
        "ResourceNotFoundException"
    )


def test_list_components_and_properties(twinmaker, workspace, sensor_type):
    components = {f"c{index}": sensor(f"S-{index}") for index in range(3)}
    components["c1"]["description"] = "second"
    twinmaker.create_entity(
        workspaceId=workspace, entityId="rack", entityName="Rack", components=components
    )
    summaries, pages = all_pages(
        twinmaker.list_components,
        "componentSummaries",
        workspaceId=workspace,
        entityId="rack",
        maxResults=2,
    )
    assert [s["componentName"] for s in summaries] == ["c0", "c1", "c2"]
    assert pages == 2
    assert summaries[1]["description"] == "second"
    assert summaries[1]["componentTypeId"] == SENSOR
    assert summaries[1]["status"] == {"state": "ACTIVE"}

    properties, _ = all_pages(
        twinmaker.list_properties,
        "propertySummaries",
        workspaceId=workspace,
        entityId="rack",
        componentName="c2",
        maxResults=1,
    )
    assert [p["propertyName"] for p in properties] == ["limit", "serial", "unit"]
    assert properties[1]["value"] == {"stringValue": "S-2"}
    assert properties[1]["definition"]["dataType"] == {"type": "STRING"}

    code, _ = refused(
        twinmaker.list_properties, workspaceId=workspace, entityId="rack", componentName="nope"
    )
    assert code == "ResourceNotFoundException"
    code, _ = refused(twinmaker.list_components, workspaceId=workspace, entityId="none")
    assert code == "ResourceNotFoundException"
