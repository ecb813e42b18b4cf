"""A service twinport does not serve answers in its own protocol, so that its SDK raises a
ClientError that names the service instead of failing to parse the answer."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

_CODE = "UnknownServiceException"


@pytest.mark.parametrize(
    ("service", "signed_as", "call", "params"),
    [
        ("dynamodb", "dynamodb", "list_tables", {}),  # json
        ("sqs", "sqs", "list_queues", {}),  # json, query-compatible
        ("ec2", "ec2", "describe_instances", {}),  # ec2
        ("iam", "iam", "list_users", {}),  # query
        ("sns", "sns", "list_topics", {}),  # query
        ("lambda", "lambda", "list_functions", {}),  # rest-json
        (
            "partnercentral-marketing",
            "partnercentral-marketing",
            "list_campaigns",
            {"Catalog": "AWS"},
        ),  # smithy-rpc-v2-cbor
        # Signed with a name no botocore model has: JSON both JSON protocols read.
        ("cloudwatch", "monitoring", "list_metrics", {}),
    ],
    ids=[
        "json",
        "json-query-compatible",
        "ec2",
        "query-iam",
        "query-sns",
        "rest-json",
        "cbor",
        "json-by-signing-name",
    ],
)
def test_an_unserved_service_raises_a_client_error_naming_it(
    twinport, service, signed_as, call, params
):
    client = twinport.client(service, twinport.new_account())
    with pytest.raises(ClientError) as caught:
        getattr(client, call)(**params)
    response = caught.value.response
    assert response["Error"]["Code"] == _CODE
    assert response["Error"]["Message"] == f"twinport does not serve the '{signed_as}' service"
    metadata = response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == 501
    # Read from the body in the XML protocols, from the header in the others: the same id.
    assert metadata["RequestId"] == metadata["HTTPHeaders"]["x-amzn-requestid"]
    assert metadata["RetryAttempts"] == 0  # a 501 is not retried
