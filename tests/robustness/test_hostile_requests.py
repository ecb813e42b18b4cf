"""Requests built to break the server get a modeled error, never a 5xx."""

from __future__ import annotations

import contextlib
import http.client
import socket

import pytest

from tests.transfer.helpers import make_workspace
from tests.wire.test_wire import error_of, raw_client
from twinport.testing import TwinportServer

DEPTH = 100  # 200 levels of JSON: deeper than the limit, not too deep for the client


def nested_list(depth: int) -> dict:
    value: dict = {"stringValue": "bottom"}
    for _ in range(depth):
        value = {"listValue": [value]}
    return value


@pytest.fixture
def account(twinport):
    account = twinport.new_account()
    make_workspace(twinport, account, "plant", f"hostile-{account}")
    return account


@pytest.fixture
def twinmaker(twinport, account):
    return raw_client(twinport, "iottwinmaker", account)


def test_deeply_nested_values_are_refused_naming_the_limit(twinmaker):
    refusals = [
        lambda: twinmaker.create_entity(
            workspaceId="plant",
            entityName="deep",
            components={
                "c": {
                    "componentTypeId": "com.amazon.iottwinmaker.parameters",
                    "properties": {"p": {"value": nested_list(DEPTH)}},
                }
            },
        ),
        lambda: twinmaker.create_component_type(
            workspaceId="plant",
            componentTypeId="com.example.deep",
            propertyDefinitions={
                "p": {"dataType": {"type": "STRING"}, "defaultValue": nested_list(DEPTH)}
            },
        ),
    ]
    for refusal in refusals:
        code, message, status = error_of(refusal)
        assert (code, status) == ("ValidationException", 400)
        assert "deeper than 64 levels" in message


def test_a_component_without_its_type_is_a_validation_error(twinmaker):
    code, _, status = error_of(
        lambda: twinmaker.create_entity(workspaceId="plant", entityName="e", components={"c": {}})
    )
    assert (code, status) == ("ValidationException", 400)


def test_an_inheritance_chain_stops_at_its_limit(twinmaker):
    parent = None
    for depth in range(1, 33):
        type_id = f"com.example.level{depth}"
        extends = {"extendsFrom": [parent]} if parent else {}
        twinmaker.create_component_type(workspaceId="plant", componentTypeId=type_id, **extends)
        parent = type_id
    code, message, status = error_of(
        lambda: twinmaker.create_component_type(
            workspaceId="plant", componentTypeId="com.example.level33", extendsFrom=[parent]
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert "more than 32 component types" in message


def test_an_error_quotes_a_bounded_prefix_of_a_huge_value(twinmaker):
    huge = "x" * 1_000_000
    code, message, _ = error_of(
        lambda: twinmaker.create_workspace(workspaceId="huge", description=huge)
    )
    assert code == "ValidationException"
    assert len(message) < 1000


def test_an_update_creating_a_component_without_its_type_is_a_validation_error(twinmaker):
    twinmaker.create_entity(workspaceId="plant", entityId="e1", entityName="e1")
    for update in ({"updateType": "CREATE"}, {}):
        code, _, status = error_of(
            lambda update=update: twinmaker.update_entity(
                workspaceId="plant", entityId="e1", componentUpdates={"c": update}
            )
        )
        assert (code, status) == ("ValidationException", 400)
    code, message, status = error_of(
        lambda: twinmaker.update_entity(
            workspaceId="plant",
            entityId="e1",
            componentUpdates={
                "c": {
                    "updateType": "CREATE",
                    "componentTypeId": "com.amazon.iottwinmaker.parameters",
                    "propertyUpdates": {"p": {"value": nested_list(DEPTH)}},
                }
            },
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert "deeper than 64 levels" in message


def test_a_body_past_the_limit_is_refused_unread(twinport, account):
    """Its headers announce 11 MiB: the answer comes before any of the body is sent."""
    connection = http.client.HTTPConnection("127.0.0.1", twinport.port, timeout=10)
    connection.putrequest("POST", "/workspaces/plant/entities")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(11 << 20))
    connection.putheader(
        "Authorization",
        f"AWS4-HMAC-SHA256 Credential={account}/20260101/us-east-1/iottwinmaker/aws4_request,"
        " SignedHeaders=host, Signature=x",
    )
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 413
    assert answer.getheader("x-amzn-errortype") == "ValidationException"
    assert b"larger than 10 MiB" in answer.read()
    connection.close()


@pytest.mark.parametrize("length", [20_000, 100_000, 2_000_000])
def test_a_url_past_the_limit_is_refused_in_each_services_protocol(twinport, account, length):
    """Past 64 KiB the HTTP parser itself cannot read a URL: the server still answers in the
    caller's protocol, having kept only the first 16 KiB."""
    twinmaker = raw_client(twinport, "iottwinmaker", account)
    code, message, status = error_of(lambda: twinmaker.get_workspace(workspaceId="w" * length))
    assert (code, status) == ("ValidationException", 400)
    assert message.endswith("the limit is 16384 bytes")
    s3 = raw_client(twinport, "s3", account)
    code, _, status = error_of(lambda: s3.get_object(Bucket="b", Key="k" * length))
    assert (code, status) == ("RequestHeaderSectionTooLarge", 400)


def test_headers_past_the_limit_are_refused_before_they_are_all_read(twinport):
    with socket.create_connection(("127.0.0.1", twinport.port), timeout=10) as connection:
        connection.sendall(b"PUT /bucket/key HTTP/1.1\r\nHost: x\r\nx-amz-meta-big: ")
        with contextlib.suppress(ConnectionError):  # the server stops reading and answers
            for _ in range(64):
                connection.sendall(b"m" * (1 << 20))
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"<Code>RequestHeaderSectionTooLarge</Code>" in answer


def test_a_list_token_is_refused_outside_the_caller_it_was_issued_to(twinport):
    owner, other = twinport.new_account(), twinport.new_account()
    for account in (owner, other):
        for name in ("ws-a", "ws-b"):
            make_workspace(twinport, account, name, f"tokens-{account}-{name}")
    token = twinport.client("iottwinmaker", owner).list_workspaces(maxResults=1)["nextToken"]
    for account, region in ((other, "us-east-1"), (owner, "eu-west-1")):
        stranger = raw_client(twinport, "iottwinmaker", account, region)
        code, _, status = error_of(
            lambda s=stranger: s.list_workspaces(maxResults=1, nextToken=token)
        )
        assert (code, status) == ("ValidationException", 400)
    assert twinport.client("iottwinmaker", owner).list_workspaces(maxResults=1, nextToken=token)


def test_a_made_up_region_is_refused_in_each_services_protocol(twinport):
    account = twinport.new_account()
    region = "xx-made-up-1"
    for service, code in (
        ("iottwinmaker", "ValidationException"),
        ("iotsitewise", "InvalidRequestException"),
    ):
        client = raw_client(twinport, service, account, region)
        call = client.list_workspaces if service == "iottwinmaker" else client.list_asset_models
        refused_code, message, status = error_of(call)
        assert (refused_code, status) == (code, 400)
        assert "TWINPORT_REGIONS" in message
    s3 = raw_client(twinport, "s3", account, region)
    code, _, status = error_of(s3.list_buckets)
    assert (code, status) == ("AuthorizationHeaderMalformed", 400)


def test_a_region_the_user_adds_is_served(tmp_path):
    with TwinportServer(tmp_path / "data", args=("--regions", "xx-made-up-1")) as server:
        client = raw_client(server, "iottwinmaker", "123456789012", "xx-made-up-1")
        assert client.list_workspaces()["workspaceSummaries"] == []


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "code"),
    [
        ("POST", "/anybucket/anykey", {}, 400, "InvalidRequest"),
        ("PUT", "/anybucket?tagging", {}, 400, "MalformedXML"),
        ("POST", "/anybucket?delete", {}, 400, "MalformedXML"),
        ("PATCH", "/anybucket", {}, 405, "MethodNotAllowed"),
        (
            "POST",
            "/workspaces-list",
            {"Authorization": "AWS4-HMAC-SHA256 garbage"},
            400,
            "AuthorizationHeaderMalformed",
        ),
    ],
)
def test_unsigned_or_malformed_requests_get_s3_errors(
    twinport, method, path, headers, status, code
):
    connection = http.client.HTTPConnection("127.0.0.1", twinport.port, timeout=10)
    connection.request(method, path, body=b"", headers=headers)
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    assert answer.status == status
    assert answer.getheader("content-type") == "application/xml"
    assert f"<Code>{code}</Code>".encode() in body


def test_twinports_own_paths_answer_json(twinport):
    connection = http.client.HTTPConnection("127.0.0.1", twinport.port, timeout=10)
    connection.request("POST", "/_twinport/", body=b"")
    answer = connection.getresponse()
    assert (answer.status, answer.getheader("content-type")) == (404, "application/json")
    assert b"/_twinport/health" in answer.read()
    connection.close()
