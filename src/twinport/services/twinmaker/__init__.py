"""AWS IoT TwinMaker workspaces, component types and entities.

`HANDLERS` serves the API operations; `twinport.services.twinmaker.bulk` is what metadata
transfer jobs call to import into and export from a workspace.
"""

from __future__ import annotations

from twinport.services.twinmaker import component_types, entities, workspaces

HANDLERS = {**workspaces.HANDLERS, **component_types.HANDLERS, **entities.HANDLERS}
