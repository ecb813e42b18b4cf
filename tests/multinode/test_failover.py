"""A job outlives the node that ran it: another node on the database finishes it."""

from __future__ import annotations

import os
import time

import psycopg

from tests.postgres import needs_postgres
from tests.transfer.helpers import (
    count_entities,
    entities_file,
    import_job,
    read_report,
    running_with_progress,
    upload,
    wait_for,
)
from twinport.engine.worker import ENGINE_NICENESS

pytestmark = needs_postgres
ACCOUNT = "123456789012"


def test_an_import_killed_with_its_node_is_finished_by_another_node(cluster):
    first = cluster.node("a")
    workspace = cluster.workspace(first, ACCOUNT)
    source = upload(cluster.s3, ACCOUNT, f"plant-{ACCOUNT}", "big.json", entities_file(40_000))
    job_id = import_job(first, ACCOUNT, source, workspace)
    running_with_progress(first, ACCOUNT, job_id, at_least=2000)
    first.kill()

    # A node with a data directory of its own: the job's staged file reaches it through the
    # database, once the killed node's lease has run out.
    second = cluster.node("b")
    done = wait_for(second, ACCOUNT, job_id, timeout=300)
    assert done["status"]["state"] == "COMPLETED", done
    assert done["progress"] == {
        "totalCount": 40_001,
        "succeededCount": 40_001,
        "skippedCount": 0,
        "failedCount": 0,
    }
    assert count_entities(second.client("iottwinmaker", ACCOUNT)) == 40_000
    assert read_report(done)["progress"] == done["progress"]
    with psycopg.connect(cluster.database_url) as conn:
        kept = conn.execute("SELECT count(*) FROM transfer_job_files").fetchone()[0]
    assert kept == 0, "the job's files stay in the database after it ended"
    left = list((first.data_dir / "jobs").iterdir())
    assert left, "the killed node kept no work directory: nothing to clean up below"
    first.start()  # its engine removes its copy of the files of a job that ended elsewhere
    deadline = time.monotonic() + 30
    while list((first.data_dir / "jobs").iterdir()):
        assert time.monotonic() < deadline, "the restarted node kept the ended job's files"
        time.sleep(0.1)


def test_a_worker_finishes_the_jobs_of_a_node_that_died(cluster):
    node = cluster.node("a")
    worker = cluster.worker("w")
    workspace = cluster.workspace(node, ACCOUNT)
    source = upload(cluster.s3, ACCOUNT, f"plant-{ACCOUNT}", "big.json", entities_file(20_000))
    job_ids = [import_job(node, ACCOUNT, source, workspace) for _ in range(2)]
    running_with_progress(node, ACCOUNT, job_ids[0], at_least=1000)
    node.kill()

    # With no API left, the database says how the worker does.
    deadline = time.monotonic() + 120
    with psycopg.connect(cluster.database_url, autocommit=True) as conn:
        while True:
            rows = conn.execute("SELECT state, owner FROM transfer_jobs ORDER BY seq").fetchall()
            if all(state in ("COMPLETED", "ERROR", "CANCELLED") for state, _ in rows):
                break
            assert time.monotonic() < deadline, rows
            time.sleep(0.2)
    worker_node = (worker.data_dir / "node-id").read_text().strip()
    assert [state for state, _ in rows] == ["COMPLETED", "COMPLETED"]
    assert all(owner.startswith(f"{worker_node}.") for _, owner in rows)
    # Its engine yields the processor as a node's does.
    niceness = os.getpriority(os.PRIO_PROCESS, worker.process.pid)
    assert niceness == min(os.getpriority(os.PRIO_PROCESS, 0) + ENGINE_NICENESS, 19)  # at most 19

    reader = cluster.node("b")
    first, second = (wait_for(reader, ACCOUNT, job_id) for job_id in job_ids)
    assert first["progress"]["succeededCount"] == 20_001
    assert second["progress"]["skippedCount"] == 20_001  # all written by the first
    assert count_entities(reader.client("iottwinmaker", ACCOUNT)) == 20_000
