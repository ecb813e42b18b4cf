"""Seen from clients: a request id on every answer, and the answer to an unknown service."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid

import orjson
import pytest
from botocore.exceptions import ClientError


def signed_for(service: str) -> dict[str, str]:
    return {
        "Authorization": "AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/"
        f"{service}/aws4_request, SignedHeaders=host, Signature=x"
    }


def request_ids(responses: list[dict], header: str) -> list[str]:
    """The RequestId boto3 shows for each response, checked to be the one header's uuid4."""
    ids = []
    for response in responses:
        metadata = response["ResponseMetadata"]
        assert metadata["HTTPHeaders"][header] == metadata["RequestId"]
        assert uuid.UUID(metadata["RequestId"]).version == 4
        ids.append(metadata["RequestId"])
    return ids


def error_response(call) -> dict:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response


def test_twinmaker_answers_carry_a_new_request_id_each(twinport):
    client = twinport.client("iottwinmaker", twinport.new_account())
    responses = [client.list_workspaces() for _ in range(2)]
    first, second = request_ids(responses, "x-amzn-requestid")
    assert first != second


def test_sitewise_answers_carry_a_new_request_id_each(twinport):
    client = twinport.client("iotsitewise", twinport.new_account())
    responses = [client.list_asset_models() for _ in range(2)]
    first, second = request_ids(responses, "x-amzn-requestid")
    assert first != second


def test_error_answers_carry_a_new_request_id_each(twinport):
    client = twinport.client("iottwinmaker", twinport.new_account())
    responses = [error_response(lambda: client.get_workspace(workspaceId="none")) for _ in "ab"]
    assert {r["Error"]["Code"] for r in responses} == {"ResourceNotFoundException"}
    first, second = request_ids(responses, "x-amzn-requestid")
    assert first != second


def test_s3_answers_carry_one_request_id_header_of_their_own(twinport):
    client = twinport.client("s3", twinport.new_account())
    responses = [client.create_bucket(Bucket="request-ids"), client.list_buckets()]
    responses.append(error_response(lambda: client.head_bucket(Bucket="no-such-bucket")))
    ids = request_ids(responses, "x-amz-request-id")
    assert len(set(ids)) == 3
    # moto's own request id header is replaced, not sent alongside.
    assert not any("x-amzn-requestid" in r["ResponseMetadata"]["HTTPHeaders"] for r in responses)


def test_s3_answers_twinport_makes_itself_carry_the_header_once(twinport):
    """NoSuchUpload comes from twinport's S3 code, not moto: it gets the header all the same."""
    account = twinport.new_account()
    twinport.client("s3", account).create_bucket(Bucket="own-answers")
    request = urllib.request.Request(
        f"{twinport.url}/own-answers/key?uploadId=none&partNumber=1",
        method="PUT",
        data=b"part",
        headers={"Authorization": f"AWS {account}:signature"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    with caught.value as error:
        assert error.code == 404
        assert b"<Code>NoSuchUpload</Code>" in error.read()
        [request_id] = error.headers.get_all("x-amz-request-id")
        assert uuid.UUID(request_id).version == 4
        assert error.headers.get_all("x-amzn-requestid") is None


def test_health_answer_carries_a_request_id(twinport):
    with urllib.request.urlopen(f"{twinport.url}/_twinport/health") as response:
        assert uuid.UUID(response.headers["x-amzn-requestid"]).version == 4


def test_unknown_service_answers_json_with_its_error_type(twinport):
    request = urllib.request.Request(
        f"{twinport.url}/streams", method="POST", data=b"{}", headers=signed_for("kinesis")
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    with caught.value as error:
        assert error.code == 501
        assert error.headers["content-type"] == "application/x-amz-json-1.1"  # kinesis's own
        assert error.headers["x-amzn-errortype"] == "UnknownServiceException"
        assert orjson.loads(error.read()) == {
            "__type": "UnknownServiceException",
            "message": "twinport does not serve the 'kinesis' service",
        }
        assert uuid.UUID(error.headers["x-amzn-requestid"]).version == 4
