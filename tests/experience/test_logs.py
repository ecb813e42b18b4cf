"""`twinport serve` logs each request and each job state change on stderr, as text or JSON."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import orjson
import pytest

from tests.transfer.helpers import make_workspace, upload, wait_for
from twinport.config import Settings
from twinport.testing import TwinportServer

PLANT = {
    "entities": [
        {"entityId": "line-1", "entityName": "Line 1"},
        {"entityId": "pump-1", "entityName": "Pump 1", "parentEntityId": "line-1"},
    ]
}
_STAMP = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"


def _server(tmp_path, args: tuple[str, ...] = (), env: dict[str, str] | None = None):
    return TwinportServer(tmp_path / "data", args=args, env=env)


def run_import(server: TwinportServer, document: dict | bytes) -> tuple[str, str, dict]:
    """An import of `document` to its end: (account, job id, Create's answer)."""
    account = server.new_account()
    workspace = make_workspace(server, account, "plant", f"bucket-{account}")
    source = upload(server, account, f"bucket-{account}", "plant.json", document)
    created = server.client("iottwinmaker", account).create_metadata_transfer_job(
        sources=[{"type": "s3", "s3Configuration": {"location": source}}],
        destination={"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": workspace}},
    )
    job_id = created["metadataTransferJobId"]
    wait_for(server, account, job_id)
    return account, job_id, created


def logged(server: TwinportServer, done: Callable[[str], bool]) -> str:
    """The server's log once `done` holds for it: a request's line follows its answer."""
    deadline = time.monotonic() + 10
    while not done(text := server.log()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return text


@pytest.fixture(scope="module")
def text_server(tmp_path_factory) -> Iterator[TwinportServer]:
    with _server(tmp_path_factory.mktemp("text")) as server:
        yield server


def test_text_log_has_a_line_per_request_with_its_caller_and_outcome(text_server):
    account, job_id, created = run_import(text_server, PLANT)
    request_id = created["ResponseMetadata"]["RequestId"]
    log = logged(text_server, lambda text: request_id in text)
    line = re.compile(
        rf"^{_STAMP} INFO twinport\.access POST /metadata-transfer-jobs service=iottwinmaker"
        rf" operation=CreateMetadataTransferJob account={account} region=us-east-1 status=200"
        rf" [\d.]+ms id={request_id}$",
        re.MULTILINE,
    )
    assert line.search(log), log[-3000:]
    upload_line = rf" PUT /bucket-{account}/plant\.json service=s3 operation=- account={account} "
    assert re.search(upload_line + r"region=us-east-1 status=200 ", log), log[-3000:]


def test_text_log_has_each_state_of_a_job_once_with_its_counts(text_server):
    account, job_id, _ = run_import(text_server, PLANT)
    head = rf"^{_STAMP} INFO twinport\.jobs job {job_id} s3→iottwinmaker "
    where = f"account={account} region=us-east-1"
    counts = "succeeded={} skipped=0 failed=0 total=2"
    expected = [
        f"VALIDATING {where}",
        f"PENDING {where} {counts.format(0)}",
        f"RUNNING {where} {counts.format(0)}",
        f"COMPLETED {where} {counts.format(2)}",
    ]
    lines = re.findall(head + r"(.*)$", text_server.log(), re.MULTILINE)
    assert lines == expected


def test_text_log_names_the_error_of_a_job_that_failed(text_server):
    _, job_id, _ = run_import(text_server, b"{not json")
    lines = re.findall(rf"job {job_id} s3→iottwinmaker (.*)$", text_server.log(), re.MULTILINE)
    assert [line.split()[0] for line in lines] == ["VALIDATING", "ERROR"]
    assert " error=VALIDATION_ERROR: " in lines[-1]


def test_text_log_leaves_out_the_http_servers_own_start_up_lines(text_server):
    log = text_server.log()
    assert f"twinport serving on {text_server.url}" in log
    assert "Uvicorn running" not in log
    assert "Application startup complete" not in log


def test_json_log_is_one_object_a_line_with_named_fields(tmp_path):
    with _server(tmp_path, env={"TWINPORT_LOG_FORMAT": "json"}) as server:
        account, job_id, created = run_import(server, PLANT)
        request_id = created["ResponseMetadata"]["RequestId"]
        log = logged(server, lambda text: request_id in text)
    serving = f"twinport serving on {server.url}"  # stdout, which the test server logs too
    records = [orjson.loads(line) for line in log.splitlines() if not line.startswith(serving)]
    [create] = [r for r in records if r.get("request_id") == request_id]
    assert create["logger"] == "twinport.access"
    assert create["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", create["time"])
    assert {k: create[k] for k in ("service", "operation", "account", "region", "status")} == {
        "service": "iottwinmaker",
        "operation": "CreateMetadataTransferJob",
        "account": account,
        "region": "us-east-1",
        "status": 200,
    }
    assert isinstance(create["ms"], float)
    states = [r for r in records if r["logger"] == "twinport.jobs" and r["job_id"] == job_id]
    assert [r["state"] for r in states] == ["VALIDATING", "PENDING", "RUNNING", "COMPLETED"]
    assert {r["pair"] for r in states} == {"s3→iottwinmaker"}
    counted = ("succeeded", "skipped", "failed", "total", "error_code")
    assert {k: states[-1][k] for k in counted} == {
        "succeeded": 2,
        "skipped": 0,
        "failed": 0,
        "total": 2,
        "error_code": None,
    }


def test_quiet_logs_neither_requests_nor_job_changes(tmp_path):
    with _server(tmp_path, args=("--quiet",)) as server:
        run_import(server, PLANT)
        log = server.log()
    assert "twinport.access" not in log
    assert "twinport.jobs" not in log
    assert log.strip() == f"twinport serving on {server.url} (data in {server.data_dir})"


@pytest.mark.parametrize(("value", "quiet"), [("1", True), ("true", True), ("0", False)])
def test_twinport_quiet_reads_as_a_yes_or_no(value, quiet):
    assert Settings.from_env({"TWINPORT_QUIET": value}).quiet is quiet
