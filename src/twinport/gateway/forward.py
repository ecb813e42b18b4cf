"""Hand a request over to the server's main process, for an API process that cannot serve it.

With `--api-processes N`, N processes accept the server's connections, but one only, the main
process, holds the embedded S3 (moto keeps its buckets in that process's memory) and resets
the store and the S3 together. The other processes pass those requests on to it, unchanged,
over a loopback socket that only the main process listens on, and stream its answer back. The
main process logs the request, under the id the passing process gave it: one id, one line.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from twinport.gateway.asgi import send_response
from twinport.gateway.chain import Exchange
from twinport.wire.http import Response

# Names the request's id for the main process, which answers and logs under it.
FORWARDED_ID = "x-twinport-forwarded-id"
# Framing is each hop's own; uvicorn writes its date and server headers on every answer; and
# the body is sent at once, so the main process is not asked for a 100 Continue.
_HOP_HEADERS = {b"connection", b"keep-alive", b"transfer-encoding", b"date", b"server", b"expect"}
_CHUNK = 1 << 16
_HEAD_LIMIT = 1 << 20  # S3 answers carry up to 8 KiB of user metadata


class ForwardToMain:
    """Passes the requests `wanted` picks to the main process at 127.0.0.1:`port`."""

    def __init__(self, port: int, wanted: Callable[[Exchange], bool]):
        self._port = port
        self._wanted = wanted

    async def __call__(self, exchange: Exchange) -> bool:
        if not self._wanted(exchange):
            return False
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", self._port, limit=_HEAD_LIMIT
            )
        except OSError:  # logged here, since the main process never saw it
            body = b'{"message": "twinport\'s main process does not answer; try again"}'
            await send_response(exchange.send, Response(503, body))
            return True
        exchange.forwarded = True
        try:
            await _send_request(exchange, writer)
            await _relay_answer(reader, exchange)
        finally:
            writer.close()
        return True


async def _send_request(exchange: Exchange, writer: asyncio.StreamWriter) -> None:
    scope = exchange.scope
    target = scope.get("raw_path") or scope["path"].encode()
    if scope["query_string"]:
        target += b"?" + scope["query_string"]
    head = [scope["method"].encode(), b" ", target, b" HTTP/1.1\r\n"]
    for name, value in scope["headers"]:
        if name.lower() not in _HOP_HEADERS:
            head += [name, b": ", value, b"\r\n"]
    head += [FORWARDED_ID.encode(), b": ", exchange.request_id.encode(), b"\r\n"]
    body = exchange.body  # read whole by a handler before this one, or still to stream
    if body is not None and "content-length" not in exchange.headers:
        head += [b"content-length: ", str(len(body)).encode(), b"\r\n"]
    # A body of no announced length goes on as it came: in chunks.
    chunked = body is None and "content-length" not in exchange.headers
    if chunked:
        head.append(b"transfer-encoding: chunked\r\n")
    head.append(b"connection: close\r\n\r\n")
    writer.write(b"".join(head))
    if body is not None:
        writer.write(body)
    else:
        more = True
        while more:
            message = await exchange.receive()
            chunk, more = message.get("body", b""), message.get("more_body", False)
            if chunk:
                writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                await writer.drain()
        if chunked:
            writer.write(b"0\r\n\r\n")
    await writer.drain()


async def _relay_answer(reader: asyncio.StreamReader, exchange: Exchange) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *lines = head[:-4].split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    headers = []
    length: int | None = None
    chunked = False
    for line in lines:
        name, _, value = line.partition(b":")
        name, value = name.strip().lower(), value.strip()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        if name not in _HOP_HEADERS:
            headers.append((name, value))
    await exchange.send({"type": "http.response.start", "status": status, "headers": headers})
    if exchange.scope["method"] == "HEAD" or status in (204, 304):
        length = 0
    if chunked:
        await _relay_chunked(reader, exchange)
    elif length is not None:
        while length > 0:
            chunk = await reader.read(min(length, _CHUNK))
            if not chunk:
                raise ConnectionError("twinport's main process ended its answer early")
            length -= len(chunk)
            await exchange.send({"type": "http.response.body", "body": chunk, "more_body": True})
    else:  # the answer ends with the connection
        while chunk := await reader.read(_CHUNK):
            await exchange.send({"type": "http.response.body", "body": chunk, "more_body": True})
    await exchange.send({"type": "http.response.body", "body": b""})


async def _relay_chunked(reader: asyncio.StreamReader, exchange: Exchange) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await _skip_trailers(reader)
            return
        chunk = await reader.readexactly(size)
        await reader.readexactly(2)
        await exchange.send({"type": "http.response.body", "body": chunk, "more_body": True})


async def _skip_trailers(reader: asyncio.StreamReader) -> None:
    while await reader.readuntil(b"\r\n") != b"\r\n":
        pass
