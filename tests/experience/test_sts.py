"""STS GetCallerIdentity over the query protocol, with boto3 and the AWS CLI.

Tools ask STS who they are before they act; twinport answers with the account the access key
names, as its root user. The other STS actions answer the query protocol's InvalidAction, which
botocore raises as a ClientError. The query protocol's parsing and XML are also held against
botocore's own serializer and parser, both ways.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from xml.etree import ElementTree

import botocore.session
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from botocore.parsers import QueryParser
from botocore.serialize import QuerySerializer

from twinport.wire.models import service_model
from twinport.wire.query_parse import parse_query_input
from twinport.wire.query_serialize import serialize_query_output

_NAMESPACE = "{https://sts.amazonaws.com/doc/2011-06-15/}"
_ERROR_TAGS = ("Type", "Code", "Message")


def test_get_caller_identity_names_the_account_of_each_access_key(twinport):
    for account in (twinport.new_account(), twinport.new_account()):
        identity = twinport.client("sts", account).get_caller_identity()
        assert identity["Account"] == account
        assert identity["UserId"] == account
        assert identity["Arn"] == f"arn:aws:iam::{account}:root"


def test_the_arn_is_in_the_partition_of_the_region(twinport):
    account = twinport.new_account()
    identity = twinport.client("sts", account, "cn-north-1").get_caller_identity()
    assert identity["Arn"] == f"arn:aws-cn:iam::{account}:root"


def test_the_aws_cli_prints_the_account(twinport):
    aws = shutil.which("aws")
    if aws is None:
        pytest.skip("the AWS CLI is not installed")
    account = twinport.new_account()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") or key == "AWS_DISABLE_HOST_PREFIX_INJECTION"
    }
    env |= {
        "AWS_ACCESS_KEY_ID": account,
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",  # the name version 1 of the CLI reads
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    result = subprocess.run(
        [aws, "sts", "get-caller-identity", "--endpoint-url", twinport.url, "--output", "json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["Account"] == account


def test_an_action_twinport_lacks_raises_invalid_action(twinport):
    sts = twinport.client("sts", twinport.new_account())
    with pytest.raises(ClientError) as caught:
        sts.get_session_token()
    response = caught.value.response
    assert response["Error"]["Code"] == "InvalidAction"
    assert response["Error"]["Message"] == "twinport does not implement sts GetSessionToken yet"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_the_answer_is_the_xml_aws_writes(twinport):
    status, headers, body = _post(twinport, "Action=GetCallerIdentity&Version=2011-06-15")
    assert status == 200
    assert headers["content-type"] == "text/xml"
    root = ElementTree.fromstring(body)
    assert root.tag == f"{_NAMESPACE}GetCallerIdentityResponse"
    assert [child.tag for child in root] == [
        f"{_NAMESPACE}GetCallerIdentityResult",
        f"{_NAMESPACE}ResponseMetadata",
    ]
    parsed = _parse(status, headers, body, "GetCallerIdentity")
    assert parsed["Account"] == "123456789012"
    assert parsed["ResponseMetadata"]["RequestId"] == headers["x-amzn-requestid"]


@pytest.mark.parametrize(
    ("form", "status", "code", "message"),
    [
        (
            "Action=AssumeRoleWithMagic&Version=2011-06-15",
            400,
            "InvalidAction",
            "Could not find operation AssumeRoleWithMagic for version 2011-06-15",
        ),
        (
            "Action=GetCallerIdentity&Version=2010-01-01",
            400,
            "InvalidAction",
            "Could not find operation GetCallerIdentity for version 2010-01-01",
        ),
        ("Version=2011-06-15", 400, "MissingAction", "The request names no Action"),
    ],
    ids=["unknown-action", "unknown-version", "no-action"],
)
def test_a_request_naming_no_operation_gets_the_query_error(twinport, form, status, code, message):
    answer_status, headers, body = _post(twinport, form)
    assert answer_status == status
    root = ElementTree.fromstring(body)
    assert root.tag == f"{_NAMESPACE}ErrorResponse"
    error = root.find(f"{_NAMESPACE}Error")
    assert [child.tag for child in error] == [f"{_NAMESPACE}{tag}" for tag in _ERROR_TAGS]
    assert error.findtext(f"{_NAMESPACE}Type") == "Sender"
    assert root.findtext(f"{_NAMESPACE}RequestId") == headers["x-amzn-requestid"]
    parsed = _parse(answer_status, headers, body, "GetCallerIdentity")
    assert (parsed["Error"]["Code"], parsed["Error"]["Message"]) == (code, message)


def test_an_unknown_region_is_refused_in_xml(twinport):
    sts = twinport.client("sts", twinport.new_account(), "xx-nowhere-1")
    with pytest.raises(ClientError) as caught:
        sts.get_caller_identity()
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationError"
    assert "does not know the region 'xx-nowhere-1'" in error["Message"]


# --- the query protocol both ways, against botocore's own serializer and parser ----------------


@pytest.mark.parametrize(
    ("service", "operation", "params"),
    [
        (
            "sts",
            "AssumeRole",
            {
                "RoleArn": "arn:aws:iam::123456789012:role/reader",
                "RoleSessionName": "session",
                "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}],
                "DurationSeconds": 900,
                "Tags": [{"Key": "team", "Value": "a&b=c"}, {"Key": "cost", "Value": "ünï"}],
                "TransitiveTagKeys": [],
            },
        ),
        (
            "sns",
            "Publish",
            {
                "Message": "hello",
                "MessageAttributes": {
                    "size": {"DataType": "Number", "StringValue": "3"},
                    "raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
                },
            },
        ),
    ],
    ids=["lists-of-structures", "map-with-blobs"],
)
def test_form_parameters_parse_back_to_what_botocore_sent(service, operation, params):
    model = service_model(service).operation_model(operation)
    form = QuerySerializer().serialize_to_request(params, model)["body"]
    assert parse_query_input(model, form) == params


@pytest.mark.parametrize(
    ("service", "operation", "output"),
    [
        (
            "sts",
            "AssumeRole",
            {
                "Credentials": {
                    "AccessKeyId": "AKIAEXAMPLE",
                    "SecretAccessKey": "secret",
                    "SessionToken": "token",
                    "Expiration": dt.datetime(2030, 1, 2, 3, 4, 5, 678000, dt.UTC),
                },
                "AssumedRoleUser": {"AssumedRoleId": "AROA:s", "Arn": "arn:aws:sts::1:x"},
                "PackedPolicySize": 6,
            },
        ),
        ("sns", "GetTopicAttributes", {"Attributes": {"Owner": "1", "Policy": "<a&b>"}}),
        ("sns", "ListTopics", {"Topics": [{"TopicArn": "arn:aws:sns:us-east-1:1:a"}]}),
    ],
    ids=["nested-structures", "map", "list"],
)
def test_xml_answers_parse_to_what_the_handler_returned(service, operation, output):
    model = service_model(service)
    operation_model = model.operation_model(operation)
    body = serialize_query_output(model, operation_model, output, "request-1")
    response = {"status_code": 200, "headers": {}, "body": body}
    parsed = QueryParser().parse(response, operation_model.output_shape)
    assert parsed.pop("ResponseMetadata")["RequestId"] == "request-1"
    assert parsed == output


def _post(twinport, form: str) -> tuple[int, dict[str, str], bytes]:
    """A form POST signed for STS, as botocore would send it; the raw answer."""
    request = AWSRequest(
        "POST",
        twinport.url + "/",
        data=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials("123456789012", "x"), "sts", "us-east-1").add_auth(request)
    prepared = request.prepare()
    sent = urllib.request.Request(
        prepared.url, data=prepared.body, headers=dict(prepared.headers), method="POST"
    )
    try:
        with urllib.request.urlopen(sent) as answer:
            return answer.status, _lower(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, _lower(error.headers), error.read()


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _parse(status: int, headers: dict[str, str], body: bytes, operation: str) -> dict:
    """The answer as boto3 reads it."""
    model = botocore.session.get_session().get_service_model("sts")
    shape = model.operation_model(operation).output_shape if status < 300 else None
    return QueryParser().parse({"status_code": status, "headers": headers, "body": body}, shape)
