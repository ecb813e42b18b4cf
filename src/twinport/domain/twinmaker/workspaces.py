"""Finding the workspace every operation and job works in."""

from __future__ import annotations

from twinport.errors import ServiceError, not_found
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import twinmaker as store


def require_workspace(conn: Connection, scope: Scope, workspace_id: str) -> store.WorkspaceRow:
    row = store.get_workspace(conn, scope, workspace_id)
    if row is None:
        raise workspace_not_found(workspace_id)
    return row


def workspace_not_found(workspace_id: str) -> ServiceError:
    return not_found(f"Workspace {workspace_id} not found")
