"""Sync jobs: SiteWise asset models and assets brought into a workspace by asset sync.

twinport syncs once, when the job is created: every asset model and asset of the account and
region, mapped as a SiteWise → TwinMaker transfer maps them (`TwinMakerItems`) and written
through the same bulk functions, in the caller's transaction. A resource that already exists
in the workspace is not overwritten (as in AWS, it blocks its asset or model from syncing):
it is recorded in ERROR, and so is one the rules refuse (an entity whose parent failed, say).
Deleting the job deletes what it synced.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from twinport.domain.outcome import Outcome
from twinport.domain.sitewise.to_twinmaker import (
    COMPONENT_TYPES,
    ENTITIES,
    TwinMakerItems,
    component_type_id,
)
from twinport.domain.twinmaker import bulk, ids
from twinport.domain.twinmaker.catalog import catalog_for
from twinport.domain.twinmaker.documents import Doc, encode, uses_type_marker
from twinport.errors import ServiceError, conflict, not_found, validation
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sync_jobs as store
from twinport.store import twinmaker as twinmaker_store
from twinport.store.sync_jobs import SyncJobRow, SyncResourceRow
from twinport.store.twinmaker import WorkspaceRow

SITEWISE = "SITEWISE"
ENTITY = "ENTITY"
COMPONENT_TYPE = "COMPONENT_TYPE"
IN_SYNC = "IN_SYNC"
ERROR = "ERROR"

_MODEL_PREFIX = component_type_id("")


class _Kind(NamedTuple):
    """How one section of the mapped items is synced."""

    resource_type: str
    id_of: Callable[[Doc], str]
    external_id_of: Callable[[Doc], str]
    exists: Callable[[Connection, int, str], object]
    put: Callable[[Connection, Scope, str, Doc], Outcome]


_KINDS = {
    COMPONENT_TYPES: _Kind(
        COMPONENT_TYPE,
        lambda doc: doc["componentTypeId"],
        lambda doc: doc["componentTypeId"].removeprefix(_MODEL_PREFIX),
        twinmaker_store.get_component_type,
        bulk.put_component_type,
    ),
    ENTITIES: _Kind(
        ENTITY,
        lambda doc: doc["entityId"],
        lambda doc: doc["entityId"],  # the asset id
        twinmaker_store.get_entity,
        bulk.put_entity,
    ),
}


def sync_job_arn(scope: Scope, workspace_id: str, sync_source: str) -> str:
    return f"{ids.workspace_arn(scope, workspace_id)}/sync-job/{sync_source}"


def check_source(sync_source: str) -> None:
    if sync_source != SITEWISE:
        raise validation(f"Sync source {sync_source} is not supported: only {SITEWISE} is")


def create_sync_job(
    conn: Connection, scope: Scope, ws: WorkspaceRow, sync_source: str, doc: Doc
) -> float:
    """Record the job and sync every SiteWise model and asset into the workspace; its
    creation time."""
    check_source(sync_source)
    if store.get_job(conn, ws.ws_key, sync_source) is not None:
        raise conflict(f"A {sync_source} sync job already exists in workspace {ws.workspace_id}")
    now = time.time()
    store.insert_job(conn, ws.ws_key, sync_source, encode(doc), now)
    store.insert_resources(conn, ws.ws_key, sync_source, _sync(conn, scope, ws, now))
    return now


def _sync(conn: Connection, scope: Scope, ws: WorkspaceRow, now: float) -> list[SyncResourceRow]:
    items = TwinMakerItems(conn, scope)
    docs: dict[str, list[Doc]] = {COMPONENT_TYPES: [], ENTITIES: []}
    for section, _, doc in items:
        docs[section].append(doc)
    synced = []
    for section, order in items.plan().order.items():
        kind = _KINDS[section]
        for index in order:
            doc = docs[section][index]
            resource_id = kind.id_of(doc)
            error = None
            if kind.exists(conn, ws.ws_key, resource_id) is not None:
                error = f"{resource_id} already exists in workspace {ws.workspace_id}"
            else:
                try:
                    kind.put(conn, scope, ws.workspace_id, doc)
                except ServiceError as refused:
                    error = refused.message
            synced.append(
                SyncResourceRow(
                    kind.resource_type,
                    resource_id,
                    kind.external_id_of(doc),
                    ERROR if error else IN_SYNC,
                    error,
                    now,
                )
            )
    return synced


def require_job(conn: Connection, ws: WorkspaceRow, sync_source: str) -> SyncJobRow:
    row = store.get_job(conn, ws.ws_key, sync_source)
    if row is None:
        raise _job_not_found(sync_source, ws.workspace_id)
    return row


def find_job(conn: Connection, scope: Scope, sync_source: str) -> SyncJobRow:
    """The job of `sync_source` when no workspace is named: the only one of the account."""
    rows = store.jobs_of_source(conn, scope, sync_source)
    if not rows:
        raise not_found(f"No {sync_source} sync job found")
    if len(rows) > 1:
        raise validation(f"Several workspaces hold a {sync_source} sync job: name the workspace")
    return rows[0]


def delete_sync_job(conn: Connection, scope: Scope, ws: WorkspaceRow, sync_source: str) -> None:
    """Delete the job and the resources it synced: its entities (with anything put under
    them), then its component types that nothing else uses or extends any more."""
    require_job(conn, ws, sync_source)
    synced = store.list_resources(
        conn, ws.ws_key, sync_source, store.ResourceFilter(state=IN_SYNC), None, None
    )
    for row in synced:
        if row.resource_type == ENTITY:
            twinmaker_store.delete_subtree(conn, ws.ws_key, row.resource_id)
    type_ids = [row.resource_id for row in synced if row.resource_type == COMPONENT_TYPE]
    catalog = catalog_for(conn, scope, ws)
    for type_id in type_ids:
        in_use = twinmaker_store.any_entity_contains(conn, ws.ws_key, uses_type_marker(type_id))
        if not in_use and not catalog.extenders(type_id):
            twinmaker_store.delete_component_type(conn, ws.ws_key, type_id)
    if type_ids:
        twinmaker_store.renew_types_token(conn, ws.ws_key)
    store.delete_job(conn, ws.ws_key, sync_source)


def _job_not_found(sync_source: str, workspace_id: str) -> ServiceError:
    return not_found(f"No {sync_source} sync job found in workspace {workspace_id}")
