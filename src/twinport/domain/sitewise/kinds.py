"""The identity rules asset models and assets share.

A resource is named by its id or its external id; a create may choose its id but not one that is
taken; an external id is unique in its scope and, once set, stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic

from twinport.domain.sitewise.faults import already_exists, invalid_request, not_found
from twinport.domain.sitewise.ids import Ref, asset_arn, model_arn
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import R

# How messages name the unique columns.
_LABELS = {"external_id": "external ID", "name": "name"}


@dataclass(frozen=True)
class Kind(Generic[R]):
    """Asset models or assets: where they are stored, how they are named and identified."""

    noun: str  # as messages name one resource of the kind
    table: repo.Table[R]
    arn: Callable[[Scope, str], str]

    def find(self, conn: Connection, scope: Scope, ref: Ref) -> R | None:
        """The resource `ref` names: by id, else by external id."""
        if ref.id is not None:
            found = repo.get(conn, scope, self.table, ref.id)
            if found is not None or ref.external_id is None:
                return found
        if ref.external_id is not None:
            return repo.get(conn, scope, self.table, ref.external_id, "external_id")
        return None

    def find_for_upsert(
        self,
        conn: Connection,
        scope: Scope,
        resource_id: str | None,
        external_id: str | None,
    ) -> R | None:
        """The resource a bulk document replaces: the one with its id if it gives one (a new
        resource otherwise), else the one with its external id."""
        if resource_id is not None:
            return repo.get(conn, scope, self.table, resource_id)
        return self.find(conn, scope, Ref(external_id=external_id))

    def require(self, conn: Connection, scope: Scope, ref: Ref) -> R:
        return self.present(self.find(conn, scope, ref), ref)

    def present(self, found: R | None, ref: Ref) -> R:
        """`found`, the resource `ref` names, unless there is none."""
        if found is None:
            raise not_found(f"{self.noun.capitalize()} {ref} does not exist.")
        return found

    def check_id_free(self, conn: Connection, scope: Scope, resource_id: str | None) -> None:
        """A create that chooses its id must choose one that no resource has."""
        if resource_id is not None and (taken := repo.get(conn, scope, self.table, resource_id)):
            raise already_exists(
                f"{self.noun.capitalize()} {resource_id} already exists.",
                taken.id,
                self.arn(scope, taken.id),
            )

    def check_unique(
        self,
        conn: Connection,
        scope: Scope,
        resource_id: str,
        value: str | None,
        column: str = "external_id",
    ) -> None:
        """No other resource of the kind may have `value` in `column`."""
        if value is not None:
            holder = repo.get(conn, scope, self.table, value, column)
            self.check_holder(scope, resource_id, value, holder, column)

    def check_holder(
        self,
        scope: Scope,
        resource_id: str,
        value: str,
        holder: R | None,
        column: str = "external_id",
    ) -> None:
        """`holder`, the resource that has `value` in `column` if any, must be `resource_id`."""
        if holder is not None and holder.id != resource_id:
            raise already_exists(
                f"Another {self.noun} ({holder.id}) already has the {_LABELS[column]} '{value}'.",
                holder.id,
                self.arn(scope, holder.id),
            )

    def kept_external_id(self, requested: str | None, existing: R | None) -> str | None:
        """The external id a write leaves: the requested one, unless `existing` has one."""
        if existing is None or existing.external_id is None:
            return requested
        if requested not in (None, existing.external_id):
            raise invalid_request(
                f"The external ID of {self.noun} {existing.id} is {existing.external_id}"
                " and cannot be changed."
            )
        return existing.external_id


MODELS = Kind("asset model", repo.MODELS, model_arn)
ASSETS = Kind("asset", repo.ASSETS, asset_arn)
