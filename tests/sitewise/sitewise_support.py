"""Builders and checks shared by the SiteWise API tests."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.sitewise_files import attribute


def error_of(call, *args, **kwargs) -> dict:
    """The error response of a call that must fail."""
    with pytest.raises(ClientError) as failure:
        call(*args, **kwargs)
    return failure.value.response


def make_model(client, name: str, **kwargs) -> str:
    return client.create_asset_model(assetModelName=name, **kwargs)["assetModelId"]


def make_tree(client) -> dict:
    """A plant model whose `lines` hierarchy holds line assets; one plant, two lines."""
    line_model = make_model(
        client, "Line", assetModelProperties=[attribute("Code", externalId="code")]
    )
    plant_model = make_model(
        client,
        "Plant",
        assetModelHierarchies=[
            {"name": "Lines", "externalId": "lines", "childAssetModelId": line_model}
        ],
    )
    hierarchy = client.describe_asset_model(assetModelId=plant_model)["assetModelHierarchies"][0]
    plant = client.create_asset(assetName="Plant 1", assetModelId=plant_model)["assetId"]
    lines = [
        client.create_asset(
            assetName=f"Line {n}", assetModelId=line_model, assetExternalId=f"line-{n}"
        )["assetId"]
        for n in (1, 2)
    ]
    return {
        "line_model": line_model,
        "plant_model": plant_model,
        "hierarchy": hierarchy["id"],
        "plant": plant,
        "lines": lines,
    }
