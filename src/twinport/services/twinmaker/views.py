"""What the TwinMaker API returns for stored resources: Get responses and List summaries."""

from __future__ import annotations

from collections.abc import Callable

from twinport.domain.members import compact
from twinport.domain.twinmaker import ids
from twinport.domain.twinmaker.catalog import Members, TypeCatalog, TypeView
from twinport.domain.twinmaker.documents import Doc, decode
from twinport.scope import Scope
from twinport.store import twinmaker as store

ACTIVE = {"state": "ACTIVE"}
# The API caps what one GetEntity returns; the flags say when it did.
MAX_COMPONENTS = 30
MAX_PROPERTIES = 800

_DEFINITION_FLAGS = ("isTimeSeries", "isRequiredInEntity", "isExternalId", "isStoredExternally")


# --- workspaces -----------------------------------------------------------------------------


def workspace(scope: Scope, row: store.WorkspaceRow) -> Doc:
    doc = decode(row.doc)
    return workspace_summary(scope, row) | {
        "s3Location": doc.get("s3Location"),
        "role": doc.get("role"),
    }


def workspace_summary(scope: Scope, row: store.WorkspaceRow) -> Doc:
    return compact(
        workspaceId=row.workspace_id,
        arn=ids.workspace_arn(scope, row.workspace_id),
        description=decode(row.doc).get("description"),
        creationDateTime=row.created,
        updateDateTime=row.updated,
    )


# --- component types ------------------------------------------------------------------------


def component_type(scope: Scope, workspace_id: str, view: TypeView) -> Doc:
    doc = view.doc
    members = view.members
    return {
        "workspaceId": workspace_id,
        "componentTypeId": view.id,
        "componentTypeName": doc.get("componentTypeName"),
        "arn": ids.component_type_arn(scope, workspace_id, view.id),
        "description": doc.get("description"),
        "isSingleton": view.is_singleton,
        "extendsFrom": doc.get("extendsFrom"),
        "propertyDefinitions": _map(members["propertyDefinitions"], definition),
        "functions": _map(members["functions"], _with_inherited),
        "propertyGroups": _map(members["propertyGroups"], _group),
        "compositeComponentTypes": _map(members["compositeComponentTypes"], _with_inherited),
        "isAbstract": view.is_abstract,
        "isSchemaInitialized": False,  # no schema initializer ever runs here
        "status": ACTIVE,
        "creationDateTime": view.record.created,
        "updateDateTime": view.record.updated,
    }


def component_type_summary(scope: Scope, workspace_id: str, view: TypeView) -> Doc:
    return compact(
        arn=ids.component_type_arn(scope, workspace_id, view.id),
        componentTypeId=view.id,
        componentTypeName=view.doc.get("componentTypeName"),
        description=view.doc.get("description"),
        status=ACTIVE,
        creationDateTime=view.record.created,
        updateDateTime=view.record.updated,
    )


def definition(doc: Doc, inherited: bool) -> Doc:
    """A PropertyDefinitionResponse: the stored definition with every flag spelled out."""
    out = dict(doc)
    for flag in _DEFINITION_FLAGS:
        out[flag] = bool(doc.get(flag, False))
    out["isImported"] = False
    out["isFinal"] = False
    out["isInherited"] = inherited
    return out


def _with_inherited(doc: Doc, inherited: bool) -> Doc:
    return {**doc, "isInherited": inherited}


def _group(doc: Doc, inherited: bool) -> Doc:
    return {
        "groupType": doc.get("groupType"),
        "propertyNames": doc.get("propertyNames") or [],
        "isInherited": inherited,
    }


def _map(members: Members, render: Callable[[Doc, bool], Doc]) -> Doc | None:
    if not members:
        return None
    return {name: render(value, inherited) for name, (value, inherited) in members.items()}


# --- entities -------------------------------------------------------------------------------


def entity(
    scope: Scope,
    workspace_id: str,
    row: store.EntityRow,
    catalog: TypeCatalog,
    has_children: bool,
) -> Doc:
    doc = decode(row.doc)
    components = doc.get("components") or {}
    names = sorted(components)
    return {
        "entityId": row.id,
        "entityName": doc["entityName"],
        "arn": ids.entity_arn(scope, workspace_id, row.id),
        "status": ACTIVE,
        "workspaceId": workspace_id,
        "description": doc.get("description"),
        "components": {
            name: component(name, components[name], catalog) for name in names[:MAX_COMPONENTS]
        },
        "parentEntityId": row.parent_id,
        "hasChildEntities": has_children,
        "creationDateTime": row.created,
        "updateDateTime": row.updated,
        "areAllComponentsReturned": len(names) <= MAX_COMPONENTS,
    }


def entity_summary(workspace_arn: str, row: store.EntityListRow) -> Doc:
    """A ListEntities item; `workspace_arn` is the same for a whole page, so it is made once.
    Built from the row's columns, without `compact`: a page holds many, and only the
    description may be absent."""
    summary = {
        "entityId": row.id,
        "entityName": row.name,
        "arn": ids.entity_arn_in(workspace_arn, row.id),
        "parentEntityId": row.parent_id,
        "status": ACTIVE,
        "hasChildEntities": row.has_children,
        "creationDateTime": row.created,
        "updateDateTime": row.updated,
    }
    if row.description is not None:
        summary["description"] = row.description
    return summary


def component(name: str, doc: Doc, catalog: TypeCatalog) -> Doc:
    properties = properties_of(doc, catalog)
    names = sorted(properties)
    return compact(
        componentName=name,
        componentTypeId=doc["componentTypeId"],
        description=doc.get("description"),
        status=ACTIVE,
        properties={n: properties[n] for n in names[:MAX_PROPERTIES]},
        propertyGroups=component_property_groups(doc, catalog),
        areAllPropertiesReturned=len(names) <= MAX_PROPERTIES,
    )


def component_summary(name: str, doc: Doc, catalog: TypeCatalog) -> Doc:
    return compact(
        componentName=name,
        componentTypeId=doc["componentTypeId"],
        description=doc.get("description"),
        propertyGroups=component_property_groups(doc, catalog),
        status=ACTIVE,
    )


def properties_of(doc: Doc, catalog: TypeCatalog) -> dict[str, Doc]:
    """A component's properties: its type's definitions (inherited) and its own, with values."""
    view = catalog.get(doc["componentTypeId"])
    inherited = view.property_definitions if view is not None else {}
    own = doc.get("properties") or {}
    result: dict[str, Doc] = {}
    for name in inherited.keys() | own.keys():
        base = inherited.get(name)
        item = own.get(name, {})
        merged = {**(base[0] if base else {}), **(item.get("definition") or {})}
        result[name] = compact(
            definition=definition(merged, inherited=base is not None),
            value=item.get("value"),
        )
    return result


def component_property_groups(doc: Doc, catalog: TypeCatalog) -> Doc | None:
    view = catalog.get(doc["componentTypeId"])
    inherited = view.members["propertyGroups"] if view is not None else {}
    groups: Members = {name: (value, True) for name, (value, _) in inherited.items()}
    for name, value in (doc.get("propertyGroups") or {}).items():
        groups[name] = (value, False)
    return _map(groups, _group)
