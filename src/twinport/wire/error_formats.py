"""An error answer in the format of each protocol botocore speaks, for a code and a message.

The served services' errors and the answer to a service twinport does not serve both come from
here, so that an SDK of any protocol parses them into a ClientError with that code and message
instead of failing to read the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring

import orjson
from botocore.model import ServiceModel

from twinport.wire.http import Response

XML_CONTENT_TYPE = "text/xml"


@dataclass(frozen=True)
class Dialect:
    """What of a service model shapes its error answers."""

    protocol: str  # botocore's name: rest-json, json, query, ec2, rest-xml, smithy-rpc-v2-cbor
    json_version: str = "1.0"
    xml_namespace: str | None = None

    @classmethod
    def of(cls, model: ServiceModel) -> Dialect:
        # The protocol the client speaks: the first botocore supports of those the model lists.
        return cls(
            model.resolved_protocol,
            model.metadata.get("jsonVersion", "1.0"),
            model.metadata.get("xmlNamespace"),
        )


def error_answer(
    dialect: Dialect,
    code: str,
    message: str,
    status: int,
    request_id: str,
    fields: Mapping[str, object] | None = None,
    sender: bool | None = None,
) -> Response:
    """`fields`: members of the error beside its message; `sender`: whether the caller is at
    fault (XML errors say so in their Type), by default when the status is below 500."""
    fields = fields or {}
    protocol = dialect.protocol
    if protocol == "rest-json":
        body = orjson.dumps({"message": message, **fields})
        return Response(status, body, [("x-amzn-errortype", code)])
    if protocol == "json":
        # json clients read the code from `__type` only; the header serves the others.
        body = orjson.dumps({"__type": code, "message": message, **fields})
        content_type = f"application/x-amz-json-{dialect.json_version}"
        return Response(status, body, [("x-amzn-errortype", code)], content_type)
    if protocol == "smithy-rpc-v2-cbor":
        body = _cbor_text_map({"__type": code, "message": message})
        return Response(
            status, body, [("smithy-protocol", "rpc-v2-cbor")], content_type="application/cbor"
        )
    if protocol == "ec2":
        root = Element("Response")
        _error_element(SubElement(root, "Errors"), code, message, fields)
        SubElement(root, "RequestID").text = request_id
        return Response(status, tostring(root), content_type=XML_CONTENT_TYPE)
    # query and rest-xml (other than S3, which answers its own errors)
    root = Element("ErrorResponse", _namespace(dialect))
    fault = "Sender" if _is_sender(sender, status) else "Receiver"
    _error_element(root, code, message, fields, fault)
    if request_id:
        SubElement(root, "RequestId").text = request_id
    return Response(status, tostring(root), content_type=XML_CONTENT_TYPE)


def _namespace(dialect: Dialect) -> dict[str, str]:
    return {"xmlns": dialect.xml_namespace} if dialect.xml_namespace else {}


def _is_sender(sender: bool | None, status: int) -> bool:
    return status < 500 if sender is None else sender


def _error_element(
    parent: Element,
    code: str,
    message: str,
    fields: Mapping[str, object],
    fault: str | None = None,
) -> None:
    error = SubElement(parent, "Error")
    if fault is not None:
        SubElement(error, "Type").text = fault
    SubElement(error, "Code").text = code
    SubElement(error, "Message").text = message
    for name, value in fields.items():
        SubElement(error, name).text = str(value)


def _cbor_text_map(fields: Mapping[str, str]) -> bytes:
    """A CBOR map of text strings (RFC 8949): all an rpc-v2-cbor error body needs."""
    out = bytearray(_cbor_head(5, len(fields)))
    for key, value in fields.items():
        for text in (key, value):
            data = text.encode()
            out += _cbor_head(3, len(data)) + data
    return bytes(out)


def _cbor_head(major_type: int, length: int) -> bytes:
    if length < 24:
        return bytes([major_type << 5 | length])
    extra, size = next(
        (e, s) for e, s in ((24, 1), (25, 2), (26, 4), (27, 8)) if length < 1 << 8 * s
    )
    return bytes([major_type << 5 | extra]) + length.to_bytes(size, "big")
