"""s3 → iottwinmaker (import a TwinMaker bulk file) and iottwinmaker → s3 (export one)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from twinport.domain.outcome import Outcome
from twinport.domain.twinmaker import bulk
from twinport.engine.contract import JobInvalid, template_error
from twinport.engine.control import JobControl
from twinport.engine.exports import check_destination_bucket, run_export
from twinport.engine.imports import STAGED_FILE, download_source, run_staged, stage_scan
from twinport.engine.staging import StagedItems
from twinport.formats import twinmaker as template
from twinport.store.jobs import Job

_PUT = {
    template.COMPONENT_TYPES: bulk.put_component_type,
    template.ENTITY_COMPONENTS: bulk.put_entity_component,
}


def require_workspace(env, job: Job) -> None:
    """The job's workspace (resolved from its ARN at creation) must still exist."""
    if not bulk.workspace_exists(env.db.connection(), job.scope, job.workspace_id):
        raise JobInvalid([template_error(f"Workspace {job.workspace_id} does not exist")])


def keys_of(section: str, doc: dict) -> tuple[tuple[str, str], list[tuple[str, str]]]:
    """A resource's report identity and the resources it cannot be written without."""
    if section == template.COMPONENT_TYPES:
        parents = doc.get("extendsFrom") or []
        return ("ComponentType", doc["componentTypeId"]), [("ComponentType", p) for p in parents]
    types = [
        ("ComponentType", c["componentTypeId"]) for c in (doc.get("components") or {}).values()
    ]
    if section == template.ENTITIES:
        parent = doc.get("parentEntityId")
        needs = types + ([("Entity", parent)] if parent and parent != "$ROOT" else [])
        return ("Entity", doc["entityId"]), needs
    key = ("EntityComponent", f"{doc['entityId']}/{doc['componentName']}")
    return key, [("Entity", doc["entityId"]), ("ComponentType", doc["componentTypeId"])]


class _Apply:
    """Items of a bulk file into a workspace: entities in bulk, the rest one at a time."""

    def __init__(self, job: Job):
        self._scope = job.scope
        self._workspace_id = job.workspace_id
        self._entities: bulk.EntityImport | None = None

    def prepare(self, conn, items: Sequence[tuple[str, dict]]) -> None:
        docs = [doc for section, doc in items if section == template.ENTITIES]
        if docs:
            self._entity_import(conn).read_ahead(docs)

    def __call__(self, conn, section: str, doc: dict) -> Outcome:
        if section == template.ENTITIES:
            return self._entity_import(conn).put(doc)
        self.flush(conn)  # the other puts read what the held writes change
        return _PUT[section](conn, self._scope, self._workspace_id, doc)

    def flush(self, conn) -> None:
        if self._entities is not None:
            self._entities.flush()
            self._entities = None

    def _entity_import(self, conn) -> bulk.EntityImport:
        if self._entities is None:
            self._entities = bulk.EntityImport(conn, self._scope, self._workspace_id)
        return self._entities


class TwinMakerImport:
    def validate(self, env, job: Job, workdir: Path) -> int:
        require_workspace(env, job)
        source = download_source(env, job, workdir)
        return stage_scan(template.TwinMakerScan(source), workdir / STAGED_FILE)

    def run(self, env, control: JobControl, workdir: Path) -> None:
        run_staged(control, StagedItems(workdir / STAGED_FILE), keys_of, _Apply(control.job))


class TwinMakerExport:
    def validate(self, env, job: Job, workdir: Path) -> int:
        require_workspace(env, job)
        check_destination_bucket(env, job)
        return 0  # counted while it runs

    def run(self, env, control: JobControl, workdir: Path) -> None:
        job = control.job
        filters = job.source["iotTwinMakerConfiguration"].get("filters") or []
        entity_ids = {f["filterByEntity"]["entityId"] for f in filters if "filterByEntity" in f}
        type_ids = {
            f["filterByComponentType"]["componentTypeId"]
            for f in filters
            if "filterByComponentType" in f
        }

        def write(out, conn) -> int:
            export = bulk.export_resources(
                conn,
                job.scope,
                job.workspace_id,
                entity_ids if filters else None,
                type_ids if filters else None,
            )
            written = template.write_twinmaker_file(
                out,
                control.watch(export.component_types),
                control.watch(export.entities),
                control.watch(export.entity_components),
            )
            return sum(written.values())

        run_export(env, control, workdir, write)


IMPORT = TwinMakerImport()
EXPORT = TwinMakerExport()
