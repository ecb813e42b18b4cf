"""--s3-endpoint-url: jobs read and write another S3 endpoint instead of the embedded one."""

from __future__ import annotations

import orjson

from tests.transfer.helpers import import_job, read_report, wait_for
from twinport.testing import DEFAULT_ACCOUNT, TwinportServer


def test_jobs_use_the_configured_s3_endpoint(twinport, monkeypatch):
    # The shared server plays the external S3; the server under test has no S3 of its own.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    external = twinport.client("s3", DEFAULT_ACCOUNT)
    external.create_bucket(Bucket="external-bucket")
    template = {"entities": [{"entityId": "pump-1", "entityName": "Pump 1"}]}
    external.put_object(Bucket="external-bucket", Key="in.json", Body=orjson.dumps(template))

    with TwinportServer(args=("--s3-endpoint-url", twinport.url)) as server:
        twinmaker = server.client("iottwinmaker", DEFAULT_ACCOUNT)
        twinmaker.create_workspace(
            workspaceId="plant",
            s3Location="arn:aws:s3:::external-bucket",
            role=f"arn:aws:iam::{DEFAULT_ACCOUNT}:role/twinmaker",
        )
        workspace = f"arn:aws:iottwinmaker:us-east-1:{DEFAULT_ACCOUNT}:workspace/plant"
        job_id = import_job(
            server, DEFAULT_ACCOUNT, "arn:aws:s3:::external-bucket/in.json", workspace
        )
        job = wait_for(server, DEFAULT_ACCOUNT, job_id)
        assert job["status"]["state"] == "COMPLETED", job
        assert (
            twinmaker.get_entity(workspaceId="plant", entityId="pump-1")["entityName"] == "Pump 1"
        )
        assert job["reportUrl"].startswith(twinport.url)
        assert read_report(job)["state"] == "COMPLETED"
        report_key = f"metadata-transfer-reports/{job_id}.json"
        assert external.head_object(Bucket="external-bucket", Key=report_key)["ContentLength"] > 0
