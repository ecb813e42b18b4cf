"""Service models, loaded once from botocore's data files."""

from __future__ import annotations

from functools import cache

import botocore.loaders
from botocore.model import ServiceModel


@cache
def service_model(name: str) -> ServiceModel:
    loader = botocore.loaders.Loader()
    return ServiceModel(loader.load_service_model(name, "service-2"), service_name=name)


@cache
def known_regions() -> frozenset[str]:
    """Every region of every partition in botocore's endpoint data."""
    endpoints = botocore.loaders.Loader().load_data("endpoints")
    return frozenset(region for p in endpoints["partitions"] for region in p["regions"])
