"""Requests boto3 will not send as they are, sent over plain HTTP with a SigV4-looking header
(signatures are not verified: the header only names the account)."""

import http.client
import urllib.parse
from dataclasses import dataclass
from xml.etree import ElementTree

import pytest
from botocore.exceptions import ClientError


@dataclass
class Answer:
    status: int
    body: bytes

    @property
    def error(self) -> dict[str, str]:
        """The elements of S3's XML error body, by tag."""
        return {e.tag: e.text or "" for e in ElementTree.fromstring(self.body)}


def authorization(account: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential={account}/20250101/us-east-1/s3/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )


def send(url: str, method: str, target: str, body: bytes = b"", headers=None) -> Answer:
    """`target` is the path and query as sent; `headers` are sent as given."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.read())
    finally:
        connection.close()


def signed(twinport, account: str, method: str, target: str, body: bytes = b"", headers=None):
    return send(
        twinport.url,
        method,
        target,
        body,
        {"Authorization": authorization(account), **(headers or {})},
    )


def refused(call) -> dict:
    """The error of a boto3 call that must fail with a 400."""
    with pytest.raises(ClientError) as error:
        call()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return error.value.response["Error"]
