"""Turn a query-protocol request's form parameters into its operation's input dict.

The parameters are flat keys the client built from the input shape (`Tags.member.1.Key`,
`Attributes.entry.1.value`); they are read back by walking that shape, with botocore's rules
for names, lists (`member`, or flattened) and maps (`entry`). Scalars convert as the other
locations' text does; type errors raise InvalidInput, and constraints are `validate`'s job.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from urllib.parse import parse_qsl

from botocore.model import OperationModel, Shape

from twinport.wire.errors import InvalidInput
from twinport.wire.http import Request
from twinport.wire.parse import from_text


def form_params(request: Request) -> dict[str, str]:
    """The query string's parameters and the form body's, the body's winning a repeated key."""
    pairs = parse_qsl(request.query_string, keep_blank_values=True)
    pairs += parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return dict(pairs)


def parse_query_input(operation: OperationModel, params: Mapping[str, str]) -> dict:
    shape = operation.input_shape
    if shape is None:
        return {}
    return _structure(shape, params, "") or {}


def _value(shape: Shape, params: Mapping[str, str], key: str) -> object:
    """The value at `key`, or None when the request has none."""
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, params, key + ".")
    if kind == "list":
        return _list(shape, params, key)
    if kind == "map":
        return _map(shape, params, key)
    text = params.get(key)
    if text is None:
        return None
    if kind == "blob":
        try:
            return base64.b64decode(text, validate=True)
        except binascii.Error:
            raise InvalidInput(f"the value at '{key}' is not valid base64") from None
    return from_text(shape, text, key)


def _structure(shape: Shape, params: Mapping[str, str], prefix: str) -> dict | None:
    found = {}
    for name, member in shape.members.items():
        value = _value(member, params, prefix + member.serialization.get("name", name))
        if value is not None:
            found[name] = value
    return found or None


def _list(shape: Shape, params: Mapping[str, str], key: str) -> list | None:
    if params.get(key) == "":
        return []  # how the query protocol sends an empty list
    item_name = shape.member.serialization.get("name")
    if shape.serialization.get("flattened"):
        # A flattened list's items take the item's name, where it has one, in the list's place.
        parent = key.rpartition(".")[0]
        prefix = key if not item_name else f"{parent}.{item_name}" if parent else item_name
    else:
        prefix = f"{key}.{item_name or 'member'}"
    items = []
    while (item := _value(shape.member, params, f"{prefix}.{len(items) + 1}")) is not None:
        items.append(item)
    return items or None


def _map(shape: Shape, params: Mapping[str, str], key: str) -> dict | None:
    prefix = key if shape.serialization.get("flattened") else f"{key}.entry"
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    found = {}
    index = 1
    while (entry_key := params.get(f"{prefix}.{index}.{key_name}")) is not None:
        value = _value(shape.value, params, f"{prefix}.{index}.{value_name}")
        if value is not None:
            found[entry_key] = value
        index += 1
    return found or None
