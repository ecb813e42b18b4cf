"""iotsitewise → iottwinmaker: asset models become component types, assets become entities."""

from __future__ import annotations

import pytest

from tests.transfer.helpers import make_workspace, read_report
from tests.transfer.sitewise_plant import imported, plant, progress, to_twinmaker

TYPE_PREFIX = "iotsitewise.assetmodel:"


def sitewise_types(client) -> set[str]:
    summaries = client.list_component_types(workspaceId="plant", maxResults=200)
    return {
        s["componentTypeId"][len(TYPE_PREFIX) :]
        for s in summaries["componentTypeSummaries"]
        if s["componentTypeId"].startswith(TYPE_PREFIX)
    }


def all_entities(client, **filter_by) -> dict[str, dict]:
    """Entity summaries by id, optionally filtered (ListEntities takes one filter)."""
    found, token = {}, None
    filters = [filter_by] if filter_by else []
    while True:
        extra = {"nextToken": token} if token else {}
        page = client.list_entities(workspaceId="plant", maxResults=200, filters=filters, **extra)
        found.update((e["entityId"], e) for e in page["entitySummaries"])
        token = page.get("nextToken")
        if not token:
            return found


def entity_ids(client) -> set[str]:
    return set(all_entities(client))


def model_of(asset: dict, factory) -> str:
    return asset.get("assetModelId", factory.models["machine"])


@pytest.fixture
def account(twinport):
    return twinport.new_account()


@pytest.fixture
def workspace(twinport, account):
    return make_workspace(twinport, account, "plant", f"plant-{account}")


def test_a_plant_of_ten_thousand_assets_moves_into_a_workspace(twinport, account, workspace):
    factory = plant(sites=2, lines_per_site=50, machines_per_line=100)
    assert imported(twinport, account, f"plant-{account}", factory.body())["status"] == {
        "state": "COMPLETED"
    }
    job = to_twinmaker(twinport, account, workspace)
    assert job["status"] == {"state": "COMPLETED"}, job
    # Site, line and machine models; the motor is a component model, which has no type.
    assert job["progress"] == progress(3 + 10_102)
    # The report goes to the workspace's bucket.
    assert f"/plant-{account}/metadata-transfer-reports/" in job["reportUrl"]
    assert read_report(job)["progress"] == job["progress"]
    client = twinport.client("iottwinmaker", account)

    models = {m["assetModelId"]: m for m in factory.content["assetModels"]}
    assert sitewise_types(client) == {factory.models[n] for n in ("site", "line", "machine")}
    machine_type = client.get_component_type(
        workspaceId="plant", componentTypeId=TYPE_PREFIX + factory.models["machine"]
    )
    assert machine_type["componentTypeName"] == "Machine"
    definitions = machine_type["propertyDefinitions"]
    rpm = definitions[f"Property_{factory.properties['rpm']}"]
    assert (rpm["displayName"], rpm["dataType"]) == (
        "RPM",
        {"type": "DOUBLE", "unitOfMeasure": "rpm"},
    )
    assert rpm["isTimeSeries"] and rpm["isStoredExternally"]
    serial = definitions[f"Property_{factory.properties['serial']}"]
    assert (serial["displayName"], serial["isTimeSeries"]) == ("Serial", False)
    assert sorted(d["displayName"] for d in definitions.values()) == ["Hertz", "RPM", "Serial"]
    line_type = client.get_component_type(
        workspaceId="plant", componentTypeId=TYPE_PREFIX + factory.models["line"]
    )
    machines = line_type["propertyDefinitions"][f"Hierarchy_{factory.hierarchies['machines']}"]
    assert machines["displayName"] == "Machines"
    assert machines["dataType"] == {"type": "LIST", "nestedType": {"type": "RELATIONSHIP"}}
    assert line_type["description"] == models[factory.models["line"]]["assetModelDescription"]

    parent_of = {c: p for p, children in factory.children.items() for c in children}
    assets = {a["assetId"]: a for a in factory.content["assets"]}
    # Every entity by its summary (200 a call), then in full for every parent and a sample.
    summaries = all_entities(client)
    assert set(summaries) == set(factory.asset_ids)
    for asset_id, summary in summaries.items():
        asset = assets[asset_id]
        assert summary["entityName"] == asset["assetName"]
        assert summary.get("description") == asset.get("assetDescription")
        assert summary["parentEntityId"] == parent_of.get(asset_id, "$ROOT")
    for name in ("site", "line", "machine"):
        of_model = [
            a for a in factory.asset_ids if model_of(assets[a], factory) == factory.models[name]
        ]
        assert all_entities(client, componentTypeId=TYPE_PREFIX + factory.models[name]).keys() == (
            set(of_model)
        )
    for asset_id in [*factory.parents, *factory.machines[::50]]:
        entity = client.get_entity(workspaceId="plant", entityId=asset_id)
        asset = assets[asset_id]
        model_id = model_of(asset, factory)
        assert list(entity["components"]) == ["sitewiseBase"]
        base = entity["components"]["sitewiseBase"]
        assert base["componentTypeId"] == TYPE_PREFIX + model_id
        for hierarchy in models[model_id].get("assetModelHierarchies", []):
            value = base["properties"][f"Hierarchy_{hierarchy['id']}"]["value"]
            targets = [v["relationshipValue"] for v in value["listValue"]]
            assert [t["targetEntityId"] for t in targets] == factory.children[asset_id]
            assert {t["targetComponentName"] for t in targets} == {"sitewiseBase"}
        if model_id == factory.models["machine"]:
            rpm = base["properties"][f"Property_{factory.properties['rpm']}"]["definition"]
            assert rpm["configuration"] == {"alias": asset["assetProperties"][1]["alias"]}

    again = to_twinmaker(twinport, account, workspace)
    assert again["progress"] == progress(3 + 10_102, skipped=3 + 10_102)


SMALL = {"sites": 2, "lines_per_site": 2, "machines_per_line": 3}


@pytest.mark.parametrize(
    ("filters", "types", "entities"),
    [
        pytest.param(
            lambda p: [{"filterByAsset": {"assetId": p.machines[4]}}],
            {"site", "line", "machine"},
            lambda p: {p.machines[4], p.lines[1], p.sites[0]},
            id="asset-with-its-ancestors",
        ),
        pytest.param(
            lambda p: [{"filterByAssetModel": {"assetModelId": p.models["line"]}}],
            {"line"},
            lambda p: set(),
            id="model",
        ),
        pytest.param(
            lambda p: [
                {"filterByAssetModel": {"assetModelId": p.models["line"], "includeAssets": True}}
            ],
            {"site", "line"},
            lambda p: {*p.lines, *p.sites},
            id="model-assets",
        ),
        pytest.param(
            lambda p: [
                {"filterByAssetModel": {"assetModelId": p.models["site"], "includeOffspring": True}}
            ],
            {"site", "line", "machine"},
            lambda p: set(),
            id="model-offspring",
        ),
        pytest.param(
            lambda p: [
                {"filterByAsset": {"assetExternalId": "line-1-0", "includeOffspring": True}}
            ],
            {"site", "line", "machine"},
            lambda p: {p.lines[2], *p.children[p.lines[2]], p.sites[1]},
            id="asset-offspring",
        ),
    ],
)
def test_filters_choose_what_moves_with_what_it_needs(
    twinport, account, workspace, filters, types, entities
):
    factory = plant(**SMALL)
    imported(twinport, account, f"plant-{account}", factory.body())
    job = to_twinmaker(twinport, account, workspace, filters(factory))
    assert job["status"] == {"state": "COMPLETED"}, job
    client = twinport.client("iottwinmaker", account)
    assert sitewise_types(client) == {factory.models[name] for name in types}
    assert entity_ids(client) == entities(factory)
    assert job["progress"] == progress(len(types) + len(entities(factory)))
    for entity_id in entities(factory):
        entity = client.get_entity(workspaceId="plant", entityId=entity_id)
        # Relationships name every SiteWise child, moved or not.
        for prop in entity["components"]["sitewiseBase"]["properties"].values():
            if "listValue" in (prop.get("value") or {}):
                targets = [
                    v["relationshipValue"]["targetEntityId"] for v in prop["value"]["listValue"]
                ]
                assert targets == factory.children[entity_id]
