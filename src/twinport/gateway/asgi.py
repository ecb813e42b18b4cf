"""The two ASGI chores of handlers that answer themselves: read the body, send a Response."""

from __future__ import annotations

from twinport.gateway.chain import Receive, Send
from twinport.wire.http import Response


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
