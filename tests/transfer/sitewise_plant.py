"""A SiteWise plant as one bulk file, and the steps the SiteWise transfer tests share."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import orjson

from tests.sitewise_files import attribute, measurement, metric
from tests.transfer.helpers import upload, wait_for

_VOLATILE = ("ResponseMetadata", "assetArn", "assetModelArn", "arn")
_VOLATILE_SUFFIXES = ("creationdate", "lastupdatedate")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Plant:
    """Sites hold lines, lines hold machines; machines compose a motor component model."""

    content: dict
    models: dict[str, str]  # "site" | "line" | "machine" | "motor" -> model id
    hierarchies: dict[str, str]  # "lines" | "machines" -> hierarchy id
    properties: dict[str, str]  # "serial" | "rpm" -> machine model property id
    sites: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    machines: list[str] = field(default_factory=list)
    children: dict[str, list[str]] = field(default_factory=dict)  # parent -> child ids

    @property
    def asset_ids(self) -> list[str]:
        return self.sites + self.lines + self.machines

    @property
    def parents(self) -> list[str]:
        return self.sites + self.lines

    def body(self) -> bytes:
        return orjson.dumps(self.content)


def plant(sites: int, lines_per_site: int, machines_per_line: int) -> Plant:
    """The file lists models and assets parents first, so the import has to reorder them."""
    models = {name: new_id() for name in ("site", "line", "machine", "motor")}
    hierarchies = {"lines": new_id(), "machines": new_id()}
    properties = {"serial": new_id(), "rpm": new_id()}
    asset_models = [
        {
            "assetModelId": models["site"],
            "assetModelExternalId": "site-model",
            "assetModelName": "Site",
            "assetModelProperties": [attribute("Region", "eu", externalId="region")],
            "assetModelHierarchies": [
                {"id": hierarchies["lines"], "name": "Lines", "childAssetModelId": models["line"]}
            ],
            "tags": [{"key": "level", "value": "site"}],
        },
        {
            "assetModelId": models["line"],
            "assetModelName": "Line",
            "assetModelDescription": "A production line",
            "assetModelProperties": [
                metric(
                    "Total RPM",
                    "sum(r)",
                    {"r": {"propertyExternalId": "rpm", "hierarchyId": hierarchies["machines"]}},
                    "5m",
                    externalId="line-rpm",
                    unit="rpm",
                )
            ],
            "assetModelHierarchies": [
                {
                    "id": hierarchies["machines"],
                    "externalId": "machines",
                    "name": "Machines",
                    "childAssetModelExternalId": "machine-model",
                }
            ],
        },
        {
            "assetModelId": models["machine"],
            "assetModelExternalId": "machine-model",
            "assetModelName": "Machine",
            "assetModelProperties": [
                attribute("Serial", "n/a", id=properties["serial"]),
                measurement("RPM", id=properties["rpm"], externalId="rpm", unit="rpm"),
                {
                    "name": "Hertz",
                    "externalId": "hertz",
                    "dataType": "DOUBLE",
                    "unit": "Hz",
                    "type": {
                        "transform": {
                            "expression": "r / 60",
                            "variables": [
                                {"name": "r", "value": {"propertyId": properties["rpm"]}}
                            ],
                        }
                    },
                },
            ],
            "assetModelCompositeModels": [
                {
                    "externalId": "drive",
                    "name": "Drive",
                    "type": "CUSTOM",
                    "composedAssetModelExternalId": "motor-model",
                }
            ],
        },
        {
            "assetModelId": models["motor"],
            "assetModelExternalId": "motor-model",
            "assetModelName": "Motor",
            "assetModelType": "COMPONENT_MODEL",
            "assetModelProperties": [measurement("Amps", externalId="amps")],
        },
    ]
    result = Plant({}, models, hierarchies, properties)
    assets = []
    for s in range(sites):
        site_id = new_id()
        site = {
            "assetId": site_id,
            "assetName": f"Site {s}",
            "assetModelId": models["site"],
            "assetHierarchies": [],
            "tags": [{"key": "site", "value": str(s)}],
        }
        assets.append(site)
        result.sites.append(site_id)
        for n in range(lines_per_site):
            line_id = new_id()
            line = {
                "assetId": line_id,
                "assetExternalId": f"line-{s}-{n}",
                "assetName": f"Line {s}-{n}",
                "assetDescription": f"Line {n} of site {s}",
                "assetModelId": models["line"],
                "assetHierarchies": [],
            }
            assets.append(line)
            result.lines.append(line_id)
            site["assetHierarchies"].append({"id": hierarchies["lines"], "childAssetId": line_id})
            for m in range(machines_per_line):
                machine_id = new_id()
                assets.append(
                    {
                        "assetId": machine_id,
                        "assetExternalId": f"machine-{s}-{n}-{m}",
                        "assetName": f"Machine {s}-{n}-{m}",
                        "assetModelExternalId": "machine-model",
                        "assetProperties": [
                            {"id": properties["serial"], "attributeValue": f"SN-{s}-{n}-{m}"},
                            {
                                "externalId": "rpm",
                                "alias": f"/plant/{s}/{n}/{m}/rpm",
                                "propertyNotificationState": "ENABLED" if m % 2 else "DISABLED",
                            },
                        ],
                    }
                )
                result.machines.append(machine_id)
                result.children.setdefault(line_id, []).append(machine_id)
                line["assetHierarchies"].append(
                    {"externalId": "machines", "childAssetExternalId": f"machine-{s}-{n}-{m}"}
                )
        result.children[site_id] = [h["childAssetId"] for h in site["assetHierarchies"]]
    result.content = {"assetModels": asset_models, "assets": assets}
    return result


def create_bucket(twinport, account: str, bucket: str) -> None:
    twinport.client("s3", account).create_bucket(Bucket=bucket)


def import_sitewise(twinport, account: str, source_arn: str) -> str:
    return twinport.client("iottwinmaker", account).create_metadata_transfer_job(
        sources=[{"type": "s3", "s3Configuration": {"location": source_arn}}],
        destination={"type": "iotsitewise"},
    )["metadataTransferJobId"]


def imported(twinport, account: str, bucket: str, content: dict | bytes, key="in.json") -> dict:
    """Upload `content`, import it into SiteWise and wait for the job's end."""
    source = upload(twinport, account, bucket, key, content)
    return wait_for(twinport, account, import_sitewise(twinport, account, source))


def sitewise_source(filters: list[dict] | None) -> dict:
    source: dict = {"type": "iotsitewise"}
    if filters is not None:
        source["iotSiteWiseConfiguration"] = {"filters": filters}
    return source


def exported(twinport, account: str, bucket: str, filters: list[dict] | None = None):
    """Export SiteWise to `s3://bucket/exports/`; (finished job, exported document)."""
    client = twinport.client("iottwinmaker", account)
    job_id = client.create_metadata_transfer_job(
        sources=[sitewise_source(filters)],
        destination={
            "type": "s3",
            "s3Configuration": {"location": f"arn:aws:s3:::{bucket}/exports"},
        },
    )["metadataTransferJobId"]
    job = wait_for(twinport, account, job_id)
    if job["status"]["state"] != "COMPLETED":
        return job, None
    body = twinport.client("s3", account).get_object(Bucket=bucket, Key=f"exports/{job_id}.json")
    return job, orjson.loads(body["Body"].read())


def to_twinmaker(twinport, account: str, workspace_arn: str, filters=None) -> dict:
    client = twinport.client("iottwinmaker", account)
    job_id = client.create_metadata_transfer_job(
        sources=[sitewise_source(filters)],
        destination={
            "type": "iottwinmaker",
            "iotTwinMakerConfiguration": {"workspace": workspace_arn},
        },
    )["metadataTransferJobId"]
    return wait_for(twinport, account, job_id)


def stable(response: dict) -> dict:
    """A Describe/List response without what differs between accounts: ARNs and dates."""
    if isinstance(response, dict):
        return {
            key: stable(value)
            for key, value in response.items()
            if key not in _VOLATILE and not key.lower().endswith(_VOLATILE_SUFFIXES)
        }
    if isinstance(response, list):
        return [stable(item) for item in response]
    return response


def progress(total: int, succeeded: int = -1, skipped: int = 0, failed: int = 0) -> dict:
    return {
        "totalCount": total,
        "succeededCount": total - skipped - failed if succeeded < 0 else succeeded,
        "skippedCount": skipped,
        "failedCount": failed,
    }


def asset_count(sitewise, model_ids: list[str]) -> int:
    count = 0
    for model_id in model_ids:
        pages = sitewise.get_paginator("list_assets").paginate(
            assetModelId=model_id, filter="ALL", PaginationConfig={"PageSize": 250}
        )
        count += sum(len(page["assetSummaries"]) for page in pages)
    return count
