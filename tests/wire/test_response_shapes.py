"""The suite's response-shape check itself: it must catch what it is there to catch."""

from __future__ import annotations

import orjson

from tests.response_shapes import ResponseShapes
from twinport.wire.models import service_model


def _answer(shapes: ResponseShapes, operation: str, status: int, body: dict, headers=None):
    model = service_model("iottwinmaker").operation_model(operation)
    shapes.hook(
        model, {"status_code": status, "headers": headers or {}, "body": orjson.dumps(body)}
    )


def test_it_flags_nulls_foreign_members_and_foreign_errors():
    shapes = ResponseShapes()
    summary = {"workspaceId": "w", "arn": "a", "creationDateTime": 1, "updateDateTime": 1}
    _answer(shapes, "ListWorkspaces", 200, {"workspaceSummaries": [summary]})
    assert shapes.violations == []
    _answer(
        shapes, "ListWorkspaces", 200, {"workspaceSummaries": [{**summary, "description": None}]}
    )
    _answer(shapes, "ListWorkspaces", 200, {"workspaceSummaries": [], "extra": 1})
    _answer(shapes, "GetWorkspace", 400, {"message": "m"}, {"x-amzn-errortype": "Bogus"})
    assert len(shapes.violations) == 3
    assert "null at workspaceSummaries.[0].description" in shapes.violations[0]
    assert "extra is not in" in shapes.violations[1]
    assert "'Bogus' is not an error shape" in shapes.violations[2]
    assert shapes.checked == 4


def test_every_client_the_suite_makes_carries_the_check(twinport):
    from tests.conftest import _shapes

    before = _shapes.checked
    twinport.client("iottwinmaker", twinport.new_account()).list_workspaces()
    assert _shapes.checked == before + 1
