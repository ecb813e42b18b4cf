"""CreateMetadataTransferJob, Get, List and Cancel: every rule and error case."""

from __future__ import annotations

import pytest

from tests.transfer.helpers import entities_file, import_job, make_workspace, upload, wait_for
from tests.wire.test_wire import error_of

S3_SOURCE = {"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::b/k.json"}}


@pytest.fixture
def account(twinport):
    return twinport.new_account()


@pytest.fixture
def workspace(twinport, account):
    return make_workspace(twinport, account, "plant", f"bucket-{account}")


def test_create_returns_validating_and_generates_a_uuid(twinport, account, workspace):
    source = upload(twinport, account, f"bucket-{account}", "in.json", {"entities": []})
    client = twinport.client("iottwinmaker", account)
    created = client.create_metadata_transfer_job(
        sources=[{"type": "s3", "s3Configuration": {"location": source}}],
        destination={"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": workspace}},
    )
    job_id = created["metadataTransferJobId"]
    assert len(job_id) == 36 and job_id == job_id.lower()
    assert created["status"]["state"] == "VALIDATING"
    assert (
        created["arn"] == f"arn:aws:iottwinmaker:us-east-1:{account}:metadata-transfer-job/{job_id}"
    )
    job = wait_for(twinport, account, job_id)
    assert job["status"]["state"] == "COMPLETED"
    assert job["metadataTransferJobRole"].startswith(f"arn:aws:iam::{account}:role/")
    assert job["sources"][0]["s3Configuration"]["location"] == source


def test_duplicate_job_id_is_a_conflict(twinport, account, workspace):
    source = upload(twinport, account, f"bucket-{account}", "in.json", {"entities": []})
    import_job(twinport, account, source, workspace, metadataTransferJobId="job-1")
    code, message, status = error_of(
        lambda: import_job(twinport, account, source, workspace, metadataTransferJobId="job-1")
    )
    assert (code, status) == ("ConflictException", 409)
    assert "job-1" in message


@pytest.mark.parametrize(
    "source, destination, fragment",
    [
        (
            S3_SOURCE,
            {"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::b"}},
            "from s3 to s3 is not supported",
        ),
        (
            {
                "type": "iottwinmaker",
                "iotTwinMakerConfiguration": {
                    "workspace": "arn:aws:iottwinmaker:us-east-1:111111111111:workspace/w"
                },
            },
            {"type": "iotsitewise"},
            "from iottwinmaker to iotsitewise is not supported",
        ),
        ({"type": "s3"}, {"type": "iotsitewise"}, "requires s3Configuration"),
        (
            {
                **S3_SOURCE,
                "iotTwinMakerConfiguration": {
                    "workspace": "arn:aws:iottwinmaker:us-east-1:111111111111:workspace/w"
                },
            },
            {"type": "iotsitewise"},
            "does not take iotTwinMakerConfiguration",
        ),
        (S3_SOURCE, {"type": "iottwinmaker"}, "requires iotTwinMakerConfiguration"),
    ],
)
def test_unsupported_pairs_and_mismatched_blocks(twinport, account, source, destination, fragment):
    client = twinport.client("iottwinmaker", account)
    code, message, _ = error_of(
        lambda: client.create_metadata_transfer_job(sources=[source], destination=destination)
    )
    assert code == "ValidationException"
    assert fragment in message


def test_workspace_of_another_account_or_missing(twinport, account):
    client = twinport.client("iottwinmaker", account)

    def create(workspace_arn):
        return client.create_metadata_transfer_job(
            sources=[S3_SOURCE],
            destination={
                "type": "iottwinmaker",
                "iotTwinMakerConfiguration": {"workspace": workspace_arn},
            },
        )

    code, _, _ = error_of(lambda: create("arn:aws:iottwinmaker:us-east-1:999999999999:workspace/w"))
    assert code == "ValidationException"
    code, _, _ = error_of(lambda: create(f"arn:aws:iottwinmaker:eu-west-1:{account}:workspace/w"))
    assert code == "ValidationException"
    code, message, status = error_of(
        lambda: create(f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/nope")
    )
    assert (code, status) == ("ResourceNotFoundException", 404)
    assert "nope" in message


def test_sitewise_filter_flag_combinations_are_refused(twinport, account):
    client = twinport.client("iottwinmaker", account)
    for item in (
        {
            "filterByAssetModel": {
                "assetModelExternalId": "m1",
                "includeAssets": True,
                "includeOffspring": True,
            }
        },
        {
            "filterByAsset": {
                "assetExternalId": "a1",
                "includeAssetModel": True,
                "includeOffspring": True,
            }
        },
    ):
        code, message, _ = error_of(
            lambda i=item: client.create_metadata_transfer_job(
                sources=[{"type": "iotsitewise", "iotSiteWiseConfiguration": {"filters": [i]}}],
                destination={"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::b"}},
            )
        )
        assert code == "ValidationException"
        assert "cannot both be true" in message


def test_quota_of_unfinished_jobs():
    from twinport.testing import TwinportServer

    with TwinportServer(env={"TWINPORT_MAX_QUEUED_JOBS": "2"}) as server:
        account = "123456789012"
        workspace = make_workspace(server, account, "plant", "quota-bucket")
        big = upload(server, account, "quota-bucket", "big.json", entities_file(20000))
        small = upload(server, account, "quota-bucket", "small.json", {"entities": []})
        running = import_job(server, account, big, workspace)
        wait_for(server, account, running, states=("RUNNING",))
        import_job(server, account, small, workspace)  # waits behind the running one
        code, message, status = error_of(lambda: import_job(server, account, small, workspace))
        assert (code, status) == ("ServiceQuotaExceededException", 402)
        assert "At most 2" in message


def test_get_and_cancel_unknown_job(twinport, account):
    client = twinport.client("iottwinmaker", account)
    for call in (
        lambda: client.get_metadata_transfer_job(metadataTransferJobId="nope"),
        lambda: client.cancel_metadata_transfer_job(metadataTransferJobId="nope"),
    ):
        code, message, status = error_of(call)
        assert (code, status) == ("ResourceNotFoundException", 404)
        assert "nope" in message


def test_cancel_of_finished_job_is_a_conflict_naming_the_state(twinport, account, workspace):
    source = upload(twinport, account, f"bucket-{account}", "in.json", {"entities": []})
    job_id = import_job(twinport, account, source, workspace)
    wait_for(twinport, account, job_id)
    client = twinport.client("iottwinmaker", account)
    code, message, status = error_of(
        lambda: client.cancel_metadata_transfer_job(metadataTransferJobId=job_id)
    )
    assert (code, status) == ("ConflictException", 409)
    assert "COMPLETED" in message


def test_list_filters_order_and_tokens(twinport, account, workspace):
    bucket = f"bucket-{account}"
    source = upload(twinport, account, bucket, "in.json", {"entities": []})
    other = make_workspace(twinport, account, "other", f"other-{account}")
    ids = [
        import_job(twinport, account, source, workspace, metadataTransferJobId=f"job-{i}")
        for i in range(5)
    ]
    import_job(twinport, account, source, other, metadataTransferJobId="job-other")
    for job_id in [*ids, "job-other"]:
        wait_for(twinport, account, job_id)
    client = twinport.client("iottwinmaker", account)

    listed = client.list_metadata_transfer_jobs(
        sourceType="s3", destinationType="iottwinmaker", filters=[{"workspaceId": "plant"}]
    )
    assert [s["metadataTransferJobId"] for s in listed["metadataTransferJobSummaries"]] == list(
        reversed(ids)
    )
    assert "nextToken" not in listed

    both = client.list_metadata_transfer_jobs(
        sourceType="s3",
        destinationType="iottwinmaker",
        filters=[{"workspaceId": "other"}, {"state": "COMPLETED"}],
    )
    assert [s["metadataTransferJobId"] for s in both["metadataTransferJobSummaries"]] == [
        "job-other"
    ]

    wrong_pair = client.list_metadata_transfer_jobs(sourceType="iottwinmaker", destinationType="s3")
    assert wrong_pair["metadataTransferJobSummaries"] == []

    pages, token = [], None
    while True:
        extra = {"nextToken": token} if token else {}
        page = client.list_metadata_transfer_jobs(
            sourceType="s3", destinationType="iottwinmaker", maxResults=2, **extra
        )
        pages.append([s["metadataTransferJobId"] for s in page["metadataTransferJobSummaries"]])
        token = page.get("nextToken")
        if not token:
            break
    assert pages == [["job-other", "job-4"], ["job-3", "job-2"], ["job-1", "job-0"]]

    first = client.list_metadata_transfer_jobs(
        sourceType="s3", destinationType="iottwinmaker", maxResults=2
    )
    token = first["nextToken"]
    code, _, _ = error_of(
        lambda: client.list_metadata_transfer_jobs(
            sourceType="s3",
            destinationType="iottwinmaker",
            nextToken=token,
            filters=[{"state": "ERROR"}],
        )
    )
    assert code == "ValidationException"
    altered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    code, _, _ = error_of(
        lambda: client.list_metadata_transfer_jobs(
            sourceType="s3", destinationType="iottwinmaker", nextToken=altered
        )
    )
    assert code == "ValidationException"
