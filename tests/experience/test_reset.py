"""POST /_twinport/reset: one account's resources, jobs, buckets and objects go, or everyone's."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from email.message import Message

import pytest
from botocore.exceptions import ClientError

from tests.transfer.helpers import (
    count_entities,
    entities_file,
    import_job,
    make_workspace,
    running_with_progress,
    upload,
    wait_for,
)
from twinport.testing import TwinportServer

MODEL = {"assetModelName": "Motor", "assetModelProperties": []}


def reset(server, query: str = "", method: str = "POST") -> tuple[int, dict, Message]:
    """(status, JSON body, headers) of a call to the reset path."""
    url = f"{server.url}/_twinport/reset{query}"
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def populate(server, account: str, bucket: str) -> None:
    """A workspace whose bucket holds objects, an asset model, and a completed import job."""
    workspace = make_workspace(server, account, "plant", bucket)
    upload(server, account, bucket, "notes/a.txt", b"a")
    upload(server, account, bucket, "notes/b.txt", b"b")
    small = upload(server, account, bucket, "small.json", entities_file(5))
    assert wait_for(server, account, import_job(server, account, small, workspace))["status"][
        "state"
    ] == ("COMPLETED")
    server.client("iotsitewise", account).create_asset_model(**MODEL)


def assert_empty(server, account: str) -> None:
    twinmaker = server.client("iottwinmaker", account)
    assert twinmaker.list_workspaces()["workspaceSummaries"] == []
    assert twinmaker.list_metadata_transfer_jobs(sourceType="s3", destinationType="iottwinmaker")[
        "metadataTransferJobSummaries"
    ] == ([])
    assert server.client("iotsitewise", account).list_asset_models()["assetModelSummaries"] == []
    assert server.client("s3", account).list_buckets()["Buckets"] == []


def assert_populated(server, account: str, bucket: str) -> None:
    twinmaker = server.client("iottwinmaker", account)
    assert [w["workspaceId"] for w in twinmaker.list_workspaces()["workspaceSummaries"]] == [
        "plant"
    ]
    assert count_entities(twinmaker) == 5
    models = server.client("iotsitewise", account).list_asset_models()["assetModelSummaries"]
    assert [m["name"] for m in models] == ["Motor"]
    keys = server.client("s3", account).list_objects_v2(Bucket=bucket)["Contents"]
    assert {"notes/a.txt", "notes/b.txt", "small.json"} <= {o["Key"] for o in keys}


@pytest.fixture(scope="module")
def server():
    # Its own server: resetting every account must not touch other tests' resources.
    with TwinportServer() as own:
        yield own


def test_reset_of_one_account_leaves_others_and_stops_its_running_job(server):
    gone, kept = server.new_account(), server.new_account()
    populate(server, gone, "plant-bucket")
    populate(server, kept, "plant-bucket")
    workspace = f"arn:aws:iottwinmaker:us-east-1:{gone}:workspace/plant"
    big = upload(server, gone, "plant-bucket", "big.json", entities_file(100_000))
    running = import_job(server, gone, big, workspace)
    running_with_progress(server, gone, running, at_least=1000)

    status, body, _ = reset(server, f"?account={gone}")

    assert status == 200
    assert body["account"] == gone
    removed = body["removed"]
    assert removed["workspaces"] == 1
    assert removed["componentTypes"] == 1
    assert removed["entities"] >= 1005
    assert removed["assetModels"] == 1
    assert removed["metadataTransferJobs"] == 2
    assert removed["buckets"] == 1
    assert removed["objects"] == 5  # notes/a.txt, notes/b.txt, small.json, its report, big.json
    assert_empty(server, gone)
    twinmaker = server.client("iottwinmaker", gone)
    with pytest.raises(ClientError) as missing:
        twinmaker.get_metadata_transfer_job(metadataTransferJobId=running)
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert_populated(server, kept, "plant-bucket")

    # The same names work again at once, and the stopped job writes nothing into them.
    workspace = make_workspace(server, gone, "plant", "plant-bucket")
    time.sleep(1)
    assert count_entities(twinmaker) == 0
    assert server.client("s3", gone).list_objects_v2(Bucket="plant-bucket")["KeyCount"] == 0
    small = upload(server, gone, "plant-bucket", "small.json", entities_file(3))
    job = wait_for(server, gone, import_job(server, gone, small, workspace))
    assert job["status"]["state"] == "COMPLETED"
    assert count_entities(twinmaker) == 3
    assert list((server.data_dir / "jobs").iterdir()) == []
    assert "Traceback" not in server.log()


def test_reset_of_every_account_lasts_across_a_restart(server):
    first, second = server.new_account(), server.new_account()
    populate(server, first, "first-bucket")
    populate(server, second, "second-bucket")

    status, body, _ = reset(server)

    assert status == 200
    assert body["account"] is None
    assert body["removed"]["workspaces"] >= 2
    assert body["removed"]["buckets"] >= 2
    assert_empty(server, first)
    assert_empty(server, second)
    server.restart()
    assert_empty(server, first)
    assert_empty(server, second)
    populate(server, first, "first-bucket")
    assert_populated(server, first, "first-bucket")


def test_reset_of_an_account_without_resources_removes_nothing(twinport):
    status, body, _ = reset(twinport, f"?account={twinport.new_account()}")
    assert status == 200
    assert set(body["removed"].values()) == {0}


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_reset_takes_post_only(twinport, method):
    status, body, headers = reset(twinport, method=method)
    assert status == 405
    assert body == {"message": "/_twinport/reset takes POST only"}
    assert headers["Allow"] == "POST"


@pytest.mark.parametrize("query", ["?account=123", "?account=", "?acount=123456789012"])
def test_reset_refuses_a_query_it_does_not_take(twinport, query):
    status, body, _ = reset(twinport, query)
    assert status == 400
    assert "account=<12 digits>" in body["message"]


def test_reset_is_refused_when_callers_are_told_apart(tmp_path):
    credentials = tmp_path / "credentials.json"
    account = "111122223333"
    credentials.write_text(json.dumps({"AKTEAM": {"secret": "s", "account": account}}))
    args = ("--auth", "verify", "--credentials-file", str(credentials))
    with TwinportServer(tmp_path / "data", args=args) as verified:
        status, body, _ = reset(verified, f"?account={account}")
    assert status == 403
    assert "--auth verify" in body["message"]
