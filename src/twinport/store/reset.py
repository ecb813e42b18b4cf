"""What a reset deletes from the database: one account's resources and jobs, or everyone's.

Run in the caller's write transaction, so that the reset is all or nothing. A job the reset
deletes writes nothing more: each batch of a running job reads the job's row in its own write
transaction before it writes, and finds none.
"""

from __future__ import annotations

from dataclasses import dataclass

from twinport.store.db import Connection


@dataclass(frozen=True)
class Removed:
    counts: dict[str, int]  # resources deleted, by the name the reset answers with
    job_seqs: list[int]  # the jobs deleted, whose work files go too


def remove_account(conn: Connection, account: str | None) -> Removed:
    """Deletes every row of `account` (of every account when None) from every table."""
    owned, parameters = ("WHERE account = ?", (account,)) if account is not None else ("", ())
    of_workspaces = f"WHERE ws_key IN (SELECT ws_key FROM tm_workspaces {owned})"
    of_jobs = f"WHERE job_seq IN (SELECT seq FROM transfer_jobs {owned})"

    def delete(table: str, where: str) -> int:
        return conn.execute(f"DELETE FROM {table} {where}", parameters).rowcount

    job_seqs = [
        seq for (seq,) in conn.execute(f"SELECT seq FROM transfer_jobs {owned}", parameters)
    ]
    component_types = delete("tm_component_types", of_workspaces)
    entities = delete("tm_entities", of_workspaces)
    scenes = delete("tm_scenes", of_workspaces)
    sync_jobs = delete("tm_sync_jobs", of_workspaces)
    delete("tm_sync_resources", of_workspaces)
    workspaces = delete("tm_workspaces", owned)
    delete("tm_pricing_plans", owned)
    # Before the assets: deleting an asset deletes its aliases' time series by trigger,
    # which the count would miss.
    time_series = delete("sitewise_time_series", owned)
    assets = delete("sitewise_assets", owned)
    asset_models = delete("sitewise_asset_models", owned)
    delete("sitewise_client_tokens", owned)
    delete("transfer_job_errors", of_jobs)
    delete("transfer_job_files", of_jobs)
    counts = {
        "workspaces": workspaces,
        "componentTypes": component_types,
        "entities": entities,
        "scenes": scenes,
        "syncJobs": sync_jobs,
        "assetModels": asset_models,
        "assets": assets,
        "timeSeries": time_series,
        "metadataTransferJobs": delete("transfer_jobs", owned),
    }
    return Removed(counts, job_seqs)
