"""Composite model operations: one composite model of an asset model created, replaced or deleted.

Each operation changes the model's definition and writes the whole model through
`write_asset_model`, so every rule of the model (unique member ids and names, unchangeable
property types, existing component models, ...) holds as it does for UpdateAssetModel, and the
model's version moves the same way. The checks made here are only those that need to know
which composite model the caller means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from twinport.domain.members import compact
from twinport.domain.sitewise.asset_models import write_asset_model
from twinport.domain.sitewise.definitions import AssetModelInput
from twinport.domain.sitewise.faults import already_exists, invalid_request, not_found
from twinport.domain.sitewise.ids import Ref, model_arn, new_id
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord


@dataclass
class CompositeInput:
    """What a request says a composite model is, in the vocabulary of the definitions.

    `id`, `model_type`, `composed` and `parent` are read on create only: an update keeps them."""

    name: str
    id: str | None = None
    external_id: str | None = None
    description: str | None = None
    model_type: str | None = None
    composed: Ref = field(default_factory=Ref)
    parent: Ref = field(default_factory=Ref)
    properties: list[dict] = field(default_factory=list)


def find_composite(model: AssetModelRecord, ref: Ref) -> dict | None:
    """The composite model of `model` that `ref` names."""
    return next((c for c in model.definition["compositeModels"] if ref.names(c)), None)


def require_composite(model: AssetModelRecord, ref: Ref) -> dict:
    found = find_composite(model, ref)
    if found is None:
        raise not_found(f"Composite model {ref} does not exist in asset model {model.id}.")
    return found


def create_composite(
    conn: Connection, scope: Scope, model: AssetModelRecord, request: CompositeInput, now: float
) -> tuple[AssetModelRecord, dict]:
    """Add a composite model to `model`: (the model as written, the new composite model)."""
    composite_id = request.id or new_id()
    _check_free(scope, model, request, composite_id, None)
    _check_kind(request.name, request.composed, request.properties)
    parent_id = require_composite(model, request.parent)["id"] if request.parent else None
    item = compact(
        id=composite_id,
        externalId=request.external_id,
        name=request.name,
        type=request.model_type,
        description=request.description,
        composedAssetModelId=request.composed.id,
        composedAssetModelExternalId=request.composed.external_id,
        parentId=parent_id,
        properties=request.properties,
    )
    written = _write(conn, scope, model, [*model.definition["compositeModels"], item], now)
    return written, require_composite(written, Ref(id=composite_id))


def update_composite(
    conn: Connection,
    scope: Scope,
    model: AssetModelRecord,
    ref: Ref,
    request: CompositeInput,
    now: float,
) -> tuple[AssetModelRecord, dict]:
    """Replace the composite model `ref` names (its name, description, external id and
    properties; its type, composed model and parent stay): (the model, the composite model)."""
    current = require_composite(model, ref)
    _check_free(scope, model, request, current["id"], current)
    composed = Ref(current.get("composedAssetModelId"))
    _check_kind(request.name, composed, request.properties)
    # Naming neither a composed model nor a parent keeps those of the composite it replaces.
    item = compact(
        id=current["id"],
        externalId=request.external_id,
        name=request.name,
        type=current["type"],
        description=request.description,
        properties=request.properties,
    )
    composites = [item if c is current else c for c in model.definition["compositeModels"]]
    written = _write(conn, scope, model, composites, now)
    return written, require_composite(written, Ref(id=current["id"]))


def delete_composite(
    conn: Connection, scope: Scope, model: AssetModelRecord, ref: Ref, now: float
) -> AssetModelRecord:
    """Remove the composite model `ref` names, with its properties and the composite models
    nested in it."""
    gone = {require_composite(model, ref)["id"]}
    composites = model.definition["compositeModels"]
    # Children may come before their parents: repeat until no composite joins.
    while nested := {c["id"] for c in composites if c.get("parentId") in gone} - gone:
        gone |= nested
    kept = [c for c in composites if c["id"] not in gone]
    return _write(conn, scope, model, kept, now)


def composition_relationships(
    conn: Connection, scope: Scope, component: AssetModelRecord
) -> list[tuple[AssetModelRecord, dict]]:
    """(asset model, composite model) for every composite model that composes `component`."""
    users = repo.models_referring_to(conn, scope, component.id)
    return [
        (model, composite)
        for model in repo.iter_models(conn, scope, users)
        for composite in model.definition["compositeModels"]
        if composite.get("composedAssetModelId") == component.id
    ]


def _check_free(
    scope: Scope,
    model: AssetModelRecord,
    request: CompositeInput,
    composite_id: str,
    current: dict | None,
) -> None:
    """No other composite model of `model` has the id, name or external id asked for."""
    others = [c for c in model.definition["compositeModels"] if c is not current]
    for key, value in (
        ("id", composite_id),
        ("name", request.name),
        ("externalId", request.external_id),
    ):
        holder = next((c for c in others if value is not None and c.get(key) == value), None)
        if holder is not None:
            raise already_exists(
                f"Composite model {holder['id']} of asset model {model.id} already has the"
                f" {key} '{value}'.",
                holder["id"],
                model_arn(scope, model.id),
            )


def _check_kind(name: str, composed: Ref, properties: list[dict]) -> None:
    """A composite model is inline (its own properties) or based on a component model, which
    brings the properties: never both."""
    if composed and properties:
        raise invalid_request(
            f"Composite model '{name}' is based on component model {composed} and cannot have"
            " properties of its own."
        )


def _write(
    conn: Connection, scope: Scope, model: AssetModelRecord, composites: list[dict], now: float
) -> AssetModelRecord:
    """`model` with `composites` in place of its composite models, written as UpdateAssetModel
    writes it. The stored definition is itself a valid request: every member keeps its id."""
    request = AssetModelInput(
        name=model.name,
        id=model.id,
        external_id=model.external_id,
        description=model.description,
        model_type=model.model_type,
        properties=model.definition["properties"],
        hierarchies=model.definition["hierarchies"],
        composite_models=composites,
        tags=model.tags,
    )
    return write_asset_model(conn, scope, request, model, now)[1]
