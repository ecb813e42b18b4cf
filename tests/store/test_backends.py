"""The store's two backends: choosing one, its schema's migrations, and what a user sees when
the database cannot be used. The rest of the suite runs on both (`make test`)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading

import orjson

from tests.postgres import needs_postgres
from tests.transfer.helpers import entities_file, import_job, make_workspace, upload, wait_for
from twinport.scope import Scope
from twinport.store import schema, sitewise, sql, time_series, twinmaker
from twinport.store.sqlite import SqliteDatabase
from twinport.testing import TwinportServer, free_port


def _serve(tmp_path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "twinport", "serve", "--port", str(free_port())]
    command += ["--data-dir", str(tmp_path / "data"), *args]
    env = {k: v for k, v in os.environ.items() if k != "TWINPORT_DATABASE_URL"}
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)


def test_a_database_url_that_is_not_postgresql_is_refused_before_start(tmp_path):
    result = _serve(tmp_path, "--database-url", "mysql://db/twinport")
    assert result.returncode == 2
    assert "--database-url must be a postgresql:// URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_reached_stops_the_start_with_one_line(tmp_path):
    closed = f"postgresql://twinport@127.0.0.1:{free_port()}/twinport"
    result = _serve(tmp_path, "--database-url", closed)
    assert result.returncode != 0
    assert "twinport failed to start: cannot open the database" in result.stderr
    assert "Connection refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_data_directory_of_twinport_0_1_takes_the_first_migration_as_applied(tmp_path):
    path = tmp_path / "twinport.sqlite3"
    old = sqlite3.connect(path)  # the tables as 0.1 made them, with no record of versions
    old.executescript(schema.MIGRATIONS[0]("sqlite"))
    old.execute(
        "INSERT INTO transfer_jobs (account, region, job_id, sources, destination,"
        " source_type, destination_type, state, created, updated)"
        " VALUES ('1', 'r', 'kept', x'', x'', 's3', 's3', 'COMPLETED', 0, 0)"
    )
    old.commit()
    old.close()
    conn = SqliteDatabase(path).open().connection()
    versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(schema.MIGRATIONS) + 1))
    assert conn.execute("SELECT job_id, lease_until FROM transfer_jobs").fetchall() == [
        ("kept", None)
    ]


def _migrated_to(path, version: int) -> sqlite3.Connection:
    """A data directory's database as the migrations up to `version` left it."""
    old = sqlite3.connect(path)
    old.executescript(schema.TRACKING)
    for number, ddl in list(enumerate(schema.MIGRATIONS, start=1))[:version]:
        old.executescript(f"{ddl('sqlite')}; INSERT INTO schema_migrations VALUES ({number});")
    return old


def test_entities_stored_before_their_summary_columns_list_with_their_names(tmp_path):
    """A data directory migrated before entities kept their name and description in columns:
    the migration fills them in from each entity's document."""
    path = tmp_path / "twinport.sqlite3"
    old = _migrated_to(path, 4)
    documents = {
        "pump": {"entityId": "pump", "entityName": "Pump", "parentEntityId": "$ROOT"},
        "valve": {
            "entityId": "valve",
            "entityName": "Valve 1",
            "description": "the inlet's",
            "parentEntityId": "pump",
        },
    }
    for entity_id, document in documents.items():
        old.execute(
            "INSERT INTO tm_entities (ws_key, entity_id, parent_id, doc, created, updated)"
            " VALUES (1, ?, ?, ?, 0, 0)",
            (entity_id, document["parentEntityId"], orjson.dumps(document)),
        )
    old.commit()
    old.close()
    conn = SqliteDatabase(path).open().connection()
    rows = twinmaker.list_entities(conn, 1, None, 10)
    assert [(r.id, r.name, r.description, r.parent_id, r.has_children) for r in rows] == [
        ("pump", "Pump", None, "$ROOT", True),
        ("valve", "Valve 1", "the inlet's", "pump", False),
    ]


def _insert_asset(conn, asset_id: str, model_id: str, properties: dict) -> None:
    conn.execute(
        "INSERT INTO sitewise_assets (account, region, id, name, model_id, properties, tags,"
        " created, updated) VALUES ('1', 'r', ?, ?, ?, ?, '{}', 0, 0)",
        (asset_id, asset_id, model_id, orjson.dumps(properties)),
    )


def test_time_series_stored_before_they_kept_their_assets_model_are_given_it(tmp_path):
    """A data directory migrated before a time series kept its asset's model: the migration
    fills it in, and from then on the triggers write it, a series taken over included."""
    path = tmp_path / "twinport.sqlite3"
    old = _migrated_to(path, 5)
    _insert_asset(old, "pump", "pump-model", {"rpm": {"alias": "/pump/rpm"}})
    old.commit()
    old.close()
    db = SqliteDatabase(path).open()
    scope = Scope("1", "r")
    with db.write() as conn:
        loose = time_series.TimeSeriesRecord(
            "loose", "/valve/flow", None, None, "DOUBLE", None, 0, 0
        )
        time_series.insert_disassociated(conn, scope, loose)
        _insert_asset(conn, "valve", "valve-model", {"flow": {"alias": "/valve/flow"}})
        _insert_asset(conn, "fan", "fan-model", {"speed": {"alias": "/fan/speed"}})
    page = time_series.page(
        db.connection(),
        scope,
        asset_id=None,
        alias_prefix=None,
        associated=None,
        after_seq=0,
        limit=10,
    )
    assert [(s.alias, s.asset_id, s.model_id, s.data_type) for s in page] == [
        ("/pump/rpm", "pump", "pump-model", None),
        ("/valve/flow", "valve", "valve-model", None),
        ("/fan/speed", "fan", "fan-model", None),
    ]


def test_an_export_reads_the_accounts_assets_in_creation_order_without_sorting_them(tmp_path):
    """Sorting would hold back the first asset until every one was read (migration 7)."""
    db = SqliteDatabase(tmp_path / "twinport.sqlite3").open()
    with db.write() as conn:
        for asset_id in ("pump", "fan", "valve"):  # not in id order
            _insert_asset(conn, asset_id, "model", {})
    conn = db.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    read = [asset.id for asset, _ in sitewise.iter_assets(conn, Scope("1", "r"))]
    conn.set_trace_callback(None)
    assert read == ["pump", "fan", "valve"]
    (query,) = statements
    plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {query}")]
    assert not [step for step in plan if "TEMP B-TREE" in step], plan


def _entities(ids: list[str]) -> list[twinmaker.EntityInsert]:
    return [(1, i, "$ROOT", "n", None, b"{}", 0.0, 0.0) for i in ids]


def _assets(ids: list[str]) -> list[sitewise.AssetRecord]:
    return [sitewise.AssetRecord(i, None, "n", None, "m", None, None, {}, {}, 0, 0) for i in ids]


def test_bulk_inserts_cut_any_batch_into_nine_sizes_in_order():
    # SQLite caches a statement with the values last bound to it: a statement for every size
    # of batch kept an import's documents in up to 128 of them (a third more peak memory).
    sizes = set()
    for count in range(1000):
        chunks = list(sql.insert_chunks(range(count)))
        assert [row for chunk in chunks for row in chunk] == list(range(count))
        sizes.update(len(chunk) for chunk in chunks)
    assert sizes == {sql.ROWS_PER_INSERT, 128, 64, 32, 16, 8, 4, 2, 1}


def test_both_bulk_inserts_of_sqlite_make_statements_of_those_sizes_only(tmp_path):
    """New entities and new assets go in by the cut above, every row in its order."""
    db = SqliteDatabase(tmp_path / "twinport.sqlite3").open()
    scope = Scope("1", "r")
    paths = {  # table: (a bulk insert of new rows, its rows' ids in the order written)
        "tm_entities": (
            lambda conn, ids: twinmaker.insert_entities(conn, _entities(ids)),
            "SELECT entity_id FROM tm_entities ORDER BY entity_id",
        ),
        "sitewise_assets": (
            lambda conn, ids: sitewise.insert_many(conn, scope, sitewise.ASSETS, _assets(ids)),
            "SELECT id FROM sitewise_assets ORDER BY seq",
        ),
    }
    for table, (insert, stored) in paths.items():
        statements: list[str] = []
        db.connection().set_trace_callback(statements.append)
        written: list[str] = []
        with db.write() as conn:
            # One less than a power of two, or past ROWS_PER_INSERT: together, every size.
            for count in (1, 3, 7, 15, 31, 63, 127, 199, 255):
                ids = [f"row-{len(written) + n:06d}" for n in range(count)]
                insert(conn, ids)
                written += ids
        db.connection().set_trace_callback(None)
        rows = [s.count("'row-") for s in statements if s.startswith(f"INSERT INTO {table}")]
        assert set(rows) == {sql.ROWS_PER_INSERT, 128, 64, 32, 16, 8, 4, 2, 1}, table
        assert [row[0] for row in db.connection().execute(stored)] == written, table


@needs_postgres
def test_nodes_starting_together_on_a_new_database_migrate_it_once():
    from twinport.store.postgres import PostgresDatabase

    with TwinportServer() as first:  # a new database of its own
        url = first.env["TWINPORT_DATABASE_URL"]
        first.stop()
        db = PostgresDatabase(url)
        with db.write() as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        errors: list[BaseException] = []

        def open_it() -> None:
            node = PostgresDatabase(url)
            try:
                node.open()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                node.close()

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        rows = db.connection().execute("SELECT version FROM schema_migrations").fetchall()
        db.close()
        assert [row[0] for row in rows] == list(range(1, len(schema.MIGRATIONS) + 1))
        first.start()
        account = first.new_account()
        workspace = make_workspace(first, account, "plant", "plant-bucket")
        source = upload(first, account, "plant-bucket", "e.json", entities_file(3))
        job = wait_for(first, account, import_job(first, account, source, workspace))
        assert job["status"]["state"] == "COMPLETED"


@needs_postgres
def test_the_postgresql_store_keeps_state_across_restarts_and_sorts_as_sqlite():
    with TwinportServer() as twinport:
        assert twinport.env["TWINPORT_DATABASE_URL"].startswith("postgresql://")
        make_workspace(twinport, "123456789012", "plant", "plant-bucket")
        twinmaker = twinport.client("iottwinmaker")
        # Byte order, as SQLite sorts: upper case before lower, "-" before digits before "_".
        ids = ("bb", "BB", "a_1", "a-1", "aa", "Zz", "a1")
        for entity_id in ids:
            twinmaker.create_entity(workspaceId="plant", entityId=entity_id, entityName=entity_id)
        twinport.kill()
        twinport.start()
        listed = twinmaker.list_entities(workspaceId="plant")["entitySummaries"]
        assert [e["entityId"] for e in listed] == ["BB", "Zz", "a-1", "a1", "a_1", "aa", "bb"]


@needs_postgres
def test_a_bulk_import_keeps_the_planners_statistics_up_to_date():
    """Statistics sampled while the table was empty would plan key look-ups as scans."""
    from twinport.store.postgres import PostgresDatabase

    with TwinportServer() as twinport:
        account = twinport.new_account()
        workspace = make_workspace(twinport, account, "plant", "plant-bucket")
        source = upload(twinport, account, "plant-bucket", "e.json", entities_file(5_000))
        job = wait_for(twinport, account, import_job(twinport, account, source, workspace))
        assert job["status"]["state"] == "COMPLETED"
        db = PostgresDatabase(twinport.env["TWINPORT_DATABASE_URL"])
        estimate = (
            db.connection()
            .execute("SELECT reltuples FROM pg_class WHERE relname = 'tm_entities'")
            .fetchone()[0]
        )
        db.close()
        assert estimate >= 2_500  # analyzed once the table had doubled past half of it
