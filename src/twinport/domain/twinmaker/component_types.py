"""Saving component types: the one write path the API and bulk imports share."""

from __future__ import annotations

import time

from twinport.domain.outcome import Outcome
from twinport.domain.twinmaker import rules
from twinport.domain.twinmaker.catalog import TypeRecord, catalog_for
from twinport.domain.twinmaker.documents import (
    Doc,
    encode,
)
from twinport.errors import conflict
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import twinmaker as store


def save_component_type(
    conn: Connection,
    scope: Scope,
    ws: store.WorkspaceRow,
    doc: Doc,
    *,
    create_only: bool = False,
) -> tuple[Outcome, float, float]:
    """Create or replace a component type; (outcome, creation time, update time)."""
    type_id = doc["componentTypeId"]
    rules.check_type_id_writable(type_id)
    blob = encode(doc)
    existing = store.get_component_type(conn, ws.ws_key, type_id)
    if existing is not None:
        if create_only:
            raise conflict(
                f"Component type {type_id} already exists in workspace {ws.workspace_id}"
            )
        if existing.doc == blob:
            return Outcome.UNCHANGED, existing.created, existing.updated
    now = time.time()
    created = existing.created if existing is not None else now
    proposed = catalog_for(conn, scope, ws).with_type(TypeRecord(type_id, doc, created, now))
    rules.check_component_type(proposed, type_id)
    store.put_component_type(conn, ws.ws_key, type_id, blob, created, now)
    store.renew_types_token(conn, ws.ws_key)
    return (Outcome.CREATED if existing is None else Outcome.UPDATED), created, now
