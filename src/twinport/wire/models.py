"""Service models, loaded once from botocore's data files."""

from __future__ import annotations

from functools import cache

import botocore.loaders
from botocore.model import ServiceModel


@cache
def service_model(name: str) -> ServiceModel:
    loader = botocore.loaders.Loader()
    return ServiceModel(loader.load_service_model(name, "service-2"), service_name=name)
