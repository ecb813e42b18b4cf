"""SiteWise bulk-file content the tests share: property builders and a small pump line.

The documents name each other by external id only: a pump model, a line model whose `line-pumps`
hierarchy holds pumps, one pump and one line holding it. A test that needs ids or more content
derives its own documents from these.
"""

from __future__ import annotations


def attribute(name: str, default: str | None = None, **extra) -> dict:
    body = {} if default is None else {"defaultValue": default}
    return {"name": name, "dataType": "STRING", "type": {"attribute": body}, **extra}


def measurement(name: str, **extra) -> dict:
    return {"name": name, "dataType": "DOUBLE", "type": {"measurement": {}}, **extra}


def metric(name: str, expression: str, variables: dict[str, dict], interval: str, **extra) -> dict:
    """A DOUBLE metric over tumbling windows of `interval`; `variables`: name -> value."""
    body = {
        "expression": expression,
        "variables": [{"name": n, "value": value} for n, value in variables.items()],
        "window": {"tumbling": {"interval": interval}},
    }
    return {"name": name, "dataType": "DOUBLE", "type": {"metric": body}, **extra}


def without(document: dict, *keys: str) -> dict:
    return {k: v for k, v in document.items() if k not in keys}


PUMP_MODEL = {
    "assetModelExternalId": "pump-model",
    "assetModelName": "Pump",
    "assetModelProperties": [
        attribute("Serial", "n/a", externalId="serial"),
        measurement("RPM", externalId="rpm", unit="rpm"),
    ],
}
LINE_MODEL = {
    "assetModelExternalId": "line-model",
    "assetModelName": "Line",
    "assetModelHierarchies": [
        {"externalId": "line-pumps", "name": "Pumps", "childAssetModelExternalId": "pump-model"}
    ],
}
PUMP_1 = {
    "assetExternalId": "pump-1",
    "assetName": "Pump 1",
    "assetModelExternalId": "pump-model",
    "assetProperties": [
        {"externalId": "serial", "attributeValue": "P-001"},
        {"externalId": "rpm", "alias": "/plant/line1/pump1/rpm"},
    ],
}
LINE_1 = {
    "assetExternalId": "line-1",
    "assetName": "Line 1",
    "assetModelExternalId": "line-model",
    "assetHierarchies": [{"externalId": "line-pumps", "childAssetExternalId": "pump-1"}],
}

MOTOR_MODEL = {
    "assetModelExternalId": "motor",
    "assetModelName": "Motor",
    "assetModelType": "COMPONENT_MODEL",
}
# A pump whose `drive` composite model is a motor.
DRIVEN_PUMP_MODEL = {
    **PUMP_MODEL,
    "assetModelCompositeModels": [
        {
            "externalId": "drive",
            "name": "Drive",
            "type": "CUSTOM",
            "composedAssetModelExternalId": "motor",
        }
    ],
}
