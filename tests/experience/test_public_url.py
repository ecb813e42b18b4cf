"""The URLs twinport returns name where the caller reaches it: `--public-url`, else the Host."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import urllib.request
from urllib.parse import urlsplit

import boto3
import orjson
import pytest
from botocore.config import Config

from tests.transfer.helpers import import_job, make_workspace, upload, wait_for
from twinport.testing import TwinportServer

PLANT = {"entities": [{"entityId": "line-1", "entityName": "Line 1"}]}
# A key of its own account, so that the test server's clients sign as `--auth verify` wants.
ACCOUNT = "210987654321"


def finished_import(server: TwinportServer, account: str) -> str:
    """The id of an import that ended and has its report."""
    bucket = f"bucket-{account}"
    workspace = make_workspace(server, account, "plant", bucket)
    source = upload(server, account, bucket, "plant.json", PLANT)
    job_id = import_job(server, account, source, workspace)
    assert wait_for(server, account, job_id)["status"]["state"] == "COMPLETED"
    return job_id


def report_url_seen_from(endpoint: str, account: str, job_id: str) -> str:
    client = boto3.client(
        "iottwinmaker",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=account,
        aws_secret_access_key="twinport",
        config=Config(inject_host_prefix=False),
    )
    return client.get_metadata_transfer_job(metadataTransferJobId=job_id)["reportUrl"]


def download(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return orjson.loads(response.read())


@pytest.fixture(scope="module")
def behind_proxy(tmp_path_factory):
    """A server that says it is reached at http://twinport.example:9999, checking signatures."""
    folder = tmp_path_factory.mktemp("public-url")
    credentials = folder / "credentials.json"
    credentials.write_bytes(orjson.dumps({ACCOUNT: {"secret": "twinport", "account": ACCOUNT}}))
    args = ("--public-url", "http://twinport.example:9999/")
    args += ("--auth", "verify", "--credentials-file", str(credentials))
    with TwinportServer(folder / "data", args=args) as server:
        yield server


def test_report_url_names_the_public_url(behind_proxy):
    job_id = finished_import(behind_proxy, ACCOUNT)
    url = report_url_seen_from(behind_proxy.url, ACCOUNT, job_id)
    assert url.startswith(f"http://twinport.example:9999/bucket-{ACCOUNT}/")
    # What a proxy at that name hands on: the signature holds for the host the URL names.
    parts = urlsplit(url)
    connection = http.client.HTTPConnection("127.0.0.1", behind_proxy.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}", headers={"Host": parts.netloc})
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    assert answer.status == 200, body
    assert orjson.loads(body)["metadataTransferJobId"] == job_id


def test_report_url_names_the_host_each_caller_used(twinport):
    account = twinport.new_account()
    job_id = finished_import(twinport, account)
    for endpoint in (f"http://localhost:{twinport.port}", twinport.url):
        url = report_url_seen_from(endpoint, account, job_id)
        assert url.startswith(f"{endpoint}/bucket-{account}/")
        assert download(url)["metadataTransferJobId"] == job_id


@pytest.mark.parametrize("url", ["twinport:4777", "ftp://twinport", "http://twinport/prefix"])
def test_serve_refuses_a_public_url_it_could_not_sign_for(tmp_path, url):
    refused = subprocess.run(
        [sys.executable, "-m", "twinport", "serve", "--public-url", url],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TWINPORT_DATA_DIR": str(tmp_path)},
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("twinport: --public-url must ")
    assert url in refused.stderr
