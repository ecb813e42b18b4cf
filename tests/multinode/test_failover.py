"""A job outlives the node that ran it: another node on the database finishes it."""

from __future__ import annotations

import psycopg

from tests.multinode.cluster import needs_postgres
from tests.transfer.helpers import (
    count_entities,
    entities_file,
    import_job,
    read_report,
    running_with_progress,
    upload,
    wait_for,
)

pytestmark = needs_postgres
ACCOUNT = "123456789012"


def test_an_import_killed_with_its_node_is_finished_by_another_node(cluster):
    first = cluster.node("a")
    cluster.s3.client("s3", ACCOUNT).create_bucket(Bucket="failover")
    first.client("iottwinmaker", ACCOUNT).create_workspace(
        workspaceId="plant",
        s3Location="arn:aws:s3:::failover",
        role=f"arn:aws:iam::{ACCOUNT}:role/twinmaker",
    )
    workspace = f"arn:aws:iottwinmaker:us-east-1:{ACCOUNT}:workspace/plant"
    source = upload(cluster.s3, ACCOUNT, "failover", "big.json", entities_file(40_000))
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
