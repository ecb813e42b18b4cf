"""Service models, loaded once from botocore's data files."""

from __future__ import annotations

import gzip
import os
from functools import cache

import orjson
from botocore.loaders import Loader
from botocore.model import ServiceModel


class _JsonFiles:
    """botocore's data files (`.json`, else `.json.gz`, as botocore looks for them), parsed
    with orjson: the models and the endpoint data are megabytes that the server parses at
    every start, and orjson reads them several times faster than the json module."""

    _OPENERS = ((".json", open), (".json.gz", gzip.open))

    def exists(self, file_path: str) -> bool:
        return any(os.path.isfile(file_path + ext) for ext, _ in self._OPENERS)

    def load_file(self, file_path: str):
        for ext, opener in self._OPENERS:
            if os.path.isfile(file_path + ext):
                with opener(file_path + ext, "rb") as file:
                    return orjson.loads(file.read())
        return None


@cache
def _loader() -> Loader:
    # One loader for every model: it lists botocore's services once, not once per model.
    return Loader(file_loader=_JsonFiles())


@cache
def service_model(name: str) -> ServiceModel:
    return ServiceModel(_loader().load_service_model(name, "service-2"), service_name=name)


@cache
def known_regions() -> frozenset[str]:
    """Every region of every partition in botocore's endpoint data."""
    # A loader of its own, dropped after: the endpoint data is megabytes the regions are
    # taken from, not kept.
    endpoints = Loader(file_loader=_JsonFiles()).load_data("endpoints")
    return frozenset(region for p in endpoints["partitions"] for region in p["regions"])
