"""The dashboard's page: the static files of `static/`, served as they are (no build step).

They are read once, when the server starts: a handful of small files, sent from memory.
"""

from __future__ import annotations

from pathlib import Path

from twinport.wire.http import Response

STATIC = Path(__file__).parent / "static"
INDEX = "index.html"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}


class Page:
    def __init__(self) -> None:
        self._files = {
            path.name: (path.read_bytes(), _TYPES[path.suffix])
            for path in STATIC.iterdir()
            if path.suffix in _TYPES
        }

    def file(self, name: str) -> Response | None:
        """The static file `name` (the index for ""), or None if there is no such file."""
        found = self._files.get(name or INDEX)
        if found is None:
            return None
        body, content_type = found
        # The page polls; a browser must not keep an old copy of it after an upgrade.
        return Response(200, body, [("cache-control", "no-cache")], content_type=content_type)
