"""The world the fuzzer attacks, and the table `make stress` ends with."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from tests.robustness import summary
from tests.robustness.fuzz import TALLY, Fuzzer
from tests.sitewise.sitewise_support import make_tree
from tests.sitewise_files import attribute

STRESS = os.environ.get("TWINPORT_STRESS") == "1"
# The services the fuzzer mutates JSON bodies of (STS's form bodies have tests of their own).
FUZZED_SERVICES = ("iottwinmaker", "iotsitewise")


@dataclass
class World:
    account: str
    fuzzers: dict[str, Fuzzer]  # by service
    known: dict[str, list[str]]  # values that name existing resources, by input member name


@pytest.fixture
def world(twinport) -> World:
    """A fresh account with a workspace "plant" and a few resources of each service, so that
    some fuzzed requests succeed."""
    account = twinport.new_account()
    fuzzers = {name: Fuzzer(twinport.url, name, account) for name in FUZZED_SERVICES}
    twinmaker, sitewise = fuzzers["iottwinmaker"].client, fuzzers["iotsitewise"].client
    workspace_arn = twinmaker.create_workspace(
        workspaceId="plant",
        s3Location=f"arn:aws:s3:::fuzz-{account}",
        role=f"arn:aws:iam::{account}:role/twinmaker",
    )["arn"]
    type_id = "com.example.type"
    twinmaker.create_component_type(
        workspaceId="plant",
        componentTypeId=type_id,
        propertyDefinitions={"p": {"dataType": {"type": "STRING"}}},
    )
    twinmaker.create_entity(
        workspaceId="plant",
        entityId="e1",
        entityName="e1",
        components={"c": {"componentTypeId": type_id}},
    )
    scene_arn = twinmaker.create_scene(
        workspaceId="plant", sceneId="s1", contentLocation=f"s3://fuzz-{account}/scene.json"
    )["arn"]
    twinport.client("s3", account).create_bucket(Bucket=f"fuzz-{account}")
    job_id = twinmaker.create_metadata_transfer_job(
        sources=[
            {"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": workspace_arn}}
        ],
        destination={"type": "s3", "s3Configuration": {"location": f"arn:aws:s3:::fuzz-{account}"}},
    )["metadataTransferJobId"]
    sync_role = f"arn:aws:iam::{account}:role/sync"
    twinmaker.create_sync_job(workspaceId="plant", syncSource="SITEWISE", syncRole=sync_role)
    tree = make_tree(sitewise)
    model = sitewise.create_asset_model(
        assetModelName="Fuzzed", assetModelProperties=[attribute("Serial", externalId="serial")]
    )
    model_part = sitewise.create_asset_model_composite_model(
        assetModelId=model["assetModelId"],
        assetModelCompositeModelName="Part",
        assetModelCompositeModelType="CUSTOM",
    )["assetModelCompositeModelId"]
    properties = sitewise.describe_asset_model(assetModelId=model["assetModelId"])
    asset = sitewise.create_asset(assetName="Fuzzed 1", assetModelId=model["assetModelId"])
    described = sitewise.describe_asset(assetId=asset["assetId"])
    property_ids = [p["id"] for p in properties["assetModelProperties"]]
    alias = "/fuzz/serial"
    sitewise.update_asset_property(
        assetId=asset["assetId"], propertyId=property_ids[0], propertyAlias=alias
    )
    known = {
        "workspaceId": ["plant"],
        "workspace": [workspace_arn],
        "componentTypeId": [type_id, "com.amazon.iottwinmaker.parameters"],
        "entityId": ["e1", "$ROOT"],
        "parentEntityId": ["e1", "$ROOT"],
        "componentName": ["c"],
        "sceneId": ["s1"],
        "resourceARN": [workspace_arn, scene_arn],
        "resourceArn": [model["assetModelArn"], asset["assetArn"]],
        "assetModelId": [model["assetModelId"], tree["plant_model"], tree["line_model"]],
        "childAssetModelId": [tree["line_model"]],
        "assetId": [asset["assetId"], tree["plant"], *tree["lines"]],
        "childAssetId": tree["lines"],
        "hierarchyId": [tree["hierarchy"]],
        "propertyId": property_ids,
        "metadataTransferJobId": [job_id],
        "syncSource": ["SITEWISE"],
        "syncRole": [sync_role],
        "assetModelCompositeModelId": [model_part],
        "assetCompositeModelId": [c["id"] for c in described["assetCompositeModelSummaries"]],
        "alias": [alias],
    }
    return World(account, fuzzers, known)


def pytest_terminal_summary(terminalreporter) -> None:
    if STRESS and TALLY.counts:
        terminalreporter.section("fuzzed requests")
        for line in TALLY.table():
            terminalreporter.write_line(line)
    if STRESS and summary.FIGURES:
        terminalreporter.section("kills, load and hostile files (each figure held)")
        for line in summary.lines():
            terminalreporter.write_line(line)
