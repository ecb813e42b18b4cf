"""API throughput under keep-alive load, against moto's server as the peer, measured by wrk.

32 connections for 10 s on GetMetadataTransferJob and on ListEntities (pages of 100); moto
answers iot DescribeJob under the identical load. The other list operations (ListScenes,
ListTagsForResource, ListTimeSeries, ListAssetModelCompositeModels) under the same load must
hold the same p99. Then the same Get load while a large import runs: jobs must not starve the
API.

The server runs with `--api-processes 2`, one API process a core of the machine, as a server
under this load should. ListEntities is also measured on one API process, for comparison: one
event loop answers 32 connections one request at a time, and its p99 is two to five times
higher.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import boto3
from botocore.serialize import create_serializer
from tests.sitewise_files import measurement
from tests.transfer.helpers import import_job, make_workspace, upload, wait_for

from bench.common import ACCOUNT, Row, server, write_entities_file
from twinport.testing import free_port

CONNECTIONS = 32
SECONDS = 10
API_PROCESSES = 2
BUCKET = "bench-api"
_SIGNED = (
    "AWS4-HMAC-SHA256 Credential={account}/20260101/us-east-1/{service}/aws4_request, "
    "SignedHeaders=host, Signature=0"
)


@dataclass
class Load:
    requests_per_second: float
    p99_ms: float


def wrk(url: str, service: str, method: str = "GET", body: str = "") -> Load:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "{method}"\n')
        script.write(f"wrk.body = [[{body}]]\n")
        script.write('wrk.headers["Content-Type"] = "application/json"\n')
        auth = _SIGNED.format(account=ACCOUNT, service=service)
        script.write(f'wrk.headers["Authorization"] = "{auth}"\n')
    result = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(script.name).unlink()
    if "Non-2xx" in result.stdout:  # an error is no measure of the operation
        raise RuntimeError(f"{method} {url} answered errors under load:\n{result.stdout}")
    return Load(_rate(result.stdout), _p99(result.stdout))


def wrk_operation(twinport, service: str, operation: str, params: dict) -> Load:
    """wrk on one operation, its request made by botocore's own serializer from `params`."""
    model = twinport.client(service, ACCOUNT).meta.service_model
    request = create_serializer(model.metadata["protocol"]).serialize_to_request(
        params, model.operation_model(operation)
    )
    query = "&".join(f"{name}={value}" for name, value in request["query_string"].items())
    url = f"{twinport.url}{request['url_path']}" + (f"?{query}" if query else "")
    return wrk(url, service, request["method"], request["body"].decode())


def other_lists(twinport, workspace_arn: str) -> dict[str, Load]:
    """Pages of up to 100 of each list operation beside ListEntities, over resources made here."""
    twinmaker = twinport.client("iottwinmaker", ACCOUNT)
    sitewise = twinport.client("iotsitewise", ACCOUNT)
    for index in range(100):
        twinmaker.create_scene(
            workspaceId="plant", sceneId=f"scene-{index}", contentLocation=f"s3://{BUCKET}/s.json"
        )
    twinmaker.tag_resource(
        resourceARN=workspace_arn, tags={f"key-{index}": f"value-{index}" for index in range(50)}
    )
    model_id = sitewise.create_asset_model(
        assetModelName="Pump", assetModelProperties=[measurement("Speed")]
    )["assetModelId"]
    speed = sitewise.describe_asset_model(assetModelId=model_id)["assetModelProperties"][0]["id"]
    for index in range(10):
        sitewise.create_asset_model_composite_model(
            assetModelId=model_id,
            assetModelCompositeModelName=f"Part {index}",
            assetModelCompositeModelType="CUSTOM",
        )
    for index in range(100):
        asset = sitewise.create_asset(assetName=f"Pump {index}", assetModelId=model_id)
        sitewise.update_asset_property(
            assetId=asset["assetId"], propertyId=speed, propertyAlias=f"/plant/pump-{index}/speed"
        )
    return {
        "ListScenes (100/page)": wrk_operation(
            twinport, "iottwinmaker", "ListScenes", {"workspaceId": "plant", "maxResults": 100}
        ),
        "ListTagsForResource (50 tags)": wrk_operation(
            twinport, "iottwinmaker", "ListTagsForResource", {"resourceARN": workspace_arn}
        ),
        "ListTimeSeries (100/page)": wrk_operation(
            twinport, "iotsitewise", "ListTimeSeries", {"maxResults": 100}
        ),
        "ListAssetModelCompositeModels (10)": wrk_operation(
            twinport, "iotsitewise", "ListAssetModelCompositeModels", {"assetModelId": model_id}
        ),
    }


def p99_row(name: str, load: Load) -> Row:
    return Row(f"{name} p99", load.p99_ms, "ms", None, "", "<= 20 ms", load.p99_ms <= 20)


def _rate(output: str) -> float:
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _p99(output: str) -> float:
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def moto_peer() -> Load:
    from moto.server import ThreadedMotoServer

    # moto's server logs every request by default; the peer is measured without that cost.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    try:
        iot = boto3.client(
            "iot",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id=ACCOUNT,
            aws_secret_access_key="x",
        )
        thing = iot.create_thing(thingName="bench")["thingArn"]
        iot.create_job(jobId="bench-job", targets=[thing], document="{}")
        return wrk(f"http://127.0.0.1:{port}/jobs/bench-job", "iot")
    finally:
        moto.stop()


def seeded(twinport, workdir: Path) -> tuple[str, str]:
    """A workspace of 1,000 entities, imported; its ARN and the import's id."""
    workspace = make_workspace(twinport, ACCOUNT, "plant", BUCKET)
    entities = write_entities_file(workdir, 1000).read_bytes()
    small = upload(twinport, ACCOUNT, BUCKET, "small.json", entities)
    job_id = import_job(twinport, ACCOUNT, small, workspace)
    wait_for(twinport, ACCOUNT, job_id)
    return workspace, job_id


def list_entities(twinport) -> Load:
    return wrk(
        f"{twinport.url}/workspaces/plant/entities-list",
        "iottwinmaker",
        "POST",
        '{"maxResults": 100}',
    )


def run(workdir: Path) -> list[Row]:
    rows: list[Row] = []
    peer = moto_peer()
    with server() as one_process:
        seeded(one_process, workdir)
        alone = list_entities(one_process)
    with server("--api-processes", str(API_PROCESSES)) as twinport:
        workspace, job_id = seeded(twinport, workdir)
        get_url = f"{twinport.url}/metadata-transfer-jobs/{job_id}"
        get = wrk(get_url, "iottwinmaker")
        listing = list_entities(twinport)
        for name, load in (("GetMetadataTransferJob", get), ("ListEntities (100/page)", listing)):
            ratio_ok = load.requests_per_second >= 5 * peer.requests_per_second
            rows.append(
                Row(
                    f"{name} req/s",
                    load.requests_per_second,
                    "req/s",
                    peer.requests_per_second,
                    "moto",
                    ">= 5x moto",
                    ratio_ok,
                )
            )
            rows.append(p99_row(name, load))
        rows.append(
            Row(
                "ListEntities (100/page) p99, one API process",
                alone.p99_ms,
                "ms",
                listing.p99_ms,
                f"{API_PROCESSES} processes",
                "-",
                True,
            )
        )
        rows += [p99_row(name, load) for name, load in other_lists(twinport, workspace).items()]
        big = write_entities_file(workdir, 1_000_000)
        twinport.client("s3", ACCOUNT).upload_file(str(big), BUCKET, big.name)
        busy_job = import_job(twinport, ACCOUNT, f"arn:aws:s3:::{BUCKET}/{big.name}", workspace)
        wait_for(twinport, ACCOUNT, busy_job, states=("RUNNING",), timeout=600)
        time.sleep(1)
        busy = wrk(get_url, "iottwinmaker")
        state = twinport.client("iottwinmaker", ACCOUNT).get_metadata_transfer_job(
            metadataTransferJobId=busy_job
        )["status"]["state"]
        rows.append(
            Row(
                "Get req/s during 1M import",
                busy.requests_per_second,
                "req/s",
                get.requests_per_second,
                "idle",
                ">= 0.5x idle",
                busy.requests_per_second >= 0.5 * get.requests_per_second and state == "RUNNING",
            )
        )
        twinport.client("iottwinmaker", ACCOUNT).cancel_metadata_transfer_job(
            metadataTransferJobId=busy_job
        )
    return rows
