"""Rules a Create request must follow beyond its model constraints (decisions.md)."""

from __future__ import annotations

from dataclasses import dataclass

from twinport.context import Scope
from twinport.errors import validation

SUPPORTED_PAIRS = (
    ("s3", "iottwinmaker"),
    ("iottwinmaker", "s3"),
    ("s3", "iotsitewise"),
    ("iotsitewise", "s3"),
    ("iotsitewise", "iottwinmaker"),
)
# The configuration block each type needs, and whether it is required.
_SOURCE_BLOCKS = {
    "s3": ("s3Configuration", True),
    "iottwinmaker": ("iotTwinMakerConfiguration", True),
    "iotsitewise": ("iotSiteWiseConfiguration", False),
}
_DESTINATION_BLOCKS = {
    "s3": ("s3Configuration", True),
    "iottwinmaker": ("iotTwinMakerConfiguration", True),
    "iotsitewise": (None, False),
}


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str  # object key for a source; prefix (maybe empty) for a destination


def check_pair(source: dict, destination: dict) -> None:
    pair = (source["type"], destination["type"])
    if pair not in SUPPORTED_PAIRS:
        supported = ", ".join(f"{s} -> {d}" for s, d in SUPPORTED_PAIRS)
        raise validation(
            f"Transfer from {pair[0]} to {pair[1]} is not supported; supported: {supported}"
        )
    _check_blocks("sources[0]", source, _SOURCE_BLOCKS[source["type"]])
    _check_blocks("destination", destination, _DESTINATION_BLOCKS[destination["type"]])


def _check_blocks(where: str, config: dict, rule: tuple[str | None, bool]) -> None:
    wanted, required = rule
    others = [k for k in config if k != "type" and k != wanted and config[k] is not None]
    if others:
        raise validation(
            f"{where}: type {config['type']} does not take {', '.join(sorted(others))}"
        )
    if required and config.get(wanted) is None:
        raise validation(f"{where}: type {config['type']} requires {wanted}")


def check_sitewise_filters(source: dict) -> None:
    filters = (source.get("iotSiteWiseConfiguration") or {}).get("filters") or []
    for index, item in enumerate(filters):
        where = f"sources[0].iotSiteWiseConfiguration.filters[{index}]"
        by_model = item.get("filterByAssetModel")
        if by_model is not None:
            _one_identity(f"{where}.filterByAssetModel", by_model, "assetModelId")
            if by_model.get("includeAssets") and by_model.get("includeOffspring"):
                raise validation(
                    f"{where}.filterByAssetModel: includeAssets and includeOffspring"
                    " cannot both be true"
                )
        by_asset = item.get("filterByAsset")
        if by_asset is not None:
            _one_identity(f"{where}.filterByAsset", by_asset, "assetId")
            if by_asset.get("includeAssetModel") and by_asset.get("includeOffspring"):
                raise validation(
                    f"{where}.filterByAsset: includeAssetModel and includeOffspring"
                    " cannot both be true"
                )


def _one_identity(where: str, block: dict, id_member: str) -> None:
    external = id_member.replace("Id", "ExternalId")
    if (block.get(id_member) is None) == (block.get(external) is None):
        raise validation(f"{where}: give exactly one of {id_member} and {external}")


def workspace_of(arn: str, scope: Scope, where: str) -> str:
    """The workspace id an ARN names; ValidationException if it is not a workspace of the scope."""
    parts = arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 else ""
    if not resource.startswith("workspace/") or "/" in resource[len("workspace/") :]:
        raise validation(
            f"{where}: '{arn}' is not a workspace ARN (arn:aws:iottwinmaker:"
            "<region>:<account>:workspace/<workspaceId>)"
        )
    if parts[3] != scope.region or parts[4] != scope.account:
        raise validation(
            f"{where}: workspace '{arn}' is not in account {scope.account}, region {scope.region}"
        )
    return resource[len("workspace/") :]


def s3_location(arn: str) -> S3Location:
    """Bucket and key (or prefix) of an S3 ARN the model patterns already accepted."""
    path = arn.split(":::", 1)[1]
    bucket, _, key = path.partition("/")
    return S3Location(bucket, key)


def workspace_arn_of(config: dict | None) -> str | None:
    if not config:
        return None
    block = config.get("iotTwinMakerConfiguration")
    return block.get("workspace") if block else None
