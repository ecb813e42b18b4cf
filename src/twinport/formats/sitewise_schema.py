"""The SiteWise bulk file schema ("IoTSiteWise", JSON Schema draft 2020-12), as published in
the AWS IoT SiteWise user guide, "metadata transfer job schema" (bulk-operations-schema.html).

Transcribed definition by definition; where the published text leaves a choice, it is
settled here:

- Patterns must match the whole string (so the no-control-character pattern also rules out
  the empty string).
- Every object is closed (`additionalProperties: false`), as published.
- `anyOf` of `required` groups ("an id or an external id", "a child by id or by external
  id") become `require_any` groups.
- `assetModelType` takes the two published values only; null is not a value.
- Tags follow the SiteWise API: a key of 1..128 characters, a value of 0..256.
- Defaults (`assetModelType: ASSET_MODEL`, `retainDataOnAliasChange: "TRUE"`) are not filled
  in: checking never changes a document.
"""

from __future__ import annotations

from twinport.formats.schema import Array, Checker, Enum, Object, Ref, String, compile_definitions

__all__ = ["ASSET", "ASSET_MODEL", "DEFINITIONS", "checkers"]

ASSET_MODEL = "AssetModel"
ASSET = "Asset"

_NO_CONTROL = r"[^\u0000-\u001F\u007F]+"
_NAME = String(1, 256, _NO_CONTROL)
_DESCRIPTION = String(1, 2048, _NO_CONTROL)
_ID = String(36, 36, r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_EXTERNAL_ID = String(2, 128, r"[a-zA-Z0-9_][a-zA-Z_\-0-9.:]*[a-zA-Z0-9_]+")
_ATTRIBUTE_VALUE = String(pattern=_NO_CONTROL)
_PROPERTY_UNIT = String(1, 256, _NO_CONTROL)
_PROPERTY_ALIAS = String(1, 1000, _NO_CONTROL)
_DATA_TYPE = Enum(("STRING", "INTEGER", "DOUBLE", "BOOLEAN", "STRUCT"))
_COMPUTE_LOCATION = Enum(("EDGE", "CLOUD"))
_STATE = Enum(("ENABLED", "DISABLED"))
_EXPRESSION = String(1, 1024)
_ID_OR_EXTERNAL_ID = ("id", "externalId")


def _members(items: str) -> Array:
    return Array(Ref(items))


DEFINITIONS = {
    "Tag": Object(
        {"key": String(1, 128), "value": String(0, 256)},
        required=("key", "value"),
    ),
    "ForwardingConfig": Object({"state": _STATE}, required=("state",)),
    "VariableValue": Object(
        {
            "propertyId": _ID,
            "propertyExternalId": _EXTERNAL_ID,
            "hierarchyId": _ID,
            "hierarchyExternalId": _EXTERNAL_ID,
        },
        require_any=(("propertyId", "propertyExternalId"),),
    ),
    "ExpressionVariable": Object(
        {"name": String(1, 64, r"[a-z][a-z0-9_]*"), "value": Ref("VariableValue")},
        required=("name", "value"),
    ),
    "MetricWindow": Object(
        {
            "tumbling": Object(
                {"interval": String(2, 23), "offset": String(2, 25)},
                required=("interval",),
            )
        }
    ),
    "PropertyType": Object(
        {
            "attribute": Object({"defaultValue": _ATTRIBUTE_VALUE}),
            "measurement": Object(
                {
                    "processingConfig": Object(
                        {"forwardingConfig": Ref("ForwardingConfig")},
                        required=("forwardingConfig",),
                    )
                }
            ),
            "transform": Object(
                {
                    "expression": _EXPRESSION,
                    "variables": _members("ExpressionVariable"),
                    "processingConfig": Object(
                        {
                            "computeLocation": _COMPUTE_LOCATION,
                            "forwardingConfig": Ref("ForwardingConfig"),
                        },
                        required=("computeLocation",),
                    ),
                },
                required=("expression", "variables"),
            ),
            "metric": Object(
                {
                    "expression": _EXPRESSION,
                    "variables": _members("ExpressionVariable"),
                    "window": Ref("MetricWindow"),
                    "processingConfig": Object(
                        {"computeLocation": _COMPUTE_LOCATION}, required=("computeLocation",)
                    ),
                },
                required=("expression", "variables", "window"),
            ),
        }
    ),
    "AssetModelProperty": Object(
        {
            "id": _ID,
            "externalId": _EXTERNAL_ID,
            "name": _NAME,
            "dataType": _DATA_TYPE,
            "dataTypeSpec": _NAME,
            "unit": _PROPERTY_UNIT,
            "type": Ref("PropertyType"),
        },
        required=("name", "dataType", "type"),
        require_any=(_ID_OR_EXTERNAL_ID,),
    ),
    "AssetModelHierarchy": Object(
        {
            "id": _ID,
            "externalId": _EXTERNAL_ID,
            "name": _NAME,
            "childAssetModelId": _ID,
            "childAssetModelExternalId": _EXTERNAL_ID,
        },
        required=("name",),
        require_any=(_ID_OR_EXTERNAL_ID, ("childAssetModelId", "childAssetModelExternalId")),
    ),
    "AssetModelCompositeModel": Object(
        {
            "id": _ID,
            "externalId": _EXTERNAL_ID,
            "parentId": _ID,
            "parentExternalId": _EXTERNAL_ID,
            "composedAssetModelId": _ID,
            "composedAssetModelExternalId": _EXTERNAL_ID,
            "description": _DESCRIPTION,
            "name": _NAME,
            "type": _NAME,
            "properties": _members("AssetModelProperty"),
        },
        required=("name", "type"),
        require_any=(_ID_OR_EXTERNAL_ID,),
    ),
    ASSET_MODEL: Object(
        {
            "assetModelId": _ID,
            "assetModelExternalId": _EXTERNAL_ID,
            "assetModelName": _NAME,
            "assetModelDescription": _DESCRIPTION,
            "assetModelType": Enum(("ASSET_MODEL", "COMPONENT_MODEL")),
            "assetModelProperties": _members("AssetModelProperty"),
            "assetModelCompositeModels": _members("AssetModelCompositeModel"),
            "assetModelHierarchies": _members("AssetModelHierarchy"),
            "tags": _members("Tag"),
        },
        required=("assetModelName",),
        require_any=(("assetModelId", "assetModelExternalId"),),
    ),
    "AssetProperty": Object(
        {
            "id": _ID,
            "externalId": _EXTERNAL_ID,
            "alias": _PROPERTY_ALIAS,
            "unit": _PROPERTY_UNIT,
            "attributeValue": _ATTRIBUTE_VALUE,
            "retainDataOnAliasChange": Enum(("TRUE", "FALSE")),
            "propertyNotificationState": _STATE,
        },
        require_any=(_ID_OR_EXTERNAL_ID,),
    ),
    "AssetHierarchy": Object(
        {
            "id": _ID,
            "externalId": _EXTERNAL_ID,
            "childAssetId": _ID,
            "childAssetExternalId": _EXTERNAL_ID,
        },
        require_any=(_ID_OR_EXTERNAL_ID, ("childAssetId", "childAssetExternalId")),
    ),
    ASSET: Object(
        {
            "assetId": _ID,
            "assetExternalId": _EXTERNAL_ID,
            "assetModelId": _ID,
            "assetModelExternalId": _EXTERNAL_ID,
            "assetName": _NAME,
            "assetDescription": _DESCRIPTION,
            "assetProperties": _members("AssetProperty"),
            "assetHierarchies": _members("AssetHierarchy"),
            "tags": _members("Tag"),
        },
        required=("assetName",),
        require_any=(("assetId", "assetExternalId"), ("assetModelId", "assetModelExternalId")),
    ),
}


def checkers() -> dict[str, Checker]:
    """Compiled checkers of every definition, keyed by definition name."""
    return compile_definitions(DEFINITIONS)
