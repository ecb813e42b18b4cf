"""The suite shares one live twinport (the `twinport` fixture of twinport.pytest_plugin).

Every boto3 client the tests make holds each JSON answer against its botocore shape
(`tests.response_shapes`): a test that receives a `null`, a member its shape lacks, or an error
of another service's shapes fails.
"""

import os

import botocore.session
import pytest

from tests.response_shapes import ResponseShapes

# Clients built by tests themselves (not through the fixture) must not prefix hosts either.
os.environ.setdefault("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")

_shapes = ResponseShapes()
_create_client = botocore.session.Session.create_client


def _create_checked_client(self, *args, **kwargs):
    client = _create_client(self, *args, **kwargs)
    client.meta.events.register("before-parse", _shapes.hook)
    return client


botocore.session.Session.create_client = _create_checked_client


@pytest.fixture(autouse=True)
def _answers_match_their_shapes():
    seen = len(_shapes.violations)
    yield
    found = _shapes.violations[seen:]
    assert not found, "answers outside their botocore shapes:\n" + "\n".join(found[:20])


# Under pytest-xdist (`make test` runs two workers) each worker checks its own answers: a
# worker hands its counts to the controller, which adds them up for the summary.
_workers_checked = [0, 0]  # answers checked, answers outside their shapes


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["shapes"] = [_shapes.checked, len(_shapes.violations)]


def pytest_testnodedown(node, error):
    checked, outside = getattr(node, "workeroutput", {}).get("shapes", [0, 0])
    _workers_checked[0] += checked
    _workers_checked[1] += outside


def pytest_terminal_summary(terminalreporter):
    checked = _shapes.checked + _workers_checked[0]
    outside = len(_shapes.violations) + _workers_checked[1]
    terminalreporter.write_line(
        f"response shapes: {checked} JSON answers checked against botocore's models,"
        f" {outside} outside them"
    )
