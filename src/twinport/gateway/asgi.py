"""The ASGI chores of handlers that answer themselves: read the body, send a Response, and
build S3's XML error (the other services' errors come from their models, `twinport.wire`)."""

from __future__ import annotations

from collections.abc import Iterable

from twinport.gateway.chain import Exchange, Receive, Send
from twinport.s3.error_xml import error_xml
from twinport.wire.http import Response

# The largest request body a TwinMaker or SiteWise operation takes, as AWS's front end refuses
# larger ones before reading them (S3 object bodies stream and have no such limit).
MAX_BODY_BYTES = 10 << 20


async def body_of(exchange: Exchange) -> bytes:
    """The request's whole body, read once (a signature check and the service both need it);
    BodyTooLarge past MAX_BODY_BYTES, announced or not, without reading further."""
    if exchange.body is None:
        declared = exchange.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise BodyTooLarge
        exchange.body = await read_body(exchange.receive, MAX_BODY_BYTES)
    return exchange.body


class BodyTooLarge(Exception):
    """The request's body is longer than the reader takes; it was not read further."""


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, or BodyTooLarge as soon as it passes `limit` bytes."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def send_response(send: Send, response: Response) -> None:
    headers = [(b"content-type", response.content_type.encode())]
    headers += [(k.encode(), v.encode()) for k, v in response.headers]
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def s3_error(
    status: int, code: str, message: str, details: Iterable[tuple[str, str]] = ()
) -> Response:
    """S3's XML error; `details` are the elements some errors add after the message."""
    return Response(status, error_xml(code, message, details), content_type="application/xml")
