"""AWS IoT SiteWise asset models and assets, persistent in the store.

`HANDLERS` serve the API; `twinport.domain.sitewise.bulk` offers the same rules to the
metadata transfer engine.
"""

from __future__ import annotations

from twinport.services.sitewise import (
    api_asset_models,
    api_assets,
    api_composite_models,
    api_configuration,
    api_tags,
    api_time_series,
)

HANDLERS = {
    **api_asset_models.HANDLERS,
    **api_assets.HANDLERS,
    **api_composite_models.HANDLERS,
    **api_tags.HANDLERS,
    **api_configuration.HANDLERS,
    **api_time_series.HANDLERS,
}
