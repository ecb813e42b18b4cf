"""The component types every AWS IoT TwinMaker workspace has, read-only.

AWS lists them in its guide ("Using and creating component types": Built-in component types);
files exported from real workspaces and scripts use them by id. Their definitions follow what
AWS documents and what its samples show of them: the abstract alarm's key and status, the
documents map, the SiteWise connector's asset and asset model ids, the video stream's name.
Where AWS documents no property, the type has none. They belong to no workspace's store: every
catalog holds them, no write can change them (their `com.amazon.` namespace is reserved), and
exports leave them out, since every workspace they are imported into has them.
"""

from __future__ import annotations

# When AWS made them, as its ListComponentTypes shows.
CREATED = 1636762932.467  # 2021-11-13T00:22:12Z

_STRING = {"type": "STRING"}
_NATIVE = {"implementedBy": {"isNative": True}}


def _text(**flags: bool) -> dict:
    return {"dataType": _STRING, **flags}


_DEFINITIONS: dict[str, dict] = {
    "com.amazon.iotsitewise.resourcesync": {
        "description": "Syncs AWS IoT SiteWise asset models and assets into the workspace",
    },
    "com.amazon.iottwinmaker.alarm.basic": {
        "description": "Abstract alarm component type",
        "functions": {"dataReader": {}},
        "propertyDefinitions": {
            "alarm_key": _text(isExternalId=True, isRequiredInEntity=True),
            "alarm_status": {
                "dataType": {
                    "type": "STRING",
                    "allowedValues": [
                        {"stringValue": state}
                        for state in ("ACTIVE", "SNOOZE_DISABLED", "ACKNOWLEDGED", "NORMAL")
                    ],
                },
                "isTimeSeries": True,
                "isStoredExternally": True,
            },
        },
    },
    "com.amazon.iottwinmaker.documents": {
        "description": "Titles of documents about an entity, mapped to their URLs",
        "propertyDefinitions": {
            "documents": {"dataType": {"type": "MAP", "nestedType": _STRING}},
        },
    },
    "com.amazon.iotsitewise.connector.edgevideo": {
        "description": "Video from the Edge Connector for Kinesis Video Streams",
        "functions": {"dataReader": _NATIVE},
        "propertyDefinitions": {
            "sitewiseAssetId": _text(isRequiredInEntity=True),
            "sitewiseAssetModelId": _text(isRequiredInEntity=True),
        },
    },
    "com.amazon.iotsitewise.connector": {
        "description": "IoT SiteWise connector for syncing asset properties",
        "functions": {"dataReader": _NATIVE, "schemaInitializer": _NATIVE},
        "propertyDefinitions": {
            "sitewiseAssetId": _text(isRequiredInEntity=True),
            "sitewiseAssetModelId": _text(isRequiredInEntity=True),
        },
    },
    "com.amazon.iottwinmaker.parameters": {
        "description": "Static key-value pairs of an entity",
    },
    "com.amazon.kvs.video": {
        "description": "Video from Amazon Kinesis Video Streams",
        "functions": {"dataReader": _NATIVE},
        "propertyDefinitions": {"KinesisVideoStreamName": _text(isRequiredInEntity=True)},
    },
}

# componentTypeId -> the type's document, as a bulk file or CreateComponentType would give it.
BUILT_IN_TYPES: dict[str, dict] = {
    type_id: {"componentTypeId": type_id, **doc} for type_id, doc in _DEFINITIONS.items()
}
