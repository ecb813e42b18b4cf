"""ARNs of every service: the partition a region belongs to, and the common ARN form."""

from __future__ import annotations

from functools import cache

from twinport.scope import Scope

_DEFAULT_PARTITION = "aws"
# The other partitions, by the prefix of the names of their regions.
_PARTITION_OF_PREFIX = {"cn-": "aws-cn", "us-gov-": "aws-us-gov"}

# Matches the partition of an ARN.
PARTITION_PATTERN = "(?:" + "|".join([_DEFAULT_PARTITION, *_PARTITION_OF_PREFIX.values()]) + ")"


@cache  # every ARN of every answer asks; there are a few dozen regions
def partition(region: str) -> str:
    for prefix, name in _PARTITION_OF_PREFIX.items():
        if region.startswith(prefix):
            return name
    return _DEFAULT_PARTITION


def arn(scope: Scope, service: str, resource: str) -> str:
    """The ARN of `resource` (`<type>/<id>...`) of `service` in the scope's account and region."""
    return f"arn:{partition(scope.region)}:{service}:{scope.region}:{scope.account}:{resource}"
