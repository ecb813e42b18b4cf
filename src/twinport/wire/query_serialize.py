"""Turn a handler's output dict into a query-protocol answer: XML written from the output shape.

`<{Operation}Response xmlns="{the model's namespace}">` holds the result wrapper the model
names, then `<ResponseMetadata><RequestId>`: botocore reads the request id from the body in this
protocol. Members are elements named as the model names them; lists hold `<member>` items
unless flattened, maps `<entry>` items with `<key>` and `<value>`; timestamps are ISO 8601.
"""

from __future__ import annotations

import base64
import datetime as dt
from xml.etree.ElementTree import Element, SubElement, tostring

from botocore.model import OperationModel, ServiceModel, Shape

from twinport.wire.serialize import epoch_seconds


def serialize_query_output(
    model: ServiceModel, operation: OperationModel, output: dict, request_id: str
) -> bytes:
    namespace = model.metadata.get("xmlNamespace")
    root = Element(f"{operation.name}Response", {"xmlns": namespace} if namespace else {})
    shape = operation.output_shape
    if shape is not None:
        wrapper = shape.serialization.get("resultWrapper", f"{operation.name}Result")
        _members(SubElement(root, wrapper), shape, output)
    SubElement(SubElement(root, "ResponseMetadata"), "RequestId").text = request_id
    return tostring(root)


def _members(parent: Element, shape: Shape, value: dict) -> None:
    for name, member in shape.members.items():
        item = value.get(name)
        if item is not None:
            _element(parent, member, member.serialization.get("name", name), item)


def _element(parent: Element, shape: Shape, tag: str, value: object) -> None:
    kind = shape.type_name
    if kind == "structure":
        _members(SubElement(parent, tag), shape, value)  # type: ignore[arg-type]
    elif kind == "list":
        item_name = shape.member.serialization.get("name")
        if shape.serialization.get("flattened"):
            for item in value:  # type: ignore[attr-defined]
                _element(parent, shape.member, item_name or tag, item)
        else:
            holder = SubElement(parent, tag)
            for item in value:  # type: ignore[attr-defined]
                _element(holder, shape.member, item_name or "member", item)
    elif kind == "map":
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        flattened = shape.serialization.get("flattened")
        holder = parent if flattened else SubElement(parent, tag)
        for key, item in value.items():  # type: ignore[attr-defined]
            entry = SubElement(holder, tag if flattened else "entry")
            _element(entry, shape.key, key_name, key)
            _element(entry, shape.value, value_name, item)
    else:
        SubElement(parent, tag).text = _text(kind, value)


def _text(kind: str, value: object) -> str:
    if kind == "timestamp":
        moment = dt.datetime.fromtimestamp(epoch_seconds(value), dt.UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if kind == "blob":
        return base64.b64encode(value).decode()  # type: ignore[arg-type]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
