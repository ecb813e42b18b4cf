"""`twinport jobs`: list, get, watch and cancel, run as a user runs them, against a live server."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

from tests.transfer.helpers import (
    entities_file,
    import_job,
    make_workspace,
    upload,
    wait_for,
)
from twinport.testing import free_port


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "twinport", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def jobs(twinport, account: str, *args: str) -> subprocess.CompletedProcess:
    return cli("jobs", *args, "--endpoint-url", twinport.url, "--account", account)


def imported(twinport, document: dict, *, wait: bool = True) -> tuple[str, str]:
    """(account, job id) of an import of `document` into a workspace of a new account."""
    account = twinport.new_account()
    workspace = make_workspace(twinport, account, "plant", f"cli-{account}")
    source = upload(twinport, account, f"cli-{account}", "plant.json", document)
    job_id = import_job(twinport, account, source, workspace)
    if wait:
        wait_for(twinport, account, job_id)
    return account, job_id


def test_watch_follows_an_import_to_completed_and_exits_0(twinport):
    account, job_id = imported(twinport, entities_file(3000), wait=False)
    result = jobs(twinport, account, "watch", job_id)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("COMPLETED in ")
    assert lines[-1].endswith(": succeeded 3,001 · skipped 0 · failed 0 of 3,001")
    # Not a terminal: plain lines, no escape sequences of a live bar.
    assert "\x1b" not in result.stdout
    assert result.stderr == ""


def test_watch_on_a_terminal_draws_a_live_bar(twinport):
    account, job_id = imported(twinport, entities_file(3000), wait=False)
    command = [sys.executable, "-m", "twinport", "jobs", "watch", job_id]
    command += ["--endpoint-url", twinport.url, "--account", account]
    controller, terminal = pty.openpty()
    environ = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120"}
    process = subprocess.Popen(command, stdout=terminal, stderr=terminal, env=environ)
    os.close(terminal)
    output = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        assert ready, "the watch printed nothing for a minute"
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed: the watch ended
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    assert process.wait(timeout=30) == 0
    text = output.decode()
    assert "━" in text  # the bar
    assert "\x1b[" in text  # redrawn in place
    assert "COMPLETED in " in text and "failed 0 of 3,001" in text


def test_watch_of_a_file_that_fails_validation_exits_1_with_its_errors(twinport):
    document = entities_file(3)
    document["entities"][1]["parentEntityId"] = 42
    account, job_id = imported(twinport, document)
    result = jobs(twinport, account, "watch", job_id)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith("ERROR in ")
    assert "error: VALIDATION_ERROR: entities[1].parentEntityId" in result.stdout
    assert "report errors (1):" in result.stdout
    assert "  Template: entities[1].parentEntityId: expected string, got integer" in result.stdout


def test_watch_of_a_job_with_failed_resources_lists_the_first_20_report_errors(twinport):
    document = entities_file(31, width=1000)  # e1 … e30 are children of e0
    for entity in document["entities"][1:]:
        entity["components"]["sensor"]["componentTypeId"] = "com.example.missing"
    account, job_id = imported(twinport, document)
    result = jobs(twinport, account, "watch", job_id)
    assert result.returncode == 1, result.stderr
    assert "succeeded 2 · skipped 0 · failed 30 of 32" in result.stdout
    assert "error: PROCESSING_ERROR: " in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("  Entity e")]
    assert len(rows) == 20
    assert "Component type com.example.missing" in rows[0]
    assert result.stdout.splitlines()[-1] == "  … 10 more in the report"


def test_list_shows_the_jobs_of_every_pair_and_filters_by_type(twinport):
    account, imported_id = imported(twinport, entities_file(5))
    twinmaker = twinport.client("iottwinmaker", account)
    exported_id = twinmaker.create_metadata_transfer_job(
        sources=[
            {
                "type": "iottwinmaker",
                "iotTwinMakerConfiguration": {
                    "workspace": f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/plant"
                },
            }
        ],
        destination={
            "type": "s3",
            "s3Configuration": {"location": f"arn:aws:s3:::cli-{account}/out"},
        },
    )["metadataTransferJobId"]
    wait_for(twinport, account, exported_id)

    listed = jobs(twinport, account, "list")
    assert listed.returncode == 0, listed.stderr
    rows = {line.split("│")[1].strip(): line for line in listed.stdout.splitlines() if "│" in line}
    assert set(rows) - {"id"} == {imported_id, exported_id}
    assert "s3 → iottwinmaker" in rows[imported_id] and "6 of 6" in rows[imported_id]
    assert "iottwinmaker → s3" in rows[exported_id] and "COMPLETED" in rows[exported_id]

    exports = jobs(twinport, account, "list", "--source", "iottwinmaker")
    assert exported_id in exports.stdout and imported_id not in exports.stdout
    assert jobs(twinport, twinport.new_account(), "list").stdout == "no jobs\n"


def test_get_prints_the_job_and_its_json_is_the_api_answer(twinport):
    account, job_id = imported(twinport, entities_file(5))
    shown = jobs(twinport, account, "get", job_id)
    assert shown.returncode == 0, shown.stderr
    assert "state        COMPLETED\n" in shown.stdout
    assert "progress     succeeded 6 · skipped 0 · failed 0 of 6\n" in shown.stdout
    assert f"report       {twinport.url}/cli-{account}/metadata-transfer-reports/" in shown.stdout

    answers: list[bytes] = []
    twinmaker = twinport.client("iottwinmaker", account)
    event = "before-parse.iottwinmaker.GetMetadataTransferJob"
    keep = lambda response_dict, **_: answers.append(response_dict["body"])  # noqa: E731
    twinmaker.meta.events.register(event, keep)
    try:
        twinmaker.get_metadata_transfer_job(metadataTransferJobId=job_id)
    finally:
        twinmaker.meta.events.unregister(event, keep)
    raw = jobs(twinport, account, "get", job_id, "--json")
    assert raw.returncode == 0, raw.stderr
    assert json.loads(raw.stdout) == json.loads(answers[0])


def test_cancel_ends_a_queued_job_at_once_and_a_running_one_through_cancelling(twinport):
    account = twinport.new_account()
    workspace = make_workspace(twinport, account, "plant", f"cli-{account}")
    source = upload(twinport, account, f"cli-{account}", "big.json", entities_file(100_000))
    running = import_job(twinport, account, source, workspace)
    queued = import_job(twinport, account, source, workspace)  # one job runs at a time
    wait_for(twinport, account, running, states=("RUNNING",))

    cancelled = jobs(twinport, account, "cancel", queued)
    assert cancelled.returncode == 0, cancelled.stderr
    assert cancelled.stdout == f"{queued} CANCELLED\n"

    cancelling = jobs(twinport, account, "cancel", running)
    assert cancelling.stdout == f"{running} CANCELLING\n"
    watched = jobs(twinport, account, "watch", running)
    assert watched.returncode == 1
    assert watched.stdout.splitlines()[-1].startswith("CANCELLED in ")

    finished = jobs(twinport, account, "cancel", running)
    assert finished.returncode == 2
    assert finished.stderr == (
        f"twinport jobs: Metadata transfer job {running} is CANCELLED and cannot be cancelled"
        " (ConflictException)\n"
    )


def test_an_unknown_job_or_an_unreachable_server_is_one_line_and_exit_2(twinport):
    account = twinport.new_account()
    missing = jobs(twinport, account, "get", "no-such-job")
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert missing.stderr == (
        "twinport jobs: Metadata transfer job no-such-job not found (ResourceNotFoundException)\n"
    )

    nowhere = f"http://127.0.0.1:{free_port()}"
    for action in (["list"], ["watch", "some-job"]):
        result = cli("jobs", *action, "--endpoint-url", nowhere)
        assert result.returncode == 2
        assert result.stderr == (
            f"twinport jobs: cannot reach twinport at {nowhere}:"
            " is `twinport serve` running there?\n"
        )


def test_the_endpoint_comes_from_twinport_endpoint_url(twinport):
    account, job_id = imported(twinport, entities_file(5))
    environ = {**os.environ, "TWINPORT_ENDPOINT_URL": twinport.url}
    result = cli("jobs", "get", job_id, "--account", account, env=environ)
    assert result.returncode == 0, result.stderr
    assert "state        COMPLETED" in result.stdout
