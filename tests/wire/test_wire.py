"""The generic rest-json layer, seen from boto3: routing, validation, errors, identity."""

from __future__ import annotations

import urllib.error
import urllib.request

import boto3
import orjson
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError


def raw_client(twinport, service: str, account: str, region: str = "us-east-1"):
    """A client that skips boto3's own parameter checks, so the server's checks are seen."""
    return boto3.client(
        service,
        endpoint_url=twinport.url,
        region_name=region,
        aws_access_key_id=account,
        aws_secret_access_key="secret",
        config=Config(
            parameter_validation=False, inject_host_prefix=False, retries={"max_attempts": 1}
        ),
    )


def error_of(call) -> tuple[str, str, int]:
    with pytest.raises(ClientError) as caught:
        call()
    response = caught.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def test_health_answers_when_ready(twinport):
    with urllib.request.urlopen(f"{twinport.url}/_twinport/health") as response:
        assert response.status == 200
        assert orjson.loads(response.read())["status"] == "ok"


def test_constraint_violations_are_listed_with_member_paths(twinport):
    client = raw_client(twinport, "iottwinmaker", twinport.new_account())
    code, message, status = error_of(
        lambda: client.create_metadata_transfer_job(
            metadataTransferJobId="bad.id",
            sources=[{"type": "bogus"}, {"type": "s3"}],
            destination={"type": "s3"},
        )
    )
    assert (code, status) == ("ValidationException", 400)
    assert message.startswith("3 validation errors detected: ")
    assert (
        "Value 'bad.id' at 'metadataTransferJobId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern" in message
    )
    assert (
        "Value 'bogus' at 'sources.1.member.type' failed to satisfy constraint: "
        "Member must satisfy enum value set: [s3, iotsitewise, iottwinmaker]" in message
    )
    assert (
        "at 'sources' failed to satisfy constraint: "
        "Member must have length less than or equal to 1" in message
    )


def test_missing_required_member_and_range(twinport):
    client = raw_client(twinport, "iottwinmaker", twinport.new_account())
    code, message, _ = error_of(
        lambda: client.list_metadata_transfer_jobs(sourceType="s3", maxResults=500)
    )
    assert code == "ValidationException"
    assert (
        "Value null at 'destinationType' failed to satisfy constraint: "
        "Member must not be null" in message
    )
    assert (
        "Value '500' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 200" in message
    )


def test_union_needs_exactly_one_member(twinport):
    client = raw_client(twinport, "iottwinmaker", twinport.new_account())
    code, message, _ = error_of(
        lambda: client.list_metadata_transfer_jobs(
            sourceType="s3",
            destinationType="iottwinmaker",
            filters=[{"workspaceId": "ws1", "state": "RUNNING"}],
        )
    )
    assert code == "ValidationException"
    assert (
        "'filters.1.member' failed to satisfy constraint: "
        "Member must have exactly one member set" in message
    )


def test_wrong_json_type_is_the_services_validation_error(twinport):
    client = raw_client(twinport, "iottwinmaker", twinport.new_account())
    code, _, status = error_of(
        lambda: client.list_metadata_transfer_jobs(
            sourceType="s3", destinationType="iottwinmaker", maxResults="ten"
        )
    )
    assert (code, status) == ("ValidationException", 400)


def test_operation_of_the_model_not_implemented_answers_501(twinport):
    client = twinport.client("iottwinmaker", twinport.new_account())
    code, message, status = error_of(
        lambda: client.execute_query(
            workspaceId="ws1", queryStatement="SELECT entity FROM EntityGraph"
        )
    )
    assert (code, status) == ("InternalServerException", 501)
    assert "ExecuteQuery" in message


def test_path_matching_no_operation_answers_404(twinport):
    request = urllib.request.Request(
        f"{twinport.url}/no-such-path",
        method="GET",
        headers={
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"
            "iottwinmaker/aws4_request, SignedHeaders=host, Signature=x"
        },
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    with caught.value as error:
        assert error.code == 404
        assert error.headers["x-amzn-errortype"] == "ResourceNotFoundException"


def test_any_host_header_is_served(twinport):
    """Clients that keep host-prefix injection behind a resolver send api.<host>."""
    request = urllib.request.Request(
        f"{twinport.url}/metadata-transfer-jobs-list",
        method="POST",
        data=b'{"sourceType": "s3", "destinationType": "iottwinmaker"}',
        headers={
            "Host": "api.iottwinmaker.us-east-1.amazonaws.com",
            "Content-Type": "application/json",
            "Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/"
            "iottwinmaker/aws4_request, SignedHeaders=host, Signature=x",
        },
    )
    with urllib.request.urlopen(request) as response:
        assert orjson.loads(response.read()) == {"metadataTransferJobSummaries": []}


def test_account_and_region_isolate_resources(twinport):
    account, other = twinport.new_account(), twinport.new_account()
    bucket_arn = "arn:aws:s3:::isolation-bucket"
    role = f"arn:aws:iam::{account}:role/twinmaker"
    twinport.client("iottwinmaker", account).create_workspace(
        workspaceId="shared-name", s3Location=bucket_arn, role=role
    )
    for client in (
        twinport.client("iottwinmaker", other),
        twinport.client("iottwinmaker", account, region="eu-west-1"),
    ):
        code, _, status = error_of(lambda c=client: c.get_workspace(workspaceId="shared-name"))
        assert (code, status) == ("ResourceNotFoundException", 404)
    found = twinport.client("iottwinmaker", account).get_workspace(workspaceId="shared-name")
    assert found["arn"] == f"arn:aws:iottwinmaker:us-east-1:{account}:workspace/shared-name"


def test_non_numeric_access_key_maps_to_the_default_account(twinport):
    client = raw_client(twinport, "iottwinmaker", "AKIAEXAMPLEKEY", region="ap-south-1")
    created = client.create_workspace(
        workspaceId="default-account-ws",
        s3Location="arn:aws:s3:::some-bucket",
        role="arn:aws:iam::123456789012:role/twinmaker",
    )
    assert created["arn"] == (
        "arn:aws:iottwinmaker:ap-south-1:123456789012:workspace/default-account-ws"
    )


def test_sitewise_answers_bad_input_with_its_own_validation_shape(twinport):
    sitewise = raw_client(twinport, "iotsitewise", twinport.new_account())
    with pytest.raises(sitewise.exceptions.InvalidRequestException) as caught:
        sitewise.create_asset_model(assetModelName="x" * 257)
    message = caught.value.response["Error"]["Message"]
    assert "'assetModelName' failed to satisfy constraint" in message
    with pytest.raises(sitewise.exceptions.InvalidRequestException):
        sitewise.list_asset_models(maxResults="ten")


def test_a_pattern_error_says_the_rule_in_words(twinport):
    client = raw_client(twinport, "iottwinmaker", twinport.new_account())
    code, message, _ = error_of(lambda: client.create_workspace(workspaceId="a"))
    assert code == "ValidationException"
    assert message.endswith(
        "(2 or more characters: letters, digits, '-', '_'; the first one of letters, digits,"
        " '_'; the last one of letters, digits)"
    )


def test_a_string_with_the_nul_character_is_bad_input_on_every_store(twinport):
    # SiteWise's clientToken pattern (\S{36,64}) lets NUL through; PostgreSQL cannot store it.
    sitewise = raw_client(twinport, "iotsitewise", twinport.new_account())
    with pytest.raises(sitewise.exceptions.InvalidRequestException) as caught:
        sitewise.create_asset_model(assetModelName="pump", clientToken="a" * 35 + "\x00")
    message = caught.value.response["Error"]["Message"]
    assert "at 'clientToken' failed to satisfy constraint" in message
    assert "must not contain the NUL character (U+0000)" in message
