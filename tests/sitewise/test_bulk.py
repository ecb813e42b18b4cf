"""The bulk-file functions the transfer engine calls, on a store of their own.

They are no HTTP operation, so they are called directly here, each inside a transaction as the
engine holds one.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from tests import sitewise_files
from tests.sitewise_files import (
    DRIVEN_PUMP_MODEL,
    LINE_1,
    MOTOR_MODEL,
    PUMP_1,
    PUMP_MODEL,
    metric,
    without,
)
from twinport.domain.sitewise import bulk
from twinport.errors import ServiceError
from twinport.scope import Scope
from twinport.store.sqlite import SqliteDatabase as Database

HOME = Scope("111111111111", "us-east-1")
ELSEWHERE = Scope("222222222222", "us-east-1")

# The line sums the RPM of its pumps, and is tagged.
LINE_MODEL = {
    **sitewise_files.LINE_MODEL,
    "assetModelProperties": [
        metric(
            "Total RPM",
            "sum(r)",
            {"r": {"propertyExternalId": "rpm", "hierarchyExternalId": "line-pumps"}},
            "1h",
            externalId="total",
        )
    ],
    "tags": [{"key": "team", "value": "ops"}],
}


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "store.sqlite3").open()
    yield database
    database.close()


def put_all(db: Database, scope: Scope, models: list[dict], assets: list[dict]) -> list[str]:
    with db.write() as conn:
        outcomes = [bulk.put_asset_model(conn, scope, m) for m in models]
        outcomes += [bulk.put_asset(conn, scope, a) for a in assets]
    return [str(o) for o in outcomes]


def export(db: Database, scope: Scope) -> tuple[list[dict], list[dict]]:
    conn = db.connection()
    return (
        list(bulk.iter_asset_model_documents(conn, scope)),
        list(bulk.iter_asset_documents(conn, scope)),
    )


def test_import_creates_models_and_assets_by_external_id(db):
    outcomes = put_all(db, HOME, [PUMP_MODEL, LINE_MODEL], [PUMP_1, LINE_1])
    assert outcomes == ["created"] * 4

    conn = db.connection()
    pump_model = bulk.resolve_asset_model(conn, HOME, external_id="pump-model")
    line_model = bulk.resolve_asset_model(conn, HOME, external_id="line-model")
    pump = bulk.resolve_asset(conn, HOME, external_id="pump-1")
    line = bulk.resolve_asset(conn, HOME, external_id="line-1")
    assert all(uuid.UUID(x) for x in (pump_model, line_model, pump, line))
    rpm = bulk.resolve_model_property(conn, HOME, pump_model, external_id="rpm")
    hierarchy = bulk.resolve_model_hierarchy(conn, HOME, line_model, external_id="line-pumps")
    assert bulk.resolve_model_property(conn, HOME, pump_model, external_id="nothing") is None
    assert bulk.resolve_asset(conn, HOME, id=str(uuid.uuid4())) is None

    models, assets = export(db, HOME)
    line_doc = models[1]
    assert line_doc["assetModelHierarchies"][0]["childAssetModelId"] == pump_model
    variable = line_doc["assetModelProperties"][0]["type"]["metric"]["variables"][0]
    assert variable["value"] == {"propertyId": rpm, "hierarchyId": hierarchy}
    assert line_doc["tags"] == [{"key": "team", "value": "ops"}]
    pump_doc, line_asset_doc = assets
    assert {p["id"]: p for p in pump_doc["assetProperties"]}[rpm] == {
        "id": rpm,
        "alias": "/plant/line1/pump1/rpm",
    }
    assert line_asset_doc["assetHierarchies"] == [{"id": hierarchy, "childAssetId": pump}]
    assert bulk.descendant_asset_ids(conn, HOME, line) == [pump]
    assert bulk.asset_ids_of_model(conn, HOME, pump_model) == [pump]
    assert bulk.offspring_model_ids(conn, HOME, line_model) == [pump_model]


def test_identical_documents_write_nothing_and_changes_replace(db):
    put_all(db, HOME, [PUMP_MODEL, LINE_MODEL], [PUMP_1, LINE_1])
    before = export(db, HOME)
    assert put_all(db, HOME, [PUMP_MODEL, LINE_MODEL], [PUMP_1, LINE_1]) == ["unchanged"] * 4
    assert export(db, HOME) == before

    # rpm goes, and the pump's alias with it
    lean_pump = {**PUMP_MODEL, "assetModelProperties": PUMP_MODEL["assetModelProperties"][:1]}
    lean_line = without(LINE_1, "assetHierarchies")
    assert put_all(db, HOME, [lean_pump], [lean_line]) == ["updated", "updated"]
    models, assets = export(db, HOME)
    assert [p["name"] for p in models[0]["assetModelProperties"]] == ["Serial"]
    assert [p.get("alias") for p in assets[0]["assetProperties"]] == [None]
    assert "assetHierarchies" not in assets[1]


def test_export_imports_into_an_empty_account_exactly(db):
    component = {
        "assetModelId": str(uuid.uuid4()),
        "assetModelName": "Motor",
        "assetModelType": "COMPONENT_MODEL",
        "assetModelProperties": [
            {
                "id": str(uuid.uuid4()),
                "name": "Amps",
                "dataType": "DOUBLE",
                "type": {"measurement": {}},
            }
        ],
    }
    pump_model = {**PUMP_MODEL, "assetModelDescription": "Pumps water"}
    pump_model["assetModelCompositeModels"] = [
        {
            "externalId": "motor",
            "name": "Motor",
            "type": "CUSTOM",
            "composedAssetModelId": component["assetModelId"],
        },
        {
            "name": "Overheat",
            "type": "AWS/ALARM",
            "id": str(uuid.uuid4()),
            "parentExternalId": "motor",
            "properties": [
                {
                    "name": "AWS/ALARM_TYPE",
                    "externalId": "alarm-type",
                    "dataType": "STRING",
                    "type": {"attribute": {"defaultValue": "IOT_EVENTS"}},
                }
            ],
        },
    ]
    pump_1 = {**PUMP_1, "tags": [{"key": "site", "value": "north"}], "assetDescription": "first"}
    put_all(db, HOME, [component, pump_model, LINE_MODEL], [pump_1, LINE_1])
    models, assets = export(db, HOME)

    assert put_all(db, ELSEWHERE, models, assets) == ["created"] * 5
    assert export(db, ELSEWHERE) == (models, assets)
    assert put_all(db, ELSEWHERE, models, assets) == ["unchanged"] * 5


def test_a_failed_resource_leaves_nothing_behind(db):
    put_all(db, HOME, [PUMP_MODEL, LINE_MODEL], [PUMP_1])
    orphan_parent = {
        **LINE_1,
        "assetHierarchies": [{"externalId": "line-pumps", "childAssetExternalId": "no-such-pump"}],
    }
    with db.write() as conn:
        with pytest.raises(ServiceError) as failure:
            bulk.put_asset(conn, HOME, orphan_parent)
        assert failure.value.code == "ResourceNotFoundException"
        assert bulk.put_asset(conn, HOME, {**PUMP_1, "assetName": "Pump one"}) == "updated"
    conn = db.connection()
    assert bulk.resolve_asset(conn, HOME, external_id="line-1") is None
    assert export(db, HOME)[1][0]["assetName"] == "Pump one"


def test_rule_breaches_raise_service_errors(db):
    put_all(db, HOME, [PUMP_MODEL, LINE_MODEL], [PUMP_1])
    breaches = [
        (
            bulk.put_asset_model,
            {**PUMP_MODEL, "assetModelType": "COMPONENT_MODEL"},
            "InvalidRequestException",
        ),
        (
            bulk.put_asset_model,
            {**LINE_MODEL, "assetModelName": "Pump"},
            "ResourceAlreadyExistsException",
        ),
        (
            bulk.put_asset,
            {**PUMP_1, "assetModelExternalId": "line-model"},
            "InvalidRequestException",
        ),
        (
            bulk.put_asset,
            {
                **LINE_1,
                "assetHierarchies": [
                    {"externalId": "line-pumps", "childAssetExternalId": "line-1"}
                ],
            },
            "InvalidRequestException",
        ),
        (
            bulk.put_asset,
            {**PUMP_1, "assetProperties": [{"externalId": "nothing"}]},
            "InvalidRequestException",
        ),
        (
            bulk.put_asset,
            {**PUMP_1, "assetProperties": [{"externalId": "rpm", "attributeValue": "1"}]},
            "InvalidRequestException",
        ),
    ]
    for put, document, code in breaches:
        with db.write() as conn, pytest.raises(ServiceError) as failure:
            put(conn, HOME, document)
        assert failure.value.code == code, document


def test_a_listed_child_moves_to_its_new_parent(db):
    second_line = {**LINE_1, "assetExternalId": "line-2", "assetName": "Line 2"}
    put_all(db, HOME, [PUMP_MODEL, LINE_MODEL], [PUMP_1, LINE_1, second_line])
    conn = db.connection()
    pump = bulk.resolve_asset(conn, HOME, external_id="pump-1")
    line1 = bulk.resolve_asset(conn, HOME, external_id="line-1")
    line2 = bulk.resolve_asset(conn, HOME, external_id="line-2")
    assert bulk.descendant_asset_ids(conn, HOME, line1) == []
    assert bulk.descendant_asset_ids(conn, HOME, line2) == [pump]


def test_a_composite_keeps_its_composed_model_unless_it_names_another(db):
    put_all(db, HOME, [MOTOR_MODEL, DRIVEN_PUMP_MODEL], [])
    restated = {
        **DRIVEN_PUMP_MODEL,
        "assetModelCompositeModels": [{"externalId": "drive", "name": "Drive", "type": "CUSTOM"}],
    }
    assert put_all(db, HOME, [restated], []) == ["unchanged"]
    motor = bulk.resolve_asset_model(db.connection(), HOME, external_id="motor")
    composite = export(db, HOME)[0][1]["assetModelCompositeModels"][0]
    assert composite["composedAssetModelId"] == motor

    asset_model = {**LINE_MODEL, "assetModelHierarchies": []}
    put_all(db, HOME, [asset_model], [])
    composes_an_asset_model = {
        **DRIVEN_PUMP_MODEL,
        "assetModelCompositeModels": [
            {
                "externalId": "x",
                "name": "X",
                "type": "CUSTOM",
                "composedAssetModelExternalId": "line-model",
            }
        ],
    }
    with db.write() as conn, pytest.raises(ServiceError) as failure:
        bulk.put_asset_model(conn, HOME, composes_an_asset_model)
    assert failure.value.code == "InvalidRequestException"


def test_an_import_sees_what_another_connection_committed_between_its_batches(db):
    with db.write() as conn:
        importer = bulk.BulkImport(conn, HOME)
        importer.read_ahead([])
        assert importer.put_asset_model(PUMP_MODEL) == "created"
        assert importer.put_asset_model(LINE_MODEL) == "created"
        importer.read_ahead([PUMP_1])
        assert importer.put_asset(PUMP_1) == "created"
    # Between two batches, another connection (the API's) deletes the pump the importer knows.
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("DELETE FROM sitewise_assets WHERE external_id = 'pump-1'")
    other.close()
    with db.write() as conn:
        importer.read_ahead([LINE_1])
        with pytest.raises(ServiceError) as failure:
            importer.put_asset(LINE_1)  # lists pump-1, which is gone
        assert failure.value.code == "ResourceNotFoundException"
        assert importer.put_asset(PUMP_1) == "created"


def test_what_an_import_wrote_serves_its_later_batches(db):
    with db.write() as conn:
        importer = bulk.BulkImport(conn, HOME)
        importer.read_ahead([])
        importer.put_asset_model(PUMP_MODEL)
        importer.put_asset_model(LINE_MODEL)
        importer.read_ahead([PUMP_1, LINE_1])
        assert importer.put_asset(PUMP_1) == "created"
        assert importer.put_asset(LINE_1) == "created"
    with db.write() as conn:
        importer.read_ahead([PUMP_1, LINE_1])
        assert importer.put_asset(PUMP_1) == "unchanged"
        assert importer.put_asset(LINE_1) == "unchanged"
        second = {**LINE_1, "assetExternalId": "line-2", "assetName": "Line 2"}
        importer.read_ahead([second])
        assert importer.put_asset(second) == "created"  # the pump moves to line 2
        assert importer.put_asset(LINE_1) == "updated"  # and line 1 takes it back
    conn = db.connection()
    line_1 = bulk.resolve_asset(conn, HOME, external_id="line-1")
    line_2 = bulk.resolve_asset(conn, HOME, external_id="line-2")
    pump = bulk.resolve_asset(conn, HOME, external_id="pump-1")
    assert bulk.descendant_asset_ids(conn, HOME, line_1) == [pump]
    assert bulk.descendant_asset_ids(conn, HOME, line_2) == []


def test_assets_held_back_are_inserted_with_their_parents_at_flush(db):
    pump_2 = {**PUMP_1, "assetExternalId": "pump-2", "assetName": "Pump 2"}
    with db.write() as conn:
        importer = bulk.BulkImport(conn, HOME, hold_back=True)
        importer.read_ahead([])
        importer.put_asset_model(PUMP_MODEL)
        importer.put_asset_model(LINE_MODEL)
        importer.read_ahead([PUMP_1, pump_2, LINE_1])
        assert importer.put_asset(PUMP_1) == "created"
        # The pump's alias is not in the database yet, and still refused to another asset.
        with pytest.raises(ServiceError) as failure:
            importer.put_asset(pump_2)
        assert failure.value.code == "InvalidRequestException"
        assert importer.put_asset(LINE_1) == "created"
        assert conn.execute("SELECT count(*) FROM sitewise_assets").fetchone() == (0,)
        importer.flush()
    rows = sqlite3.connect(db.path).execute(
        "SELECT a.external_id, p.external_id FROM sitewise_assets a"
        " LEFT JOIN sitewise_assets p ON p.id = a.parent_id ORDER BY a.seq"
    )
    assert rows.fetchall() == [("pump-1", "line-1"), ("line-1", None)]
    aliases = sqlite3.connect(db.path).execute("SELECT alias FROM sitewise_time_series")
    assert aliases.fetchall() == [("/plant/line1/pump1/rpm",)]
