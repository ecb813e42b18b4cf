"""The job engine: queue, cancellation, crash recovery."""

from __future__ import annotations

import time

import pytest

from tests.transfer.helpers import (
    count_entities,
    entities_file,
    import_job,
    make_workspace,
    read_report,
    running_with_progress,
    upload,
    wait_for,
)
from twinport.testing import TwinportServer

OWN_ACCOUNT = "123456789012"


@pytest.fixture
def account(twinport):
    return twinport.new_account()


def test_jobs_queue_one_at_a_time_with_positions(twinport, account):
    bucket = f"queue-{account}"
    workspace = make_workspace(twinport, account, "plant", bucket)
    big = upload(twinport, account, bucket, "big.json", entities_file(100_000))
    small = upload(twinport, account, bucket, "small.json", {"entities": []})
    first = import_job(twinport, account, big, workspace)
    wait_for(twinport, account, first, states=("RUNNING",))
    second = import_job(twinport, account, small, workspace)
    third = import_job(twinport, account, small, workspace)
    client = twinport.client("iottwinmaker", account)
    wait_for(twinport, account, second, states=("PENDING",))
    waiting = wait_for(twinport, account, third, states=("PENDING",))
    assert waiting["status"]["queuedPosition"] == 2
    assert "progress" not in waiting
    assert client.get_metadata_transfer_job(metadataTransferJobId=second)["status"] == {
        "state": "PENDING",
        "queuedPosition": 1,
    }
    cancelled = client.cancel_metadata_transfer_job(metadataTransferJobId=second)
    assert cancelled["status"] == {"state": "CANCELLED"}
    assert "progress" not in cancelled
    third_status = client.get_metadata_transfer_job(metadataTransferJobId=third)["status"]
    assert third_status == {"state": "PENDING", "queuedPosition": 1}
    # The running job holds the only slot; once it ends, the next in line runs.
    assert client.get_metadata_transfer_job(metadataTransferJobId=first)["status"]["state"] == (
        "RUNNING"
    )
    client.cancel_metadata_transfer_job(metadataTransferJobId=first)
    assert wait_for(twinport, account, first)["status"]["state"] == "CANCELLED"
    assert wait_for(twinport, account, third)["status"]["state"] == "COMPLETED"


def test_cancel_while_validating_is_immediate(twinport, account):
    bucket = f"validating-{account}"
    workspace = make_workspace(twinport, account, "plant", bucket)
    source = upload(twinport, account, bucket, "in.json", entities_file(50_000))
    job_id = import_job(twinport, account, source, workspace)
    client = twinport.client("iottwinmaker", account)
    response = client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)
    assert response["status"]["state"] == "CANCELLED"
    time.sleep(1)
    assert client.get_metadata_transfer_job(metadataTransferJobId=job_id)["status"]["state"] == (
        "CANCELLED"
    )
    assert count_entities(client) == 0


def test_cancel_of_running_import_stops_writes_within_a_second(twinport, account):
    bucket = f"cancel-{account}"
    workspace = make_workspace(twinport, account, "plant", bucket)
    source = upload(twinport, account, bucket, "big.json", entities_file(100_000))
    job_id = import_job(twinport, account, source, workspace)
    client = twinport.client("iottwinmaker", account)
    running_with_progress(twinport, account, job_id, at_least=1000)
    response = client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)
    assert response["status"]["state"] in ("CANCELLING", "CANCELLED")
    cancelled = wait_for(twinport, account, job_id, states=("CANCELLED",), timeout=1)
    # The first Get that shows it CANCELLED already leads to its report, with those counts.
    assert read_report(cancelled)["progress"] == cancelled["progress"]
    counts = cancelled["progress"]
    written = counts["succeededCount"]
    assert 0 < written < 100_001
    time.sleep(0.5)
    again = client.get_metadata_transfer_job(metadataTransferJobId=job_id)
    assert again["progress"] == counts
    # Every counted resource is there and nothing more: 1 component type + entities.
    assert count_entities(client) == written - 1
    code = client.cancel_metadata_transfer_job
    with pytest.raises(client.exceptions.ConflictException):
        code(metadataTransferJobId=job_id)


@pytest.fixture
def own_server(tmp_path):
    """A server of the test's own, to kill or stop and start again."""
    server = TwinportServer(tmp_path / "data")
    server.start()
    try:
        yield server
    finally:
        server.close()


def start_import(server: TwinportServer, bucket: str, entity_count: int) -> str:
    """An import job of `entity_count` entities (plus a component type), in the default account."""
    workspace = make_workspace(server, OWN_ACCOUNT, "plant", bucket)
    source = upload(server, OWN_ACCOUNT, bucket, "big.json", entities_file(entity_count))
    return import_job(server, OWN_ACCOUNT, source, workspace)


def test_kill_during_import_then_restart_completes_exactly(own_server):
    job_id = start_import(own_server, "crash-bucket", 60_000)
    running = running_with_progress(own_server, OWN_ACCOUNT, job_id, 5000)
    assert running["status"]["state"] == "RUNNING"
    own_server.kill()
    own_server.start()
    done = wait_for(own_server, OWN_ACCOUNT, job_id, timeout=300)
    assert done["status"]["state"] == "COMPLETED", done
    assert done["progress"] == {
        "totalCount": 60_001,
        "succeededCount": 60_001,
        "skippedCount": 0,
        "failedCount": 0,
    }
    assert count_entities(own_server.client("iottwinmaker", OWN_ACCOUNT)) == 60_000


def test_graceful_stop_keeps_pending_work(own_server):
    job_id = start_import(own_server, "stop-bucket", 40_000)
    wait_for(own_server, OWN_ACCOUNT, job_id, states=("RUNNING",))
    own_server.stop()
    own_server.start()
    done = wait_for(own_server, OWN_ACCOUNT, job_id, timeout=300)
    assert done["status"]["state"] == "COMPLETED"
    assert done["progress"]["succeededCount"] == 40_001
    assert count_entities(own_server.client("iottwinmaker", OWN_ACCOUNT)) == 40_000
