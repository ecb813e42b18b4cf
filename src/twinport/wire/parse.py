"""Turn an HTTP request into an operation's input dict, keyed by the input shape's member names.

Values keep their wire types here except where the location forces text (URI, query, header):
those are converted to the member's type. Type errors raise InvalidInput, which the service
answers with its validation error; constraint checks are `validate`'s job.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping

import orjson
from botocore.model import OperationModel, Shape

from twinport.formats.limits import MAX_JSON_DEPTH, nests_deeper_than
from twinport.wire.errors import InvalidInput


def parse_input(
    operation: OperationModel,
    labels: Mapping[str, str],
    query: Mapping[str, list[str]],
    headers: Mapping[str, str],
    body: bytes,
) -> dict:
    shape = operation.input_shape
    if shape is None:
        return {}
    result: dict = {}
    payload = shape.serialization.get("payload")
    body_members = {}
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire_name = member.serialization.get("name", name)
        if location == "uri":
            if wire_name in labels:
                result[name] = from_text(member, labels[wire_name], name)
        elif location == "querystring":
            value = _query_value(member, query, wire_name, name)
            if value is not None:
                result[name] = value
        elif location == "header":
            raw = headers.get(wire_name.lower())
            if raw is not None:
                result[name] = from_text(member, raw, name)
        elif location == "headers":
            prefix = wire_name.lower()
            found = {k[len(prefix) :]: v for k, v in headers.items() if k.startswith(prefix)}
            if found:
                result[name] = found
        elif name != payload:
            body_members[name] = member
    if payload is not None:
        member = shape.members[payload]
        if member.type_name in ("blob", "string"):
            if body:
                result[payload] = body
        elif body:
            result[payload] = _from_json(member, _load_json(body), payload)
    elif body_members and body.strip():
        document = _load_json(body)
        if not isinstance(document, dict):
            raise InvalidInput("the request body must be a JSON object")
        for name, member in body_members.items():
            if name in document and document[name] is not None:
                result[name] = _from_json(member, document[name], name)
    return result


def _load_json(body: bytes) -> object:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"the request body is not valid JSON: {exc}") from None
    # A body with fewer brackets than the limit cannot nest past it: most skip the walk.
    if body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH and nests_deeper_than(
        document, MAX_JSON_DEPTH
    ):
        raise InvalidInput(f"the request body nests JSON deeper than {MAX_JSON_DEPTH} levels")
    return document


def _query_value(member: Shape, query: Mapping[str, list[str]], wire_name: str, name: str):
    if member.type_name == "map":
        return {k: v[-1] for k, v in query.items()} or None
    values = query.get(wire_name)
    if not values:
        return None
    if member.type_name == "list":
        return [from_text(member.member, v, name) for v in values]
    return from_text(member, values[-1], name)


def from_text(member: Shape, text: str, path: str) -> object:
    kind = member.type_name
    try:
        if kind in ("integer", "long"):
            return int(text)
        if kind in ("float", "double"):
            return float(text)
        if kind == "boolean":
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        if kind == "timestamp":
            return _timestamp(text)
        if kind == "list":
            return [from_text(member.member, part.strip(), path) for part in text.split(",")]
    except (ValueError, OverflowError):  # OverflowError: a timestamp past the platform's range
        shown = text if len(text) <= 200 else text[:200] + "..."  # never echo a huge value
        raise InvalidInput(f"'{shown}' at '{path}' is not a valid {kind}") from None
    return text


def _from_json(shape: Shape, value: object, path: str) -> object:
    """Check JSON types against the shape and convert timestamps and blobs."""
    kind = shape.type_name
    if value is None:
        return None
    if kind == "structure":
        if shape.metadata.get("document"):
            return value
        if not isinstance(value, dict):
            raise _type_error(path, "a structure")
        out = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if member is not None and item is not None:
                out[key] = _from_json(member, item, f"{path}.{key}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            raise _type_error(path, "a list")
        return [_from_json(shape.member, item, f"{path}.member") for item in value]
    if kind == "map":
        if not isinstance(value, dict):
            raise _type_error(path, "a map")
        return {k: _from_json(shape.value, v, f"{path}.{k}") for k, v in value.items()}
    if kind == "string":
        if not isinstance(value, str):
            raise _type_error(path, "a string")
        return value
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _type_error(path, "an integer")
        return value
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _type_error(path, "a number")
        return float(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _type_error(path, "a boolean")
        return value
    if kind == "timestamp":
        try:
            return _timestamp(value)
        except (TypeError, ValueError, OverflowError):
            raise _type_error(path, "a timestamp") from None
    if kind == "blob":
        try:
            return base64.b64decode(value)
        except (TypeError, ValueError):
            raise _type_error(path, "base64 data") from None
    return value


def _timestamp(value: object) -> dt.datetime:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, dt.UTC)
    if isinstance(value, str):
        try:
            return dt.datetime.fromtimestamp(float(value), dt.UTC)
        except ValueError:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    raise TypeError(value)


def _type_error(path: str, expected: str) -> InvalidInput:
    return InvalidInput(f"Value at '{path}' must be {expected}")
