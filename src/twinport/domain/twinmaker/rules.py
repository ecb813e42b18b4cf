"""Domain rules a component type or an entity's components must satisfy before they are written.

The botocore model already checked shapes and constraints of API input, and the bulk schema
those of file items; these are the rules that need the workspace's other resources.
"""

from __future__ import annotations

from twinport.domain.twinmaker.catalog import TypeCatalog, TypeView
from twinport.domain.twinmaker.documents import Doc
from twinport.errors import validation
from twinport.formats.limits import MAX_INHERITANCE_DEPTH

RESERVED_NAMESPACE = "com.amazon."

# The DataValue member each data type holds; an `expression` fits any type.
_VALUE_MEMBER = {
    "STRING": "stringValue",
    "LONG": "longValue",
    "INTEGER": "integerValue",
    "BOOLEAN": "booleanValue",
    "DOUBLE": "doubleValue",
    "LIST": "listValue",
    "MAP": "mapValue",
    "RELATIONSHIP": "relationshipValue",
}


def check_type_id_writable(type_id: str) -> None:
    if type_id.startswith(RESERVED_NAMESPACE):
        raise validation(f"Not allowed to modify component type in reserved namespace: {type_id}")


def check_component_type(catalog: TypeCatalog, type_id: str) -> None:
    """Check the component type `type_id` of a catalog that already holds its new definition."""
    for parent in catalog.record(type_id).doc.get("extendsFrom") or ():
        if parent == type_id or parent not in catalog:
            raise validation(
                f"Component type {parent} in extendsFrom of component type {type_id} does not exist"
            )
    if catalog.cycle_through(type_id):
        raise validation(f"extendsFrom of component type {type_id} forms a cycle")
    if catalog.depth(type_id) > MAX_INHERITANCE_DEPTH:
        raise validation(
            f"Component type {type_id} extends a chain of more than {MAX_INHERITANCE_DEPTH}"
            " component types; at most that many may build on one another"
        )
    view = catalog.get(type_id)
    assert view is not None
    names = view.property_definitions
    for name, (definition, _) in names.items():
        _check_value(
            definition.get("dataType"),
            definition.get("defaultValue"),
            name,
            f"component type {type_id}",
        )
    for name, (function, _) in view.members["functions"].items():
        _check_known(function.get("requiredProperties"), names, f"function {name}", type_id)
    for name, (group, _) in view.members["propertyGroups"].items():
        _check_known(group.get("propertyNames"), names, f"property group {name}", type_id)
    for name, (composite, _) in view.members["compositeComponentTypes"].items():
        target = composite.get("componentTypeId")
        if target is not None and target not in catalog:
            raise validation(
                f"Component type {target} of composite component type {name}"
                f" in component type {type_id} does not exist"
            )


def check_components(catalog: TypeCatalog, entity_id: str, components: dict[str, Doc]) -> None:
    """Check every component of an entity against its component type."""
    singletons: set[str] = set()
    for name, component in components.items():
        type_id = component.get("componentTypeId")
        if type_id is None:  # the API's model leaves it optional; a component needs one
            raise validation(f"Component {name} of entity {entity_id} needs a componentTypeId")
        view = catalog.get(type_id)
        if view is None:
            raise validation(
                f"Component type {type_id} of component {name} of entity {entity_id} does not exist"
            )
        if view.is_singleton:
            if type_id in singletons:
                raise validation(
                    f"Component type {type_id} is a singleton: entity {entity_id} may have only"
                    " one component of it"
                )
            singletons.add(type_id)
        properties = component.get("properties") or {}
        if properties or view.required_properties:
            _check_properties(view, properties, name, entity_id)
        for group_name, group in (component.get("propertyGroups") or {}).items():
            for property_name in group.get("propertyNames") or ():
                if (
                    property_name not in properties
                    and property_name not in view.property_definitions
                ):
                    raise validation(
                        f"Property {property_name} of property group {group_name} in component"
                        f" {name} of entity {entity_id} is not defined"
                    )


def _check_properties(
    view: TypeView, properties: dict[str, Doc], name: str, entity_id: str
) -> None:
    definitions = view.property_definitions
    for property_name, item in properties.items():
        inherited = definitions.get(property_name)
        own = item.get("definition")
        if inherited is None and own is None:
            raise validation(
                f"Property {property_name} of component {name} of entity {entity_id} is not"
                f" defined in component type {view.id} and has no definition"
            )
        value = item.get("value")
        if value:
            data_type = (own or {}).get("dataType")
            if data_type is None and inherited is not None:
                data_type = inherited[0].get("dataType")
            _check_value(data_type, value, property_name, f"component {name} of entity {entity_id}")
    for property_name in view.required_properties:
        if "value" not in properties.get(property_name, {}):
            raise validation(
                f"Property {property_name} is required in component {name} of entity"
                f" {entity_id} but has no value"
            )


def _check_value(data_type: Doc | None, value: Doc | None, name: str, where: str) -> None:
    if not data_type or not value or "expression" in value:
        return
    expected = _VALUE_MEMBER.get(data_type.get("type", ""))
    if expected is not None and expected not in value:
        given = ", ".join(sorted(value))
        raise validation(
            f"Value of property {name} in {where} must be a {expected} for data type"
            f" {data_type['type']}, not {given}"
        )


def _check_known(names: list[str] | None, defined: dict, what: str, type_id: str) -> None:
    for name in names or ():
        if name not in defined:
            raise validation(
                f"Property {name} of {what} in component type {type_id} is not defined"
            )
