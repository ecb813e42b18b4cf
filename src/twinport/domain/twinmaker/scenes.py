"""Scenes of a workspace: their ARN, their stored settings, finding one."""

from __future__ import annotations

from twinport.domain.twinmaker import ids
from twinport.domain.twinmaker.documents import Doc
from twinport.errors import not_found
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import scenes as store
from twinport.store.twinmaker import WorkspaceRow

# What CreateScene keeps (tags are kept for the tag operations; Get does not show them) and
# what UpdateScene may replace.
CREATE_SETTINGS = ("contentLocation", "description", "capabilities", "sceneMetadata", "tags")
UPDATE_SETTINGS = ("contentLocation", "description", "capabilities", "sceneMetadata")


def scene_arn(scope: Scope, workspace_id: str, scene_id: str) -> str:
    return scene_arn_in(ids.workspace_arn(scope, workspace_id), scene_id)


def scene_arn_in(workspace_arn: str, scene_id: str) -> str:
    """A scene's ARN from its workspace's, for many scenes of one workspace at once."""
    return f"{workspace_arn}/scene/{scene_id}"


def settings(request: Doc, names: tuple[str, ...]) -> Doc:
    """The members of `names` the request gives."""
    return {name: request[name] for name in names if request.get(name) is not None}


def require_scene(conn: Connection, ws: WorkspaceRow, scene_id: str) -> store.SceneRow:
    row = store.get_scene(conn, ws.ws_key, scene_id)
    if row is None:
        raise not_found(f"Scene {scene_id} not found in workspace {ws.workspace_id}")
    return row
