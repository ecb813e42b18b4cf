"""The stored form of component types and entities, built from API requests or bulk-file items.

One form for both: the TwinMaker bulk file's (componentTypes / entities items, components
nested in the entity), with bulk-only external ids kept, request-only `updateType`s dropped,
`relationshipValue` keys in the API's lower camel case, and the defaults the API applies
written out (`isSingleton`, `parentEntityId`, a property group's `groupType`). Documents are
compared and stored as orjson bytes with sorted keys, so an identical definition always encodes
to identical bytes.
"""

from __future__ import annotations

from typing import Any

import orjson

from twinport.store.twinmaker import ROOT

Doc = dict[str, Any]

# Keys of `relationshipValue` as the published bulk schema spells them, and as the API does.
_RELATIONSHIP_KEYS = {
    "TargetComponentName": "targetComponentName",
    "TargetEntityId": "targetEntityId",
}
_CAPITALISED_MARKER = b'"Target'
# Text whose presence in an encoded bulk entity means it is not in the stored form yet
# (capitalised relationship keys, nulls, empty descriptions, empty maps, property groups, which
# may lack their groupType); one without any, the usual case, is stored as it comes, which keeps
# large imports fast. API input always takes the long way (it holds a workspaceId).
_NOT_STORED_FORM = (_CAPITALISED_MARKER.decode(), ":null", '""', "{}", '"propertyGroups"')
# The only group type; a group given without one has it (every answer shows it).
_GROUP_TYPE = {"groupType": "TABULAR"}


def encode(doc: Doc) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)


def decode(blob: bytes) -> Doc:
    return orjson.loads(blob)


def component_type_doc(fields: Doc) -> Doc:
    """A component type from CreateComponentType input or a bulk `componentTypes` item."""
    doc = _present(fields, exclude=("workspaceId",))
    doc["isSingleton"] = bool(doc.get("isSingleton", False))
    if doc.get("propertyGroups"):
        doc["propertyGroups"] = {name: _group(item) for name, item in doc["propertyGroups"].items()}
    return lower_camel_relationships(doc)


def entity_doc(fields: Doc, entity_id: str) -> Doc:
    """An entity from CreateEntity input or a bulk `entities` item."""
    if _in_stored_form(fields, entity_id):
        return fields
    doc = _present(fields, exclude=("workspaceId", "components", "compositeComponents"))
    doc["entityId"] = entity_id
    doc["parentEntityId"] = doc.get("parentEntityId") or ROOT
    components = fields.get("components")
    if components:
        doc["components"] = {name: component_doc(item) for name, item in components.items()}
    return lower_camel_relationships(doc)


def stored_entity(fields: Doc, entity_id: str) -> tuple[Doc, bytes]:
    """`entity_doc` and its encoding; a bulk item already in the stored form is encoded once."""
    if _may_be_stored_form(fields, entity_id):
        blob = encode(fields)
        if not _marks_other_form(blob):
            return fields, blob
    doc = entity_doc(fields, entity_id)
    return doc, encode(doc)


def _in_stored_form(fields: Doc, entity_id: str) -> bool:
    return _may_be_stored_form(fields, entity_id) and not _marks_other_form(orjson.dumps(fields))


def _may_be_stored_form(fields: Doc, entity_id: str) -> bool:
    return (
        "workspaceId" not in fields
        and fields.get("entityId") == entity_id
        and bool(fields.get("parentEntityId"))
    )


def _marks_other_form(encoded: bytes) -> bool:
    # Searching text is twice as fast as searching bytes (which goes through the buffer API).
    text = encoded.decode()
    capitalised, null, empty_string, empty_map, groups = _NOT_STORED_FORM
    return (
        capitalised in text
        or null in text
        or empty_string in text
        or empty_map in text
        or groups in text
    )


def component_doc(fields: Doc) -> Doc:
    """A component from a ComponentRequest, a bulk file's nested Component or `entityComponents`
    item."""
    doc = _present(fields, exclude=("entityId", "componentName", "properties", "propertyGroups"))
    properties = fields.get("properties")
    if properties:
        doc["properties"] = {name: _set(item) for name, item in properties.items()}
    groups = fields.get("propertyGroups")
    if groups:
        doc["propertyGroups"] = {name: _group(item) for name, item in groups.items()}
    return doc


def _group(request: Doc) -> Doc:
    return {**_GROUP_TYPE, **_set(request)}


def _set(request: Doc) -> Doc:
    """A property or property group as set: without the request's updateType."""
    return {k: v for k, v in request.items() if k != "updateType" and v is not None}


def _present(fields: Doc, exclude: tuple[str, ...]) -> Doc:
    # An empty description is no description: a bulk reader may fill in the schema's default ""
    # where the API stored none, and the two must compare equal.
    return {
        k: v
        for k, v in fields.items()
        if v is not None and k not in exclude and not (k == "description" and v == "")
    }


def lower_camel_relationships(doc: Doc) -> Doc:
    """The document with `relationshipValue` keys in lower camel case, whatever their case."""
    if _CAPITALISED_MARKER not in orjson.dumps(doc):
        return doc
    return _renamed(doc)


def _renamed(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "relationshipValue" and isinstance(item, dict):
                out[key] = {_RELATIONSHIP_KEYS.get(k, k): v for k, v in item.items()}
            else:
                out[key] = _renamed(item)
        return out
    if isinstance(value, list):
        return [_renamed(item) for item in value]
    return value


def uses_type_marker(type_id: str) -> bytes:
    """Bytes found in an encoded entity exactly when one of its components is of the type:
    quotes inside JSON strings are escaped, so the pair cannot occur anywhere else."""
    return b'"componentTypeId":' + orjson.dumps(type_id)


def component_type_ids(entity: Doc) -> set[str]:
    return {c["componentTypeId"] for c in entity.get("components", {}).values()}
