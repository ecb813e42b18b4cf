"""A job resumed after a crash counts every resource once, whatever point the crash hit."""

from __future__ import annotations

import time

import pytest

from tests.engine.held_s3 import HeldS3
from tests.engine.test_engine import OWN_ACCOUNT, start_import
from tests.transfer.helpers import count_entities, running_with_progress, wait_for
from twinport.testing import TwinportServer


def _twinmaker_export(server: TwinportServer, account: str, bucket: str) -> tuple[dict, int]:
    """Three entities to export, and the export's source: everything in the workspace."""
    twinmaker = server.client("iottwinmaker", account)
    twinmaker.create_workspace(
        workspaceId="plant",
        s3Location=f"arn:aws:s3:::{bucket}",
        role=f"arn:aws:iam::{account}:role/twinmaker",
    )
    workspace = f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/plant"
    for name in ("line", "pump", "valve"):
        twinmaker.create_entity(workspaceId="plant", entityId=name, entityName=name)
    source = {"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": workspace}}
    return source, 3


def _sitewise_export(server: TwinportServer, account: str, bucket: str) -> tuple[dict, int]:
    """One asset model and two assets made from it."""
    sitewise = server.client("iotsitewise", account)
    model = sitewise.create_asset_model(assetModelName="pump")["assetModelId"]
    for name in ("pump-1", "pump-2"):
        sitewise.create_asset(assetName=name, assetModelId=model)
    return {"type": "iotsitewise"}, 3


@pytest.mark.parametrize("prepare", [_twinmaker_export, _sitewise_export])
def test_export_killed_after_counting_resumes_without_counting_again(
    twinport, tmp_path, monkeypatch, prepare
):
    # The server under test keeps its objects on the shared server, through an S3 endpoint
    # that holds the export's report: the job is then caught between counting and its end.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    account = twinport.new_account()
    bucket = f"resume-{account}"
    twinport.client("s3", account).create_bucket(Bucket=bucket)
    with HeldS3(twinport.url, held_suffix="-report.json") as s3:
        server = TwinportServer(tmp_path / "data", args=("--s3-endpoint-url", s3.url))
        with server:
            source, count = prepare(server, account, bucket)
            s3.holding.set()
            job_id = server.client("iottwinmaker", account).create_metadata_transfer_job(
                sources=[source],
                destination={
                    "type": "s3",
                    "s3Configuration": {"location": f"arn:aws:s3:::{bucket}/exports"},
                },
            )["metadataTransferJobId"]
            assert s3.held.wait(60), "the export never wrote its report"
            counted = wait_for(server, account, job_id, states=("RUNNING",))
            assert counted["progress"]["succeededCount"] == count
            server.kill()
            s3.holding.clear()
            server.start()
            done = wait_for(server, account, job_id)
    assert done["status"]["state"] == "COMPLETED", done
    assert done["progress"] == {
        "totalCount": count,
        "succeededCount": count,
        "skippedCount": 0,
        "failedCount": 0,
    }
    exported = twinport.client("s3", account).get_object(
        Bucket=bucket, Key=f"exports/{job_id}.json"
    )
    assert exported["ContentLength"] > 0


def test_kill_while_validating_then_restart_completes_exactly(tmp_path):
    with TwinportServer(tmp_path / "data") as server:
        job_id = start_import(server, "validating-crash", 60_000)
        copies = server.data_dir / "jobs"
        deadline = time.monotonic() + 60
        while not list(copies.glob("*/scratch/source.json")):  # copied whole, now being checked
            assert time.monotonic() < deadline, "the source was never copied"
            time.sleep(0.01)
        # Without its copy the validation could not go on after the kill: the object is gone.
        server.client("s3", OWN_ACCOUNT).delete_object(Bucket="validating-crash", Key="big.json")
        server.kill()
        server.start()
        done = wait_for(server, OWN_ACCOUNT, job_id, timeout=300)
        assert done["status"]["state"] == "COMPLETED", done
        assert done["progress"]["succeededCount"] == done["progress"]["totalCount"] == 60_001
        assert count_entities(server.client("iottwinmaker", OWN_ACCOUNT)) == 60_000


def test_a_validated_import_keeps_its_staged_items_but_not_the_sources_copy(tmp_path):
    with TwinportServer(tmp_path / "data") as server:
        job_id = start_import(server, "scratch-bucket", 60_000)
        running_with_progress(server, OWN_ACCOUNT, job_id, at_least=1000)
        (workdir,) = (server.data_dir / "jobs").iterdir()
        assert (workdir / "staged.jsonl").exists()
        assert not (workdir / "scratch").exists(), "the source's copy outlived the validation"
