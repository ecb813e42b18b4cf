"""An S3 endpoint in front of another that can hold chosen requests: a slow or stuck S3.

It forwards every request to `upstream` as it came, except those whose path ends with
`held_suffix` while `holding` is set: they wait until the endpoint closes, and are then
dropped unanswered. A job's S3 call can so be caught at a known point, to kill the server there.
"""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class HeldS3:
    def __init__(self, upstream: str, held_suffix: str):
        self.upstream = urlsplit(upstream)
        self.held_suffix = held_suffix
        self.holding = threading.Event()
        self.released = threading.Event()
        self.held = threading.Event()  # set once a request has been caught
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> HeldS3:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Forward(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                path = urlsplit(self.path).path
                if proxy.holding.is_set() and path.endswith(proxy.held_suffix):
                    proxy.held.set()
                    proxy.released.wait()
                    self.close_connection = True
                    return
                upstream = http.client.HTTPConnection(
                    proxy.upstream.hostname, proxy.upstream.port, timeout=60
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()
                finally:
                    upstream.close()
                self.send_response(answer.status)
                dropped = ("transfer-encoding", "connection")
                if self.command != "HEAD":  # a HEAD answer's length is the object's
                    dropped += ("content-length",)
                    self.send_header("Content-Length", str(len(data)))
                for name, value in answer.getheaders():
                    if name.lower() not in dropped:
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _forward

        return Forward
