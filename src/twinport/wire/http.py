"""The small request/response values passed between the gateway and the protocol code."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs


@dataclass
class Request:
    method: str
    path: str  # raw, still percent-encoded
    query_string: str
    headers: dict[str, str]  # lower-case names
    body: bytes = b""
    request_id: str = ""  # the gateway's id: query answers carry it in their body

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "application/json"
