"""Fuzzed requests to every TwinMaker and SiteWise operation twinport implements get a modeled
error or a success.

Never a 5xx, never an error shape the service's model lacks, never a hang (each request has 10
seconds). `make test` sends a few derandomized examples per operation; TWINPORT_STRESS=1
(`make stress`) many random ones, and prints what it sent per operation.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.conftest import FUZZED_SERVICES, STRESS
from tests.robustness.fuzz import TALLY, Fuzzer, requests
from twinport.services import all_handlers

OPERATIONS = [
    (service, name)
    for service, ops in all_handlers().items()
    if service in FUZZED_SERVICES
    for name in sorted(ops)
]
FUZZ_SETTINGS = settings(
    max_examples=200 if STRESS else 8,
    derandomize=not STRESS,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@pytest.mark.parametrize(("service", "operation"), OPERATIONS)
@FUZZ_SETTINGS
@given(data=st.data())
def test_a_fuzzed_request_gets_a_modeled_answer(twinport, world, service, operation, data):
    fuzzer = world.fuzzers[service]
    operation_model = fuzzer.model.operation_model(operation)
    request = data.draw(requests(operation_model, world.known), label="request")
    answer = fuzzer.send(operation_model, request)
    modeled = fuzzer.modeled(answer)
    TALLY.add(f"{service} {operation}", answer, modeled)
    assert answer.status < 500, f"{answer}; server log:\n{twinport.log()[-3000:]}"
    assert modeled, f"{answer.error} is not an error shape of {service}"
    assert not fuzzer.shapes.violations, fuzzer.shapes.violations


_PATHS = {"iottwinmaker": "/workspaces/plant/entities", "iotsitewise": "/asset-models"}
_BODIES = {
    "broken JSON": b'{"entityName": "e", ',
    "invalid UTF-8": b'{"entityName": "\xff\xfe\xc3("}',
    "not an object": b'["entityName"]',
    "a lone surrogate": b'{"entityName": "\\ud800"}',
    "an integer past 64 bits": b'{"entityName": 123456789012345678901234567890}',
    "NaN": b'{"entityName": NaN}',
    "9 MiB": b'{"entityName": "' + b"x" * (9 << 20) + b'"}',
}


@pytest.mark.parametrize("body", _BODIES.values(), ids=list(_BODIES))
@pytest.mark.parametrize(("service", "path"), _PATHS.items(), ids=list(_PATHS))
def test_a_broken_body_gets_a_json_error(twinport, world, service, path, body):
    answer = _raw(twinport, path, body, {"Authorization": _signed(world.account, service)})
    assert answer.status >= 400
    _assert_modeled_json(world.fuzzers[service], answer)


@pytest.mark.parametrize(
    "headers",
    [{"Content-Type": "text/plain"}, {"Content-Type": "multipart/form-data; boundary=x"}, {}],
    ids=["text", "multipart", "none"],
)
@pytest.mark.parametrize(("service", "path"), _PATHS.items(), ids=list(_PATHS))
def test_a_wrong_content_type_gets_a_json_answer(twinport, world, service, path, headers):
    answer = _raw(
        twinport, path, b"{}", {**headers, "Authorization": _signed(world.account, service)}
    )
    _assert_modeled_json(world.fuzzers[service], answer)


def test_a_signature_for_a_service_twinport_lacks_gets_a_json_error(twinport, world):
    answer = _raw(
        twinport,
        _PATHS["iottwinmaker"],
        b"{}",
        {"Authorization": _signed(world.account, "dynamodb")},
    )
    assert (answer.status, answer.getheader("x-amzn-errortype")) == (501, "UnknownServiceException")
    assert orjson.loads(answer.body)["message"]


@pytest.mark.parametrize(
    "authorization",
    ["AWS4-HMAC-SHA256 Credential=1234", "AWS4-HMAC-SHA256 garbage", "Bearer abc.def", "AWS :"],
)
def test_a_broken_or_foreign_signature_gets_an_s3_error(twinport, authorization):
    """No service can be read from it: such a request is S3's (docs/behaviour.md, Requests)."""
    answer = _raw(twinport, _PATHS["iottwinmaker"], b"{}", {"Authorization": authorization})
    assert 400 <= answer.status < 500
    assert answer.body.startswith(b"<?xml") and b"<Code>" in answer.body


@dataclass
class _RawAnswer:
    status: int
    headers: dict[str, str]
    body: bytes

    def getheader(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def _raw(twinport, path: str, body: bytes, headers: dict[str, str]) -> _RawAnswer:
    connection = http.client.HTTPConnection("127.0.0.1", twinport.port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        return _RawAnswer(
            answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read()
        )
    finally:
        connection.close()


def _signed(account: str, service: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={account}/20260101/us-east-1/{service}/aws4_request,"
        " SignedHeaders=host, Signature=x"
    )


def _assert_modeled_json(fuzzer: Fuzzer, answer: _RawAnswer) -> None:
    """Not a 5xx; JSON; an error names one of the service's error shapes."""
    assert answer.status < 500, answer
    assert answer.getheader("content-type") == "application/json"
    body = orjson.loads(answer.body)
    if answer.status >= 300:
        assert answer.getheader("x-amzn-errortype") in fuzzer.error_shapes, answer
        assert isinstance(body["message"], str)
