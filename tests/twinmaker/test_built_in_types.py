"""AWS's built-in component types: in every workspace, read-only, usable, never exported."""

from __future__ import annotations

import pytest

from tests.transfer.helpers import exported_file, import_job, make_workspace, upload, wait_for
from tests.twinmaker.helpers import refused

BUILT_IN = [
    "com.amazon.iotsitewise.connector",
    "com.amazon.iotsitewise.connector.edgevideo",
    "com.amazon.iotsitewise.resourcesync",
    "com.amazon.iottwinmaker.alarm.basic",
    "com.amazon.iottwinmaker.documents",
    "com.amazon.iottwinmaker.parameters",
    "com.amazon.kvs.video",
]


def test_every_workspace_lists_the_built_in_types(twinmaker, workspace):
    summaries = twinmaker.list_component_types(
        workspaceId=workspace, filters=[{"namespace": "com.amazon"}]
    )["componentTypeSummaries"]
    assert [s["componentTypeId"] for s in summaries] == BUILT_IN
    alarm = twinmaker.get_component_type(
        workspaceId=workspace, componentTypeId="com.amazon.iottwinmaker.alarm.basic"
    )
    assert alarm["isAbstract"] is True
    assert alarm["propertyDefinitions"]["alarm_key"]["isExternalId"] is True
    assert alarm["propertyDefinitions"]["alarm_status"]["isTimeSeries"] is True


@pytest.mark.parametrize("type_id", ["com.amazon.kvs.video", "com.amazon.iottwinmaker.documents"])
def test_built_in_types_cannot_be_changed(twinmaker, workspace, type_id):
    code, _ = refused(
        twinmaker.update_component_type,
        workspaceId=workspace,
        componentTypeId=type_id,
        description="mine",
    )
    assert code == "ValidationException"
    delete = twinmaker.delete_component_type
    code, _ = refused(delete, workspaceId=workspace, componentTypeId=type_id)
    assert code == "ValidationException"


def test_entities_use_built_in_types_through_the_api(twinmaker, workspace):
    twinmaker.create_entity(
        workspaceId=workspace,
        entityId="lab",
        entityName="Lab",
        components={
            "docs": {
                "componentTypeId": "com.amazon.iottwinmaker.documents",
                "properties": {
                    "documents": {
                        "value": {"mapValue": {"manual": {"stringValue": "https://example.com"}}}
                    }
                },
            }
        },
    )
    component = twinmaker.get_entity(workspaceId=workspace, entityId="lab")["components"]["docs"]
    definition = component["properties"]["documents"]["definition"]
    assert definition["dataType"] == {"type": "MAP", "nestedType": {"type": "STRING"}}
    assert definition["isInherited"] is True


def test_a_file_using_built_in_types_imports_and_exports_without_them(twinport):
    account = twinport.new_account()
    bucket = f"built-in-{account}"
    workspace = make_workspace(twinport, account, "plant", bucket)
    template = {
        "componentTypes": [
            {
                "componentTypeId": "com.example.alarm",
                "extendsFrom": ["com.amazon.iottwinmaker.alarm.basic"],
                "functions": {
                    "dataReader": {
                        "implementedBy": {
                            "lambda": {"arn": "arn:aws:lambda:us-east-1:123456789012:function:f"}
                        }
                    }
                },
            }
        ],
        "entities": [
            {
                "entityId": "pump-1",
                "entityName": "Pump 1",
                "components": {
                    "alarm": {
                        "componentTypeId": "com.example.alarm",
                        "properties": {"alarm_key": {"value": {"stringValue": "pump-1"}}},
                    },
                    "video": {
                        "componentTypeId": "com.amazon.kvs.video",
                        "properties": {
                            "KinesisVideoStreamName": {"value": {"stringValue": "pump-cam"}}
                        },
                    },
                },
            }
        ],
    }
    source = upload(twinport, account, bucket, "in.json", template)
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["status"]["state"] == "COMPLETED", job
    exported = exported_file(twinport, account, workspace, bucket)
    assert [t["componentTypeId"] for t in exported["componentTypes"]] == ["com.example.alarm"]
