from __future__ import annotations

import pytest

from tests.twinmaker.helpers import refused

SENSOR = "com.example.sensor"
STRING = {"dataType": {"type": "STRING"}}


@pytest.fixture
def boiler(twinmaker, workspace) -> str:
    """An entity `boiler` with a component `temp` holding values for `serial` and `unit`."""
    twinmaker.create_component_type(
        workspaceId=workspace,
        componentTypeId=SENSOR,
        propertyDefinitions={"serial": STRING, "unit": STRING},
    )
    twinmaker.create_entity(
        workspaceId=workspace,
        entityId="boiler",
        entityName="Boiler",
        description="old",
        components={
            "temp": {
                "componentTypeId": SENSOR,
                "properties": {
                    "serial": {"value": {"stringValue": "S-1"}},
                    "unit": {"value": {"stringValue": "C"}},
                },
            }
        },
    )
    return "boiler"


def components_of(twinmaker, workspace, entity_id) -> dict:
    return twinmaker.get_entity(workspaceId=workspace, entityId=entity_id).get("components", {})


def test_name_and_description(twinmaker, workspace, boiler):
    before = twinmaker.get_entity(workspaceId=workspace, entityId=boiler)
    response = twinmaker.update_entity(
        workspaceId=workspace, entityId=boiler, entityName="Boiler A", description="new"
    )
    assert response["state"] == "UPDATING"
    after = twinmaker.get_entity(workspaceId=workspace, entityId=boiler)
    assert after["entityName"] == "Boiler A"
    assert after["description"] == "new"
    assert after["updateDateTime"] == response["updateDateTime"] > before["updateDateTime"]
    assert after["creationDateTime"] == before["creationDateTime"]
    assert set(after["components"]) == {"temp"}


def test_property_updates(twinmaker, workspace, boiler):
    twinmaker.update_entity(
        workspaceId=workspace,
        entityId=boiler,
        componentUpdates={
            "temp": {
                "updateType": "UPDATE",
                "description": "temperature",
                "propertyUpdates": {
                    "serial": {"value": {"stringValue": "S-2"}},
                    "unit": {"updateType": "RESET_VALUE"},
                    "note": {"definition": STRING, "value": {"stringValue": "checked"}},
                },
            }
        },
    )
    temp = components_of(twinmaker, workspace, boiler)["temp"]
    assert temp["description"] == "temperature"
    assert temp["properties"]["serial"]["value"] == {"stringValue": "S-2"}
    assert "value" not in temp["properties"]["unit"]
    assert temp["properties"]["note"]["value"] == {"stringValue": "checked"}

    twinmaker.update_entity(
        workspaceId=workspace,
        entityId=boiler,
        componentUpdates={"temp": {"propertyUpdates": {"note": {"updateType": "DELETE"}}}},
    )
    assert "note" not in components_of(twinmaker, workspace, boiler)["temp"]["properties"]


def test_create_and_delete_components(twinmaker, workspace, boiler):
    twinmaker.update_entity(
        workspaceId=workspace,
        entityId=boiler,
        componentUpdates={
            "pressure": {
                "updateType": "CREATE",
                "componentTypeId": SENSOR,
                "propertyUpdates": {"unit": {"value": {"stringValue": "bar"}}},
            },
            "temp": {"updateType": "DELETE"},
        },
    )
    components = components_of(twinmaker, workspace, boiler)
    assert set(components) == {"pressure"}
    assert components["pressure"]["properties"]["unit"]["value"] == {"stringValue": "bar"}
    # The type is no longer in use by `temp` but still by `pressure`.
    code, _ = refused(
        twinmaker.delete_component_type, workspaceId=workspace, componentTypeId=SENSOR
    )
    assert code == "ValidationException"
    twinmaker.update_entity(
        workspaceId=workspace,
        entityId=boiler,
        componentUpdates={"pressure": {"updateType": "DELETE"}},
    )
    assert components_of(twinmaker, workspace, boiler) == {}
    twinmaker.delete_component_type(workspaceId=workspace, componentTypeId=SENSOR)


def test_component_update_refusals(twinmaker, workspace, boiler):
    cases = {
        "ConflictException": {"temp": {"updateType": "CREATE", "componentTypeId": SENSOR}},
        "ValidationException": {"ghost": {"updateType": "UPDATE", "description": "x"}},
    }
    for expected, updates in cases.items():
        code, _ = refused(
            twinmaker.update_entity,
            workspaceId=workspace,
            entityId=boiler,
            componentUpdates=updates,
        )
        assert code == expected
    for updates in (
        {"ghost": {"updateType": "DELETE"}},
        {"new": {"updateType": "CREATE"}},
        {"new": {"updateType": "CREATE", "componentTypeId": "com.example.unknown"}},
        {"temp": {"componentTypeId": "com.example.unknown"}},
        {"temp": {"propertyUpdates": {"undefined": {"value": {"stringValue": "x"}}}}},
    ):
        code, _ = refused(
            twinmaker.update_entity,
            workspaceId=workspace,
            entityId=boiler,
            componentUpdates=updates,
        )
        assert code == "ValidationException", updates
    # Nothing of the refused updates was kept.
    assert set(components_of(twinmaker, workspace, boiler)) == {"temp"}


def test_parent_updates(twinmaker, workspace):
    create = twinmaker.create_entity
    create(workspaceId=workspace, entityId="site-a", entityName="A")
    create(workspaceId=workspace, entityId="site-b", entityName="B")
    create(workspaceId=workspace, entityId="line", entityName="Line", parentEntityId="site-a")
    create(workspaceId=workspace, entityId="cell", entityName="Cell", parentEntityId="line")

    twinmaker.update_entity(
        workspaceId=workspace,
        entityId="line",
        parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": "site-b"},
    )
    assert (
        twinmaker.get_entity(workspaceId=workspace, entityId="line")["parentEntityId"] == "site-b"
    )
    assert (
        twinmaker.get_entity(workspaceId=workspace, entityId="site-a")["hasChildEntities"] is False
    )
    assert (
        twinmaker.get_entity(workspaceId=workspace, entityId="site-b")["hasChildEntities"] is True
    )

    twinmaker.update_entity(
        workspaceId=workspace, entityId="line", parentEntityUpdate={"updateType": "DELETE"}
    )
    assert twinmaker.get_entity(workspaceId=workspace, entityId="line")["parentEntityId"] == "$ROOT"

    for target in ("cell", "line", "nowhere"):
        code, _ = refused(
            twinmaker.update_entity,
            workspaceId=workspace,
            entityId="line",
            parentEntityUpdate={"updateType": "UPDATE", "parentEntityId": target},
        )
        assert code == "ValidationException", target
    code, _ = refused(
        twinmaker.update_entity,
        workspaceId=workspace,
        entityId="line",
        parentEntityUpdate={"updateType": "UPDATE"},
    )
    assert code == "ValidationException"


def test_update_of_unknown_entity_is_not_found(twinmaker, workspace):
    code, _ = refused(
        twinmaker.update_entity, workspaceId=workspace, entityId="ghost", entityName="x"
    )
    assert code == "ResourceNotFoundException"
