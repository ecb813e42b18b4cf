"""Two `twinport serve` nodes and a `twinport worker` on one database act as one twinport."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psycopg
import pytest
from botocore.exceptions import ClientError

from tests.postgres import needs_postgres
from tests.transfer.helpers import (
    count_entities,
    entities_file,
    import_job,
    running_with_progress,
    upload,
    wait_for,
)

pytestmark = needs_postgres
ACCOUNTS = [f"2000000000{i:02d}" for i in range(8)]


def _engines_that_ran_jobs(cluster) -> set[str]:
    """The nodes whose engines ran (or run) jobs."""
    with psycopg.connect(cluster.database_url) as conn:
        owners = conn.execute("SELECT owner FROM transfer_jobs WHERE owner IS NOT NULL")
        return {owner.split(".")[0] for (owner,) in owners}


def test_jobs_of_eight_accounts_run_on_every_node_one_at_a_time_per_account(cluster):
    nodes = [cluster.node("a"), cluster.node("b")]
    cluster.worker("w")
    created: dict[str, list[str]] = {}
    for i, account in enumerate(ACCOUNTS):
        api = nodes[i % 2]
        workspace = cluster.workspace(api, account)
        bucket = f"plant-{account}"
        big = upload(cluster.s3, account, bucket, "big.json", entities_file(5000))
        small = upload(cluster.s3, account, bucket, "small.json", entities_file(3))
        # Each account's jobs are sent to both nodes: the order holds across them.
        created[account] = [
            import_job(nodes[0], account, big, workspace),
            import_job(nodes[1], account, small, workspace),
        ]

    pending = {account: list(ids) for account, ids in created.items()}
    deadline = time.monotonic() + 240
    while any(pending.values()):
        assert time.monotonic() < deadline, f"jobs still not done: {pending}"
        for i, (account, ids) in enumerate(pending.items()):
            client = nodes[i % 2].client("iottwinmaker", account)
            seen = [client.get_metadata_transfer_job(metadataTransferJobId=j) for j in ids]
            running = [job for job in seen if job["status"]["state"] == "RUNNING"]
            assert len(running) <= 1, f"two jobs of {account} run at once: {running}"
            pending[account] = [
                job["metadataTransferJobId"]
                for job in seen
                if job["status"]["state"] not in ("COMPLETED", "ERROR", "CANCELLED")
            ]
        time.sleep(0.1)

    for i, account in enumerate(ACCOUNTS):
        big, small = created[account]
        done = [wait_for(nodes[(i + 1) % 2], account, job_id) for job_id in (big, small)]
        assert [job["status"]["state"] for job in done] == ["COMPLETED", "COMPLETED"]
        assert done[0]["progress"]["succeededCount"] == 5001
        # The first three entities of the small file are the big one's: written already.
        assert done[1]["progress"]["skippedCount"] == 4
        assert count_entities(nodes[(i + 1) % 2].client("iottwinmaker", account)) == 5000
    assert len(_engines_that_ran_jobs(cluster)) >= 2, "one node's engine ran every job"


def test_list_tokens_of_one_node_page_on_another(cluster):
    first, second = cluster.node("a"), cluster.node("b")
    account = ACCOUNTS[0]
    workspace = cluster.workspace(first, account)
    twinmaker = first.client("iottwinmaker", account)
    for name in ("line", "pump", "valve"):
        twinmaker.create_entity(workspaceId="plant", entityId=name, entityName=name)
    page = twinmaker.list_entities(workspaceId="plant", maxResults=2)
    rest = second.client("iottwinmaker", account).list_entities(
        workspaceId="plant", maxResults=2, nextToken=page["nextToken"]
    )
    names = [e["entityName"] for e in page["entitySummaries"] + rest["entitySummaries"]]
    assert sorted(names) == ["line", "pump", "valve"]

    source = upload(cluster.s3, account, f"plant-{account}", "none.json", {"entities": []})
    job_ids = {import_job(first, account, source, workspace) for _ in range(3)}
    selection = {"sourceType": "s3", "destinationType": "iottwinmaker"}
    page = twinmaker.list_metadata_transfer_jobs(**selection, maxResults=2)
    rest = second.client("iottwinmaker", account).list_metadata_transfer_jobs(
        **selection, maxResults=2, nextToken=page["nextToken"]
    )
    listed = page["metadataTransferJobSummaries"] + rest["metadataTransferJobSummaries"]
    assert {job["metadataTransferJobId"] for job in listed} == job_ids


def test_a_cancel_sent_to_one_node_stops_a_job_another_node_runs(cluster):
    first, second = cluster.node("a"), cluster.node("b")
    account = ACCOUNTS[1]
    workspace = cluster.workspace(first, account)
    source = upload(cluster.s3, account, f"plant-{account}", "big.json", entities_file(100_000))
    job_id = import_job(first, account, source, workspace)
    running_with_progress(second, account, job_id, at_least=1000)
    answer = second.client("iottwinmaker", account).cancel_metadata_transfer_job(
        metadataTransferJobId=job_id
    )
    assert answer["status"]["state"] in ("CANCELLING", "CANCELLED")
    cancelled = wait_for(first, account, job_id, states=("CANCELLED",), timeout=2)
    written = cancelled["progress"]["succeededCount"]
    assert 0 < written < 100_001
    time.sleep(0.5)
    again = second.client("iottwinmaker", account).get_metadata_transfer_job(
        metadataTransferJobId=job_id
    )
    assert again["progress"] == cancelled["progress"]
    # The component type is one of the resources counted.
    assert count_entities(first.client("iottwinmaker", account)) == written - 1


def test_of_twenty_clients_creating_one_job_id_on_two_nodes_exactly_one_wins(cluster):
    nodes = [cluster.node("a"), cluster.node("b")]
    account = ACCOUNTS[2]
    workspace = cluster.workspace(nodes[0], account)
    source = upload(cluster.s3, account, f"plant-{account}", "none.json", {"entities": []})
    clients = [nodes[i % 2].client("iottwinmaker", account) for i in range(20)]
    start = threading.Barrier(len(clients))
    outcomes: list[str] = []

    def create(client) -> None:
        start.wait()
        try:
            client.create_metadata_transfer_job(
                metadataTransferJobId="the-one",
                sources=[{"type": "s3", "s3Configuration": {"location": source}}],
                destination={
                    "type": "iottwinmaker",
                    "iotTwinMakerConfiguration": {"workspace": workspace},
                },
            )
            outcomes.append("created")
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ConflictException"] * 19 + ["created"]


def test_a_node_without_an_s3_endpoint_cannot_join_a_shared_database(cluster, tmp_path):
    cluster.node("a")
    alone = subprocess.run(
        [sys.executable, "-m", "twinport", "serve", "--port", "0"]
        + ["--data-dir", str(tmp_path / "alone"), "--database-url", cluster.database_url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert alone.returncode != 0
    assert "start every node with --s3-endpoint-url" in alone.stderr
    assert "Traceback" not in alone.stderr


@pytest.mark.parametrize("missing", ["--database-url", "--s3-endpoint-url"])
def test_a_worker_says_what_it_needs(missing, tmp_path):
    flags = {"--database-url": "postgresql://db/twinport", "--s3-endpoint-url": "http://s3:9000"}
    flags.pop(missing)
    command = [sys.executable, "-m", "twinport", "worker", "--data-dir", str(tmp_path)]
    result = subprocess.run(
        command + [part for flag in flags.items() for part in flag],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{missing} is required" in result.stderr
