"""AWS IoT TwinMaker workspaces, component types and entities.

`HANDLERS` serves the API operations; `twinport.domain.twinmaker.bulk` is what metadata
transfer jobs call to import into and export from a workspace.
"""

from __future__ import annotations

from twinport.services.twinmaker import api_component_types, api_entities, api_workspaces

HANDLERS = {
    **api_workspaces.HANDLERS,
    **api_component_types.HANDLERS,
    **api_entities.HANDLERS,
}
