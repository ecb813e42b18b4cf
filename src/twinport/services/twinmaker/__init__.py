"""AWS IoT TwinMaker workspaces, component types and entities.

`HANDLERS` serves the API operations; `twinport.domain.twinmaker.bulk` is what metadata
transfer jobs call to import into and export from a workspace.
"""

from __future__ import annotations

from twinport.services.twinmaker import (
    api_component_types,
    api_entities,
    api_pricing,
    api_scenes,
    api_sync_jobs,
    api_tags,
    api_workspaces,
)

HANDLERS = {
    **api_workspaces.HANDLERS,
    **api_component_types.HANDLERS,
    **api_entities.HANDLERS,
    **api_tags.HANDLERS,
    **api_scenes.HANDLERS,
    **api_sync_jobs.HANDLERS,
    **api_pricing.HANDLERS,
}
