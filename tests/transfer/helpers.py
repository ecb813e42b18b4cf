"""Shared steps of the transfer tests: a workspace, an uploaded file, waiting for a job."""

from __future__ import annotations

import time

import orjson

TERMINAL = ("COMPLETED", "ERROR", "CANCELLED")


def make_workspace(twinport, account: str, workspace_id: str, bucket: str, s3=None) -> str:
    """A workspace made through `twinport` and its bucket, made in the S3 of `s3` (another
    server, for nodes on an external S3) or of `twinport`; the workspace's ARN."""
    (s3 or twinport).client("s3", account).create_bucket(Bucket=bucket)
    twinport.client("iottwinmaker", account).create_workspace(
        workspaceId=workspace_id,
        s3Location=f"arn:aws:s3:::{bucket}",
        role=f"arn:aws:iam::{account}:role/twinmaker",
    )
    return f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/{workspace_id}"


def upload(twinport, account: str, bucket: str, key: str, document: dict | bytes) -> str:
    body = document if isinstance(document, bytes) else orjson.dumps(document)
    twinport.client("s3", account).put_object(Bucket=bucket, Key=key, Body=body)
    return f"arn:aws:s3:::{bucket}/{key}"


def import_job(twinport, account: str, source_arn: str, workspace_arn: str, **extra) -> str:
    response = twinport.client("iottwinmaker", account).create_metadata_transfer_job(
        sources=[{"type": "s3", "s3Configuration": {"location": source_arn}}],
        destination={
            "type": "iottwinmaker",
            "iotTwinMakerConfiguration": {"workspace": workspace_arn},
        },
        **extra,
    )
    return response["metadataTransferJobId"]


def exported_file(twinport, account: str, workspace_arn: str, bucket: str, **selection) -> dict:
    """The file a completed export of the workspace (`selection`: e.g. its filters) writes."""
    job_id = twinport.client("iottwinmaker", account).create_metadata_transfer_job(
        sources=[
            {
                "type": "iottwinmaker",
                "iotTwinMakerConfiguration": {"workspace": workspace_arn, **selection},
            }
        ],
        destination={"type": "s3", "s3Configuration": {"location": f"arn:aws:s3:::{bucket}"}},
    )["metadataTransferJobId"]
    assert wait_for(twinport, account, job_id)["status"]["state"] == "COMPLETED"
    body = twinport.client("s3", account).get_object(Bucket=bucket, Key=f"{job_id}.json")["Body"]
    return orjson.loads(body.read())


def wait_for(twinport, account: str, job_id: str, states=TERMINAL, timeout: float = 120) -> dict:
    client = twinport.client("iottwinmaker", account)
    deadline = time.monotonic() + timeout
    while True:
        job = client.get_metadata_transfer_job(metadataTransferJobId=job_id)
        state = job["status"]["state"]
        if state in states:
            return job
        if state in TERMINAL or time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} is {job['status']}, not one of {states}")
        time.sleep(0.02)


def entities_file(count: int, width: int = 100, type_id: str = "com.example.sensor") -> dict:
    """`count` entities, each with one component of one component type, parents `width` wide."""
    entities = []
    for index in range(count):
        parent = f"e{(index - 1) // width}" if index else "$ROOT"
        entities.append(
            {
                "entityId": f"e{index}",
                "entityName": f"entity {index}",
                "parentEntityId": parent,
                "components": {"sensor": {"componentTypeId": type_id}},
            }
        )
    return {
        "componentTypes": [
            {
                "componentTypeId": type_id,
                "description": "a sensor",
                "propertyDefinitions": {"temperature": {"dataType": {"type": "DOUBLE"}}},
            }
        ],
        "entities": entities,
    }


def read_report(job: dict) -> dict:
    import urllib.request

    with urllib.request.urlopen(job["reportUrl"]) as response:
        return orjson.loads(response.read())


def count_entities(client, workspace_id: str = "plant") -> int:
    count, token = 0, None
    while True:
        extra = {"nextToken": token} if token else {}
        page = client.list_entities(workspaceId=workspace_id, maxResults=200, **extra)
        count += len(page["entitySummaries"])
        token = page.get("nextToken")
        if not token:
            return count


def running_with_progress(twinport, account: str, job_id: str, at_least: int) -> dict:
    """The job once it runs and has written at least `at_least` resources."""
    client = twinport.client("iottwinmaker", account)
    job = wait_for(twinport, account, job_id, states=("RUNNING",))
    while job["status"]["state"] == "RUNNING" and job["progress"]["succeededCount"] < at_least:
        job = client.get_metadata_transfer_job(metadataTransferJobId=job_id)
    return job


# Three entities, one of which a workspace without com.example.missing cannot write, nor its
# child: an import of them ends with one failure, one dependent skipped, one written.
BROKEN_ENTITIES = {
    "entities": [
        {
            "entityId": "e-a",
            "entityName": "Entity A",
            "components": {"c": {"componentTypeId": "com.example.missing"}},
        },
        {"entityId": "e-b", "entityName": "Entity B", "parentEntityId": "e-a"},
        {"entityId": "e-c", "entityName": "Entity C"},
    ]
}
