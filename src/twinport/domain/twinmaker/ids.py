"""TwinMaker identifiers: the ARNs of its resources, and the workspace an ARN names."""

from __future__ import annotations

import re
from typing import NamedTuple

from twinport.domain.arns import PARTITION_PATTERN, arn
from twinport.scope import Scope

# A workspace's ARN, or the ARN of a resource inside it (`.../workspace/<ws>/<kind>/<id>`).
_RESOURCE_ARN = re.compile(
    rf"arn:{PARTITION_PATTERN}:iottwinmaker:(?P<region>[a-z0-9-]+):(?P<account>\d{{12}})"
    r":workspace/(?P<workspace>[^/]+)(?:/(?P<kind>[a-z-]+)/(?P<id>[^/]+))?"
)


class ResourceArn(NamedTuple):
    workspace_id: str
    kind: str | None  # None for the workspace itself, else "entity", "component-type", ...
    resource_id: str | None


def parse_arn(scope: Scope, resource_arn: str) -> ResourceArn | None:
    """What a TwinMaker ARN of the scope names; None for another ARN or one of elsewhere."""
    found = _RESOURCE_ARN.fullmatch(resource_arn)
    if found is None or (found["account"], found["region"]) != (scope.account, scope.region):
        return None
    return ResourceArn(found["workspace"], found["kind"], found["id"])


def workspace_arn(scope: Scope, workspace_id: str) -> str:
    return arn(scope, "iottwinmaker", f"workspace/{workspace_id}")


def component_type_arn(scope: Scope, workspace_id: str, component_type_id: str) -> str:
    return f"{workspace_arn(scope, workspace_id)}/component-type/{component_type_id}"


def entity_arn(scope: Scope, workspace_id: str, entity_id: str) -> str:
    return entity_arn_in(workspace_arn(scope, workspace_id), entity_id)


def entity_arn_in(workspace_arn: str, entity_id: str) -> str:
    """An entity's ARN from its workspace's, for many entities of one workspace at once."""
    return f"{workspace_arn}/entity/{entity_id}"


def workspace_id_of(scope: Scope, id_or_arn: str) -> str | None:
    """The workspace id named by an id or by a workspace ARN; None for an ARN of elsewhere."""
    if not id_or_arn.startswith("arn:"):
        return id_or_arn
    found = parse_arn(scope, id_or_arn)
    return found.workspace_id if found is not None and found.kind is None else None
