"""AWS IoT SiteWise asset models and assets, persistent in the store.

`HANDLERS` serve the API; `twinport.domain.sitewise.bulk` offers the same rules to the
metadata transfer engine.
"""

from __future__ import annotations

from twinport.services.sitewise import api_asset_models as api_models
from twinport.services.sitewise import api_assets

HANDLERS = {
    "CreateAssetModel": api_models.create_asset_model,
    "DescribeAssetModel": api_models.describe_asset_model,
    "ListAssetModels": api_models.list_asset_models,
    "UpdateAssetModel": api_models.update_asset_model,
    "DeleteAssetModel": api_models.delete_asset_model,
    "ListAssetModelProperties": api_models.list_asset_model_properties,
    "CreateAsset": api_assets.create_asset,
    "DescribeAsset": api_assets.describe_asset,
    "ListAssets": api_assets.list_assets,
    "UpdateAsset": api_assets.update_asset,
    "DeleteAsset": api_assets.delete_asset,
    "AssociateAssets": api_assets.associate_assets,
    "DisassociateAssets": api_assets.disassociate_assets,
    "ListAssociatedAssets": api_assets.list_associated_assets,
    "ListAssetProperties": api_assets.list_asset_properties,
    "DescribeAssetProperty": api_assets.describe_asset_property,
    "UpdateAssetProperty": api_assets.update_asset_property,
    "ListAssetRelationships": api_assets.list_asset_relationships,
}

__all__ = ["HANDLERS"]
