"""Requests signed by botocore itself, caught before they are sent, as the server would get them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSRequest

from twinport.auth import Credentials, SignedRequest

KEY, SECRET, ACCOUNT = "AKIDEXAMPLE1", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "111122223333"
CREDENTIALS = Credentials.parse(
    {
        KEY: {"secret": SECRET, "account": ACCOUNT},
        "AKIDEXAMPLE2": {"secret": "other", "account": "444455556666"},
    }
)


class _Captured(Exception):
    def __init__(self, request: AWSPreparedRequest):
        self.request = request


def _capture(request: AWSPreparedRequest, **_: object) -> None:
    raise _Captured(request)


def client(service: str, *, secret: str = SECRET, key: str = KEY, scheme: str = "http", **config):
    made = boto3.client(
        service,
        region_name="us-east-1",
        endpoint_url=f"{scheme}://localhost:4566",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        **config,
    )
    made.meta.events.register("before-send", _capture)
    return made


def sent(call: Callable[[], object]) -> SignedRequest:
    """The request a client call sends, as the server receives it."""
    try:
        call()
    except _Captured as captured:
        return received(captured.request)
    raise AssertionError("the call sent nothing")


def received(request: AWSPreparedRequest | AWSRequest) -> SignedRequest:
    url = urlsplit(request.url)
    headers = [("Host", url.netloc)]
    headers += [(name, _text(value)) for name, value in request.headers.items()]
    # A streamed body (S3's aws-chunked wrapper) stays unread, as the gateway leaves it.
    body = request.body.encode() if isinstance(request.body, str) else request.body or b""
    if not isinstance(body, bytes):
        body = None
    return SignedRequest.of(request.method, url.path, url.query, headers, body)


def from_url(url: str, method: str = "GET") -> SignedRequest:
    """A pre-signed URL, used as a browser or curl would."""
    parts = urlsplit(url)
    return SignedRequest.of(method, parts.path, parts.query, [("Host", parts.netloc)], b"")


def now() -> datetime:
    return datetime.now(UTC)


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value
