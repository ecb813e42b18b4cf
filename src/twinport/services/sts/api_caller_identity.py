"""GetCallerIdentity: the caller's account, as the gateway identified it from the access key."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.domain.arns import partition


def get_caller_identity(ctx: RequestContext, _: dict) -> dict:
    # What AWS answers a caller signing with the account's root credentials: the account id
    # is the user id, and the ARN names the account's root (IAM ARNs have no region).
    return {
        "UserId": ctx.account,
        "Account": ctx.account,
        "Arn": f"arn:{partition(ctx.region)}:iam::{ctx.account}:root",
    }


HANDLERS = {"GetCallerIdentity": get_caller_identity}
