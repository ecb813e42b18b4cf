"""Many clients at once, each its own account: no error, and every job they start completes;
on the shared server, and on one of two API processes.

`make test` runs 10 clients for 5 seconds; `make stress` (TWINPORT_STRESS=1) 50 for a minute.
"""

from __future__ import annotations

import os
import statistics
import threading
import time

import orjson
from botocore.exceptions import BotoCoreError, ClientError

from tests.robustness import summary
from tests.transfer.helpers import import_job, make_workspace, wait_for
from twinport.testing import TwinportServer

STRESS = os.environ.get("TWINPORT_STRESS") == "1"
CLIENTS = 50 if STRESS else 10
SECONDS = 60 if STRESS else 5


class Client(threading.Thread):
    """One user: a workspace and a bucket, then a loop of API calls, S3 calls and imports."""

    def __init__(self, twinport, number: int):
        super().__init__(name=f"load-{number}")
        self.twinport = twinport
        self.account = twinport.new_account()
        self.number = number
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.jobs: list[str] = []

    def run(self) -> None:
        bucket = f"load-{self.account}"
        workspace = make_workspace(self.twinport, self.account, "plant", bucket)
        twinmaker = self.twinport.client("iottwinmaker", self.account)
        s3 = self.twinport.client("s3", self.account)
        deadline = time.monotonic() + SECONDS
        round_ = 0
        while time.monotonic() < deadline:
            round_ += 1
            self._round(round_, twinmaker, s3, bucket, workspace)

    def _round(self, round_: int, twinmaker, s3, bucket: str, workspace: str) -> None:
        entity = f"e{round_}"
        key = f"{round_}.json"
        document = orjson.dumps(
            {"entities": [{"entityId": f"bulk-{round_}", "entityName": "bulk"}]}
        )
        self._timed(
            lambda: twinmaker.create_entity(workspaceId="plant", entityId=entity, entityName=entity)
        )
        self._timed(lambda: twinmaker.get_entity(workspaceId="plant", entityId=entity))
        self._timed(lambda: twinmaker.list_entities(workspaceId="plant", maxResults=50))
        self._timed(lambda: s3.put_object(Bucket=bucket, Key=key, Body=document))
        self._timed(lambda: s3.get_object(Bucket=bucket, Key=key)["Body"].read())
        if round_ % 5 == 1:
            source = f"arn:aws:s3:::{bucket}/{key}"
            self._timed(
                lambda: self.jobs.append(import_job(self.twinport, self.account, source, workspace))
            )

    def _timed(self, step) -> None:
        started = time.perf_counter()
        try:
            step()
        except (ClientError, BotoCoreError) as error:
            self.errors.append(f"{self.name}: {error}")
        self.latencies.append(time.perf_counter() - started)


def test_many_clients_at_once_get_no_error_and_every_job_completes(twinport):
    _load(twinport, "load")


def test_two_api_processes_under_the_same_load(tmp_path):
    """The same clients, on a server whose second API process writes the same SQLite store
    and passes S3 requests on: writers of two processes take turns, and no request fails."""
    with TwinportServer(tmp_path / "data", args=("--api-processes", "2")) as server:
        _load(server, "load, 2 API processes")


def _load(twinport, name: str) -> None:
    clients = [Client(twinport, number) for number in range(CLIENTS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=SECONDS + 120)
    assert not any(client.is_alive() for client in clients), "a client hung"
    errors = [error for client in clients for error in client.errors]
    assert errors == [], errors[:5]
    latencies = sorted(t for client in clients for t in client.latencies)
    assert len(latencies) > CLIENTS * 5
    for client in clients:
        for job_id in client.jobs:
            done = wait_for(twinport, client.account, job_id, timeout=300)
            assert done["status"]["state"] == "COMPLETED", done["status"]
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    summary.add(f"{name}: requests of {CLIENTS} clients", len(latencies))
    summary.add(f"{name}: errors", len(errors))
    summary.add(f"{name}: p50 ms", round(p50, 1))
    summary.add(f"{name}: p99 ms", round(p99, 1))
