"""s3 → iotsitewise: import semantics, failures, validation, cancel and crash recovery."""

from __future__ import annotations

import uuid

import orjson
import pytest

from tests import sitewise_files
from tests.sitewise_files import LINE_1, LINE_MODEL, without
from tests.transfer.helpers import read_report, upload, wait_for
from tests.transfer.sitewise_plant import (
    asset_count,
    create_bucket,
    import_sitewise,
    imported,
    plant,
    progress,
)
from twinport.testing import TwinportServer

PUMP_MODEL_ID = "6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f"
PUMP_MODEL = {"assetModelId": PUMP_MODEL_ID, **sitewise_files.PUMP_MODEL}
PUMP_1_ID = "0d4c1a7e-9b55-4e8e-a1f2-3c4d5e6f7a8b"
# The pump names its model by id, the line its pump by external id.
PUMP_1 = {
    "assetId": PUMP_1_ID,
    **without(sitewise_files.PUMP_1, "assetModelExternalId"),
    "assetModelId": PUMP_MODEL_ID,
}
# Parents before children: the import reorders.
PLANT = {"assetModels": [LINE_MODEL, PUMP_MODEL], "assets": [LINE_1, PUMP_1]}


@pytest.fixture
def account(twinport):
    return twinport.new_account()


@pytest.fixture
def bucket(twinport, account):
    create_bucket(twinport, account, f"import-{account}")
    return f"import-{account}"


def test_import_creates_models_and_assets_in_dependency_order(twinport, account, bucket):
    job = imported(twinport, account, bucket, PLANT)
    assert job["status"] == {"state": "COMPLETED"}, job
    assert job["progress"] == progress(4)
    assert f"/{bucket}/metadata-transfer-reports/" in job["reportUrl"]

    sitewise = twinport.client("iotsitewise", account)
    pump_model = sitewise.describe_asset_model(assetModelId=PUMP_MODEL_ID)
    assert pump_model["assetModelExternalId"] == "pump-model"
    line_model = sitewise.describe_asset_model(assetModelId="externalId:line-model")
    uuid.UUID(line_model["assetModelId"])
    hierarchy = line_model["assetModelHierarchies"][0]
    assert (hierarchy["externalId"], hierarchy["childAssetModelId"]) == (
        "line-pumps",
        PUMP_MODEL_ID,
    )

    pump = sitewise.describe_asset(assetId=PUMP_1_ID)
    assert pump["assetExternalId"] == "pump-1"
    aliases = {p["name"]: p.get("alias") for p in pump["assetProperties"]}
    assert aliases == {"Serial": None, "RPM": "/plant/line1/pump1/rpm"}
    children = sitewise.list_associated_assets(
        assetId="externalId:line-1", hierarchyId=hierarchy["id"], traversalDirection="CHILD"
    )
    assert [a["id"] for a in children["assetSummaries"]] == [PUMP_1_ID]


def test_the_same_file_again_is_skipped_and_a_changed_one_replaces(twinport, account, bucket):
    imported(twinport, account, bucket, PLANT)
    again = imported(twinport, account, bucket, PLANT, key="again.json")
    assert again["status"] == {"state": "COMPLETED"}
    assert again["progress"] == progress(4, skipped=4)

    # rpm goes, and the pump's alias with it
    lean_pump_model = {
        **PUMP_MODEL,
        "assetModelProperties": PUMP_MODEL["assetModelProperties"][:1],
    }
    childless_line = without(LINE_1, "assetHierarchies")
    changed = {"assetModels": [lean_pump_model], "assets": [childless_line]}
    job = imported(twinport, account, bucket, changed, key="changed.json")
    assert job["progress"] == progress(2)
    sitewise = twinport.client("iotsitewise", account)
    model = sitewise.describe_asset_model(assetModelId=PUMP_MODEL_ID)
    assert [p["name"] for p in model["assetModelProperties"]] == ["Serial"]
    line = sitewise.describe_asset(assetId="externalId:line-1")
    children = sitewise.list_associated_assets(
        assetId=line["assetId"],
        hierarchyId=line["assetHierarchies"][0]["id"],
        traversalDirection="CHILD",
    )
    assert children["assetSummaries"] == []
    # Top-level resources are never deleted.
    assert sitewise.describe_asset(assetId=PUMP_1_ID)["assetName"] == "Pump 1"


def test_a_file_may_use_models_that_exist_already(twinport, account, bucket):
    imported(twinport, account, bucket, {"assetModels": [PUMP_MODEL]})
    pump_2 = {
        "assetExternalId": "pump-2",
        "assetName": "Pump 2",
        "assetModelExternalId": "pump-model",
    }
    job = imported(twinport, account, bucket, {"assets": [pump_2]}, key="assets.json")
    assert job["status"] == {"state": "COMPLETED"}, job
    sitewise = twinport.client("iotsitewise", account)
    assert sitewise.describe_asset(assetId="externalId:pump-2")["assetModelId"] == PUMP_MODEL_ID


def test_a_failed_resource_is_reported_and_what_needs_it_is_skipped(twinport, account, bucket):
    sitewise = twinport.client("iotsitewise", account)
    sitewise.create_asset_model(assetModelName="Pump")  # the file's pump model cannot be named so
    other = {"assetModelExternalId": "other-model", "assetModelName": "Other"}
    content = {"assetModels": [LINE_MODEL, PUMP_MODEL, other], "assets": [LINE_1, PUMP_1]}
    job = imported(twinport, account, bucket, content)

    assert job["status"]["state"] == "ERROR"
    assert job["status"]["error"]["code"] == "PROCESSING_ERROR"
    assert job["progress"] == progress(5, succeeded=1, skipped=3, failed=1)
    rows = [
        (e["resourceType"], e["resourceId"], e["errorCode"]) for e in read_report(job)["errors"]
    ]
    # The line model names the pump model by external id, the pump by id: both are skipped.
    assert rows == [
        ("AssetModel", PUMP_MODEL_ID, "ResourceAlreadyExistsException"),
        ("AssetModel", "externalId:line-model", "DEPENDENCY_FAILED"),
        ("Asset", PUMP_1_ID, "DEPENDENCY_FAILED"),
        ("Asset", "externalId:line-1", "DEPENDENCY_FAILED"),
    ]
    assert sitewise.describe_asset_model(assetModelId="externalId:other-model")["assetModelName"]
    assert asset_count(sitewise, [m["id"] for m in _models(sitewise)]) == 0


def _models(sitewise) -> list[dict]:
    return sitewise.list_asset_models()["assetModelSummaries"]


BAD_FILES = [
    pytest.param(
        {"assetModels": [PUMP_MODEL], "assets": [{**PUMP_1, "assetName": ""}]},
        "assets[0].assetName: length 0 is less than minimum 1",
        id="schema",
    ),
    pytest.param(
        {
            "assets": [
                {"assetExternalId": "pump-9", "assetName": "P", "assetModelExternalId": "ghost"}
            ]
        },
        "assets[0].assetModelExternalId: asset model 'externalId:ghost' is neither in the file"
        " nor in SiteWise",
        id="unknown-reference",
    ),
    pytest.param(
        {
            "assetModels": [PUMP_MODEL, LINE_MODEL],
            "assets": [
                LINE_1,
                {
                    **PUMP_1,
                    "assetHierarchies": [{"id": PUMP_1_ID, "childAssetExternalId": "line-1"}],
                },
            ],
        },
        f"assets[0]: assetHierarchies cycle 'externalId:line-1' -> '{PUMP_1_ID}'"
        " -> 'externalId:line-1'",
        id="cycle",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_file_fails_validation_and_writes_nothing(
    twinport, account, bucket, content, message
):
    job = imported(twinport, account, bucket, content)
    assert job["status"]["state"] == "ERROR"
    assert job["status"]["error"] == {"code": "VALIDATION_ERROR", "message": message}
    assert "progress" not in job
    report = read_report(job)
    assert [(e["resourceType"], e["errorMessage"]) for e in report["errors"]] == [
        ("Template", message)
    ]
    assert _models(twinport.client("iotsitewise", account)) == []


def flat_file(assets: int) -> dict:
    """One model and `assets` assets of it, none related."""
    model_id = str(uuid.uuid4())
    return {
        "assetModels": [{"assetModelId": model_id, "assetModelName": "Sensor"}],
        "assets": [
            {"assetId": str(uuid.uuid4()), "assetName": f"Sensor {n}", "assetModelId": model_id}
            for n in range(assets)
        ],
    }


def test_cancel_of_a_running_import_stops_its_writes(twinport, account, bucket):
    content = flat_file(60_000)
    source = upload(twinport, account, bucket, "big.json", content)
    job_id = import_sitewise(twinport, account, source)
    client = twinport.client("iottwinmaker", account)
    running = wait_for(twinport, account, job_id, states=("RUNNING",))
    while running["progress"]["succeededCount"] < 1000:
        running = client.get_metadata_transfer_job(metadataTransferJobId=job_id)
    response = client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)
    assert response["status"]["state"] in ("CANCELLING", "CANCELLED")
    cancelled = wait_for(twinport, account, job_id, states=("CANCELLED",), timeout=5)
    counts = cancelled["progress"]
    assert 1000 <= counts["succeededCount"] < 60_001
    assert counts["totalCount"] == 60_001
    sitewise = twinport.client("iotsitewise", account)
    model_id = content["assetModels"][0]["assetModelId"]
    # Every counted resource is there and nothing more: the model and its assets.
    assert asset_count(sitewise, [model_id]) == counts["succeededCount"] - 1
    assert client.get_metadata_transfer_job(metadataTransferJobId=job_id)["progress"] == counts
    with pytest.raises(client.exceptions.ConflictException):
        client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)


def test_kill_during_import_then_restart_completes_exactly(tmp_path):
    server = TwinportServer(tmp_path / "data")
    server.start()
    try:
        account = "123456789012"
        create_bucket(server, account, "crash-bucket")
        factory = plant(sites=2, lines_per_site=50, machines_per_line=200)
        total = len(factory.models) + len(factory.asset_ids)
        source = upload(server, account, "crash-bucket", "plant.json", factory.body())
        job_id = import_sitewise(server, account, source)
        client = server.client("iottwinmaker", account)
        running = wait_for(server, account, job_id, states=("RUNNING",))
        while running["progress"]["succeededCount"] < 3000:
            running = client.get_metadata_transfer_job(metadataTransferJobId=job_id)
        server.kill()
        server.start()
        done = wait_for(server, account, job_id, timeout=300)
        assert done["status"] == {"state": "COMPLETED"}, done
        assert done["progress"] == progress(total)
        sitewise = server.client("iotsitewise", account)
        assert asset_count(sitewise, list(factory.models.values())) == len(factory.asset_ids)
        for parent in factory.parents:
            hierarchy = factory.hierarchies["lines" if parent in factory.sites else "machines"]
            children = sitewise.list_associated_assets(
                assetId=parent, hierarchyId=hierarchy, traversalDirection="CHILD", maxResults=250
            )
            assert [a["id"] for a in children["assetSummaries"]] == factory.children[parent]
        report = read_report(done)
        assert report["errors"] == []
    finally:
        server.close()


def test_the_import_reads_the_file_as_it_was_when_the_job_was_created(twinport, account, bucket):
    source = upload(twinport, account, bucket, "in.json", PLANT)
    job_id = import_sitewise(twinport, account, source)
    wait_for(twinport, account, job_id, states=("PENDING", "RUNNING", "COMPLETED"))
    upload(twinport, account, bucket, "in.json", orjson.dumps({"assetModels": []}))
    assert wait_for(twinport, account, job_id)["progress"] == progress(4)
