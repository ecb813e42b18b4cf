"""Handlers of the account configuration reads: twinport answers SiteWise's documented
defaults, since it has no storage tiers or encryption to configure."""

from __future__ import annotations

from twinport.context import RequestContext
from twinport.services.sitewise import views


def describe_storage_configuration(ctx: RequestContext, request: dict) -> dict:
    return {
        "storageType": "SITEWISE_DEFAULT_STORAGE",
        "disassociatedDataStorage": "ENABLED",
        "retentionPeriod": {"unlimited": True},
        "configurationStatus": views.ACTIVE,
        "warmTier": "DISABLED",
    }


def describe_default_encryption_configuration(ctx: RequestContext, request: dict) -> dict:
    return {"encryptionType": "SITEWISE_DEFAULT_ENCRYPTION", "configurationStatus": views.ACTIVE}


HANDLERS = {
    "DescribeStorageConfiguration": describe_storage_configuration,
    "DescribeDefaultEncryptionConfiguration": describe_default_encryption_configuration,
}
