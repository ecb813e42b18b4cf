"""s3 → iotsitewise (import a SiteWise bulk file), iotsitewise → s3 (export one) and
iotsitewise → iottwinmaker (move asset models and assets into a workspace).

What an export moves (`sources[0].iotSiteWiseConfiguration.filters`, OR-ed; none: everything):

- `filterByAssetModel`: the model; with `includeAssets`, the assets made from it; with
  `includeOffspring`, the models below it (hierarchy children and composed models, recursively).
- `filterByAsset`: the asset; with `includeOffspring`, every asset below it; with
  `includeAssetModel`, its model.

A selection is then completed with what its resources need at the destination. Into S3: the
model of every asset, and the models below every model (a model's hierarchies and composite
models name them), so that the file imports into an empty account; an asset's
`assetHierarchies` list only the children that are in the file. Into TwinMaker: the ancestors
of every asset and the model of every asset (see `to_twinmaker`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from twinport.domain.outcome import Outcome
from twinport.domain.sitewise import bulk
from twinport.domain.sitewise.to_twinmaker import TwinMakerItems
from twinport.domain.twinmaker import bulk as twinmaker_bulk
from twinport.engine.contract import JobInvalid, template_error
from twinport.engine.control import JobControl
from twinport.engine.exports import check_destination_bucket, run_export
from twinport.engine.imports import STAGED_FILE, download_source, run_staged, stage_scan
from twinport.engine.staging import StagedItems
from twinport.engine.transfers.twinmaker import keys_of as twinmaker_keys_of
from twinport.engine.transfers.twinmaker import require_workspace
from twinport.formats import sitewise as template
from twinport.scope import Scope
from twinport.store.jobs import Job

ALIASES_FILE = "aliases.json"
_FILTERS_AT = "sources[0].iotSiteWiseConfiguration.filters"
_PUT_TWINMAKER = {
    "componentTypes": twinmaker_bulk.put_component_type,
    "entities": twinmaker_bulk.put_entity,
}

Key = tuple[str, str]


# --- what moves ---------------------------------------------------------------------------


@dataclass
class Selection:
    """The models and assets a filtered transfer moves, before their needs are added."""

    model_ids: set[str] = field(default_factory=set)
    asset_ids: set[str] = field(default_factory=set)


def _filters(job: Job) -> list[dict]:
    return (job.source.get("iotSiteWiseConfiguration") or {}).get("filters") or []


def _filter_target(conn, scope: Scope, item: dict) -> tuple[str, dict, str, str | None]:
    """(filter kind, its block, the resource it names as a key, that resource's id or None)."""
    kind = "filterByAssetModel" if item.get("filterByAssetModel") is not None else "filterByAsset"
    block = item[kind]
    if kind == "filterByAssetModel":
        given = block.get("assetModelId"), block.get("assetModelExternalId")
        found = bulk.resolve_asset_model(conn, scope, *given)
    else:
        given = block.get("assetId"), block.get("assetExternalId")
        found = bulk.resolve_asset(conn, scope, *given)
    return kind, block, template.resource_key(*given), found


def check_filters(conn, scope: Scope, filters: list[dict]) -> None:
    """Every filter names an existing model or asset; JobInvalid names those that do not."""
    errors = []
    for index, item in enumerate(filters):
        kind, _, named, found = _filter_target(conn, scope, item)
        if found is None:
            what = "asset model" if kind == "filterByAssetModel" else "asset"
            errors.append(
                template_error(f"{_FILTERS_AT}[{index}].{kind}: {what} {named!r} does not exist")
            )
    if errors:
        raise JobInvalid(errors)


def select(conn, scope: Scope, filters: list[dict]) -> Selection | None:
    """What the filters name (None: no filters, everything). A filter whose resource is gone
    since validation selects nothing."""
    if not filters:
        return None
    selection = Selection()
    for item in filters:
        kind, block, _, found = _filter_target(conn, scope, item)
        if found is None:
            continue
        if kind == "filterByAssetModel":
            selection.model_ids.add(found)
            if block.get("includeOffspring"):
                selection.model_ids.update(bulk.offspring_model_ids(conn, scope, found))
            if block.get("includeAssets"):
                selection.asset_ids.update(bulk.asset_ids_of_model(conn, scope, found))
        else:
            selection.asset_ids.add(found)
            if block.get("includeOffspring"):
                selection.asset_ids.update(bulk.descendant_asset_ids(conn, scope, found))
            # includeAssetModel: every exported asset brings its model anyway.
    return selection


def _importable(conn, scope: Scope, selection: Selection) -> Selection:
    """The selection with the models its assets use and the models below every model."""
    model_ids = set(selection.model_ids)
    for doc in bulk.iter_asset_documents(conn, scope, selection.asset_ids):
        model_ids.add(doc["assetModelId"])
    for model_id in list(model_ids):
        model_ids.update(bulk.offspring_model_ids(conn, scope, model_id))
    return Selection(model_ids, selection.asset_ids)


def _asset_documents(conn, scope: Scope, asset_ids: set[str] | None) -> Iterator[dict]:
    """Bulk `assets` items; in a partial export, without children that are not exported."""
    for doc in bulk.iter_asset_documents(conn, scope, asset_ids):
        if asset_ids is not None and "assetHierarchies" in doc:
            kept = [e for e in doc["assetHierarchies"] if e["childAssetId"] in asset_ids]
            if kept:
                doc["assetHierarchies"] = kept
            else:
                del doc["assetHierarchies"]
        yield doc


# --- s3 → iotsitewise ---------------------------------------------------------------------


class _Store:
    """The account a file is imported into, as the scan asks about it."""

    def __init__(self, conn, scope: Scope):
        self._conn = conn
        self._scope = scope

    def has_asset_model(self, model_id: str | None, external_id: str | None) -> bool:
        return bulk.resolve_asset_model(self._conn, self._scope, model_id, external_id) is not None

    def has_asset(self, asset_id: str | None, external_id: str | None) -> bool:
        return bulk.resolve_asset(self._conn, self._scope, asset_id, external_id) is not None


def import_keys(aliases: dict[str, dict[str, str]]):
    """`keys_of` for SiteWise bulk items: a resource's key and the keys of what it needs."""
    model_aliases, asset_aliases = aliases[template.ASSET_MODEL], aliases[template.ASSET]

    def model(resource_id: str | None, external_id: str | None) -> Key:
        key = template.resource_key(resource_id, external_id)
        return template.ASSET_MODEL, model_aliases.get(key, key)

    def asset(resource_id: str | None, external_id: str | None) -> Key:
        key = template.resource_key(resource_id, external_id)
        return template.ASSET, asset_aliases.get(key, key)

    def keys_of(section: str, doc: dict) -> tuple[Key, list[Key]]:
        if section == template.ASSET_MODELS:
            needs = [
                model(h.get("childAssetModelId"), h.get("childAssetModelExternalId"))
                for h in doc.get("assetModelHierarchies") or ()
            ]
            needs += [
                model(c.get("composedAssetModelId"), c.get("composedAssetModelExternalId"))
                for c in doc.get("assetModelCompositeModels") or ()
                if c.get("composedAssetModelId") or c.get("composedAssetModelExternalId")
            ]
            return model(doc.get("assetModelId"), doc.get("assetModelExternalId")), needs
        needs = [model(doc.get("assetModelId"), doc.get("assetModelExternalId"))]
        needs += [
            asset(h.get("childAssetId"), h.get("childAssetExternalId"))
            for h in doc.get("assetHierarchies") or ()
        ]
        return asset(doc.get("assetId"), doc.get("assetExternalId")), needs

    return keys_of


class _Apply:
    """Items of a bulk file into SiteWise through one `BulkImport` for all the job's batches:
    every batch starts with a `prepare`, where it forgets what other connections may have
    changed since the last batch, and every run of items ends with a `flush`, which inserts
    the new assets held back. A batch that fails ends the job, so nothing it remembers
    outlives a rollback."""

    def __init__(self, scope: Scope):
        self._scope = scope
        self._import: bulk.BulkImport | None = None

    def prepare(self, conn, items: Sequence[tuple[str, dict]]) -> None:
        self._bulk(conn).read_ahead(doc for section, doc in items if section == template.ASSETS)

    def __call__(self, conn, section: str, doc: dict) -> Outcome:
        if section == template.ASSET_MODELS:
            return self._bulk(conn).put_asset_model(doc)
        return self._bulk(conn).put_asset(doc)

    def flush(self, conn) -> None:
        self._bulk(conn).flush()

    def _bulk(self, conn) -> bulk.BulkImport:
        if self._import is None or self._import.conn is not conn:
            self._import = bulk.BulkImport(conn, self._scope, hold_back=True)
        return self._import


class SiteWiseImport:
    def validate(self, env, job: Job, workdir: Path) -> int:
        source = download_source(env, job, workdir)
        scan = template.SiteWiseScan(source, known=_Store(env.db.connection(), job.scope))
        total = stage_scan(scan, workdir / STAGED_FILE)
        (workdir / ALIASES_FILE).write_bytes(orjson.dumps(scan.plan().aliases))
        return total

    def run(self, env, control: JobControl, workdir: Path) -> None:
        aliases = orjson.loads((workdir / ALIASES_FILE).read_bytes())
        run_staged(
            control,
            StagedItems(workdir / STAGED_FILE),
            import_keys(aliases),
            _Apply(control.job.scope),
        )


# --- iotsitewise → s3 ---------------------------------------------------------------------


class SiteWiseExport:
    def validate(self, env, job: Job, workdir: Path) -> int:
        check_destination_bucket(env, job)
        check_filters(env.db.connection(), job.scope, _filters(job))
        return 0  # counted while it runs

    def run(self, env, control: JobControl, workdir: Path) -> None:
        job = control.job

        def write(out, conn) -> int:
            selection = select(conn, job.scope, _filters(job))
            if selection is not None:
                selection = _importable(conn, job.scope, selection)
            model_ids = None if selection is None else selection.model_ids
            asset_ids = None if selection is None else selection.asset_ids
            written = template.write_sitewise_file(
                out,
                control.watch(bulk.iter_asset_model_documents(conn, job.scope, model_ids)),
                control.watch(_asset_documents(conn, job.scope, asset_ids)),
            )
            return sum(written.values())

        run_export(env, control, workdir, write)


# --- iotsitewise → iottwinmaker -----------------------------------------------------------


class SiteWiseToTwinMaker:
    def validate(self, env, job: Job, workdir: Path) -> int:
        require_workspace(env, job)
        filters = _filters(job)
        check_filters(env.db.connection(), job.scope, filters)
        with env.db.snapshot() as snapshot:
            selection = select(snapshot, job.scope, filters)
            items = TwinMakerItems(
                snapshot,
                job.scope,
                None if selection is None else selection.model_ids,
                None if selection is None else selection.asset_ids,
            )
            return stage_scan(items, workdir / STAGED_FILE)

    def run(self, env, control: JobControl, workdir: Path) -> None:
        job = control.job

        def apply(conn, section: str, doc: dict) -> Outcome:
            return _PUT_TWINMAKER[section](conn, job.scope, job.workspace_id, doc)

        run_staged(control, StagedItems(workdir / STAGED_FILE), twinmaker_keys_of, apply)


IMPORT = SiteWiseImport()
EXPORT = SiteWiseExport()
TO_TWINMAKER = SiteWiseToTwinMaker()
