"""kill -9 at random points while jobs and uploads run, restart, and find every count exact.

`make test` kills a few times per scenario; `make stress` (TWINPORT_STRESS=1) many more, on
larger data. The kill points come from a seeded generator, so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from tests.robustness import summary
from tests.transfer.helpers import (
    count_entities,
    entities_file,
    import_job,
    make_workspace,
    upload,
    wait_for,
)
from tests.transfer.sitewise_plant import asset_count, import_sitewise, plant
from twinport.testing import TwinportServer

STRESS = os.environ.get("TWINPORT_STRESS") == "1"
KILLS = 12 if STRESS else 3
ACCOUNT = "123456789012"
TERMINAL = ("COMPLETED", "ERROR", "CANCELLED")


@pytest.fixture
def server(tmp_path):
    with TwinportServer(tmp_path / "data") as running:
        yield running


def crash_while_running(server: TwinportServer, job_id: str, seed: int) -> dict:
    """Kill the server at once, then at random moments until the job has ended; its final
    state. The first kill comes before the job can have ended, so every scenario has one."""
    chance = random.Random(seed)
    client = server.client("iottwinmaker", ACCOUNT)
    for kill in range(KILLS):
        time.sleep(chance.uniform(0.05, 1.5) if kill else 0)
        if client.get_metadata_transfer_job(metadataTransferJobId=job_id)["status"]["state"] in (
            TERMINAL
        ):
            assert kill, "the job ended before the first kill"
            break
        server.kill()
        server.start()
        summary.add("kill -9 survived", 1)
        client = server.client("iottwinmaker", ACCOUNT)
    return wait_for(server, ACCOUNT, job_id, timeout=600)


def exact(total: int) -> dict:
    return {"totalCount": total, "succeededCount": total, "skippedCount": 0, "failedCount": 0}


def test_twinmaker_import_and_export_survive_kills(server):
    entities = 60_000 if STRESS else 20_000
    workspace = make_workspace(server, ACCOUNT, "plant", "crash-twinmaker")
    source = upload(server, ACCOUNT, "crash-twinmaker", "in.json", entities_file(entities))
    imported = crash_while_running(server, import_job(server, ACCOUNT, source, workspace), 1)
    assert imported["status"]["state"] == "COMPLETED", imported
    assert imported["progress"] == exact(entities + 1)
    assert count_entities(server.client("iottwinmaker", ACCOUNT)) == entities
    summary.add("resources checked after kills, none lost", entities + 1)

    export = server.client("iottwinmaker", ACCOUNT).create_metadata_transfer_job(
        sources=[{"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": workspace}}],
        destination={"type": "s3", "s3Configuration": {"location": "arn:aws:s3:::crash-twinmaker"}},
    )["metadataTransferJobId"]
    exported = crash_while_running(server, export, 2)
    assert exported["status"]["state"] == "COMPLETED", exported
    assert exported["progress"] == exact(entities + 1)
    head = server.client("s3", ACCOUNT).head_object(Bucket="crash-twinmaker", Key=f"{export}.json")
    assert head["ContentLength"] > entities * 50


def test_sitewise_import_survives_kills(server):
    lines = 20 if STRESS else 6
    site = plant(2, lines, 50)
    server.client("s3", ACCOUNT).create_bucket(Bucket="crash-sitewise")
    source = upload(server, ACCOUNT, "crash-sitewise", "plant.json", site.body())
    done = crash_while_running(server, import_sitewise(server, ACCOUNT, source), 3)
    assert done["status"]["state"] == "COMPLETED", done
    total = len(site.models) + len(site.asset_ids)
    assert done["progress"] == exact(total)
    sitewise = server.client("iotsitewise", ACCOUNT)
    assert asset_count(sitewise, list(site.models.values())) == len(site.asset_ids)
    summary.add("resources checked after kills, none lost", total)


def test_acknowledged_multipart_parts_survive_kills(server):
    s3 = server.client("s3", ACCOUNT)
    s3.create_bucket(Bucket="crash-multipart")
    upload_id = s3.create_multipart_upload(Bucket="crash-multipart", Key="big")["UploadId"]
    chance = random.Random(4)
    parts, expected = [], b""
    for number in range(1, (8 if STRESS else 4) + 1):
        body = bytes([number]) * (5 << 20)
        etag = s3.upload_part(
            Bucket="crash-multipart", Key="big", UploadId=upload_id, PartNumber=number, Body=body
        )["ETag"]
        parts.append({"PartNumber": number, "ETag": etag})
        expected += body
        if chance.random() < 0.5:  # every acknowledged part must outlive a kill
            server.kill()
            server.start()
            summary.add("kill -9 survived", 1)
            s3 = server.client("s3", ACCOUNT)
    listed = s3.list_parts(Bucket="crash-multipart", Key="big", UploadId=upload_id)["Parts"]
    assert [p["ETag"] for p in listed] == [p["ETag"] for p in parts]
    s3.complete_multipart_upload(
        Bucket="crash-multipart", Key="big", UploadId=upload_id, MultipartUpload={"Parts": parts}
    )
    assert s3.get_object(Bucket="crash-multipart", Key="big")["Body"].read() == expected
    summary.add("acknowledged upload parts checked after kills, none lost", len(parts))
