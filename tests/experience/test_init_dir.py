"""`twinport serve --init-dir`: scripts and bulk files applied once, at the first start."""

from __future__ import annotations

import json
import shutil
import time
import urllib.request

import orjson
import pytest

from tests.transfer.helpers import count_entities, entities_file
from twinport.testing import DEFAULT_ACCOUNT, TwinportServer

pytestmark = pytest.mark.skipif(shutil.which("aws") is None, reason="needs the AWS CLI")

WORKSPACE_SCRIPT = """set -e
aws s3api create-bucket --bucket plant-bucket
aws iottwinmaker create-workspace --workspace-id plant \\
    --s3-location arn:aws:s3:::plant-bucket --role arn:aws:iam::123456789012:role/twinmaker
echo "workspace ready"
"""
# boto3 finds the server from the environment alone.
PYTHON_SCRIPT = """import boto3
boto3.client("s3").put_object(Bucket="plant-bucket", Key="seeded-by-python", Body=b"yes")
"""
SITEWISE_FILE = {
    "assetModels": [
        {
            "assetModelExternalId": "motor",
            "assetModelName": "Motor",
            "assetModelProperties": [],
        }
    ]
}


@pytest.fixture
def init_dir(tmp_path):
    init = tmp_path / "init"
    (init / "plant").mkdir(parents=True)
    (init / "sitewise").mkdir()
    (init / "01-workspace.sh").write_text(WORKSPACE_SCRIPT)
    (init / "02-object.py").write_text(PYTHON_SCRIPT)
    (init / "plant" / "entities.json").write_bytes(orjson.dumps(entities_file(20)))
    (init / "sitewise" / "models.json").write_bytes(orjson.dumps(SITEWISE_FILE))
    return init


def record(server) -> dict:
    path = server.data_dir / "init.json"
    return json.loads(path.read_text()) if path.exists() else {}


def wait_for_log(server, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in server.log():
        assert time.monotonic() < deadline, f"no {text!r} in the log:\n{server.log()[-3000:]}"
        time.sleep(0.1)


def reset_default_account(server) -> None:
    url = f"{server.url}/_twinport/reset?account={DEFAULT_ACCOUNT}"
    urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=60).close()


def test_first_start_applies_the_directory_and_later_starts_do_not(init_dir, tmp_path):
    with TwinportServer(tmp_path / "data", args=("--init-dir", str(init_dir))) as server:
        wait_for_log(server, "later starts of this data directory skip it")
        twinmaker = server.client("iottwinmaker")
        workspace = twinmaker.get_workspace(workspaceId="plant")
        assert workspace["s3Location"] == "arn:aws:s3:::plant-bucket"  # the script's, not a seed's
        assert count_entities(twinmaker) == 20
        models = server.client("iotsitewise").list_asset_models()["assetModelSummaries"]
        assert [m["name"] for m in models] == ["Motor"]
        seeded = server.client("s3").get_object(Bucket="plant-bucket", Key="seeded-by-python")
        assert seeded["Body"].read() == b"yes"
        assert "01-workspace.sh: workspace ready" in server.log()
        assert record(server) == {
            "applied": [
                "01-workspace.sh",
                "02-object.py",
                "plant/entities.json",
                "sitewise/models.json",
            ],
            "complete": True,
        }

        reset_default_account(server)
        server.restart()

        wait_for_log(server, "this data directory was seeded at an earlier start")
        assert server.client("iottwinmaker").list_workspaces()["workspaceSummaries"] == []
        assert server.client("s3").list_buckets()["Buckets"] == []


def test_a_failed_file_stops_the_seed_and_is_applied_again_at_the_next_start(init_dir, tmp_path):
    (init_dir / "03-check.sh").write_text("echo 'no plant yet' >&2\nexit 3\n")
    with TwinportServer(tmp_path / "data", args=("--init-dir", str(init_dir))) as server:
        wait_for_log(server, "03-check.sh failed: exit status 3")
        assert "03-check.sh: no plant yet" in server.log()
        assert record(server) == {"applied": ["01-workspace.sh", "02-object.py"], "complete": False}
        # The server keeps serving, and the files after the failed one wait.
        assert server.client("iottwinmaker").list_entities(workspaceId="plant")[
            "entitySummaries"
        ] == ([])

        (init_dir / "03-check.sh").write_text("echo fixed\n")
        server.restart()

        wait_for_log(server, "later starts of this data directory skip it")
        # Re-running 01-workspace.sh would have failed: the workspace exists.
        assert record(server)["applied"] == [
            "01-workspace.sh",
            "02-object.py",
            "03-check.sh",
            "plant/entities.json",
            "sitewise/models.json",
        ]
        assert count_entities(server.client("iottwinmaker")) == 20


def test_bulk_files_of_a_missing_workspace_create_it(tmp_path):
    init = tmp_path / "init"
    (init / "line-1").mkdir(parents=True)
    (init / "line-1" / "entities.json").write_bytes(orjson.dumps(entities_file(4)))
    with TwinportServer(tmp_path / "data", env={"TWINPORT_INIT_DIR": str(init)}) as server:
        wait_for_log(server, "later starts of this data directory skip it")
        twinmaker = server.client("iottwinmaker")
        workspace = twinmaker.get_workspace(workspaceId="line-1")
        assert workspace["s3Location"] == f"arn:aws:s3:::twinport-init-{DEFAULT_ACCOUNT}"
        assert count_entities(twinmaker, "line-1") == 4
        jobs = twinmaker.list_metadata_transfer_jobs(
            sourceType="s3", destinationType="iottwinmaker"
        )["metadataTransferJobSummaries"]
        assert [job["status"]["state"] for job in jobs] == ["COMPLETED"]
