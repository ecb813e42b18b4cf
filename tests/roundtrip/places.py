"""Import a file into an empty place (a workspace, or a SiteWise account), export it, and read
back every resource through the API, in the shape both round trips compare."""

from __future__ import annotations

from dataclasses import dataclass

import orjson

from tests.transfer.helpers import import_job, make_workspace, read_report, upload, wait_for
from tests.transfer.sitewise_plant import create_bucket, exported, imported, stable

BUILT_IN = "com.amazon."
_TWINMAKER_VOLATILE = ("arn", "creationDateTime", "updateDateTime", "workspaceId")


def assert_completed(job: dict) -> None:
    progress = job.get("progress", {})
    assert job["status"]["state"] == "COMPLETED" and progress.get("failedCount") == 0, (
        job["status"],
        progress,
        read_report(job)["errors"][:5] if job.get("reportUrl") else None,
    )


@dataclass
class Workspace:
    """An empty workspace of an account of its own."""

    twinport: object
    account: str
    workspace_id: str = "place"

    def __post_init__(self) -> None:
        self.bucket = f"place-{self.account}"
        self.arn = make_workspace(self.twinport, self.account, self.workspace_id, self.bucket)
        self.client = self.twinport.client("iottwinmaker", self.account)

    @classmethod
    def fresh(cls, twinport) -> Workspace:
        return cls(twinport, twinport.new_account())

    def import_file(self, content: dict | bytes) -> dict:
        source = upload(self.twinport, self.account, self.bucket, "in.json", content)
        return wait_for(
            self.twinport, self.account, import_job(self.twinport, self.account, source, self.arn)
        )

    def export(self) -> dict:
        job_id = self.client.create_metadata_transfer_job(
            sources=[
                {"type": "iottwinmaker", "iotTwinMakerConfiguration": {"workspace": self.arn}}
            ],
            destination={
                "type": "s3",
                "s3Configuration": {"location": f"arn:aws:s3:::{self.bucket}/out"},
            },
        )["metadataTransferJobId"]
        assert_completed(wait_for(self.twinport, self.account, job_id))
        s3 = self.twinport.client("s3", self.account)
        body = s3.get_object(Bucket=self.bucket, Key=f"out/{job_id}.json")["Body"].read()
        return orjson.loads(body)

    def resources(self) -> dict:
        """Every component type (built-ins aside) and entity, as Get shows them."""
        ws = {"workspaceId": self.workspace_id}
        types = [
            s["componentTypeId"]
            for s in _pages(self.client.list_component_types, "componentTypeSummaries", **ws)
            if not s["componentTypeId"].startswith(BUILT_IN)
        ]
        entities = [
            s["entityId"] for s in _pages(self.client.list_entities, "entitySummaries", **ws)
        ]
        return {
            **{
                ("ComponentType", t): _without(
                    self.client.get_component_type(componentTypeId=t, **ws), _TWINMAKER_VOLATILE
                )
                for t in types
            },
            **{
                ("Entity", e): _without(
                    self.client.get_entity(entityId=e, **ws), _TWINMAKER_VOLATILE
                )
                for e in entities
            },
        }


@dataclass
class SiteWiseAccount:
    """An account of its own, with no asset model or asset."""

    twinport: object
    account: str

    def __post_init__(self) -> None:
        self.bucket = f"place-{self.account}"
        create_bucket(self.twinport, self.account, self.bucket)
        self.client = self.twinport.client("iotsitewise", self.account)

    @classmethod
    def fresh(cls, twinport) -> SiteWiseAccount:
        return cls(twinport, twinport.new_account())

    def import_file(self, content: dict | bytes) -> dict:
        return imported(self.twinport, self.account, self.bucket, content)

    def export(self) -> dict:
        job, document = exported(self.twinport, self.account, self.bucket)
        assert_completed(job)
        return document

    def resources(self) -> dict:
        """Every asset model and asset, as Describe shows them (with their properties)."""
        found: dict = {}
        for page in self.client.get_paginator("list_asset_models").paginate(
            assetModelTypes=["ASSET_MODEL", "COMPONENT_MODEL"]
        ):
            for summary in page["assetModelSummaries"]:
                model_id = summary["id"]
                found[("AssetModel", model_id)] = stable(
                    self.client.describe_asset_model(assetModelId=model_id)
                )
                for assets in self.client.get_paginator("list_assets").paginate(
                    assetModelId=model_id, filter="ALL"
                ):
                    for asset in assets["assetSummaries"]:
                        found[("Asset", asset["id"])] = stable(
                            self.client.describe_asset(assetId=asset["id"])
                        )
        return found


def _pages(operation, member: str, **request) -> list[dict]:
    """Every item of a TwinMaker list, which botocore cannot paginate."""
    items, token = [], None
    while True:
        page = operation(**request, **({"nextToken": token} if token else {}))
        items += page[member]
        token = page.get("nextToken")
        if not token:
            return items


def _without(response: dict, volatile: tuple[str, ...]) -> dict:
    return {k: v for k, v in response.items() if k not in (*volatile, "ResponseMetadata")}


def round_trip(kind: type[Workspace] | type[SiteWiseAccount], twinport, content: dict) -> None:
    """Import `content` into one empty place, export, import the export into another empty
    place, export again: both imports complete, the exports and the resources are equal."""
    first = kind.fresh(twinport)
    assert_completed(first.import_file(content))
    exported_once = first.export()
    second = kind.fresh(twinport)
    assert_completed(second.import_file(exported_once))
    assert second.export() == exported_once
    assert second.resources() == first.resources()
