"""`twinport serve --api-processes 2`: two processes answer on one port, over one store.

Connections go to whichever process accepts them first, so each test makes many, one client
each. Every S3 request and reset that reaches the second process is passed on to the main one,
which holds the embedded S3; the access log names each request once, under the id its answer
carries, and each process's ids start with a prefix of its own.
"""

from __future__ import annotations

import os
import re
import signal
import time
import urllib.request
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.auth.test_verify_live import client
from tests.transfer.helpers import entities_file, import_job, make_workspace, upload, wait_for
from twinport.engine.worker import ENGINE_NICENESS
from twinport.testing import TwinportServer

ACCOUNT = "111122223333"
CONNECTIONS = 40


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    with TwinportServer(
        tmp_path_factory.mktemp("two") / "data", args=("--api-processes", "2")
    ) as s:
        yield s


def fresh(server: TwinportServer, service: str, key: str = ACCOUNT, secret: str = "x"):
    """A client of its own, so a connection of its own."""
    return client(server, service, key, secret)


def logged_ids(server: TwinportServer, path_part: str) -> list[str]:
    """The ids of the access log's lines for `path_part`; a line is written just after its
    answer, so this waits a little for the first."""
    deadline = time.monotonic() + 10
    while True:
        lines = Path(server.log_path).read_text().splitlines()
        found = [
            line.rsplit("id=", 1)[1]
            for line in lines
            if "twinport.access" in line and path_part in line
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def test_s3_requests_reach_the_embedded_s3_from_either_process(two):
    fresh(two, "s3").create_bucket(Bucket="either-process")
    for index in range(CONNECTIONS):
        s3 = fresh(two, "s3")
        s3.put_object(Bucket="either-process", Key=f"k{index}", Body=f"body {index}".encode())
        answer = s3.get_object(Bucket="either-process", Key=f"k{index}")
        assert answer["Body"].read() == f"body {index}".encode()
        head = s3.head_object(Bucket="either-process", Key=f"k{index}")
        assert head["ContentLength"] == len(f"body {index}")
        url = s3.generate_presigned_url(
            "get_object", Params={"Bucket": "either-process", "Key": f"k{index}"}
        )
        with urllib.request.urlopen(url) as presigned:
            assert presigned.read() == f"body {index}".encode()
        with pytest.raises(s3.exceptions.NoSuchKey) as missing:
            s3.get_object(Bucket="either-process", Key=f"missing{index}")
        logged = logged_ids(two, f"/either-process/missing{index} ")
        assert logged == [missing.value.response["ResponseMetadata"]["RequestId"]]
    prefixes = {request_id[:8] for request_id in logged_ids(two, "/either-process/")}
    assert len(prefixes) == 2, "both processes answered, and each S3 request is logged once"


def test_large_objects_stream_through_either_process(two, tmp_path):
    fresh(two, "s3").create_bucket(Bucket="large-objects")
    source = tmp_path / "source"
    source.write_bytes(os.urandom(12 << 20))  # multipart: 8 MiB parts
    for index in range(4):
        s3 = fresh(two, "s3")
        s3.upload_file(str(source), "large-objects", f"big{index}")
        copy = tmp_path / f"copy{index}"
        s3.download_file("large-objects", f"big{index}", str(copy))
        assert copy.read_bytes() == source.read_bytes()


def test_jobs_and_resources_are_shared(two):
    workspace = make_workspace(two, ACCOUNT, "shared", "shared-bucket")
    document = {"entities": [{"entityId": f"e{n}", "entityName": f"entity {n}"} for n in range(3)]}
    jobs = []
    for index in range(10):
        source = upload(two, ACCOUNT, "shared-bucket", f"entities{index}.json", document)
        jobs.append(import_job(two, ACCOUNT, source, workspace))
    for job_id in jobs:
        assert wait_for(two, ACCOUNT, job_id)["status"]["state"] == "COMPLETED"
    for _ in range(CONNECTIONS // 4):
        listed = fresh(two, "iottwinmaker").list_entities(workspaceId="shared")
        assert sorted(e["entityId"] for e in listed["entitySummaries"]) == ["e0", "e1", "e2"]


def test_signatures_hold_through_either_process(tmp_path):
    """A request passed on arrives as it was signed: the main process checks it again, and a
    signed upload streamed in chunks (the SDK's default for a file) is checked chunk by chunk."""
    key, secret = "AKIDPROCESSES0001", "processes-secret"
    credentials = tmp_path / "credentials.json"
    credentials.write_text(f'{{"{key}": {{"secret": "{secret}", "account": "{ACCOUNT}"}}}}')
    args = ("--api-processes", "2", "--auth", "verify", "--credentials-file", str(credentials))
    source = tmp_path / "source"
    source.write_bytes(os.urandom(1 << 20))
    with TwinportServer(tmp_path / "data", args=args) as server:
        fresh(server, "s3", key, secret).create_bucket(Bucket="signed")
        for index in range(CONNECTIONS // 2):
            fresh(server, "s3", key, secret).upload_file(str(source), "signed", f"k{index}")
            copy = fresh(server, "s3", key, secret).get_object(Bucket="signed", Key=f"k{index}")
            assert copy["Body"].read() == source.read_bytes()
            with pytest.raises(ClientError) as refused:
                fresh(server, "s3", key, "wrong").put_object(Bucket="signed", Key="x", Body=b"1")
            assert refused.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
        listed = fresh(server, "s3", key, secret).list_objects_v2(Bucket="signed")
        assert sorted(o["Key"] for o in listed["Contents"]) == sorted(
            f"k{index}" for index in range(CONNECTIONS // 2)
        )


def test_reset_from_either_process_empties_the_s3_too(two):
    for index in range(10):
        fresh(two, "s3").create_bucket(Bucket=f"reset-{index}")
        request = urllib.request.Request(
            f"{two.url}/_twinport/reset?account={ACCOUNT}", method="POST"
        )
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200
        buckets = fresh(two, "s3").list_buckets()["Buckets"]
        assert [b["Name"] for b in buckets] == []


def test_the_other_process_ends_with_the_main_one(tmp_path):
    server = TwinportServer(tmp_path / "data", args=("--api-processes", "2")).start()
    try:
        children = _children(server.process.pid)
        others = [pid for pid in children if "twinport.cli.api_process" in _command(pid)]
        assert len(others) == 1
    finally:
        server.kill()  # as kill -9: the main process cleans nothing up
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)], "the main process's children outlive it"


def test_the_engine_yields_the_processor_to_the_api_processes(tmp_path):
    with TwinportServer(tmp_path / "data", args=("--api-processes", "2")) as server:
        # A job that has run shows the engine under way.
        workspace = make_workspace(server, ACCOUNT, "plant", "plant-bucket")
        source = upload(server, ACCOUNT, "plant-bucket", "e.json", entities_file(3))
        wait_for(server, ACCOUNT, import_job(server, ACCOUNT, source, workspace))
        niceness = {
            "engine" if "twinport.engine.worker" in _command(pid) else "api": _niceness(pid)
            for pid in _children(server.process.pid)
        }
        main = _niceness(server.process.pid)
    # Linux's niceness stops at 19.
    assert niceness == {"engine": min(main + ENGINE_NICENESS, 19), "api": main}


def test_api_processes_must_be_one_or_more(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "twinport", "serve", "--api-processes", "0"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert re.search(r"--api-processes takes 1 to \d+, e\.g\. --api-processes 2", result.stderr)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _niceness(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that has exited but that no one has waited for is a zombie: it is gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


# SIGTERM is how `TwinportServer.stop` ends the main process; its children must go with it.
def test_a_graceful_stop_stops_every_process(tmp_path):
    server = TwinportServer(tmp_path / "data", args=("--api-processes", "2")).start()
    children = _children(server.process.pid)
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)
    assert not [pid for pid in children if _alive(pid)]
