"""Files that use every field of the published schemas, and AWS's own examples, import.

`every_*_field.json` are written by hand, field by field from the schemas; they also round-trip
through export like the generated files. The AWS examples are those of the schema pages:
TwinMaker's minimal and "update" examples (tm-import-export-schema.html), and SiteWise's bulk
import of robots in a work cell (bulk-operations-import-metadata-example.html).
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.roundtrip.places import SiteWiseAccount, Workspace, assert_completed, round_trip

HERE = Path(__file__).parent

# TwinMaker's minimal example: a component type with only an id and tags, an entity with only
# a name and an id.
TWINMAKER_MINIMAL = {
    "componentTypes": [{"componentTypeId": "testComponentType", "tags": {"key": "value"}}],
    "entities": [{"entityName": "testEntity", "entityId": "testEntity"}],
}
# TwinMaker's "update" example, imported where the minimal one was: it updates the component
# type's description, adds a parent and a child using that type, and adds a component to the
# entity created earlier.
TWINMAKER_UPDATE = {
    "componentTypes": [
        {"componentTypeId": "testComponentType", "description": "updated description"}
    ],
    "entities": [
        {"entityName": "parent", "entityId": "parent"},
        {
            "entityName": "child",
            "entityId": "child",
            "parentEntityId": "parent",
            "components": {"testComponent": {"componentTypeId": "testComponentType"}},
        },
    ],
    "entityComponents": [
        {
            "entityId": "testEntity",
            "componentName": "addedComponent",
            "componentTypeId": "testComponentType",
        }
    ],
}
# SiteWise's example: a robot model with a temperature measurement, a work cell model whose
# hierarchy holds robots, a work cell in Boston and two robots in it.
SITEWISE_ROBOTS = {
    "assetModels": [
        {
            "assetModelExternalId": "Robot.OEM1.3536",
            "assetModelName": "RobotModel1",
            "assetModelProperties": [
                {
                    "dataType": "DOUBLE",
                    "externalId": "Temperature",
                    "name": "Temperature",
                    "type": {
                        "measurement": {
                            "processingConfig": {"forwardingConfig": {"state": "ENABLED"}}
                        }
                    },
                    "unit": "fahrenheit",
                }
            ],
        },
        {
            "assetModelExternalId": "ISA95.WorkCell",
            "assetModelName": "WorkCell",
            "assetModelProperties": [],
            "assetModelHierarchies": [
                {
                    "externalId": "workCellHierarchyWithOEM1Robot",
                    "name": "robotHierarchyOEM1",
                    "childAssetModelExternalId": "Robot.OEM1.3536",
                }
            ],
        },
    ],
    "assets": [
        {
            "assetExternalId": "Robot.OEM1.3536.123456",
            "assetName": "RobotArm123456",
            "assetModelExternalId": "Robot.OEM1.3536",
        },
        {
            "assetExternalId": "Robot.OEM1.3536.987654",
            "assetName": "RobotArm987654",
            "assetModelExternalId": "Robot.OEM1.3536",
        },
        {
            "assetExternalId": "BostonSite.ISA95.WorkCell1",
            "assetName": "WorkCell1",
            "assetModelExternalId": "ISA95.WorkCell",
            "assetHierarchies": [
                {
                    "externalId": "workCellHierarchyWithOEM1Robot",
                    "childAssetExternalId": "Robot.OEM1.3536.123456",
                },
                {
                    "externalId": "workCellHierarchyWithOEM1Robot",
                    "childAssetExternalId": "Robot.OEM1.3536.987654",
                },
            ],
        },
    ],
}


@pytest.mark.parametrize(
    ("kind", "name"),
    [(Workspace, "every_twinmaker_field.json"), (SiteWiseAccount, "every_sitewise_field.json")],
)
def test_a_file_using_every_field_of_the_schema_round_trips(twinport, kind, name):
    round_trip(kind, twinport, orjson.loads((HERE / name).read_bytes()))


def test_twinmaker_documentation_examples_import(twinport):
    workspace = Workspace.fresh(twinport)
    assert_completed(workspace.import_file(TWINMAKER_MINIMAL))
    assert_completed(workspace.import_file(TWINMAKER_UPDATE))
    entity = workspace.client.get_entity(workspaceId=workspace.workspace_id, entityId="testEntity")
    assert set(entity["components"]) == {"addedComponent"}
    child = workspace.client.get_entity(workspaceId=workspace.workspace_id, entityId="child")
    assert child["parentEntityId"] == "parent"


def test_sitewise_documentation_example_imports(twinport):
    account = SiteWiseAccount.fresh(twinport)
    assert_completed(account.import_file(SITEWISE_ROBOTS))
    exported = account.export()
    cell = next(a for a in exported["assets"] if a["assetName"] == "WorkCell1")
    assert len(cell["assetHierarchies"]) == 2
