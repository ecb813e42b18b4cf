"""s3 → iottwinmaker and iottwinmaker → s3, end to end through the API."""

from __future__ import annotations

import orjson
import pytest

from tests.transfer.helpers import (
    BROKEN_ENTITIES,
    entities_file,
    exported_file,
    import_job,
    make_workspace,
    read_report,
    upload,
    wait_for,
)


@pytest.fixture
def account(twinport):
    return twinport.new_account()


@pytest.fixture
def bucket(account):
    return f"bucket-{account}"


@pytest.fixture
def workspace(twinport, account, bucket):
    return make_workspace(twinport, account, "plant", bucket)


PLANT = {
    "componentTypes": [
        {
            "componentTypeId": "com.example.base",
            "description": "base",
            "propertyDefinitions": {
                "serial": {"dataType": {"type": "STRING"}, "isRequiredInEntity": False},
            },
        },
        {
            "componentTypeId": "com.example.pump",
            "extendsFrom": ["com.example.base"],
            "propertyDefinitions": {
                "rpm": {"dataType": {"type": "DOUBLE", "unitOfMeasure": "rpm"}},
            },
            "tags": {"team": "rotating"},
        },
    ],
    "entities": [
        # The child comes first in the file: the import orders parents first.
        {
            "entityId": "pump-1",
            "entityName": "Pump 1",
            "parentEntityId": "line-1",
            "description": "first pump",
            "components": {
                "pump": {
                    "componentTypeId": "com.example.pump",
                    "properties": {"serial": {"value": {"stringValue": "P-001"}}},
                }
            },
        },
        {"entityId": "line-1", "entityName": "Line 1"},
    ],
}


def test_import_creates_everything_in_dependency_order(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "plant.json", PLANT)
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["status"]["state"] == "COMPLETED", job
    assert job["progress"] == {
        "totalCount": 4,
        "succeededCount": 4,
        "skippedCount": 0,
        "failedCount": 0,
    }
    client = twinport.client("iottwinmaker", account)
    pump = client.get_entity(workspaceId="plant", entityId="pump-1")
    assert pump["parentEntityId"] == "line-1"
    assert pump["components"]["pump"]["componentTypeId"] == "com.example.pump"
    serial = pump["components"]["pump"]["properties"]["serial"]["value"]
    assert serial == {"stringValue": "P-001"}
    line = client.get_entity(workspaceId="plant", entityId="line-1")
    assert line["hasChildEntities"] is True
    report = read_report(job)
    assert report["state"] == "COMPLETED" and report["errors"] == []


def test_entity_components_add_to_existing_entities(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "plant.json", PLANT)
    wait_for(twinport, account, import_job(twinport, account, source, workspace))
    more = {
        "entityComponents": [
            {"entityId": "line-1", "componentName": "meta", "componentTypeId": "com.example.base"},
            {"entityId": "ghost", "componentName": "meta", "componentTypeId": "com.example.base"},
        ]
    }
    source = upload(twinport, account, bucket, "more.json", more)
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["progress"]["succeededCount"] == 1
    assert job["progress"]["failedCount"] == 1
    line = twinport.client("iottwinmaker", account).get_entity(
        workspaceId="plant", entityId="line-1"
    )
    assert set(line["components"]) == {"meta"}
    errors = read_report(job)["errors"]
    assert [e["resourceId"] for e in errors] == ["ghost/meta"]


def test_reimport_of_identical_file_skips_everything(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "plant.json", PLANT)
    wait_for(twinport, account, import_job(twinport, account, source, workspace))
    again = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert again["status"]["state"] == "COMPLETED"
    assert again["progress"]["skippedCount"] == 4
    assert again["progress"]["succeededCount"] == 0


def test_reimport_replaces_sub_resources(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "plant.json", PLANT)
    wait_for(twinport, account, import_job(twinport, account, source, workspace))
    changed = {
        "entities": [
            {"entityId": "line-1", "entityName": "Line One", "components": {}},
        ]
    }
    source = upload(twinport, account, bucket, "changed.json", changed)
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["progress"]["succeededCount"] == 1
    line = twinport.client("iottwinmaker", account).get_entity(
        workspaceId="plant", entityId="line-1"
    )
    assert line["entityName"] == "Line One"
    assert line.get("components", {}) == {}  # the omitted component is gone


def test_per_resource_failures_and_dependents_are_reported(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "broken.json", BROKEN_ENTITIES)
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["status"]["state"] == "ERROR"
    assert job["status"]["error"]["code"] == "PROCESSING_ERROR"
    assert job["progress"] == {
        "totalCount": 3,
        "succeededCount": 1,
        "skippedCount": 1,
        "failedCount": 1,
    }
    errors = {e["resourceId"]: e for e in read_report(job)["errors"]}
    assert "com.example.missing" in errors["e-a"]["errorMessage"]
    assert errors["e-b"]["errorCode"] == "DEPENDENCY_FAILED"


@pytest.mark.parametrize(
    "body, fragment",
    [
        (b'{"entities": [{"entityId": "xx", ', "JSON"),
        (orjson.dumps({"entities": [{"entityId": "xx"}]}), "entityName"),
        (orjson.dumps({"entities": [], "bogus": 1}), "bogus"),
        (
            orjson.dumps(
                {
                    "entities": [
                        {"entityId": "xx", "entityName": "Entity X", "parentEntityId": "yy"},
                        {"entityId": "yy", "entityName": "Entity Y", "parentEntityId": "xx"},
                    ]
                }
            ),
            "cycle",
        ),
    ],
)
def test_bad_files_fail_validation_with_a_report(
    twinport, account, bucket, workspace, body, fragment
):
    source = upload(twinport, account, bucket, "bad.json", body)
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["status"]["state"] == "ERROR"
    assert job["status"]["error"]["code"] == "VALIDATION_ERROR"
    assert fragment in job["status"]["error"]["message"]
    assert "progress" not in job
    report = read_report(job)
    assert report["errors"] and report["errors"][0]["resourceType"] == "Template"
    # Nothing of a bad file is written.
    client = twinport.client("iottwinmaker", account)
    assert client.list_entities(workspaceId="plant")["entitySummaries"] == []


def test_missing_source_object_fails_validation(twinport, account, bucket, workspace):
    source = f"arn:aws:s3:::{bucket}/nothing-here.json"
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
    assert job["status"]["state"] == "ERROR"
    assert job["status"]["error"]["code"] == "VALIDATION_ERROR"
    assert "does not exist" in job["status"]["error"]["message"]


def test_export_then_import_into_empty_workspace_reproduces_resources(
    twinport, account, bucket, workspace
):
    source = upload(twinport, account, bucket, "plant.json", PLANT)
    wait_for(twinport, account, import_job(twinport, account, source, workspace))
    client = twinport.client("iottwinmaker", account)
    export = client.create_metadata_transfer_job(
        sources=[{"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": workspace}}],
        destination={"type": "s3", "s3Configuration": {"location": f"arn:aws:s3:::{bucket}/out"}},
    )
    job = wait_for(twinport, account, export["metadataTransferJobId"])
    assert job["status"]["state"] == "COMPLETED", job
    assert job["progress"]["totalCount"] == 4  # 2 component types + 2 entities
    key = f"out/{export['metadataTransferJobId']}.json"
    exported = twinport.client("s3", account).get_object(Bucket=bucket, Key=key)["Body"].read()

    copy = make_workspace(twinport, account, "copy", f"copy-{account}")
    source = upload(twinport, account, bucket, "exported.json", exported)
    job = wait_for(twinport, account, import_job(twinport, account, source, copy))
    assert job["status"]["state"] == "COMPLETED", job
    for type_id in ("com.example.base", "com.example.pump"):
        assert _strip(client.get_component_type(workspaceId="plant", componentTypeId=type_id)) == (
            _strip(client.get_component_type(workspaceId="copy", componentTypeId=type_id))
        )
    for entity_id in ("line-1", "pump-1"):
        assert _strip(client.get_entity(workspaceId="plant", entityId=entity_id)) == _strip(
            client.get_entity(workspaceId="copy", entityId=entity_id)
        )


def test_an_export_with_component_external_ids_imports_back(twinport, account, bucket, workspace):
    external = {
        "entityId": "pump-1",
        "componentName": "asset",
        "componentTypeId": "com.example.base",
        "componentExternalId": "pump-1-asset",
    }
    source = upload(
        twinport, account, bucket, "plant.json", {**PLANT, "entityComponents": [external]}
    )
    assert wait_for(twinport, account, import_job(twinport, account, source, workspace))[
        "status"
    ] == {"state": "COMPLETED"}
    exported = exported_file(twinport, account, workspace, bucket)
    # The entity is listed under `entities` and its external-id component apart from it.
    assert "pump-1" in {e["entityId"] for e in exported["entities"]}
    assert exported["entityComponents"] == [external]

    copy = make_workspace(twinport, account, "copy", f"copy-{account}")
    source = upload(twinport, account, bucket, "exported.json", exported)
    job = wait_for(twinport, account, import_job(twinport, account, source, copy))
    assert job["status"]["state"] == "COMPLETED", job
    client = twinport.client("iottwinmaker", account)
    for entity_id in ("line-1", "pump-1"):
        assert _strip(client.get_entity(workspaceId="plant", entityId=entity_id)) == _strip(
            client.get_entity(workspaceId="copy", entityId=entity_id)
        )
    assert exported_file(twinport, account, copy, bucket) == exported


def test_export_filters_pull_in_what_the_selection_needs(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "plant.json", PLANT)
    wait_for(twinport, account, import_job(twinport, account, source, workspace))
    exported = exported_file(
        twinport,
        account,
        workspace,
        bucket,
        filters=[{"filterByEntity": {"entityId": "pump-1"}}],
    )
    assert {e["entityId"] for e in exported["entities"]} == {"pump-1", "line-1"}
    assert {t["componentTypeId"] for t in exported["componentTypes"]} == {
        "com.example.pump",
        "com.example.base",
    }


def test_hundred_thousand_entities_import_with_exact_counts(twinport, account, bucket, workspace):
    source = upload(twinport, account, bucket, "big.json", entities_file(100_000))
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace), timeout=600)
    assert job["status"]["state"] == "COMPLETED", job
    assert job["progress"] == {
        "totalCount": 100_001,
        "succeededCount": 100_001,
        "skippedCount": 0,
        "failedCount": 0,
    }
    client = twinport.client("iottwinmaker", account)
    children = client.list_entities(
        workspaceId="plant", filters=[{"parentEntityId": "e0"}], maxResults=200
    )["entitySummaries"]
    assert len(children) == 100
    last = client.get_entity(workspaceId="plant", entityId="e99999")
    assert last["parentEntityId"] == "e999"


def _strip(resource: dict) -> dict:
    """What must match between two workspaces: all but ARNs, dates and the workspace id."""
    volatile = {"arn", "creationDateTime", "updateDateTime", "workspaceId", "ResponseMetadata"}
    return {k: v for k, v in resource.items() if k not in volatile}
