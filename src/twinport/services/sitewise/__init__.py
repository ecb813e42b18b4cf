"""AWS IoT SiteWise asset models and assets, persistent in the store.

`HANDLERS` serve the API; `twinport.domain.sitewise.bulk` offers the same rules to the
metadata transfer engine.
"""

from __future__ import annotations

from twinport.services.sitewise import api_asset_models, api_assets

HANDLERS = {
    **api_asset_models.HANDLERS,
    **api_assets.HANDLERS,
}
