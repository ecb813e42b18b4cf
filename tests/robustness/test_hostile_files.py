"""Bulk files built to break an import end the job cleanly, with a report; the server stays up.

`make test` uses files of a few megabytes; `make stress` (TWINPORT_STRESS=1) hundreds.
"""

from __future__ import annotations

import os
import urllib.request

import orjson
import pytest

from tests.robustness import summary
from tests.transfer.helpers import import_job, make_workspace, read_report, upload, wait_for

STRESS = os.environ.get("TWINPORT_STRESS") == "1"
MEGABYTES = 300 if STRESS else 8


def _deep_value(depth: int) -> bytes:
    return b'{"listValue": [' * depth + b'{"stringValue": "x"}' + b"]}" * depth


def _entity_with_value(value: bytes) -> bytes:
    return (
        b'{"entities": [{"entityId": "e1", "entityName": "e1", "components": {"c": {'
        b'"componentTypeId": "com.amazon.iottwinmaker.parameters", "properties": {"p": {'
        b'"definition": {"dataType": {"type": "LIST", "nestedType": {"type": "STRING"}}},'
        b'"value": ' + value + b"}}}}}]}"
    )


HOSTILE = {
    "whitespace": b" " * (MEGABYTES << 20),
    "huge string": b'{"entities": [{"entityId": "e1", "entityName": "'
    + b"x" * (MEGABYTES << 20)
    + b'"}]}',
    "invalid utf-8": b'{"entities": [{"entityId": "\xff\xfe", "entityName": "x"}]}',
    "deep arrays": b"[" * 100_000 + b"]" * 100_000,
    "NaN": b'{"entities": [{"entityId": "e1", "entityName": "e1", "x": NaN}]}',
    "parent cycle": orjson.dumps(
        {
            "entities": [
                {"entityId": "a", "entityName": "a", "parentEntityId": "b"},
                {"entityId": "b", "entityName": "b", "parentEntityId": "a"},
            ]
        }
    ),
    "deeply nested value": _entity_with_value(_deep_value(300)),
    "extendsFrom chain of 2,000": orjson.dumps(
        {
            "componentTypes": [
                {"componentTypeId": f"t{i}", **({"extendsFrom": [f"t{i - 1}"]} if i else {})}
                for i in range(2000)
            ]
        }
    ),
}


@pytest.fixture(scope="module")
def place(twinport):
    account = twinport.new_account()
    bucket = f"hostile-files-{account}"
    return account, bucket, make_workspace(twinport, account, "plant", bucket)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_fails_validation_with_a_report(twinport, place, name):
    account, bucket, workspace = place
    source = upload(twinport, account, bucket, f"{_key(name)}.json", HOSTILE[name])
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace), timeout=300)
    assert job["status"]["state"] == "ERROR", job["status"]
    assert job["status"]["error"]["code"] == "VALIDATION_ERROR", job["status"]
    assert len(job["status"]["error"]["message"]) <= 2048
    assert read_report(job)["errors"]
    with urllib.request.urlopen(f"{twinport.url}/_twinport/health") as health:
        assert health.status == 200
    summary.add("hostile files failed cleanly, server up", 1)


def test_a_long_parent_chain_imports(twinport, place):
    account, bucket, workspace = place
    length = 100_000 if STRESS else 20_000
    chain = [
        {
            "entityId": f"c{i}",
            "entityName": f"c{i}",
            **({"parentEntityId": f"c{i - 1}"} if i else {}),
        }
        for i in range(length)
    ]
    source = upload(twinport, account, bucket, "chain.json", {"entities": chain})
    job = wait_for(twinport, account, import_job(twinport, account, source, workspace), timeout=600)
    assert job["status"]["state"] == "COMPLETED", job["status"]
    assert job["progress"]["succeededCount"] == length


def _key(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)
