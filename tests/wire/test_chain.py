"""The gateway's chain in-process: error mapping and the access log, which no live call reaches."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import orjson
import pytest

from twinport.gateway.access_log import AccessLog
from twinport.gateway.chain import Chain, Exchange
from twinport.gateway.dispatch import ServeWire, UnknownService
from twinport.gateway.errors import MapErrors
from twinport.gateway.identity import Identify
from twinport.gateway.request_id import RequestId
from twinport.wire.service import WireService

ACCOUNT = "123456789012"


def authorization(service: str, region: str = "eu-west-1") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={ACCOUNT}/20260101/{region}/{service}/aws4_request, "
        "SignedHeaders=host, Signature=x"
    )


def serve(chain: Chain, method: str, path: str, headers: dict[str, str]) -> list[dict]:
    """Run one request through `chain`; the ASGI messages it sends."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(chain(scope, receive, send))
    return sent


def header(start: dict, name: bytes) -> str:
    [value] = [v.decode() for k, v in start["headers"] if k == name]
    return value


def services() -> dict[str, WireService]:
    def list_workspaces(context, data: dict) -> dict:
        return {"workspaceSummaries": []}

    def make_context(scope, service, operation, host):
        return SimpleNamespace(scope=scope, service=service, operation=operation)

    twinmaker = WireService("iottwinmaker", {"ListWorkspaces": list_workspaces}, make_context)
    return {"iottwinmaker": twinmaker}


async def fail(exchange: Exchange) -> bool:
    raise RuntimeError("a bug")


def failing_chain() -> Chain:
    return Chain([RequestId(), Identify(ACCOUNT), fail], errors=[MapErrors(services())])


def test_an_escaped_exception_is_the_services_internal_error():
    start, body = serve(
        failing_chain(), "GET", "/x", {"authorization": authorization("iottwinmaker")}
    )
    assert start["status"] == 500
    assert header(start, b"x-amzn-errortype") == "InternalServerException"
    assert header(start, b"content-type") == "application/json"
    assert header(start, b"x-amzn-requestid")
    assert "server log" in orjson.loads(body["body"])["message"]


def test_an_escaped_exception_is_an_s3_error_for_s3():
    start, body = serve(failing_chain(), "GET", "/bucket", {})
    assert start["status"] == 500
    assert header(start, b"content-type") == "application/xml"
    assert header(start, b"x-amz-request-id")
    assert b"<Code>InternalError</Code>" in body["body"]


def test_an_escaped_exception_is_a_generic_json_error_for_other_services():
    start, body = serve(failing_chain(), "GET", "/x", {"authorization": authorization("kinesis")})
    assert start["status"] == 500
    assert header(start, b"x-amzn-errortype") == "InternalFailure"
    assert orjson.loads(body["body"])["message"]


def test_an_exception_after_the_answer_began_is_raised_on():
    async def start_then_fail(exchange: Exchange) -> bool:
        await exchange.send({"type": "http.response.start", "status": 200, "headers": []})
        raise RuntimeError("a bug")

    chain = Chain([start_then_fail], errors=[MapErrors(services())])
    with pytest.raises(RuntimeError, match="a bug"):
        serve(chain, "GET", "/x", {})


def test_access_log_names_service_operation_account_region_and_status(caplog):
    with ThreadPoolExecutor(max_workers=1) as writers:
        wire = services()
        chain = Chain(
            [RequestId(), Identify(ACCOUNT), ServeWire(wire, writers), UnknownService()],
            errors=[MapErrors(wire)],
            finalizers=[AccessLog()],
        )
        with caplog.at_level(logging.INFO, logger="twinport.access"):
            start, _ = serve(
                chain, "POST", "/workspaces-list", {"authorization": authorization("iottwinmaker")}
            )
    assert start["status"] == 200
    [record] = [r for r in caplog.records if r.name == "twinport.access"]
    assert record.levelno == logging.INFO
    line = record.getMessage()
    assert line.startswith("POST /workspaces-list service=iottwinmaker operation=ListWorkspaces ")
    assert f"account={ACCOUNT} region=eu-west-1 status=200 " in line
    assert line.endswith(f"id={header(start, b'x-amzn-requestid')}")
