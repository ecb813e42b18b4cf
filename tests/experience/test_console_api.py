"""The dashboard's JSON reads under /_twinport/, read with plain urllib as the page reads them."""

from __future__ import annotations

import functools
import urllib.error
import urllib.parse
import urllib.request

import boto3
import orjson
import pytest
from botocore.config import Config

from tests.sitewise.sitewise_support import make_tree
from tests.transfer.helpers import (
    BROKEN_ENTITIES,
    entities_file,
    import_job,
    make_workspace,
    upload,
    wait_for,
)
from twinport.testing import TwinportServer

REGION = "us-east-1"


def read(base_url: str, path: str, **params: object) -> dict:
    """The JSON answer of a read; AssertionError with the message if it is not a 200."""
    status, answer = answer_of(base_url, path, **params)
    assert status == 200, answer
    return answer


def answer_of(base_url: str, path: str, method: str = "GET", **params: object) -> tuple[int, dict]:
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
    request = urllib.request.Request(f"{base_url}/_twinport/{path}?{query}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.headers["content-type"] == "application/json"
            return response.status, orjson.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, orjson.loads(error.read())


def imported(twinport, account: str, document: dict, bucket: str = "files") -> dict:
    """The finished job of importing `document` into workspace `plant` (made here)."""
    workspace = make_workspace(twinport, account, "plant", bucket)
    source = upload(twinport, account, bucket, "plant.json", document)
    return wait_for(twinport, account, import_job(twinport, account, source, workspace))


def test_accounts_are_listed_with_the_regions_they_use(twinport):
    used, buckets_only = twinport.new_account(), twinport.new_account()
    make_workspace(twinport, used, "plant", "plant-files")
    twinport.client("iotsitewise", used, "eu-west-1").create_asset_model(assetModelName="Pump")
    twinport.client("s3", buckets_only).create_bucket(Bucket="only-files")

    listed = {a["accountId"]: a["regions"] for a in read(twinport.url, "accounts")["accounts"]}

    assert listed[used] == ["eu-west-1", REGION]
    assert listed[buckets_only] == []


def test_jobs_show_their_state_progress_and_the_errors_of_their_report(twinport):
    account = twinport.new_account()
    job = imported(twinport, account, BROKEN_ENTITIES)
    job_id = job["metadataTransferJobId"]

    (shown,) = read(twinport.url, "jobs", account=account, region=REGION)["jobs"]
    assert shown["jobId"] == job_id
    assert (shown["source"], shown["destination"]) == ("s3", "iottwinmaker")
    assert shown["status"]["state"] == "ERROR"
    assert shown["status"]["error"]["code"] == "PROCESSING_ERROR"
    assert shown["progress"] == job["progress"]
    assert shown["report"]["bucket"] == "files"

    report = read(twinport.url, "jobs/report", account=account, region=REGION, jobId=job_id)
    assert report["report"]["location"] == f"s3://files/{shown['report']['key']}"
    assert report["report"]["errorCount"] == 2
    errors = {e["resourceId"]: e["errorCode"] for e in report["report"]["errors"]}
    assert errors["e-b"] == "DEPENDENCY_FAILED" and "e-a" in errors

    assert read(twinport.url, "jobs", account=account, region="eu-west-1")["jobs"] == []
    status, missing = answer_of(
        twinport.url, "jobs/report", account=account, region=REGION, jobId="nope"
    )
    assert status == 404 and "nope" in missing["message"]


def test_the_entity_tree_is_read_one_level_and_one_page_at_a_time(twinport):
    account = twinport.new_account()
    imported(twinport, account, entities_file(5, width=2))  # e0 > e1, e2; e1 > e3, e4
    scope = {"account": account, "region": REGION}

    (workspace,) = read(twinport.url, "workspaces", **scope)["workspaces"]
    assert (workspace["workspaceId"], workspace["entityCount"]) == ("plant", 5)
    roots = read(twinport.url, "entities", workspaceId="plant", **scope)
    assert roots == {
        "entities": [{"entityId": "e0", "entityName": "entity 0", "hasChildren": True}],
        "next": None,
    }
    first = read(twinport.url, "entities", workspaceId="plant", parentId="e0", limit=1, **scope)
    assert [e["entityId"] for e in first["entities"]] == ["e1"] and first["next"] == "e1"
    rest = read(twinport.url, "entities", workspaceId="plant", parentId="e0", after="e1", **scope)
    assert rest == {
        "entities": [{"entityId": "e2", "entityName": "entity 2", "hasChildren": False}],
        "next": None,
    }
    status, missing = answer_of(twinport.url, "entities", workspaceId="nope", **scope)
    assert status == 404 and "nope" in missing["message"]


def test_the_asset_hierarchy_shows_models_roots_and_children_by_hierarchy(twinport):
    account = twinport.new_account()
    sitewise = twinport.client("iotsitewise", account)
    tree = make_tree(sitewise)
    for line in tree["lines"]:
        sitewise.associate_assets(
            assetId=tree["plant"], hierarchyId=tree["hierarchy"], childAssetId=line
        )
    scope = {"account": account, "region": REGION}

    models = {
        m["assetModelName"]: m for m in read(twinport.url, "asset-models", **scope)["assetModels"]
    }
    assert models["Plant"]["hierarchies"] == [
        {"id": tree["hierarchy"], "name": "Lines", "childAssetModelId": tree["line_model"]}
    ]
    roots = read(twinport.url, "assets", **scope)["assets"]
    assert [(a["assetName"], a["hasChildren"]) for a in roots] == [("Plant 1", True)]
    children = read(twinport.url, "assets", parentId=tree["plant"], **scope)["assets"]
    assert [(a["assetName"], a["hierarchyName"], a["hasChildren"]) for a in children] == [
        ("Line 1", "Lines", False),
        ("Line 2", "Lines", False),
    ]
    paged = read(twinport.url, "assets", parentId=tree["plant"], limit=1, **scope)
    after = read(twinport.url, "assets", parentId=tree["plant"], after=paged["next"], **scope)
    assert [a["assetName"] for a in after["assets"]] == ["Line 2"]


def test_buckets_list_the_latest_version_of_each_object_left(twinport):
    account = twinport.new_account()
    s3 = twinport.client("s3", account)
    s3.create_bucket(Bucket="kept")
    s3.put_bucket_versioning(Bucket="kept", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="kept", Key="a.json", Body=b"1")
    s3.put_object(Bucket="kept", Key="a.json", Body=b"123")
    s3.put_object(Bucket="kept", Key="b.json", Body=b"gone soon")
    s3.delete_object(Bucket="kept", Key="b.json")  # a delete marker is its latest version
    s3.put_object(Bucket="kept", Key="c.json", Body=b"12")

    assert [b["name"] for b in read(twinport.url, "buckets", account=account)["buckets"]] == [
        "kept"
    ]
    listed = read(twinport.url, "objects", account=account, bucket="kept")
    assert [(o["key"], o["size"]) for o in listed["objects"]] == [("a.json", 3), ("c.json", 2)]
    assert listed["objects"][0]["lastModified"].endswith("+00:00")
    first = read(twinport.url, "objects", account=account, bucket="kept", limit=1)
    assert first["next"] == "a.json"
    status, missing = answer_of(twinport.url, "objects", account=account, bucket="elsewhere")
    assert status == 404 and "elsewhere" in missing["message"]


@pytest.mark.parametrize(
    "path, params, status, fragment",
    [
        ("jobs", {"region": REGION}, 400, "account"),
        ("jobs", {"account": "123456789012", "region": REGION, "limit": "0"}, 400, "limit"),
        ("assets", {"account": "123456789012", "region": REGION, "after": "x"}, 400, "after"),
        ("ui/missing.js", {}, 404, "/_twinport/ui/missing.js"),
    ],
)
def test_bad_reads_are_refused_with_a_message(twinport, path, params, status, fragment):
    answered, answer = answer_of(twinport.url, path, **params)
    assert answered == status and fragment in answer["message"]


def test_the_reads_answer_get_only(twinport):
    status, answer = answer_of(twinport.url, "jobs", method="POST", account="1", region=REGION)
    assert status == 405 and "GET" in answer["message"]


def test_the_page_and_its_files_are_served_from_the_package(twinport):
    with urllib.request.urlopen(f"{twinport.url}/_twinport/ui") as response:
        page = response.read().decode()
        assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script src="/_twinport/ui/app.js"' in page
    for name, content_type in (("app.js", "text/javascript"), ("style.css", "text/css")):
        with urllib.request.urlopen(f"{twinport.url}/_twinport/ui/{name}") as response:
            assert response.headers["content-type"].startswith(content_type)
            assert response.read()


def test_with_signatures_verified_the_reads_answer_unsigned_and_read_reports(tmp_path):
    key, secret, account = "AKIDCONSOLEEXAMPLE", "console-secret", "333333333333"
    credentials = tmp_path / "credentials.json"
    credentials.write_bytes(orjson.dumps({key: {"secret": secret, "account": account}}))
    args = ("--auth", "verify", "--credentials-file", str(credentials))
    with TwinportServer(tmp_path / "data", args=args) as server:
        job = imported(SignedAs(server.url, key, secret), account, entities_file(3))
        report = read(
            server.url,
            "jobs/report",
            account=account,
            region=REGION,
            jobId=job["metadataTransferJobId"],
        )
    assert report["report"]["errorCount"] == 0


class SignedAs:
    """What the transfer helpers need of a server, its clients, signing with one key."""

    def __init__(self, url: str, key: str, secret: str):
        self.url, self._key, self._secret = url, key, secret

    @functools.cache  # noqa: B019 - a few clients, for the life of one test
    def client(self, service: str, account: str = "", region: str = REGION):
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=self._key,
            aws_secret_access_key=self._secret,
            config=Config(inject_host_prefix=False, s3={"addressing_style": "path"}),
        )
