"""`twinport validate FILE`: a bulk file checked offline says what an import job's report says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests import sitewise_files
from tests.robustness.test_hostile_files import HOSTILE
from tests.transfer.helpers import (
    entities_file,
    import_job,
    make_workspace,
    read_report,
    upload,
    wait_for,
)
from tests.transfer.sitewise_plant import create_bucket, import_sitewise, plant

SITEWISE_LINE = {
    "assetModels": [sitewise_files.PUMP_MODEL, sitewise_files.LINE_MODEL],
    "assets": [sitewise_files.PUMP_1, sitewise_files.LINE_1],
}
# A line that lists a pump the file does not hold.
SITEWISE_MISSING_CHILD = {
    "assetModels": SITEWISE_LINE["assetModels"],
    "assets": [sitewise_files.LINE_1],
}


def _bad_names(count: int) -> dict:
    return {"entities": [{"entityId": f"e{i}", "entityName": ""} for i in range(count)]}


# name -> (format, file content, flags): files an import job fails at validation.
BAD = {
    "bad JSON": ("twinmaker", b'{"entities": [{"entityId": "e1",}]}', ()),
    "schema error": (
        "twinmaker",
        {"entities": [{"entityId": "e1", "entityName": "e1", "description": 7}]},
        (),
    ),
    "more problems than a report lists": ("twinmaker", _bad_names(25), ()),
    "parent cycle": ("twinmaker", HOSTILE["parent cycle"], ()),
    "too deep nesting": ("twinmaker", HOSTILE["deeply nested value"], ()),
    "too long extendsFrom chain": ("twinmaker", HOSTILE["extendsFrom chain of 2,000"], ()),
    "missing child asset": ("sitewise", SITEWISE_MISSING_CHILD, ("--self-contained",)),
    "SiteWise file read as TwinMaker": ("twinmaker", SITEWISE_LINE, ("--format", "twinmaker")),
}


def validate(path: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "twinport", "validate", str(path), *flags],
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(tmp_path: Path, content: dict | bytes, name: str = "file.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else orjson.dumps(content))
    return path


def job_messages(twinport, fmt: str, content: dict | bytes) -> list[str]:
    """The error messages of the report of a job that imports `content` into a new account."""
    account = twinport.new_account()
    bucket = f"validate-{account}"
    if fmt == "twinmaker":
        workspace = make_workspace(twinport, account, "plant", bucket)
        job_id = import_job(
            twinport, account, upload(twinport, account, bucket, "in.json", content), workspace
        )
    else:
        create_bucket(twinport, account, bucket)
        job_id = import_sitewise(
            twinport, account, upload(twinport, account, bucket, "in.json", content)
        )
    job = wait_for(twinport, account, job_id)
    assert job["status"]["error"]["code"] == "VALIDATION_ERROR", job["status"]
    return [error["errorMessage"] for error in read_report(job)["errors"]]


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_file_prints_the_problems_of_the_job_report(twinport, tmp_path, name):
    fmt, content, flags = BAD[name]
    result = validate(write(tmp_path, content), *flags)
    assert result.returncode == 1, result
    *problems, summary = result.stdout.splitlines()
    expected = job_messages(twinport, fmt, content)
    assert problems == expected
    listed = len([m for m in expected if not m.startswith("Checking stopped here")])
    assert summary == f"invalid: {listed} problem{'s' if listed > 1 else ''}"


def test_a_report_of_many_problems_ends_with_the_note_that_checking_stopped(tmp_path):
    result = validate(write(tmp_path, _bad_names(25)))
    lines = result.stdout.splitlines()
    assert lines[0] == "entities[0].entityName: length 0 is less than minimum 1"
    assert lines[-2:] == [
        "Checking stopped here; the file may hold more problems",
        "invalid: 20 problems",
    ]


def test_a_good_twinmaker_file_is_valid(tmp_path):
    result = validate(write(tmp_path, entities_file(300)))
    assert (result.returncode, result.stdout) == (
        0,
        "valid: 1 component type, 300 entities, 0 entity components\n",
    )


def test_a_good_sitewise_file_is_valid_and_its_format_comes_from_its_first_key(tmp_path):
    result = validate(write(tmp_path, plant(2, 2, 3).content))
    assert (result.returncode, result.stdout) == (0, "valid: 4 asset models, 18 assets\n")


def test_names_outside_a_twinmaker_file_are_warnings_or_problems_when_self_contained(tmp_path):
    content = {
        "componentTypes": [
            {"componentTypeId": "com.example.pump", "extendsFrom": ["com.example.base"]}
        ],
        "entities": [
            {
                "entityId": "pump-1",
                "entityName": "Pump 1",
                "parentEntityId": "line-1",
                "components": {
                    "pump": {"componentTypeId": "com.example.pump"},
                    # built in: every workspace has it
                    "docs": {"componentTypeId": "com.amazon.iottwinmaker.documents"},
                },
            },
            {"entityId": "pump-2", "entityName": "Pump 2", "parentEntityId": "line-1"},
        ],
    }
    path = write(tmp_path, content)
    warned = validate(path)
    assert warned.returncode == 0, warned
    assert warned.stdout.splitlines() == [
        "warning: componentTypes[0]: component type 'com.example.base' is not in the file;"
        " the import needs it in the workspace",
        "warning: entities[0]: entity 'line-1' is not in the file;"
        " the import needs it in the workspace",
        "valid: 1 component type, 2 entities, 0 entity components (see the warnings)",
    ]
    refused = validate(path, "--self-contained")
    assert refused.returncode == 1, refused
    assert refused.stdout.splitlines() == [
        "componentTypes[0]: component type 'com.example.base' is not in the file",
        "entities[0]: entity 'line-1' is not in the file",
        "invalid: 2 problems",
    ]


def test_names_outside_a_sitewise_file_are_warnings_without_self_contained(tmp_path):
    result = validate(write(tmp_path, SITEWISE_MISSING_CHILD))
    assert result.returncode == 0, result
    assert result.stdout.splitlines() == [
        "warning: asset 'externalId:pump-1' is not in the file; the import needs it in SiteWise",
        "valid: 2 asset models, 1 asset (see the warnings)",
    ]


@pytest.mark.parametrize("target", ["missing.json", "."])
def test_a_file_that_cannot_be_read_is_a_usage_error(tmp_path, target):
    result = validate(tmp_path / target)
    assert result.returncode == 2, result
    assert result.stderr.startswith("twinport validate: error: cannot read"), result.stderr
    assert result.stdout == ""


def test_an_unknown_format_is_a_usage_error(tmp_path):
    result = validate(write(tmp_path, SITEWISE_LINE), "--format", "csv")
    assert result.returncode == 2
    assert "invalid choice: 'csv'" in result.stderr


def test_names_outside_the_file_beyond_those_listed_are_counted(tmp_path):
    entities = [
        {"entityId": f"pump-{i}", "entityName": f"Pump {i}", "parentEntityId": f"line-{i}"}
        for i in range(25)
    ]
    result = validate(write(tmp_path, {"entities": entities}), "--self-contained")
    lines = result.stdout.splitlines()
    assert len(lines) == 22, lines
    assert lines[19] == "entities[19]: entity 'line-19' is not in the file"
    assert lines[20:] == [
        "and 5 more references to resources not in the file",
        "invalid: 25 problems",
    ]
