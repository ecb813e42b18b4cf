"""iotsitewise → s3: exports that import back exactly, and the export filters."""

from __future__ import annotations

import orjson
import pytest

from tests.transfer.helpers import read_report
from tests.transfer.sitewise_plant import (
    create_bucket,
    exported,
    imported,
    plant,
    progress,
    stable,
)


def by_id(document: dict) -> tuple[dict, dict]:
    models = {m["assetModelId"]: m for m in document["assetModels"]}
    assets = {a["assetId"]: a for a in document["assets"]}
    return models, assets


def all_assets(client, model_id: str) -> list[dict]:
    pages = client.get_paginator("list_assets").paginate(assetModelId=model_id, maxResults=250)
    return sorted((a for page in pages for a in page["assetSummaries"]), key=lambda a: a["id"])


def test_a_plant_of_ten_thousand_assets_moves_to_another_account_exactly(twinport):
    source, target = twinport.new_account(), twinport.new_account()
    factory = plant(sites=2, lines_per_site=50, machines_per_line=100)
    resources = len(factory.models) + len(factory.asset_ids)
    assert len(factory.asset_ids) == 10_102
    create_bucket(twinport, source, f"plant-{source}")
    create_bucket(twinport, target, f"plant-{target}")

    job = imported(twinport, source, f"plant-{source}", factory.body())
    assert job["status"] == {"state": "COMPLETED"}
    assert job["progress"] == progress(resources)
    job, document = exported(twinport, source, f"plant-{source}")
    assert job["status"] == {"state": "COMPLETED"}
    assert job["progress"] == progress(resources)
    assert len(document["assetModels"]) == 4
    assert len(document["assets"]) == 10_102

    job = imported(twinport, target, f"plant-{target}", orjson.dumps(document))
    assert job["status"] == {"state": "COMPLETED"}, job
    assert job["progress"] == progress(resources)

    before, after = twinport.client("iotsitewise", source), twinport.client("iotsitewise", target)
    for model_id in factory.models.values():
        original = before.describe_asset_model(assetModelId=model_id)
        assert stable(after.describe_asset_model(assetModelId=model_id)) == stable(original)
        # Every asset, compared by its summary: 250 a call rather than 10,000 Describes.
        summaries = [all_assets(client, model_id) for client in (before, after)]
        assert stable(summaries[1]) == stable(summaries[0])
    assert sum(len(all_assets(after, m)) for m in factory.models.values()) == 10_102
    for asset_id in factory.asset_ids[::50]:  # and in full, properties included, for a sample
        original = before.describe_asset(assetId=asset_id)
        assert stable(after.describe_asset(assetId=asset_id)) == stable(original)
    for parent in factory.parents:
        hierarchy = factory.hierarchies["lines" if parent in factory.sites else "machines"]
        pages = [
            client.list_associated_assets(
                assetId=parent, hierarchyId=hierarchy, traversalDirection="CHILD", maxResults=250
            )
            for client in (before, after)
        ]
        assert stable(pages[1]["assetSummaries"]) == stable(pages[0]["assetSummaries"])
        assert [a["id"] for a in pages[1]["assetSummaries"]] == factory.children[parent]

    # What the API does not show (attribute values, tags) survives too.
    _, again = exported(twinport, target, f"plant-{target}")
    assert by_id(again) == by_id(document)


@pytest.fixture(scope="module")
def small_plant(twinport):
    """An account holding a small plant, which the filter tests only read."""
    account = twinport.new_account()
    factory = plant(sites=2, lines_per_site=2, machines_per_line=3)
    create_bucket(twinport, account, f"filters-{account}")
    job = imported(twinport, account, f"filters-{account}", factory.body())
    assert job["status"] == {"state": "COMPLETED"}
    return account, factory


def _line(p):
    return p.lines[0]


@pytest.mark.parametrize(
    ("filters", "models", "assets"),
    [
        pytest.param(None, {"site", "line", "machine", "motor"}, lambda p: p.asset_ids, id="none"),
        pytest.param(
            lambda p: [{"filterByAssetModel": {"assetModelId": p.models["line"]}}],
            {"line", "machine", "motor"},
            lambda p: [],
            id="model",
        ),
        pytest.param(
            lambda p: [
                {
                    "filterByAssetModel": {
                        "assetModelExternalId": "site-model",
                        "includeOffspring": True,
                    }
                }
            ],
            {"site", "line", "machine", "motor"},
            lambda p: [],
            id="model-offspring",
        ),
        pytest.param(
            lambda p: [
                {"filterByAssetModel": {"assetModelId": p.models["line"], "includeAssets": True}}
            ],
            {"line", "machine", "motor"},
            lambda p: p.lines,
            id="model-assets",
        ),
        pytest.param(
            lambda p: [{"filterByAsset": {"assetId": _line(p)}}],
            {"line", "machine", "motor"},
            lambda p: [_line(p)],
            id="asset",
        ),
        pytest.param(
            lambda p: [
                {"filterByAsset": {"assetExternalId": "line-0-0", "includeOffspring": True}}
            ],
            {"line", "machine", "motor"},
            lambda p: [_line(p), *p.children[_line(p)]],
            id="asset-offspring",
        ),
        pytest.param(
            lambda p: [{"filterByAsset": {"assetId": p.machines[4], "includeAssetModel": True}}],
            {"machine", "motor"},
            lambda p: [p.machines[4]],
            id="asset-model",
        ),
        pytest.param(
            lambda p: [
                {"filterByAsset": {"assetId": p.sites[1], "includeOffspring": True}},
                {"filterByAssetModel": {"assetModelExternalId": "motor-model"}},
            ],
            {"site", "line", "machine", "motor"},
            lambda p: [
                p.sites[1],
                *p.children[p.sites[1]],
                *(m for line in p.children[p.sites[1]] for m in p.children[line]),
            ],
            id="or-ed",
        ),
    ],
)
def test_filters_choose_what_is_exported_and_the_file_imports_on_its_own(
    twinport, small_plant, filters, models, assets
):
    account, factory = small_plant
    empty = twinport.new_account()
    create_bucket(twinport, empty, f"filters-{empty}")

    job, document = exported(
        twinport, account, f"filters-{account}", filters(factory) if filters else None
    )
    assert job["status"] == {"state": "COMPLETED"}, job
    model_ids, asset_ids = by_id(document)
    assert set(model_ids) == {factory.models[name] for name in models}
    assert sorted(asset_ids) == sorted(assets(factory))
    assert job["progress"] == progress(len(model_ids) + len(asset_ids))
    for asset in asset_ids.values():
        # A child is listed only when it is exported too.
        children = [h["childAssetId"] for h in asset.get("assetHierarchies", [])]
        assert children == [c for c in factory.children.get(asset["assetId"], []) if c in asset_ids]

    job = imported(twinport, empty, f"filters-{empty}", orjson.dumps(document))
    assert job["status"] == {"state": "COMPLETED"}, job
    assert job["progress"] == progress(len(model_ids) + len(asset_ids))
    assert by_id(exported(twinport, empty, f"filters-{empty}")[1]) == (model_ids, asset_ids)


def test_a_filter_naming_nothing_fails_validation(twinport):
    account = twinport.new_account()
    create_bucket(twinport, account, f"missing-{account}")
    job, _ = exported(
        twinport,
        account,
        f"missing-{account}",
        [
            {"filterByAssetModel": {"assetModelExternalId": "no-such-model"}},
            {"filterByAsset": {"assetId": "7c6e6b9e-6d5e-4b7e-9a43-2c0f6a1c9e11"}},
        ],
    )
    assert job["status"]["state"] == "ERROR"
    assert job["status"]["error"]["code"] == "VALIDATION_ERROR"
    messages = [e["errorMessage"] for e in read_report(job)["errors"]]
    assert messages == [
        "sources[0].iotSiteWiseConfiguration.filters[0].filterByAssetModel: asset model"
        " 'externalId:no-such-model' does not exist",
        "sources[0].iotSiteWiseConfiguration.filters[1].filterByAsset: asset"
        " '7c6e6b9e-6d5e-4b7e-9a43-2c0f6a1c9e11' does not exist",
    ]


def test_an_empty_account_exports_an_empty_file(twinport):
    account = twinport.new_account()
    create_bucket(twinport, account, f"empty-{account}")
    job, document = exported(twinport, account, f"empty-{account}")
    assert job["progress"] == progress(0)
    assert document == {"assetModels": [], "assets": []}
