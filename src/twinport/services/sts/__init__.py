"""AWS STS: who the caller is, so that tools that ask before they act (the AWS CLI's
`sts get-caller-identity`, Terraform, CDK) work against twinport. twinport has no IAM users or
roles: every caller is the root user of its account."""

from __future__ import annotations

from twinport.services.sts import api_caller_identity

HANDLERS = {**api_caller_identity.HANDLERS}
