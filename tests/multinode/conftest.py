"""The `cluster` of the multi-node tests: its nodes are started by the test, one by one."""

from __future__ import annotations

import pytest

from tests.multinode.cluster import Cluster


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    # The nodes sign their S3 requests as each job's account, as a user's S3 client would.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    running = Cluster(tmp_path)
    yield running
    running.close()
