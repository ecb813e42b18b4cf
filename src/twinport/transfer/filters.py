"""The filters of a SiteWise source: rules a Create request must follow beyond the model's."""

from __future__ import annotations

from twinport.errors import validation

# Each filter: the block, the id member it names its resource by (or the external id), and the
# two options that cannot both be true.
_FILTERS = (
    ("filterByAssetModel", "assetModelId", ("includeAssets", "includeOffspring")),
    ("filterByAsset", "assetId", ("includeAssetModel", "includeOffspring")),
)


def check_sitewise_filters(source: dict) -> None:
    filters = (source.get("iotSiteWiseConfiguration") or {}).get("filters") or []
    for index, item in enumerate(filters):
        for kind, id_member, (one, other) in _FILTERS:
            block = item.get(kind)
            if block is None:
                continue
            where = f"sources[0].iotSiteWiseConfiguration.filters[{index}].{kind}"
            _one_identity(where, block, id_member)
            if block.get(one) and block.get(other):
                raise validation(f"{where}: {one} and {other} cannot both be true")


def _one_identity(where: str, block: dict, id_member: str) -> None:
    external = id_member.replace("Id", "ExternalId")
    if (block.get(id_member) is None) == (block.get(external) is None):
        raise validation(f"{where}: give exactly one of {id_member} and {external}")
