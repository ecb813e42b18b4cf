"""A request as its signature sees it: the bytes as sent, before any decoding."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote_to_bytes


@dataclass(frozen=True)
class SignedRequest:
    method: str
    path: str  # as sent: still percent-encoded, without the query string
    query: str  # as sent, without the '?'
    headers: tuple[tuple[str, str], ...]  # in any case, repeated names kept
    # The body, when the caller has it: the JSON services sign its SHA-256 (S3 names its
    # hash in x-amz-content-sha256 and may stream; None is then fine).
    body: bytes | None = None

    @classmethod
    def of(
        cls,
        method: str,
        path: str,
        query: str,
        headers: Iterable[tuple[str, str]] | Mapping[str, str],
        body: bytes | None = None,
    ) -> SignedRequest:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return cls(method.upper(), path, query, tuple(pairs), body)

    @classmethod
    def from_asgi(cls, scope: Mapping[str, Any], body: bytes | None = None) -> SignedRequest:
        raw_path = scope.get("raw_path")
        # raw_path is what the client signed; a server that lacks it gets the decoded path
        # re-encoded, which matches every SDK's encoding of ordinary keys.
        path = (
            raw_path.decode("utf-8", "surrogateescape")
            if raw_path
            else quote(scope["path"], safe="/~!$&'()*+,;=:@")
        )
        headers = [
            (name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]
        ]
        return cls.of(scope["method"], path, scope["query_string"].decode("latin-1"), headers, body)

    def header_values(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]

    def header(self, name: str) -> str | None:
        """A header's value; repeated headers are combined with commas, as HTTP allows."""
        values = self.header_values(name)
        return ",".join(values) if values else None

    def query_pairs(self) -> list[tuple[str, str]]:
        """The query's parameters, decoded; a parameter without '=' has an empty value."""
        pairs = []
        for part in self.query.split("&"):
            if part:
                key, _, value = part.partition("=")
                pairs.append((decode(key), decode(value)))
        return pairs

    def query_value(self, name: str) -> str | None:
        return next((value for key, value in self.query_pairs() if key == name), None)


def decode(text: str) -> str:
    """Percent-decoding of a URI part: '+' stays itself (SDKs send a space as %20)."""
    return unquote_to_bytes(text).decode("utf-8", "surrogateescape")
