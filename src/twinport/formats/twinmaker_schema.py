"""The TwinMaker bulk file schema ("IoTTwinMaker", JSON Schema draft 2020-12), as published in
the AWS IoT TwinMaker guide, "metadata transfer job schema" (tm-import-export-schema.html).

Transcribed definition by definition; where the published text leaves a choice, it is
settled here:

- Patterns must match the whole string, including those of map keys (`patternProperties`).
- Maps typed `Map<String,String>` (tags, configuration) take only string values.
- `integerValue` and `longValue` are Java Integer and Long: their ranges are enforced.
- `relationshipValue` is written `TargetComponentName`/`TargetEntityId` in the schema and
  `targetComponentName`/`targetEntityId` by the API; both spellings are accepted.
- Defaults (`description: ""`, `isSingleton: false`, `parentEntityId: "$ROOT"`) are not
  filled in: checking never changes a document.
"""

from __future__ import annotations

from twinport.formats.schema import (
    Array,
    Boolean,
    Checker,
    Enum,
    Integer,
    Map,
    Number,
    Object,
    Ref,
    String,
    compile_definitions,
)

__all__ = ["COMPONENT_TYPE", "DEFINITIONS", "ENTITY", "ENTITY_COMPONENT", "checkers"]

COMPONENT_TYPE = "ComponentType"
ENTITY = "Entity"
ENTITY_COMPONENT = "EntityComponent"

_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_ID_FORM = r"[a-zA-Z0-9][a-zA-Z_\-0-9.:]*[a-zA-Z0-9]+"
_NAME = r"[a-zA-Z_\-0-9]+"
_NO_CONTROL = r".*[^\u0000-\u001F\u007F]*.*"

_EXTERNAL_ID = String(1, 128, _ID_FORM)
_DESCRIPTION = String(0, 512)
_COMPONENT_TYPE_NAME = String(1, 256, _NO_CONTROL)
_COMPONENT_TYPE_ID = String(1, 256, r"[a-zA-Z_.\-0-9:]+")
_COMPONENT_NAME = String(1, 256, _NAME)
_ENTITY_ID = String(1, 128, f"{_UUID}|^{_ID_FORM}")
_ENTITY_NAME = String(1, 256, r"[a-zA-Z_0-9-.][a-zA-Z_0-9-. ]*[a-zA-Z0-9]+")
_PARENT_ENTITY_ID = String(1, 128, rf"\$ROOT|^{_UUID}|^{_ID_FORM}")
_DISPLAY_NAME = String(0, 256, _NO_CONTROL)
_MAP_KEY = String(pattern=_NAME)
_TAGS = Map(
    String(1, 256),
    keys=String(pattern=r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"),
    max_entries=50,
)
_JAVA_INT = Integer(-(2**31), 2**31 - 1)
_JAVA_LONG = Integer(-(2**63), 2**63 - 1)
_TARGET_COMPONENT_NAME = String(1, 256, _NAME)
_TARGET_ENTITY_ID = String(1, 128, f"{_UUID}|^{_ID_FORM}")


def _name_map(values: Ref) -> Map:
    return Map(values, keys=_MAP_KEY)


DEFINITIONS = {
    "Relationship": Object(
        {
            "relationshipType": String(1, 256, ".*"),
            "targetComponentTypeId": _COMPONENT_TYPE_ID,
        }
    ),
    "DataValue": Object(
        {
            "booleanValue": Boolean(),
            "doubleValue": Number(),
            "expression": String(1, 316, r"(^\$\{Parameters\.[a-zA-z]+([a-zA-z_0-9]*)}$)"),
            "integerValue": _JAVA_INT,
            "listValue": Array(Ref("DataValue"), max_items=50),
            "longValue": _JAVA_LONG,
            "stringValue": String(1, 256, ".*"),
            "mapValue": _name_map(Ref("DataValue")),
            "relationshipValue": Object(
                {
                    "TargetComponentName": _TARGET_COMPONENT_NAME,
                    "TargetEntityId": _TARGET_ENTITY_ID,
                    "targetComponentName": _TARGET_COMPONENT_NAME,
                    "targetEntityId": _TARGET_ENTITY_ID,
                }
            ),
        }
    ),
    "DataType": Object(
        {
            "allowedValues": Array(Ref("DataValue"), max_items=50),
            "nestedType": Ref("DataType"),
            "relationship": Ref("Relationship"),
            "type": Enum(
                ("RELATIONSHIP", "STRING", "LONG", "BOOLEAN", "INTEGER", "DOUBLE", "LIST", "MAP")
            ),
            "unitOfMeasure": String(1, 256, ".*"),
        },
        required=("type",),
    ),
    "PropertyDefinition": Object(
        {
            "configuration": Map(String(1, 256, _NAME), keys=_MAP_KEY),
            "dataType": Ref("DataType"),
            "defaultValue": Ref("DataValue"),
            "displayName": _DISPLAY_NAME,
            "isExternalId": Boolean(),
            "isRequiredInEntity": Boolean(),
            "isStoredExternally": Boolean(),
            "isTimeSeries": Boolean(),
        }
    ),
    "Property": Object({"definition": Ref("PropertyDefinition"), "value": Ref("DataValue")}),
    "PropertyGroup": Object(
        {
            "groupType": Enum(("TABULAR",)),
            "propertyNames": Array(String(pattern=_NAME), 1, 256, unique=True),
        }
    ),
    "Component": Object(
        {
            "componentTypeId": _COMPONENT_TYPE_ID,
            "description": _DESCRIPTION,
            "properties": _name_map(Ref("Property")),
            "propertyGroups": _name_map(Ref("PropertyGroup")),
        },
        required=("componentTypeId",),
    ),
    "Function": Object(
        {
            "implementedBy": Object(
                {
                    "isNative": Boolean(),
                    "lambda": Object(
                        {
                            "arn": String(
                                1,
                                128,
                                r"arn:((aws)|(aws-cn)|(aws-us-gov)|(\${partition})):lambda:"
                                r"(([a-z0-9-]+)|(\${region})):([0-9]{12}|(\${accountId})):"
                                r"function:[/a-zA-Z0-9_-]+",
                            )
                        },
                        required=("arn",),
                    ),
                }
            ),
            "requiredProperties": Array(String(pattern=_NAME), 1, 256, unique=True),
            "scope": Enum(("ENTITY", "WORKSPACE")),
        }
    ),
    ENTITY: Object(
        {
            "description": _DESCRIPTION,
            "entityId": _ENTITY_ID,
            "entityExternalId": _EXTERNAL_ID,
            "entityName": _ENTITY_NAME,
            "parentEntityId": _PARENT_ENTITY_ID,
            "tags": _TAGS,
            "components": _name_map(Ref("Component")),
        },
        required=("entityId", "entityName"),
    ),
    COMPONENT_TYPE: Object(
        {
            "description": _DESCRIPTION,
            "componentTypeId": _COMPONENT_TYPE_ID,
            "componentTypeExternalId": _EXTERNAL_ID,
            "componentTypeName": _COMPONENT_TYPE_NAME,
            "extendsFrom": Array(_COMPONENT_TYPE_ID, 1, 256, unique=True),
            "functions": _name_map(Ref("Function")),
            "isSingleton": Boolean(),
            "propertyDefinitions": _name_map(Ref("PropertyDefinition")),
            "propertyGroups": _name_map(Ref("PropertyGroup")),
            "tags": _TAGS,
        },
        required=("componentTypeId",),
    ),
    ENTITY_COMPONENT: Object(
        {
            "entityId": _ENTITY_ID,
            "componentName": _COMPONENT_NAME,
            "componentExternalId": _EXTERNAL_ID,
            "componentTypeId": _COMPONENT_TYPE_ID,
            "description": _DESCRIPTION,
            "properties": _name_map(Ref("Property")),
            "propertyGroups": _name_map(Ref("PropertyGroup")),
        },
        required=("entityId", "componentTypeId", "componentName"),
    ),
}


def checkers() -> dict[str, Checker]:
    """Compiled checkers of every definition, keyed by definition name."""
    return compile_definitions(DEFINITIONS)
