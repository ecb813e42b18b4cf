"""The canonical request of Signature Version 4, built from the request as it was sent."""

from __future__ import annotations

from urllib.parse import quote

from twinport.auth.request import SignedRequest

_UNRESERVED = "-_.~"


def uri_encode(text: str, safe: str = _UNRESERVED) -> str:
    return quote(text.encode("utf-8", "surrogateescape"), safe=safe)


def canonical_uri(path: str, service: str) -> str:
    """S3 signs the path as sent; every other service signs it normalized and encoded once
    more (botocore and the other SDKs' "double encoding" of an already encoded path)."""
    if service == "s3":
        return path or "/"
    return uri_encode(remove_dot_segments(path) if path else "/", safe="/~")


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4, and empty segments dropped as AWS does (`a//b` is `a/b`)."""
    kept: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if kept:
                kept.pop()
        elif segment and segment != ".":
            kept.append(segment)
    lead = "/" if path.startswith("/") else ""
    trail = "/" if path.endswith("/") and kept else ""
    return lead + "/".join(kept) + trail


def canonical_query(request: SignedRequest, *, without: str = "") -> str:
    """Sorted by encoded name then value, each encoded with only `-_.~` left as is."""
    pairs = sorted(
        (uri_encode(key), uri_encode(value))
        for key, value in request.query_pairs()
        if key != without
    )
    return "&".join(f"{key}={value}" for key, value in pairs)


def canonical_headers(request: SignedRequest, names: list[str]) -> str:
    """`name:value\\n` for each signed header, in SignedHeaders order; values trimmed and
    inner runs of white space collapsed; a repeated header's values joined by commas."""
    return "".join(
        f"{name}:{','.join(' '.join(value.split()) for value in request.header_values(name))}\n"
        for name in names
    )


def canonical_request(
    request: SignedRequest, service: str, names: list[str], payload_hash: str, *, without: str = ""
) -> str:
    return "\n".join(
        (
            request.method,
            canonical_uri(request.path, service),
            canonical_query(request, without=without),
            canonical_headers(request, names),
            ";".join(names),
            payload_hash,
        )
    )
