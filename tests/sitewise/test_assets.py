"""Assets, their properties and their hierarchy through the SiteWise API."""

from __future__ import annotations

import uuid

from tests.sitewise.sitewise_support import error_of, make_model, make_tree
from tests.sitewise_files import attribute, measurement

FAST = {"Delay": 1, "MaxAttempts": 5}


def test_asset_lifecycle_with_waiters(sitewise):
    model_id = make_model(
        sitewise,
        "Pump",
        assetModelProperties=[attribute("Serial", externalId="serial"), measurement("RPM")],
    )
    created = sitewise.create_asset(
        assetName="Pump 1", assetModelId=model_id, assetDescription="first", tags={"site": "a"}
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["assetStatus"]["state"] == "CREATING"
    asset_id = created["assetId"]
    assert created["assetArn"].endswith(f":asset/{asset_id}")
    sitewise.get_waiter("asset_active").wait(assetId=asset_id, WaiterConfig=FAST)

    described = sitewise.describe_asset(assetId=asset_id)
    model = sitewise.describe_asset_model(assetModelId=model_id)
    assert described["assetStatus"] == {"state": "ACTIVE"}
    assert described["assetName"] == "Pump 1" and described["assetDescription"] == "first"
    assert described["assetModelId"] == model_id
    assert [p["id"] for p in described["assetProperties"]] == [
        p["id"] for p in model["assetModelProperties"]
    ]
    serial = described["assetProperties"][0]
    assert serial["externalId"] == "serial" and serial["dataType"] == "STRING"
    assert serial["notification"]["state"] == "DISABLED"

    updated = sitewise.update_asset(assetId=asset_id, assetName="Pump one")
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["assetStatus"]["state"] == "UPDATING"
    assert sitewise.describe_asset(assetId=asset_id)["assetName"] == "Pump one"

    deleted = sitewise.delete_asset(assetId=asset_id)
    assert deleted["assetStatus"]["state"] == "DELETING"
    sitewise.get_waiter("asset_not_exists").wait(assetId=asset_id, WaiterConfig=FAST)
    assert error_of(sitewise.describe_asset, assetId=asset_id)["Error"]["Code"] == (
        "ResourceNotFoundException"
    )


def test_external_ids_of_assets(sitewise):
    model_id = make_model(sitewise, "Pump", assetModelExternalId="pump")
    chosen = str(uuid.uuid4())
    sitewise.create_asset(assetName="P1", assetModelId="externalId:pump", assetId=chosen)
    assert sitewise.describe_asset(assetId=chosen)["assetModelId"] == model_id

    sitewise.update_asset(assetId=chosen, assetName="P1", assetExternalId="p1")
    assert sitewise.describe_asset(assetId="externalId:p1")["assetId"] == chosen
    change = error_of(sitewise.update_asset, assetId=chosen, assetName="P1", assetExternalId="p2")
    assert change["Error"]["Code"] == "InvalidRequestException"

    taken = error_of(
        sitewise.create_asset, assetName="P2", assetModelId=model_id, assetExternalId="p1"
    )
    assert taken["Error"]["Code"] == "ResourceAlreadyExistsException"
    assert taken["resourceId"] == chosen
    again = error_of(sitewise.create_asset, assetName="P3", assetModelId=model_id, assetId=chosen)
    assert again["Error"]["Code"] == "ResourceAlreadyExistsException"

    sitewise.delete_asset(assetId="externalId:p1")
    sitewise.get_waiter("asset_not_exists").wait(assetId=chosen, WaiterConfig=FAST)


def test_unknown_assets_and_models_are_not_found(sitewise):
    for call, kwargs in (
        (sitewise.describe_asset, {"assetId": str(uuid.uuid4())}),
        (sitewise.describe_asset, {"assetId": "externalId:nobody"}),
        (sitewise.create_asset, {"assetName": "X", "assetModelId": str(uuid.uuid4())}),
        (sitewise.delete_asset, {"assetId": str(uuid.uuid4())}),
    ):
        failure = error_of(call, **kwargs)
        assert failure["Error"]["Code"] == "ResourceNotFoundException"
        assert failure["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_associate_list_and_disassociate(sitewise):
    tree = make_tree(sitewise)
    plant, (line1, line2) = tree["plant"], tree["lines"]
    sitewise.associate_assets(assetId=plant, hierarchyId=tree["hierarchy"], childAssetId=line1)
    sitewise.associate_assets(
        assetId=plant, hierarchyId="externalId:lines", childAssetId="externalId:line-2"
    )

    children = sitewise.list_associated_assets(assetId=plant, hierarchyId=tree["hierarchy"])
    assert [s["id"] for s in children["assetSummaries"]] == [line1, line2]
    summary = children["assetSummaries"][0]
    assert summary["assetModelId"] == tree["line_model"] and summary["status"]["state"] == "ACTIVE"
    everything = sitewise.list_associated_assets(assetId=plant)
    assert [s["id"] for s in everything["assetSummaries"]] == [line1, line2]
    parent = sitewise.list_associated_assets(assetId=line1, traversalDirection="PARENT")
    assert [s["id"] for s in parent["assetSummaries"]] == [plant]
    assert parent["assetSummaries"][0]["hierarchies"][0]["id"] == tree["hierarchy"]

    pages = sitewise.get_paginator("list_associated_assets").paginate(
        assetId=plant, PaginationConfig={"PageSize": 1}
    )
    assert [s["id"] for page in pages for s in page["assetSummaries"]] == [line1, line2]

    sitewise.disassociate_assets(assetId=plant, hierarchyId=tree["hierarchy"], childAssetId=line1)
    left = sitewise.list_associated_assets(assetId=plant, hierarchyId=tree["hierarchy"])
    assert [s["id"] for s in left["assetSummaries"]] == [line2]
    orphan = sitewise.list_associated_assets(assetId=line1, traversalDirection="PARENT")
    assert orphan["assetSummaries"] == []


def test_association_rules(sitewise):
    tree = make_tree(sitewise)
    plant, (line1, line2) = tree["plant"], tree["lines"]
    hierarchy = tree["hierarchy"]
    other_plant = sitewise.create_asset(assetName="Plant 2", assetModelId=tree["plant_model"])
    other_plant = other_plant["assetId"]

    wrong_model = error_of(
        sitewise.associate_assets, assetId=plant, hierarchyId=hierarchy, childAssetId=other_plant
    )
    assert wrong_model["Error"]["Code"] == "InvalidRequestException"
    unknown_hierarchy = error_of(
        sitewise.associate_assets, assetId=plant, hierarchyId=str(uuid.uuid4()), childAssetId=line1
    )
    assert unknown_hierarchy["Error"]["Code"] == "InvalidRequestException"

    sitewise.associate_assets(assetId=plant, hierarchyId=hierarchy, childAssetId=line1)
    twice = error_of(
        sitewise.associate_assets, assetId=plant, hierarchyId=hierarchy, childAssetId=line1
    )
    assert twice["Error"]["Code"] == "ResourceAlreadyExistsException"
    assert twice["resourceId"] == line1
    second_parent = error_of(
        sitewise.associate_assets, assetId=other_plant, hierarchyId=hierarchy, childAssetId=line1
    )
    assert second_parent["Error"]["Code"] == "InvalidRequestException"
    not_associated = error_of(
        sitewise.disassociate_assets, assetId=plant, hierarchyId=hierarchy, childAssetId=line2
    )
    assert not_associated["Error"]["Code"] == "InvalidRequestException"


def test_associations_never_form_a_cycle(sitewise):
    area_model = make_model(sitewise, "Area", assetModelExternalId="area")
    sitewise.update_asset_model(
        assetModelId=area_model,
        assetModelName="Area",
        assetModelHierarchies=[
            {"name": "Sub-areas", "externalId": "sub", "childAssetModelId": area_model}
        ],
    )
    top, middle, bottom = (
        sitewise.create_asset(assetName=name, assetModelId=area_model)["assetId"]
        for name in ("Top", "Middle", "Bottom")
    )
    sitewise.associate_assets(assetId=top, hierarchyId="externalId:sub", childAssetId=middle)
    sitewise.associate_assets(assetId=middle, hierarchyId="externalId:sub", childAssetId=bottom)
    for parent, child in ((bottom, top), (bottom, bottom)):
        failure = error_of(
            sitewise.associate_assets,
            assetId=parent,
            hierarchyId="externalId:sub",
            childAssetId=child,
        )
        assert failure["Error"]["Code"] == "InvalidRequestException"

    path = sitewise.list_asset_relationships(assetId=bottom, traversalType="PATH_TO_ROOT")
    assert [r["hierarchyInfo"] for r in path["assetRelationshipSummaries"]] == [
        {"childAssetId": bottom, "parentAssetId": middle},
        {"childAssetId": middle, "parentAssetId": top},
        {"childAssetId": top},
    ]
    assert {r["relationshipType"] for r in path["assetRelationshipSummaries"]} == {"HIERARCHY"}


def test_associated_assets_cannot_be_deleted(sitewise):
    tree = make_tree(sitewise)
    plant, line = tree["plant"], tree["lines"][0]
    sitewise.associate_assets(assetId=plant, hierarchyId=tree["hierarchy"], childAssetId=line)
    for asset_id in (plant, line):
        failure = error_of(sitewise.delete_asset, assetId=asset_id)
        assert failure["Error"]["Code"] == "ConflictingOperationException"
        assert failure["ResponseMetadata"]["HTTPStatusCode"] == 409
        assert failure["resourceId"] == asset_id
        assert failure["resourceArn"].endswith(f":asset/{asset_id}")
    sitewise.disassociate_assets(assetId=plant, hierarchyId=tree["hierarchy"], childAssetId=line)
    sitewise.delete_asset(assetId=line)
    sitewise.delete_asset(assetId=plant)


def test_removing_a_hierarchy_from_the_model_disassociates_its_children(sitewise):
    tree = make_tree(sitewise)
    plant, line = tree["plant"], tree["lines"][0]
    sitewise.associate_assets(assetId=plant, hierarchyId=tree["hierarchy"], childAssetId=line)
    sitewise.update_asset_model(assetModelId=tree["plant_model"], assetModelName="Plant")
    assert sitewise.list_associated_assets(assetId=plant)["assetSummaries"] == []
    assert sitewise.describe_asset(assetId=plant)["assetHierarchies"] == []
    sitewise.delete_asset(assetId=line)


def test_list_assets_by_model_and_top_level(sitewise):
    tree = make_tree(sitewise)
    plant, (line1, line2) = tree["plant"], tree["lines"]
    missing_model = error_of(sitewise.list_assets)
    assert missing_model["Error"]["Code"] == "InvalidRequestException"
    unknown_model = error_of(sitewise.list_assets, assetModelId="externalId:nothing")
    assert unknown_model["Error"]["Code"] == "ResourceNotFoundException"

    pages = sitewise.get_paginator("list_assets").paginate(
        assetModelId=tree["line_model"], PaginationConfig={"PageSize": 1}
    )
    assert [s["id"] for page in pages for s in page["assetSummaries"]] == [line1, line2]

    sitewise.associate_assets(assetId=plant, hierarchyId=tree["hierarchy"], childAssetId=line1)
    roots = sitewise.list_assets(filter="TOP_LEVEL")
    assert [s["id"] for s in roots["assetSummaries"]] == [plant, line2]
    summary = roots["assetSummaries"][0]
    assert summary["name"] == "Plant 1" and summary["arn"].endswith(f":asset/{plant}")
    assert summary["hierarchies"] == [
        {"id": tree["hierarchy"], "externalId": "lines", "name": "Lines"}
    ]


def test_asset_property_settings(sitewise):
    model_id = make_model(
        sitewise,
        "Pump",
        assetModelProperties=[measurement("RPM", externalId="rpm", unit="rpm")],
        assetModelCompositeModels=[
            {"name": "Alarm", "type": "AWS/ALARM", "properties": [attribute("AWS/ALARM_TYPE")]}
        ],
    )
    asset_id = sitewise.create_asset(assetName="P1", assetModelId=model_id)["assetId"]
    rpm = sitewise.describe_asset_model(assetModelId=model_id)["assetModelProperties"][0]

    sitewise.update_asset_property(
        assetId=asset_id,
        propertyId="externalId:rpm",
        propertyAlias="/plant/p1/rpm",
        propertyNotificationState="ENABLED",
        propertyUnit="1/min",
    )
    described = sitewise.describe_asset_property(assetId=asset_id, propertyId=rpm["id"])
    prop = described["assetProperty"]
    assert described["assetName"] == "P1" and described["assetModelId"] == model_id
    assert prop["id"] == rpm["id"] and prop["alias"] == "/plant/p1/rpm"
    assert prop["unit"] == "1/min" and prop["type"] == {"measurement": {}}
    assert prop["notification"] == {
        "state": "ENABLED",
        "topic": f"$aws/sitewise/asset-models/{model_id}/assets/{asset_id}/properties/{rpm['id']}",
    }
    listed = sitewise.list_asset_properties(assetId=asset_id)["assetPropertySummaries"]
    assert [(p["id"], p["alias"]) for p in listed] == [(rpm["id"], "/plant/p1/rpm")]

    # Omitted settings go back to the model's: no alias, notifications off, the model's unit.
    sitewise.update_asset_property(assetId=asset_id, propertyId=rpm["id"])
    reset = sitewise.describe_asset_property(assetId=asset_id, propertyId=rpm["id"])
    assert "alias" not in reset["assetProperty"]
    assert reset["assetProperty"]["unit"] == "rpm"
    assert reset["assetProperty"]["notification"]["state"] == "DISABLED"

    every = sitewise.list_asset_properties(assetId=asset_id, filter="ALL")
    alarm_type = every["assetPropertySummaries"][1]
    composite = sitewise.describe_asset(assetId=asset_id)["assetCompositeModels"][0]
    assert alarm_type["assetCompositeModelId"] == composite["id"]
    in_composite = sitewise.describe_asset_property(assetId=asset_id, propertyId=alarm_type["id"])
    assert in_composite["compositeModel"]["name"] == "Alarm"
    assert in_composite["compositeModel"]["assetProperty"]["name"] == "AWS/ALARM_TYPE"

    unknown = error_of(
        sitewise.describe_asset_property, assetId=asset_id, propertyId=str(uuid.uuid4())
    )
    assert unknown["Error"]["Code"] == "ResourceNotFoundException"


def test_the_same_client_token_creates_one_asset(sitewise):
    model_id = make_model(sitewise, "Pump")
    token = str(uuid.uuid4())
    first = sitewise.create_asset(assetName="P1", assetModelId=model_id, clientToken=token)
    again = sitewise.create_asset(assetName="P1", assetModelId=model_id, clientToken=token)
    assert again["assetId"] == first["assetId"]
    listed = sitewise.list_assets(assetModelId=model_id)["assetSummaries"]
    assert [s["id"] for s in listed] == [first["assetId"]]
    other = error_of(
        sitewise.create_asset, assetName="P2", assetModelId=model_id, clientToken=token
    )
    assert other["Error"]["Code"] == "InvalidRequestException"


def test_accounts_and_regions_do_not_see_each_other(twinport):
    account = twinport.new_account()
    home = twinport.client("iotsitewise", account=account)
    model_id = make_model(home, "Pump")
    asset_id = home.create_asset(assetName="P1", assetModelId=model_id)["assetId"]
    for other in (
        twinport.client("iotsitewise", account=account, region="eu-west-1"),
        twinport.client("iotsitewise", account=twinport.new_account()),
    ):
        missing = error_of(other.describe_asset, assetId=asset_id)
        assert missing["Error"]["Code"] == "ResourceNotFoundException"
        assert other.list_asset_models()["assetModelSummaries"] == []
        make_model(other, "Pump")
