"""`twinport serve`: flags, their environment variables, and what they change."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.transfer.helpers import entities_file, import_job, make_workspace, upload, wait_for
from twinport.config import Settings
from twinport.testing import TwinportServer


def test_help_names_every_flag_with_its_default():
    result = subprocess.run(
        [sys.executable, "-m", "twinport", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for flag in ("--host", "--port", "--data-dir", "--s3-endpoint-url", "--max-running-jobs"):
        assert flag in result.stdout
    assert "127.0.0.1" in result.stdout and "4777" in result.stdout
    assert "TWINPORT_" in result.stdout


def test_environment_variables_set_flags_and_flags_win():
    environ = {
        "TWINPORT_PORT": "5001",
        "TWINPORT_DATA_DIR": "/srv/tp",
        "TWINPORT_HOST": "0.0.0.0",
        "TWINPORT_MAX_QUEUED_JOBS": "7",
    }
    settings = Settings.from_env(environ, port=None, host="127.0.0.2")
    assert settings.port == 5001
    assert settings.max_queued_jobs == 7
    assert settings.data_dir == Path("/srv/tp")
    assert settings.host == "127.0.0.2"


def test_max_running_jobs_lets_jobs_of_one_account_run_together(tmp_path):
    with TwinportServer(tmp_path / "data", args=("--max-running-jobs", "2")) as server:
        account = "123456789012"
        workspace = make_workspace(server, account, "plant", "parallel-bucket")
        source = upload(server, account, "parallel-bucket", "big.json", entities_file(150_000))
        first = import_job(server, account, source, workspace)
        second = import_job(server, account, source, workspace)
        wait_for(server, account, first, states=("RUNNING",))
        wait_for(server, account, second, states=("RUNNING",))
        client = server.client("iottwinmaker", account)
        states = {
            client.get_metadata_transfer_job(metadataTransferJobId=job_id)["status"]["state"]
            for job_id in (first, second)
        }
        assert states == {"RUNNING"}
        for job_id in (first, second):
            client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)
            assert wait_for(server, account, job_id)["status"]["state"] == "CANCELLED"
