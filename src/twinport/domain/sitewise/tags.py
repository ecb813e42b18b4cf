"""Tags of asset models and assets: the one place they are read and changed by ARN.

Tags are a member of the model's or asset's record, which Create, Update and bulk imports write
with the rest of it. Tagging and untagging rewrite only that member: not the update time, not a
model's version.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from twinport.domain.arns import PARTITION_PATTERN
from twinport.domain.sitewise.faults import invalid_request, not_found
from twinport.domain.sitewise.kinds import ASSETS, MODELS, Kind
from twinport.domain.tags import with_added, without
from twinport.scope import Scope
from twinport.store import Connection
from twinport.store import sitewise as repo
from twinport.store.sitewise import AssetModelRecord, AssetRecord

_ARN = re.compile(
    rf"arn:{PARTITION_PATTERN}:iotsitewise:(?P<region>[a-z0-9-]+):(?P<account>\d{{12}})"
    r":(?P<kind>[a-z-]+)/(?P<id>[^/]+)"
)
# The kinds twinport holds; AWS's others (gateways, portals, projects, ...) name no resource here.
_KINDS: dict[str, Kind] = {"asset-model": MODELS, "asset": ASSETS}


def tags_of(conn: Connection, scope: Scope, resource_arn: str) -> dict[str, str]:
    return _find(conn, scope, resource_arn)[1].tags


def tag(conn: Connection, scope: Scope, resource_arn: str, tags: dict[str, str]) -> None:
    """Add `tags` to the resource's, replacing the values of keys it has."""
    kind, record = _find(conn, scope, resource_arn)
    merged = with_added(record.tags, tags, resource_arn, resourceName=resource_arn)
    if merged != record.tags:
        repo.set_tags(conn, scope, kind.table, record.id, merged)


def untag(conn: Connection, scope: Scope, resource_arn: str, keys: Iterable[str]) -> None:
    """Remove the tags with these keys; keys the resource does not have are ignored."""
    kind, record = _find(conn, scope, resource_arn)
    kept = without(record.tags, keys)
    if kept != record.tags:
        repo.set_tags(conn, scope, kind.table, record.id, kept)


def _find(
    conn: Connection, scope: Scope, resource_arn: str
) -> tuple[Kind, AssetModelRecord | AssetRecord]:
    found = _ARN.fullmatch(resource_arn)
    if found is None:
        raise invalid_request(f"{resource_arn} is not a valid AWS IoT SiteWise resource ARN.")
    kind = _KINDS.get(found["kind"])
    elsewhere = (found["account"], found["region"]) != (scope.account, scope.region)
    if (
        kind is None
        or elsewhere
        or (record := repo.get(conn, scope, kind.table, found["id"])) is None
    ):
        raise not_found(f"Resource {resource_arn} does not exist.")
    return kind, record
