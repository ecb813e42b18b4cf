"""UpdateEntity's componentUpdates: CREATE, UPDATE or DELETE components, property by property."""

from __future__ import annotations

from twinport.domain.twinmaker.documents import Doc, component_doc
from twinport.errors import conflict, validation


def apply_component_updates(
    entity_id: str, components: dict[str, Doc], updates: dict[str, Doc]
) -> dict[str, Doc]:
    """The entity's components after `updates` (the inputs are left as they were)."""
    result = dict(components)
    for name, update in updates.items():
        kind = update.get("updateType") or ("UPDATE" if name in result else "CREATE")
        if kind == "CREATE":
            if name in result:
                raise conflict(
                    f"Component {name} cannot be created as it already exists in entity {entity_id}"
                )
            if not update.get("componentTypeId"):
                raise validation(f"Component {name} of entity {entity_id} needs a componentTypeId")
            result[name] = _updated({}, update)
            continue
        if name not in result:
            raise validation(f"Component {name} does not exist in entity {entity_id}")
        if kind == "DELETE":
            del result[name]
            continue
        current = result[name]
        new_type = update.get("componentTypeId")
        if new_type and new_type != current["componentTypeId"]:
            raise validation(
                f"The component type of component {name} of entity {entity_id} cannot change"
            )
        result[name] = _updated(current, update)
    return result


def _updated(current: Doc, update: Doc) -> Doc:
    fields = {k: v for k, v in current.items() if k not in ("properties", "propertyGroups")}
    if update.get("componentTypeId"):
        fields["componentTypeId"] = update["componentTypeId"]
    if "description" in update:
        fields["description"] = update["description"]
    fields["properties"] = _apply_property_updates(
        current.get("properties") or {}, update.get("propertyUpdates") or {}
    )
    fields["propertyGroups"] = _apply_group_updates(
        current.get("propertyGroups") or {}, update.get("propertyGroupUpdates") or {}
    )
    return component_doc(fields)


def _apply_property_updates(properties: dict[str, Doc], updates: dict[str, Doc]) -> dict[str, Doc]:
    result = dict(properties)
    for name, update in updates.items():
        kind = update.get("updateType") or "UPDATE"
        if kind == "DELETE":
            result.pop(name, None)
            continue
        item = dict(result.get(name) or {})
        if kind == "RESET_VALUE":
            item.pop("value", None)
        else:
            for key in ("definition", "value"):
                if update.get(key) is not None:
                    item[key] = update[key]
        result[name] = item
    return result


def _apply_group_updates(groups: dict[str, Doc], updates: dict[str, Doc]) -> dict[str, Doc]:
    result = dict(groups)
    for name, update in updates.items():
        if update.get("updateType") == "DELETE":
            result.pop(name, None)
        else:
            result[name] = update  # component_doc drops the updateType
    return result
