"""TwinMaker identifiers: the ARNs of its resources, and the workspace an ARN names."""

from __future__ import annotations

import re

from twinport.domain.arns import PARTITION_PATTERN, arn
from twinport.scope import Scope

_WORKSPACE_ARN = re.compile(
    rf"arn:{PARTITION_PATTERN}:iottwinmaker:(?P<region>[a-z0-9-]+):(?P<account>\d{{12}})"
    r":workspace/(?P<id>[^/]+)"
)


def workspace_arn(scope: Scope, workspace_id: str) -> str:
    return arn(scope, "iottwinmaker", f"workspace/{workspace_id}")


def component_type_arn(scope: Scope, workspace_id: str, component_type_id: str) -> str:
    return f"{workspace_arn(scope, workspace_id)}/component-type/{component_type_id}"


def entity_arn(scope: Scope, workspace_id: str, entity_id: str) -> str:
    return f"{workspace_arn(scope, workspace_id)}/entity/{entity_id}"


def workspace_id_of(scope: Scope, id_or_arn: str) -> str | None:
    """The workspace id named by an id or by a workspace ARN; None for an ARN of elsewhere."""
    if not id_or_arn.startswith("arn:"):
        return id_or_arn
    found = _WORKSPACE_ARN.fullmatch(id_or_arn)
    if found is None or (found["account"], found["region"]) != (scope.account, scope.region):
        return None
    return found["id"]
