"""The filters of a SiteWise source: rules a Create request must follow beyond the model's."""

from __future__ import annotations

from twinport.errors import validation


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
