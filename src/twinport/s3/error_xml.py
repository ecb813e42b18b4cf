"""S3's XML error body, for the embedded S3 and for the gateway's own S3 answers alike."""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape


def error_xml(code: str, message: str, details: Iterable[tuple[str, str]] = ()) -> bytes:
    """`details` are the elements some errors add after the message."""
    extra = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in details)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>{extra}</Error>"
    ).encode()
