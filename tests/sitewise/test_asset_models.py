"""Asset models through the SiteWise API, as boto3 sees them."""

from __future__ import annotations

import uuid

from tests.sitewise.sitewise_support import error_of, make_model
from tests.sitewise_files import attribute, measurement


def test_create_answers_creating_and_the_model_becomes_active(sitewise):
    created = sitewise.create_asset_model(
        assetModelName="Pump",
        assetModelDescription="A pump",
        assetModelProperties=[attribute("Serial", "n/a"), measurement("RPM", unit="rpm")],
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["assetModelStatus"]["state"] == "CREATING"
    model_id = created["assetModelId"]
    assert uuid.UUID(model_id).version == 4 and model_id == model_id.lower()
    assert created["assetModelArn"].endswith(f":asset-model/{model_id}")

    sitewise.get_waiter("asset_model_active").wait(
        assetModelId=model_id, WaiterConfig={"Delay": 1, "MaxAttempts": 5}
    )
    described = sitewise.describe_asset_model(assetModelId=model_id)
    assert described["assetModelStatus"] == {"state": "ACTIVE"}
    assert described["assetModelName"] == "Pump"
    assert described["assetModelDescription"] == "A pump"
    assert described["assetModelType"] == "ASSET_MODEL"
    assert described["assetModelVersion"] == "1"
    assert len(described["eTag"]) == 43
    serial, rpm = described["assetModelProperties"]
    assert serial["type"] == {"attribute": {"defaultValue": "n/a"}}
    assert rpm["unit"] == "rpm" and rpm["type"] == {"measurement": {}}
    assert uuid.UUID(serial["id"]) and serial["id"] != rpm["id"]


def test_caller_chosen_ids_are_kept(sitewise):
    model_id, property_id, hierarchy_id = (str(uuid.uuid4()) for _ in range(3))
    child = make_model(sitewise, "Child")
    answer = sitewise.create_asset_model(
        assetModelName="Parent",
        assetModelId=model_id,
        assetModelProperties=[attribute("Site", id=property_id)],
        assetModelHierarchies=[{"name": "Kids", "id": hierarchy_id, "childAssetModelId": child}],
    )
    assert answer["assetModelId"] == model_id
    described = sitewise.describe_asset_model(assetModelId=model_id)
    assert described["assetModelProperties"][0]["id"] == property_id
    assert described["assetModelHierarchies"][0] == {
        "id": hierarchy_id,
        "name": "Kids",
        "childAssetModelId": child,
    }


def test_external_ids_address_models_everywhere(sitewise):
    make_model(sitewise, "Child", assetModelExternalId="child")
    model_id = make_model(
        sitewise,
        "Parent",
        assetModelExternalId="parent",
        assetModelProperties=[attribute("Site", externalId="site")],
        assetModelHierarchies=[
            {"name": "Kids", "externalId": "kids", "childAssetModelId": "externalId:child"}
        ],
    )
    described = sitewise.describe_asset_model(assetModelId="externalId:parent")
    assert described["assetModelId"] == model_id
    assert described["assetModelExternalId"] == "parent"
    child_id = sitewise.describe_asset_model(assetModelId="externalId:child")["assetModelId"]
    assert described["assetModelHierarchies"][0]["childAssetModelId"] == child_id
    listed = sitewise.list_asset_model_properties(assetModelId="externalId:parent")
    assert [p["externalId"] for p in listed["assetModelPropertySummaries"]] == ["site"]

    sitewise.update_asset_model(
        assetModelId="externalId:parent",
        assetModelName="Parent v2",
        assetModelProperties=[
            {
                "id": "externalId:site",
                "name": "Site",
                "dataType": "STRING",
                "type": {"attribute": {}},
            }
        ],
    )
    updated = sitewise.describe_asset_model(assetModelId=model_id)
    assert updated["assetModelName"] == "Parent v2"
    assert updated["assetModelProperties"][0]["id"] == described["assetModelProperties"][0]["id"]

    sitewise.delete_asset_model(assetModelId="externalId:parent")
    sitewise.get_waiter("asset_model_not_exists").wait(
        assetModelId=model_id, WaiterConfig={"Delay": 1, "MaxAttempts": 5}
    )


def test_every_property_kind_is_kept_and_expression_variables_resolve_to_ids(sitewise):
    child = make_model(
        sitewise, "Turbine", assetModelProperties=[measurement("Power", externalId="power")]
    )
    model_id = make_model(
        sitewise,
        "Farm",
        assetModelProperties=[
            attribute("Region", "north"),
            {
                "name": "Speed",
                "dataType": "DOUBLE",
                "unit": "m/s",
                "type": {
                    "measurement": {"processingConfig": {"forwardingConfig": {"state": "ENABLED"}}}
                },
            },
            {
                "name": "Speed x2",
                "dataType": "DOUBLE",
                "type": {
                    "transform": {
                        "expression": "s * 2",
                        "variables": [{"name": "s", "value": {"propertyId": "Speed"}}],
                        "processingConfig": {"computeLocation": "CLOUD"},
                    }
                },
            },
            {
                "name": "Total power",
                "dataType": "DOUBLE",
                "type": {
                    "metric": {
                        "expression": "sum(p)",
                        "variables": [
                            {
                                "name": "p",
                                "value": {
                                    "propertyId": "externalId:power",
                                    "hierarchyId": "Turbines",
                                },
                            }
                        ],
                        "window": {"tumbling": {"interval": "1h", "offset": "5m"}},
                    }
                },
            },
        ],
        assetModelHierarchies=[{"name": "Turbines", "childAssetModelId": child}],
    )
    described = sitewise.describe_asset_model(assetModelId=model_id)
    region, speed, doubled, total = described["assetModelProperties"]
    hierarchy = described["assetModelHierarchies"][0]
    power = sitewise.describe_asset_model(assetModelId=child)["assetModelProperties"][0]
    assert region["type"] == {"attribute": {"defaultValue": "north"}}
    assert (
        speed["type"]["measurement"]["processingConfig"]["forwardingConfig"]["state"] == "ENABLED"
    )
    assert doubled["type"]["transform"] == {
        "expression": "s * 2",
        "variables": [{"name": "s", "value": {"propertyId": speed["id"]}}],
        "processingConfig": {"computeLocation": "CLOUD"},
    }
    assert total["type"]["metric"]["variables"] == [
        {"name": "p", "value": {"propertyId": power["id"], "hierarchyId": hierarchy["id"]}}
    ]
    assert total["type"]["metric"]["window"] == {"tumbling": {"interval": "1h", "offset": "5m"}}


def test_composite_models_and_their_properties(sitewise):
    model_id = make_model(
        sitewise,
        "Boiler",
        assetModelProperties=[measurement("Temperature")],
        assetModelCompositeModels=[
            {
                "name": "Overheat",
                "type": "AWS/ALARM",
                "description": "Too hot",
                "externalId": "overheat",
                "properties": [attribute("AWS/ALARM_TYPE", "IOT_EVENTS")],
            }
        ],
    )
    described = sitewise.describe_asset_model(assetModelId=model_id)
    composite = described["assetModelCompositeModels"][0]
    assert composite["name"] == "Overheat" and composite["type"] == "AWS/ALARM"
    assert composite["externalId"] == "overheat" and composite["description"] == "Too hot"
    alarm_type = composite["properties"][0]
    summary = described["assetModelCompositeModelSummaries"][0]
    assert summary["id"] == composite["id"]
    assert summary["path"] == [{"id": composite["id"], "name": "Overheat"}]

    base = sitewise.list_asset_model_properties(assetModelId=model_id)
    assert [p["name"] for p in base["assetModelPropertySummaries"]] == ["Temperature"]
    every = sitewise.list_asset_model_properties(assetModelId=model_id, filter="ALL")
    composite_property = every["assetModelPropertySummaries"][1]
    assert composite_property["id"] == alarm_type["id"]
    assert composite_property["assetModelCompositeModelId"] == composite["id"]


def test_list_asset_models_pages_and_filters_by_type(sitewise):
    names = [f"Model {n}" for n in range(5)]
    for name in names:
        make_model(sitewise, name)
    make_model(sitewise, "Component", assetModelType="COMPONENT_MODEL")

    first = sitewise.list_asset_models(maxResults=2)
    assert len(first["assetModelSummaries"]) == 2 and first["nextToken"]
    pages = sitewise.get_paginator("list_asset_models").paginate(PaginationConfig={"PageSize": 2})
    listed = [s["name"] for page in pages for s in page["assetModelSummaries"]]
    assert listed == [*names, "Component"]

    components = sitewise.list_asset_models(assetModelTypes=["COMPONENT_MODEL"])
    summary = components["assetModelSummaries"][0]
    assert [s["name"] for s in components["assetModelSummaries"]] == ["Component"]
    assert summary["assetModelType"] == "COMPONENT_MODEL"
    assert summary["status"] == {"state": "ACTIVE"} and summary["version"] == "1"

    forged = first["nextToken"][:-4] + "AAAA"
    failure = error_of(sitewise.list_asset_models, maxResults=2, nextToken=forged)
    assert failure["Error"]["Code"] == "InvalidRequestException"


def test_update_replaces_the_definition_and_keeps_ids_of_kept_members(sitewise):
    model_id = make_model(
        sitewise,
        "Pump",
        assetModelProperties=[
            attribute("Serial", externalId="serial"),
            measurement("RPM"),
            measurement("Old"),
        ],
    )
    before = sitewise.describe_asset_model(assetModelId=model_id)
    serial, rpm, _old = before["assetModelProperties"]
    answer = sitewise.update_asset_model(
        assetModelId=model_id,
        assetModelName="Pump",
        assetModelProperties=[
            {**attribute("Serial"), "externalId": "serial"},
            {**measurement("RPM"), "id": rpm["id"], "unit": "rpm"},
            measurement("New"),
        ],
    )
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert answer["assetModelStatus"]["state"] == "UPDATING"
    after = sitewise.describe_asset_model(assetModelId=model_id)
    assert after["assetModelStatus"]["state"] == "ACTIVE"
    names = {p["name"]: p for p in after["assetModelProperties"]}
    assert set(names) == {"Serial", "RPM", "New"}
    assert names["Serial"]["id"] == serial["id"] and names["RPM"]["id"] == rpm["id"]
    assert names["RPM"]["unit"] == "rpm"
    assert names["New"]["id"] not in {p["id"] for p in before["assetModelProperties"]}
    assert after["assetModelVersion"] == "2" and after["eTag"] != before["eTag"]


def test_update_cannot_change_a_property_data_type(sitewise):
    model_id = make_model(sitewise, "Pump", assetModelProperties=[measurement("RPM")])
    rpm = sitewise.describe_asset_model(assetModelId=model_id)["assetModelProperties"][0]
    failure = error_of(
        sitewise.update_asset_model,
        assetModelId=model_id,
        assetModelName="Pump",
        assetModelProperties=[{**measurement("RPM"), "id": rpm["id"], "dataType": "INTEGER"}],
    )
    assert failure["Error"]["Code"] == "InvalidRequestException"
    assert failure["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_update_with_a_stale_etag_fails_its_precondition(sitewise):
    model_id = make_model(sitewise, "Pump")
    etag = sitewise.describe_asset_model(assetModelId=model_id)["eTag"]
    sitewise.update_asset_model(assetModelId=model_id, assetModelName="Pump 2", ifMatch=etag)
    failure = error_of(
        sitewise.update_asset_model, assetModelId=model_id, assetModelName="Pump 3", ifMatch=etag
    )
    assert failure["Error"]["Code"] == "PreconditionFailedException"
    assert failure["resourceId"] == model_id
    assert sitewise.describe_asset_model(assetModelId=model_id)["assetModelName"] == "Pump 2"


def test_names_external_ids_and_chosen_ids_are_unique_per_account(sitewise, twinport):
    model_id = make_model(sitewise, "Pump", assetModelExternalId="pump")
    for clash in (
        {"assetModelName": "Pump"},
        {"assetModelName": "Other", "assetModelExternalId": "pump"},
        {"assetModelName": "Third", "assetModelId": model_id},
    ):
        failure = error_of(sitewise.create_asset_model, **clash)
        assert failure["Error"]["Code"] == "ResourceAlreadyExistsException"
        assert failure["ResponseMetadata"]["HTTPStatusCode"] == 409
        assert failure["resourceId"] == model_id
        assert failure["resourceArn"].endswith(f":asset-model/{model_id}")

    elsewhere = twinport.client("iotsitewise", account=twinport.new_account())
    assert error_of(elsewhere.describe_asset_model, assetModelId=model_id)["Error"]["Code"] == (
        "ResourceNotFoundException"
    )
    make_model(elsewhere, "Pump", assetModelExternalId="pump")


def test_definition_rules_breaches_are_invalid_requests(sitewise):
    two_kinds = {"name": "X", "dataType": "DOUBLE", "type": {"measurement": {}, "attribute": {}}}
    no_kind = {"name": "X", "dataType": "DOUBLE", "type": {}}
    for properties in (
        [two_kinds],
        [no_kind],
        [measurement("Same"), measurement("Same")],
        [measurement("A", externalId="dup"), measurement("B", externalId="dup")],
    ):
        failure = error_of(
            sitewise.create_asset_model, assetModelName="Bad", assetModelProperties=properties
        )
        assert failure["Error"]["Code"] == "InvalidRequestException"
    assert sitewise.list_asset_models()["assetModelSummaries"] == []


def test_a_hierarchy_needs_an_existing_child_model(sitewise):
    failure = error_of(
        sitewise.create_asset_model,
        assetModelName="Parent",
        assetModelHierarchies=[{"name": "Kids", "childAssetModelId": "externalId:nothing"}],
    )
    assert failure["Error"]["Code"] == "ResourceNotFoundException"
    assert failure["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_a_model_with_assets_cannot_be_deleted(sitewise):
    model_id = make_model(sitewise, "Pump")
    asset_id = sitewise.create_asset(assetName="P1", assetModelId=model_id)["assetId"]
    failure = error_of(sitewise.delete_asset_model, assetModelId=model_id)
    assert failure["Error"]["Code"] == "ConflictingOperationException"
    assert failure["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert failure["resourceId"] == model_id
    assert failure["resourceArn"].endswith(f":asset-model/{model_id}")

    sitewise.delete_asset(assetId=asset_id)
    answer = sitewise.delete_asset_model(assetModelId=model_id)
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert answer["assetModelStatus"]["state"] == "DELETING"
    sitewise.get_waiter("asset_model_not_exists").wait(
        assetModelId=model_id, WaiterConfig={"Delay": 1, "MaxAttempts": 5}
    )
    gone = error_of(sitewise.describe_asset_model, assetModelId=model_id)
    assert gone["Error"]["Code"] == "ResourceNotFoundException"


def test_a_model_used_by_another_model_cannot_be_deleted(sitewise):
    child = make_model(sitewise, "Child")
    make_model(
        sitewise, "Parent", assetModelHierarchies=[{"name": "K", "childAssetModelId": child}]
    )
    failure = error_of(sitewise.delete_asset_model, assetModelId=child)
    assert failure["Error"]["Code"] == "ConflictingOperationException"
    assert failure["resourceId"] == child


def test_assets_cannot_be_made_from_a_component_model(sitewise):
    component = make_model(sitewise, "Motor", assetModelType="COMPONENT_MODEL")
    failure = error_of(sitewise.create_asset, assetName="M", assetModelId=component)
    assert failure["Error"]["Code"] == "InvalidRequestException"


def test_the_same_client_token_gives_the_same_answer_once(sitewise):
    token = str(uuid.uuid4())
    first = sitewise.create_asset_model(assetModelName="Pump", clientToken=token)
    again = sitewise.create_asset_model(assetModelName="Pump", clientToken=token)
    assert again["assetModelId"] == first["assetModelId"]
    assert [s["id"] for s in sitewise.list_asset_models()["assetModelSummaries"]] == [
        first["assetModelId"]
    ]
    failure = error_of(sitewise.create_asset_model, assetModelName="Other", clientToken=token)
    assert failure["Error"]["Code"] == "InvalidRequestException"

    delete_token = str(uuid.uuid4())
    sitewise.delete_asset_model(assetModelId=first["assetModelId"], clientToken=delete_token)
    replay = sitewise.delete_asset_model(
        assetModelId=first["assetModelId"], clientToken=delete_token
    )
    assert replay["assetModelStatus"]["state"] == "DELETING"
