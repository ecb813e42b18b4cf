"""SiteWise identifiers: UUIDs, `externalId:` references, ARNs, notification topics."""

from __future__ import annotations

import re
import uuid
from typing import NamedTuple

from twinport.domain.arns import arn
from twinport.scope import Scope

EXTERNAL_PREFIX = "externalId:"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Ref(NamedTuple):
    """A reference to an object by its UUID, its external id, or (where allowed) both.

    A named tuple rather than a frozen dataclass: a bulk import makes several for every item,
    and a tuple is made and hashed in half the time."""

    id: str | None = None
    external_id: str | None = None

    def __bool__(self) -> bool:
        return self.id is not None or self.external_id is not None

    def names(self, member: dict) -> bool:
        """Whether this reference names `member` (a dict with `id` and maybe `externalId`)."""
        if self.id is not None:
            return member["id"] == self.id
        return self.external_id is not None and member.get("externalId") == self.external_id

    def __str__(self) -> str:
        return self.id if self.id is not None else f"{EXTERNAL_PREFIX}{self.external_id}"


def parse_custom_id(value: str | None) -> Ref:
    """A CustomID of the API: a UUID, or `externalId:` followed by an external id."""
    if value is None:
        return Ref()
    if value.startswith(EXTERNAL_PREFIX):
        return Ref(external_id=value[len(EXTERNAL_PREFIX) :])
    return Ref(id=value)


def is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


def new_id() -> str:
    return str(uuid.uuid4())


def model_arn(scope: Scope, model_id: str) -> str:
    return arn(scope, "iotsitewise", f"asset-model/{model_id}")


def asset_arn(scope: Scope, asset_id: str) -> str:
    return arn(scope, "iotsitewise", f"asset/{asset_id}")


def notification_topic(model_id: str, asset_id: str, property_id: str) -> str:
    return f"$aws/sitewise/asset-models/{model_id}/assets/{asset_id}/properties/{property_id}"
