"""Asset model rules: identity, unique names, create / replace / delete.

Every writer (API handlers and bulk import alike) goes through `write_asset_model`, on an open
connection inside the caller's transaction.
"""

from __future__ import annotations

import base64
import hashlib

from twinport.domain.outcome import Outcome
from twinport.domain.sitewise.definitions import (
    ASSET_MODEL,
    AssetModelInput,
    build_definition,
    member_ids,
)
from twinport.domain.sitewise.faults import conflicting, invalid_request
from twinport.domain.sitewise.ids import model_arn, new_id
from twinport.domain.sitewise.kinds import MODELS
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord


def etag(model: AssetModelRecord) -> str:
    """43 URL-safe characters that change with every new version of the model."""
    digest = hashlib.sha256(f"{model.id}:{model.version}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def write_asset_model(
    conn: Connection,
    scope: Scope,
    request: AssetModelInput,
    existing: AssetModelRecord | None,
    now: float,
) -> tuple[Outcome, AssetModelRecord]:
    """Create the model (`existing` None) or replace `existing` with what `request` says.

    Every rule is checked before the first write, so a refused request writes nothing."""
    model_id = existing.id if existing else request.id or new_id()
    external_id = MODELS.kept_external_id(request.external_id, existing)
    MODELS.check_unique(conn, scope, model_id, external_id)
    MODELS.check_unique(conn, scope, model_id, request.name, "name")
    model_type = request.model_type or (existing.model_type if existing else ASSET_MODEL)
    if existing and model_type != existing.model_type:
        raise invalid_request(
            f"The type of asset model {model_id} is {existing.model_type} and cannot be changed."
        )
    definition = build_definition(
        model_id,
        external_id,
        request,
        existing.definition if existing else None,
        lambda ref: MODELS.find(conn, scope, ref),
    )
    tags = request.tags if request.tags is not None else (existing.tags if existing else {})
    record = AssetModelRecord(
        id=model_id,
        external_id=external_id,
        name=request.name,
        description=request.description,
        model_type=model_type,
        version=1,
        definition=definition,
        tags=tags,
        created=now,
        updated=now,
    )
    if existing is None:
        repo.insert(conn, scope, repo.MODELS, record)
        return Outcome.CREATED, record
    if _same_content(record, existing):
        return Outcome.UNCHANGED, existing
    record.created, record.seq = existing.created, existing.seq
    record.version = existing.version + 1
    repo.update(conn, scope, repo.MODELS, record)
    old_properties, old_hierarchies = member_ids(existing.definition)
    new_properties, new_hierarchies = member_ids(definition)
    repo.forget_model_members(
        conn,
        scope,
        model_id,
        sorted(old_properties - new_properties),
        sorted(old_hierarchies - new_hierarchies),
    )
    return Outcome.UPDATED, record


def create_asset_model(
    conn: Connection, scope: Scope, request: AssetModelInput, now: float
) -> AssetModelRecord:
    MODELS.check_id_free(conn, scope, request.id)
    return write_asset_model(conn, scope, request, None, now)[1]


def delete_asset_model(conn: Connection, scope: Scope, model: AssetModelRecord) -> None:
    arn = model_arn(scope, model.id)
    if repo.has_asset_with(conn, scope, "model_id", model.id):
        raise conflicting(
            f"Asset model {model.id} has assets. Delete its assets before you delete the model.",
            model.id,
            arn,
        )
    users = repo.models_referring_to(conn, scope, model.id)
    if users:
        raise conflicting(
            f"Asset model {model.id} is used by asset model {users[0]} in a hierarchy or"
            " composite model.",
            model.id,
            arn,
        )
    repo.delete(conn, scope, repo.MODELS, model.id)


def _same_content(new: AssetModelRecord, old: AssetModelRecord) -> bool:
    return (
        new.external_id == old.external_id
        and new.name == old.name
        and new.description == old.description
        and new.model_type == old.model_type
        and repo.dumps(new.definition) == repo.dumps(old.definition)
        and new.tags == old.tags
    )
