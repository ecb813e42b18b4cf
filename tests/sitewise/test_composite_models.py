"""Composite models through the SiteWise API, as boto3 sees them."""

from __future__ import annotations

import uuid

from tests.sitewise.sitewise_support import error_of, make_model
from tests.sitewise_files import attribute, measurement


def _create(sitewise, model_id: str, name: str, **kwargs) -> dict:
    return sitewise.create_asset_model_composite_model(
        assetModelId=model_id,
        assetModelCompositeModelName=name,
        assetModelCompositeModelType=kwargs.pop("assetModelCompositeModelType", "CUSTOM"),
        **kwargs,
    )


def test_inline_composite_model_create_describe_list_update_delete(sitewise):
    model_id = make_model(sitewise, "Pump", assetModelProperties=[attribute("Serial")])
    created = _create(
        sitewise,
        model_id,
        "Motor",
        assetModelCompositeModelExternalId="motor",
        assetModelCompositeModelDescription="The motor",
        assetModelCompositeModelProperties=[measurement("RPM", unit="rpm")],
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert created["assetModelStatus"] == {"state": "UPDATING"}
    composite_id = created["assetModelCompositeModelId"]
    assert created["assetModelCompositeModelPath"] == [{"id": composite_id, "name": "Motor"}]
    assert sitewise.describe_asset_model(assetModelId=model_id)["assetModelVersion"] == "2"

    described = sitewise.describe_asset_model_composite_model(
        assetModelId=model_id, assetModelCompositeModelId="externalId:motor"
    )
    assert described["assetModelCompositeModelId"] == composite_id
    assert described["assetModelCompositeModelName"] == "Motor"
    assert described["assetModelCompositeModelDescription"] == "The motor"
    assert described["assetModelCompositeModelType"] == "CUSTOM"
    assert described["assetModelCompositeModelSummaries"] == []
    assert "compositionDetails" not in described
    (rpm,) = described["assetModelCompositeModelProperties"]
    assert rpm["name"] == "RPM" and rpm["unit"] == "rpm"
    assert rpm["path"] == [{"id": composite_id, "name": "Motor"}, {"id": rpm["id"], "name": "RPM"}]

    listed = sitewise.list_asset_model_composite_models(assetModelId=model_id)
    assert [s["id"] for s in listed["assetModelCompositeModelSummaries"]] == [composite_id]
    assert listed["assetModelCompositeModelSummaries"][0]["externalId"] == "motor"

    updated = sitewise.update_asset_model_composite_model(
        assetModelId=model_id,
        assetModelCompositeModelId=composite_id,
        assetModelCompositeModelName="Drive",
        assetModelCompositeModelProperties=[
            measurement("RPM", id=rpm["id"], unit="1/min"),
            attribute("Maker"),
        ],
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert updated["assetModelCompositeModelPath"] == [{"id": composite_id, "name": "Drive"}]
    described = sitewise.describe_asset_model_composite_model(
        assetModelId=model_id, assetModelCompositeModelId=composite_id
    )
    # Replaced whole: the description is gone, the external id and the kept property's id stay.
    assert described["assetModelCompositeModelDescription"] == ""
    assert described["assetModelCompositeModelExternalId"] == "motor"
    properties = described["assetModelCompositeModelProperties"]
    assert [(p["name"], p.get("unit")) for p in properties] == [("RPM", "1/min"), ("Maker", None)]
    assert properties[0]["id"] == rpm["id"]
    model = sitewise.describe_asset_model(assetModelId=model_id)
    assert model["assetModelVersion"] == "3"
    assert [p["name"] for p in model["assetModelProperties"]] == ["Serial"]

    deleted = sitewise.delete_asset_model_composite_model(
        assetModelId=model_id, assetModelCompositeModelId=composite_id
    )
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert deleted["assetModelStatus"] == {"state": "UPDATING"}
    assert (
        sitewise.list_asset_model_composite_models(assetModelId=model_id)[
            "assetModelCompositeModelSummaries"
        ]
        == []
    )
    every = sitewise.list_asset_model_properties(assetModelId=model_id, filter="ALL")
    assert [p["name"] for p in every["assetModelPropertySummaries"]] == ["Serial"]
    error = error_of(
        sitewise.describe_asset_model_composite_model,
        assetModelId=model_id,
        assetModelCompositeModelId=composite_id,
    )
    assert error["Error"]["Code"] == "ResourceNotFoundException"


def test_caller_chosen_id_and_client_token(sitewise):
    model_id = make_model(sitewise, "Pump")
    composite_id = str(uuid.uuid4())
    request = {
        "assetModelCompositeModelId": composite_id,
        "assetModelCompositeModelProperties": [attribute("Code")],
        "clientToken": str(uuid.uuid4()),
    }
    first = _create(sitewise, model_id, "Plate", **request)
    again = _create(sitewise, model_id, "Plate", **request)
    assert first["assetModelCompositeModelId"] == again["assetModelCompositeModelId"]
    assert composite_id == first["assetModelCompositeModelId"]
    listed = sitewise.list_asset_model_composite_models(assetModelId=model_id)
    assert len(listed["assetModelCompositeModelSummaries"]) == 1
    assert sitewise.describe_asset_model(assetModelId=model_id)["assetModelVersion"] == "2"
    error = error_of(_create, sitewise, model_id, "Other", **request)
    assert error["Error"]["Code"] == "InvalidRequestException"


def test_nested_composite_models_and_their_deletion(sitewise):
    model_id = make_model(sitewise, "Pump")
    outer = _create(sitewise, model_id, "Outer")["assetModelCompositeModelId"]
    inner = _create(
        sitewise,
        model_id,
        "Inner",
        parentAssetModelCompositeModelId=outer,
        assetModelCompositeModelProperties=[attribute("Code")],
    )
    inner_id = inner["assetModelCompositeModelId"]
    assert inner["assetModelCompositeModelPath"] == [
        {"id": outer, "name": "Outer"},
        {"id": inner_id, "name": "Inner"},
    ]
    described = sitewise.describe_asset_model_composite_model(
        assetModelId=model_id, assetModelCompositeModelId=outer
    )
    assert [s["id"] for s in described["assetModelCompositeModelSummaries"]] == [inner_id]

    sitewise.delete_asset_model_composite_model(
        assetModelId=model_id, assetModelCompositeModelId=outer
    )
    listed = sitewise.list_asset_model_composite_models(assetModelId=model_id)
    assert listed["assetModelCompositeModelSummaries"] == []


def test_component_model_composition_relationships(sitewise):
    component = make_model(
        sitewise,
        "Bearing",
        assetModelType="COMPONENT_MODEL",
        assetModelProperties=[measurement("Temperature")],
    )
    users = [make_model(sitewise, name) for name in ("Pump", "Fan")]
    composites = [
        _create(sitewise, user, "Front bearing", composedAssetModelId=component)[
            "assetModelCompositeModelId"
        ]
        for user in users
    ]
    described = sitewise.describe_asset_model_composite_model(
        assetModelId=users[0], assetModelCompositeModelId=composites[0]
    )
    assert described["compositionDetails"] == {"compositionRelationship": [{"id": component}]}

    relationships = sitewise.list_composition_relationships(assetModelId=component)
    assert relationships["compositionRelationshipSummaries"] == [
        {
            "assetModelId": user,
            "assetModelCompositeModelId": composite,
            "assetModelCompositeModelType": "CUSTOM",
        }
        for user, composite in zip(users, composites, strict=True)
    ]
    paged = sitewise.list_composition_relationships(assetModelId=component, maxResults=1)
    assert len(paged["compositionRelationshipSummaries"]) == 1 and paged["nextToken"]
    assert (
        sitewise.list_composition_relationships(assetModelId=users[0])[
            "compositionRelationshipSummaries"
        ]
        == []
    )

    # Updating keeps the composed model; a component-based composite has no own properties.
    sitewise.update_asset_model_composite_model(
        assetModelId=users[0],
        assetModelCompositeModelId=composites[0],
        assetModelCompositeModelName="Rear bearing",
    )
    assert (
        len(
            sitewise.list_composition_relationships(assetModelId=component)[
                "compositionRelationshipSummaries"
            ]
        )
        == 2
    )
    error = error_of(
        sitewise.update_asset_model_composite_model,
        assetModelId=users[0],
        assetModelCompositeModelId=composites[0],
        assetModelCompositeModelName="Rear bearing",
        assetModelCompositeModelProperties=[attribute("Code")],
    )
    assert error["Error"]["Code"] == "InvalidRequestException"
    error = error_of(sitewise.delete_asset_model, assetModelId=component)
    assert error["Error"]["Code"] == "ConflictingOperationException"

    sitewise.delete_asset_model_composite_model(
        assetModelId=users[1], assetModelCompositeModelId=composites[1]
    )
    relationships = sitewise.list_composition_relationships(assetModelId=component)
    assert [r["assetModelId"] for r in relationships["compositionRelationshipSummaries"]] == [
        users[0]
    ]


def test_errors(sitewise):
    model_id = make_model(sitewise, "Pump")
    plain = make_model(sitewise, "Plain")
    composite_id = _create(sitewise, model_id, "Motor", assetModelCompositeModelExternalId="motor")[
        "assetModelCompositeModelId"
    ]
    unknown = str(uuid.uuid4())
    cases = [
        ("ResourceNotFoundException", _create, (sitewise, unknown, "Motor"), {}),
        (
            "ResourceNotFoundException",
            sitewise.describe_asset_model_composite_model,
            (),
            {"assetModelId": model_id, "assetModelCompositeModelId": unknown},
        ),
        (
            "ResourceNotFoundException",
            sitewise.update_asset_model_composite_model,
            (),
            {
                "assetModelId": model_id,
                "assetModelCompositeModelId": "externalId:nothing",
                "assetModelCompositeModelName": "X",
            },
        ),
        (
            "ResourceNotFoundException",
            sitewise.delete_asset_model_composite_model,
            (),
            {"assetModelId": model_id, "assetModelCompositeModelId": unknown},
        ),
        (
            "ResourceNotFoundException",
            sitewise.list_asset_model_composite_models,
            (),
            {"assetModelId": unknown},
        ),
        (
            "ResourceNotFoundException",
            sitewise.list_composition_relationships,
            (),
            {"assetModelId": unknown},
        ),
        (
            "ResourceNotFoundException",
            _create,
            (sitewise, model_id, "Inner"),
            {"parentAssetModelCompositeModelId": unknown},
        ),
        (
            "ResourceNotFoundException",
            _create,
            (sitewise, model_id, "Part"),
            {"composedAssetModelId": unknown},
        ),
        (
            "InvalidRequestException",
            _create,
            (sitewise, model_id, "Part"),
            {"composedAssetModelId": plain},
        ),
        ("ResourceAlreadyExistsException", _create, (sitewise, model_id, "Motor"), {}),
        (
            "ResourceAlreadyExistsException",
            _create,
            (sitewise, model_id, "Engine"),
            {"assetModelCompositeModelExternalId": "motor"},
        ),
        (
            "ResourceAlreadyExistsException",
            _create,
            (sitewise, model_id, "Engine"),
            {"assetModelCompositeModelId": composite_id},
        ),
        (
            "PreconditionFailedException",
            _create,
            (sitewise, model_id, "Engine"),
            {"ifMatch": "A" * 43},
        ),
    ]
    for code, call, args, kwargs in cases:
        assert error_of(call, *args, **kwargs)["Error"]["Code"] == code, (code, kwargs)

    _create(sitewise, model_id, "Engine")
    error = error_of(
        sitewise.update_asset_model_composite_model,
        assetModelId=model_id,
        assetModelCompositeModelId=composite_id,
        assetModelCompositeModelName="Engine",
    )
    assert error["Error"]["Code"] == "ResourceAlreadyExistsException"
    # Member names stay unique across the model, as UpdateAssetModel has them.
    error = error_of(
        _create,
        sitewise,
        model_id,
        "Gear",
        assetModelCompositeModelProperties=[attribute("A"), attribute("A")],
    )
    assert error["Error"]["Code"] == "InvalidRequestException"
    assert sitewise.describe_asset_model(assetModelId=model_id)["assetModelVersion"] == "3"


def test_describe_asset_composite_model(sitewise):
    model_id = make_model(sitewise, "Pump")
    composite_id = _create(
        sitewise,
        model_id,
        "Motor",
        assetModelCompositeModelExternalId="motor",
        assetModelCompositeModelProperties=[measurement("RPM", unit="rpm")],
    )["assetModelCompositeModelId"]
    _create(sitewise, model_id, "Winding", parentAssetModelCompositeModelId=composite_id)
    asset_id = sitewise.create_asset(assetName="Pump 1", assetModelId=model_id)["assetId"]
    rpm = sitewise.describe_asset(assetId=asset_id)["assetCompositeModels"][0]["properties"][0]
    sitewise.update_asset_property(assetId=asset_id, propertyId=rpm["id"], propertyAlias="/rpm")

    described = sitewise.describe_asset_composite_model(
        assetId=asset_id, assetCompositeModelId="externalId:motor"
    )
    assert described["assetId"] == asset_id
    assert described["assetCompositeModelId"] == composite_id
    assert described["assetCompositeModelName"] == "Motor"
    assert described["assetCompositeModelDescription"] == ""
    assert described["assetCompositeModelPath"] == [{"id": composite_id, "name": "Motor"}]
    (prop,) = described["assetCompositeModelProperties"]
    assert prop["id"] == rpm["id"] and prop["alias"] == "/rpm" and prop["unit"] == "rpm"
    assert prop["notification"]["state"] == "DISABLED"
    (winding,) = described["assetCompositeModelSummaries"]
    assert winding["name"] == "Winding" and winding["description"] == ""
    assert [p["name"] for p in winding["path"]] == ["Motor", "Winding"]

    for asset, composite in ((str(uuid.uuid4()), composite_id), (asset_id, str(uuid.uuid4()))):
        error = error_of(
            sitewise.describe_asset_composite_model,
            assetId=asset,
            assetCompositeModelId=composite,
        )
        assert error["Error"]["Code"] == "ResourceNotFoundException"

    # Deleting the composite model drops the asset's settings of its properties.
    sitewise.delete_asset_model_composite_model(
        assetModelId=model_id, assetModelCompositeModelId=composite_id
    )
    assert sitewise.describe_asset(assetId=asset_id)["assetCompositeModels"] == []
