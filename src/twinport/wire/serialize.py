"""Turn a handler's output dict into a rest-json response, guided by the output shape.

Members located in headers go to headers; the others form the JSON body. orjson writes the body
in one call: its `default` hook turns datetimes into epoch seconds and bytes into base64, so no
Python walk over the output is needed (a page of 100 summaries is most of a List's cost
otherwise). Handlers put floats (epoch seconds) or datetimes in timestamp members.
"""

from __future__ import annotations

import base64
import datetime as dt

import orjson
from botocore.model import OperationModel, Shape

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


def serialize_output(
    operation: OperationModel, output: dict
) -> tuple[int, list[tuple[str, str]], bytes]:
    status = operation.http.get("responseCode", 200)
    shape = operation.output_shape
    if shape is None:
        return status, [], b"{}"
    headers: list[tuple[str, str]] = []
    body: dict = {}
    payload = shape.serialization.get("payload")
    for name, member in shape.members.items():
        value = output.get(name)
        if value is None:
            continue
        location = member.serialization.get("location")
        if location == "header":
            headers.append((member.serialization.get("name", name), _header_text(member, value)))
        elif location == "statusCode":
            status = int(value)
        elif location is None and name != payload:
            body[name] = value
    if payload is not None and output.get(payload) is not None:
        member = shape.members[payload]
        data = output[payload]
        if member.type_name in ("blob", "string"):
            return status, headers, data if isinstance(data, bytes) else data.encode()
        return status, headers, dumps(data)
    return status, headers, dumps(body)


def dumps(value: object) -> bytes:
    return orjson.dumps(value, default=_wire_value, option=_OPTIONS)


def _wire_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return epoch_seconds(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    raise TypeError(f"cannot put {type(value).__name__} on the wire")


def epoch_seconds(value: object) -> float:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    return float(value)  # type: ignore[arg-type]


def _header_text(member: Shape, value: object) -> str:
    if member.type_name == "timestamp":
        return dt.datetime.fromtimestamp(epoch_seconds(value), dt.UTC).strftime(
            "%a, %d %b %Y %H:%M:%S GMT"
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
