"""What the embedded S3 refuses before moto sees a request, as AWS S3 refuses it."""

from __future__ import annotations

import os
from collections.abc import Mapping
from io import BytesIO

from werkzeug.formparser import parse_form_data

from twinport.s3.moto_s3 import Reply, s3_error

KEY_MAX_BYTES = 1024


class Refused(Exception):
    """A request S3 answers with an error before anything is written."""

    def __init__(
        self, status: int, code: str, message: str, details: tuple[tuple[str, str], ...] = ()
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.details = details

    def reply(self) -> Reply:
        reply = s3_error(self.status, self.code, str(self), self.details)
        # The body may not have been read (nor sent, after `Expect: 100-continue`): what is left
        # of it must not be taken for the next request on the connection.
        reply.headers["Connection"] = "close"
        return reply


def check_key_length(size: int) -> None:
    """Keys are at most 1,024 bytes (of UTF-8); `size` is the key's length in bytes."""
    if size > KEY_MAX_BYTES:
        raise Refused(
            400,
            "KeyTooLongError",
            "Your key is too long",
            (("Size", str(size)), ("MaxSizeAllowed", str(KEY_MAX_BYTES))),
        )


def check_posted_key(headers: Mapping[str, str], body: bytes) -> None:
    """The key of a browser form upload is held to the same limit."""
    key = _posted_key(headers, body)
    if key is not None:
        check_key_length(len(key.encode()))


def _posted_key(headers: Mapping[str, str], body: bytes) -> str | None:
    """The key a browser form upload (POST to the bucket) names, as moto will read it."""
    content_type = headers.get("content-type", "")
    if not content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return None
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": BytesIO(body),
    }
    _, form, files = parse_form_data(environ)
    key = form.get("key")
    upload = files.get("file")
    if key is not None and upload is not None:
        # moto, like S3, puts the uploaded file's name in place of ${filename}.
        key = key.replace("${filename}", os.path.basename(upload.filename or ""))
    return key
