"""The SiteWise bulk file: schema rules, references, file-level rules, import order, writing."""

from __future__ import annotations

import io
import uuid

import orjson
import pytest

from tests.sitewise_files import (
    DRIVEN_PUMP_MODEL,
    LINE_1,
    LINE_MODEL,
    MOTOR_MODEL,
    PUMP_1,
    PUMP_MODEL,
)
from twinport.formats.sitewise import SiteWiseScan, validate_and_plan, write_sitewise_file


class Known:
    """Resources that exist in the account: by id or external id."""

    def __init__(self, models: set[str] = frozenset(), assets: set[str] = frozenset()):
        self.models, self.assets = models, assets

    def has_asset_model(self, model_id, external_id):
        return model_id in self.models or external_id in self.models

    def has_asset(self, asset_id, external_id):
        return asset_id in self.assets or external_id in self.assets


@pytest.fixture
def plan_of(tmp_path):
    def plan_of(content: dict | bytes, max_errors: int = 20, known=None):
        path = tmp_path / "import.json"
        path.write_bytes(content if isinstance(content, bytes) else orjson.dumps(content))
        return validate_and_plan(path, max_errors, known)

    return plan_of


def model_holding(external_id: str, name: str, child: str, hierarchy: str = "hh") -> dict:
    """An asset model with one hierarchy whose children are of the model `child`."""
    return {
        "assetModelExternalId": external_id,
        "assetModelName": name,
        "assetModelHierarchies": [
            {"externalId": hierarchy, "name": hierarchy.title(), "childAssetModelExternalId": child}
        ],
    }


def test_models_that_others_use_and_children_come_first(plan_of):
    plan = plan_of({"assetModels": [LINE_MODEL, PUMP_MODEL], "assets": [LINE_1, PUMP_1]})
    assert plan.ok, plan.errors
    assert plan.complete
    assert plan.counts == {"assetModels": 2, "assets": 2}
    assert plan.total == 4
    assert list(plan.sequence()) == [
        (0, "assetModels", 1),
        (1, "assetModels", 0),
        (2, "assets", 1),
        (3, "assets", 0),
    ]
    assert plan.aliases == {"AssetModel": {}, "Asset": {}}


def test_file_order_is_kept_when_it_already_works(plan_of):
    plan = plan_of({"assetModels": [PUMP_MODEL, LINE_MODEL], "assets": [PUMP_1, LINE_1]})
    assert [index for _, _, index in plan.sequence()] == [0, 1, 0, 1]


def test_either_section_may_be_left_out(plan_of):
    assert plan_of({"assetModels": [PUMP_MODEL]}).ok
    assert plan_of({}).total == 0
    only_assets = plan_of({"assets": [PUMP_1]}, known=Known(models={"pump-model"}))
    assert only_assets.ok, only_assets.errors


def test_schema_violations_are_reported_with_their_path(plan_of):
    bad_pump = {
        **PUMP_1,
        "assetProperties": [{"externalId": "rpm", "alias": "x" * 1001}],
        "assetId": "NOT-A-UUID",
    }
    bad_model = {
        "assetModelName": "Nameless",
        "assetModelProperties": [{"id": str(uuid.uuid4()), "name": "P", "dataType": "TEXT"}],
        "colour": "red",
    }
    plan = plan_of({"assetModels": [bad_model], "assets": [bad_pump]})
    assert not plan.ok
    assert plan.errors == [
        "assetModels[0].assetModelProperties[0].dataType: 'TEXT' is not one of STRING, INTEGER,"
        " DOUBLE, BOOLEAN, STRUCT",
        "assetModels[0].assetModelProperties[0]: missing required property 'type'",
        "assetModels[0]: unexpected property 'colour'",
        "assetModels[0]: needs one of the properties 'assetModelId', 'assetModelExternalId'",
        "assets[0].assetProperties[0].alias: length 1001 is greater than maximum 1000",
        "assets[0].assetId: length 10 is less than minimum 36",
    ]


def test_a_hierarchy_entry_needs_a_hierarchy_and_a_child(plan_of):
    line = {**LINE_1, "assetHierarchies": [{"childAssetExternalId": "pump-1"}]}
    plan = plan_of({"assetModels": [PUMP_MODEL, LINE_MODEL], "assets": [PUMP_1, line]})
    assert plan.errors == [
        "assets[1].assetHierarchies[0]: needs one of the properties 'id', 'externalId'"
    ]


def test_unknown_references_are_errors_when_the_account_is_known(plan_of):
    stray_pump = {**PUMP_1, "assetModelExternalId": "no-such-model"}
    line = {
        **LINE_1,
        "assetHierarchies": [{"externalId": "line-pumps", "childAssetId": str(uuid.uuid4())}],
    }
    orphan_model = {
        **LINE_MODEL,
        "assetModelExternalId": "other-line",
        "assetModelName": "Other line",
        "assetModelHierarchies": [
            {"externalId": "hh", "name": "H", "childAssetModelExternalId": "missing"}
        ],
    }
    content = {"assetModels": [PUMP_MODEL, LINE_MODEL, orphan_model], "assets": [stray_pump, line]}
    plan = plan_of(content, known=Known())
    child = line["assetHierarchies"][0]["childAssetId"]
    assert plan.errors == [
        "assetModels[2].assetModelHierarchies[0].childAssetModelExternalId: asset model"
        " 'externalId:missing' is neither in the file nor in SiteWise",
        "assets[0].assetModelExternalId: asset model 'externalId:no-such-model' is neither in"
        " the file nor in SiteWise",
        f"assets[1].assetHierarchies[0].childAssetId: asset '{child}' is neither in the file"
        " nor in SiteWise",
    ]
    existing = Known(models={"missing", "no-such-model"}, assets={child})
    assert plan_of(content, known=existing).ok
    assert plan_of(content).ok  # nothing known about the account: left to the import


def test_resources_defined_twice_are_errors(plan_of):
    model_id = str(uuid.uuid4())
    twice = [
        {**PUMP_MODEL, "assetModelId": model_id},
        {"assetModelId": model_id, "assetModelName": "Other"},
    ]
    plan = plan_of({"assetModels": twice, "assets": [PUMP_1, {**PUMP_1, "assetName": "again"}]})
    assert plan.errors == [
        f"assetModels[1]: id '{model_id}' is already defined by assetModels[0]",
        "assets[1]: external id 'pump-1' is already defined by assets[0]",
    ]


def test_an_asset_listed_as_a_child_twice_is_an_error(plan_of):
    line_2 = {**LINE_1, "assetExternalId": "line-2", "assetName": "Line 2"}
    plan = plan_of({"assetModels": [PUMP_MODEL, LINE_MODEL], "assets": [PUMP_1, LINE_1, line_2]})
    assert plan.errors == [
        "assets[2].assetHierarchies[0].childAssetExternalId: asset 'externalId:pump-1' is"
        " already listed as a child by assets[1].assetHierarchies[0].childAssetExternalId"
    ]


def test_cycles_are_errors(plan_of):
    a = model_holding("model-a", "A", child="model-b")
    b = model_holding("model-b", "B", child="model-a")
    line_2 = {
        **LINE_1,
        "assetExternalId": "line-2",
        "assetHierarchies": [{"externalId": "line-pumps", "childAssetExternalId": "line-1"}],
    }
    line_1 = {
        **LINE_1,
        "assetHierarchies": [{"externalId": "line-pumps", "childAssetExternalId": "line-2"}],
    }
    plan = plan_of({"assetModels": [a, b, LINE_MODEL, PUMP_MODEL], "assets": [line_1, line_2]})
    assert plan.errors == [
        "assetModels[0]: hierarchy or composition cycle 'externalId:model-a' ->"
        " 'externalId:model-b' -> 'externalId:model-a'",
        "assets[0]: assetHierarchies cycle 'externalId:line-1' -> 'externalId:line-2'"
        " -> 'externalId:line-1'",
    ]


def test_a_model_may_hold_its_own_kind_but_an_asset_cannot_hold_itself(plan_of):
    folder = model_holding("folder", "Folder", child="folder", hierarchy="sub")
    itself = {
        "assetExternalId": "f1",
        "assetName": "F",
        "assetModelExternalId": "folder",
        "assetHierarchies": [{"externalId": "sub", "childAssetExternalId": "f1"}],
    }
    assert plan_of({"assetModels": [folder]}).ok
    plan = plan_of({"assetModels": [folder], "assets": [itself]})
    assert plan.errors == ["assets[0]: assetHierarchies cycle 'externalId:f1' -> 'externalId:f1'"]


def test_composed_models_come_first_and_aliases_name_mixed_references(plan_of):
    motor_id = str(uuid.uuid4())
    motor = {"assetModelId": motor_id, **MOTOR_MODEL}
    plan = plan_of({"assetModels": [DRIVEN_PUMP_MODEL, motor]})
    assert plan.ok, plan.errors
    assert [index for _, _, index in plan.sequence()] == [1, 0]
    assert plan.aliases["AssetModel"] == {"externalId:motor": motor_id}


def test_malformed_json_and_unknown_sections_stop_the_pass(plan_of):
    plan = plan_of(b'{"assetModels": [{"assetModelName": "x",}]}')
    assert not plan.complete
    assert plan.errors[0].startswith("malformed JSON at line 1")
    plan = plan_of({"assetModels": [], "entities": []})
    assert plan.errors == ["unknown top-level key 'entities' (allowed keys: assetModels, assets)"]


def test_the_pass_stops_after_max_errors(plan_of):
    nameless = [{"assetExternalId": f"a{n}", "assetModelExternalId": "mm"} for n in range(50)]
    plan = plan_of({"assets": nameless}, max_errors=3)
    assert len(plan.errors) == 3
    assert not plan.complete
    assert plan.counts["assets"] == 3


def test_the_scan_yields_every_item_once_in_file_order(tmp_path):
    path = tmp_path / "in.json"
    content = {"assetModels": [LINE_MODEL, PUMP_MODEL], "assets": [LINE_1, PUMP_1]}
    path.write_bytes(orjson.dumps(content))
    scan = SiteWiseScan(path)
    assert list(scan) == [
        ("assetModels", 0, LINE_MODEL),
        ("assetModels", 1, PUMP_MODEL),
        ("assets", 0, LINE_1),
        ("assets", 1, PUMP_1),
    ]
    with pytest.raises(RuntimeError):
        list(scan)


def test_a_written_file_reads_back(tmp_path):
    out = io.BytesIO()
    counts = write_sitewise_file(out, iter([PUMP_MODEL, LINE_MODEL]), iter([PUMP_1, LINE_1]))
    assert counts == {"assetModels": 2, "assets": 2}
    assert orjson.loads(out.getvalue()) == {
        "assetModels": [PUMP_MODEL, LINE_MODEL],
        "assets": [PUMP_1, LINE_1],
    }
    path = tmp_path / "written.json"
    path.write_bytes(out.getvalue())
    assert validate_and_plan(path).ok
