"""The places a job's configuration names: S3 objects and prefixes, TwinMaker workspaces."""

from __future__ import annotations

from dataclasses import dataclass

from twinport.errors import validation
from twinport.scope import Scope


@dataclass(frozen=True)
class S3Location:
    bucket: str
    key: str  # object key for a source; prefix (maybe empty) for a destination


def s3_location(arn: str) -> S3Location:
    """Bucket and key (or prefix) of an S3 ARN the model patterns already accepted."""
    path = arn.split(":::", 1)[1]
    bucket, _, key = path.partition("/")
    return S3Location(bucket, key)


def join_key(prefix: str, name: str) -> str:
    prefix = prefix.strip("/")
    return f"{prefix}/{name}" if prefix else name


def workspace_of(arn: str, scope: Scope, where: str) -> str:
    """The workspace id an ARN names; ValidationException if it is not a workspace of the scope."""
    parts = arn.split(":", 5)
    resource = parts[5] if len(parts) == 6 else ""
    if not resource.startswith("workspace/") or "/" in resource[len("workspace/") :]:
        raise validation(
            f"{where}: '{arn}' is not a workspace ARN (arn:aws:iottwinmaker:"
            "<region>:<account>:workspace/<workspaceId>)"
        )
    if parts[3] != scope.region or parts[4] != scope.account:
        raise validation(
            f"{where}: workspace '{arn}' is not in account {scope.account}, region {scope.region}"
        )
    return resource[len("workspace/") :]


def workspace_arn_of(config: dict | None) -> str | None:
    if not config:
        return None
    block = config.get("iotTwinMakerConfiguration")
    return block.get("workspace") if block else None
