"""Turn a handler's output dict into a rest-json response, guided by the output shape.

Members located in headers go to headers; the rest form the JSON body. Timestamps become epoch
seconds, blobs base64; members the shape does not know and None values are dropped.
"""

from __future__ import annotations

import base64
import datetime as dt

import orjson
from botocore.model import OperationModel, Shape


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
            body[name] = to_wire(member, value)
    if payload is not None and output.get(payload) is not None:
        member = shape.members[payload]
        if member.type_name in ("blob", "string"):
            data = output[payload]
            return status, headers, data if isinstance(data, bytes) else data.encode()
        return status, headers, orjson.dumps(to_wire(member, output[payload]))
    return status, headers, orjson.dumps(body)


def to_wire(shape: Shape, value: object) -> object:
    kind = shape.type_name
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        members = shape.members
        return {
            name: to_wire(members[name], item)
            for name, item in value.items()  # type: ignore[union-attr]
            if item is not None and name in members
        }
    if kind == "list":
        return [to_wire(shape.member, item) for item in value]  # type: ignore[union-attr]
    if kind == "map":
        return {k: to_wire(shape.value, v) for k, v in value.items()}  # type: ignore[union-attr]
    if kind == "timestamp":
        return epoch_seconds(value)
    if kind == "blob":
        raw = value if isinstance(value, bytes) else str(value).encode()
        return base64.b64encode(raw).decode()
    return value


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
