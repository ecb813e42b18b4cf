"""The supported transfer pairs, each declared once.

A `Pair` says what a job of that (source type, destination type) needs: the configuration block
of each side, where its report goes, and the transfer that runs it. Request validation at
Create and the engine at run time both ask this registry, so they cannot disagree. Adding a
pair is one `Pair` here and one module that implements it (see `twinport.engine.contract`).

The implementation is named, not imported: the API process validates requests without loading
what only the engine runs (the bulk-file schemas compile on import, a quarter of a second).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from twinport.errors import validation
from twinport.store.jobs import Job
from twinport.transfer.locations import join_key, s3_location


@dataclass(frozen=True)
class Block:
    """The configuration block a side of a job takes: its member name and whether it must be
    given. A side that takes no block has none (`member` None)."""

    member: str | None
    required: bool


S3 = Block("s3Configuration", True)
TWINMAKER = Block("iotTwinMakerConfiguration", True)
SITEWISE_SOURCE = Block("iotSiteWiseConfiguration", False)  # its filters are optional
NO_BLOCK = Block(None, False)


class ReportPlace(Enum):
    """Where a job's report goes: on the S3 side of the job (docs/behaviour.md, Report)."""

    SOURCE_BUCKET = "source bucket"  # metadata-transfer-reports/<jobId>.json
    DESTINATION_PREFIX = "destination prefix"  # <prefix>/<jobId>-report.json
    WORKSPACE_BUCKET = "workspace bucket"  # the workspace's s3Location bucket

    def location(self, job: Job, workspace_bucket: str | None) -> tuple[str, str] | None:
        """(bucket, key) of the job's report; None where there is no bucket to write to."""
        if self is ReportPlace.SOURCE_BUCKET:
            source = s3_location(job.source["s3Configuration"]["location"])
            return source.bucket, f"metadata-transfer-reports/{job.job_id}.json"
        if self is ReportPlace.DESTINATION_PREFIX:
            destination = s3_location(job.destination["s3Configuration"]["location"])
            return destination.bucket, join_key(destination.key, f"{job.job_id}-report.json")
        if workspace_bucket:
            return workspace_bucket, f"metadata-transfer-reports/{job.job_id}.json"
        return None


@dataclass(frozen=True)
class Pair:
    source: str
    destination: str
    source_block: Block
    destination_block: Block
    report: ReportPlace
    implementation: str  # "module:attribute" of the transfer that runs it

    @property
    def key(self) -> tuple[str, str]:
        return self.source, self.destination

    def __str__(self) -> str:
        return f"{self.source} -> {self.destination}"


@dataclass
class Registry:
    pairs: Iterable[Pair]
    _by_key: dict[tuple[str, str], Pair] = field(init=False)
    _loaded: dict[tuple[str, str], Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._by_key = {pair.key: pair for pair in self.pairs}

    def __iter__(self) -> Iterator[Pair]:
        return iter(self._by_key.values())

    def check_request(self, source: dict, destination: dict) -> Pair:
        """The pair a Create request asks for; ValidationException if it is not supported or
        its configuration blocks do not fit it."""
        pair = self._by_key.get((source["type"], destination["type"]))
        if pair is None:
            supported = ", ".join(str(p) for p in self)
            raise validation(
                f"Transfer from {source['type']} to {destination['type']} is not supported;"
                f" supported: {supported}"
            )
        _check_block("sources[0]", source, pair.source_block)
        _check_block("destination", destination, pair.destination_block)
        return pair

    def of(self, job: Job) -> Pair:
        return self._by_key[(job.source_type, job.destination_type)]

    def transfer(self, pair: Pair) -> Any:
        """The transfer that runs jobs of `pair`, imported the first time it is asked for."""
        found = self._loaded.get(pair.key)
        if found is None:
            module, _, attribute = pair.implementation.partition(":")
            found = getattr(importlib.import_module(module), attribute)
            self._loaded[pair.key] = found
        return found


def _check_block(where: str, config: dict, block: Block) -> None:
    others = [k for k in config if k not in ("type", block.member) and config[k] is not None]
    if others:
        raise validation(
            f"{where}: type {config['type']} does not take {', '.join(sorted(others))}"
        )
    if block.required and config.get(block.member) is None:
        raise validation(f"{where}: type {config['type']} requires {block.member}")


PAIRS = Registry(
    [
        Pair(
            "s3",
            "iottwinmaker",
            S3,
            TWINMAKER,
            ReportPlace.SOURCE_BUCKET,
            "twinport.engine.transfers.twinmaker:IMPORT",
        ),
        Pair(
            "iottwinmaker",
            "s3",
            TWINMAKER,
            S3,
            ReportPlace.DESTINATION_PREFIX,
            "twinport.engine.transfers.twinmaker:EXPORT",
        ),
        Pair(
            "s3",
            "iotsitewise",
            S3,
            NO_BLOCK,
            ReportPlace.SOURCE_BUCKET,
            "twinport.engine.transfers.sitewise:IMPORT",
        ),
        Pair(
            "iotsitewise",
            "s3",
            SITEWISE_SOURCE,
            S3,
            ReportPlace.DESTINATION_PREFIX,
            "twinport.engine.transfers.sitewise:EXPORT",
        ),
        Pair(
            "iotsitewise",
            "iottwinmaker",
            SITEWISE_SOURCE,
            TWINMAKER,
            ReportPlace.WORKSPACE_BUCKET,
            "twinport.engine.transfers.sitewise:TO_TWINMAKER",
        ),
    ]
)
