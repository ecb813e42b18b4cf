"""The HTTP server `twinport serve` runs: uvicorn, saying where it serves once it does."""

from __future__ import annotations

import logging
import socket
import sys

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from twinport.config import Settings
from twinport.gateway.long_urls import MAX_URL_BYTES, URL_TOO_LONG
from twinport.s3.error_xml import error_xml

# Past this, a request's headers are refused before the parser holds more of them. Below it,
# a header too long for its member gets that service's own error from the gateway. S3 takes
# 8 KiB of user metadata; TwinMaker and SiteWise requests carry a few hundred bytes.
MAX_HEADER_BYTES = 1 << 20


def server_config(app, settings: Settings, log_threshold: int) -> uvicorn.Config:
    """How every API process serves `app`; `log_threshold` is what `twinport.logs` set."""
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        lifespan="on",
        # Its own log goes to twinport's handler (log_config=None), so it keeps the chosen
        # format; its start-up lines repeat the serving line, so they show at debug only.
        log_config=None,
        log_level=log_threshold
        if log_threshold <= logging.DEBUG
        else max(log_threshold, logging.WARNING),
        access_log=False,  # the access log is twinport's own, with the caller's account
        http=HttpProtocol,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        timeout_graceful_shutdown=5,
    )


class AnnouncingServer(uvicorn.Server):
    """Prints `announcement` after the port is bound and start-up is done, never before an
    error that stops the server (a port in use, say)."""

    def __init__(self, config: uvicorn.Config, announcement: str):
        super().__init__(config)
        self.announcement = announcement

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            print(self.announcement, flush=True)


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, keeping at most MAX_URL_BYTES of a URL and
    MAX_HEADER_BYTES of headers.

    A longer URL is cut, and the request marked, so that the gateway refuses it in the
    caller's protocol (`twinport.gateway.long_urls`) instead of the parser failing on it with
    a bare text answer; and a URL of many megabytes is never held in memory. Headers past
    their limit end the connection with S3's error: before the headers are complete no
    caller is known, and only S3 requests carry headers of the user's own (metadata).
    """

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.url_length = 0
        self.head_bytes = 0
        self.reading_head = True

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not getattr(self, "reading_head", False) or self.transport.is_closing():
            return
        self.head_bytes += len(data)
        if self.head_bytes - self.url_length > MAX_HEADER_BYTES:
            self._refuse_headers()

    def _refuse_headers(self) -> None:
        body = error_xml(
            "RequestHeaderSectionTooLarge",
            f"The request's headers are longer than {MAX_HEADER_BYTES} bytes",
        )
        head = (
            "HTTP/1.1 400 Bad Request\r\ncontent-type: application/xml\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
        self.transport.close()

    def on_url(self, url: bytes) -> None:
        self.url_length += len(url)
        room = MAX_URL_BYTES - len(self.url)
        if room > 0:
            self.url += url[:room]

    def on_headers_complete(self) -> None:
        self.reading_head = False
        if self.url_length > MAX_URL_BYTES:
            self.scope[URL_TOO_LONG] = self.url_length  # type: ignore[literal-required]
        super().on_headers_complete()
