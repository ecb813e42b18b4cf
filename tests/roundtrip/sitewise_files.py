"""Hypothesis strategies for SiteWise bulk files the published schema accepts and whose
references hold: hierarchies point to models later in the list (or to their own model),
composite models compose the file's component models or nest in one another, expressions
read the model's measurements (metrics also those of a hierarchy's child model), and assets
list as children assets of the hierarchy's model that no other asset holds. A list or map left
empty is sometimes written out empty, as files may."""

from __future__ import annotations

import string

from hypothesis import strategies as st

uuids = st.uuids(version=4).map(str)
texts = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30
)
tags = st.lists(
    st.fixed_dictionaries(
        {"key": st.text(string.ascii_letters, min_size=1, max_size=8), "value": st.text(max_size=8)}
    ),
    max_size=3,
    unique_by=lambda tag: tag["key"],
)
_ATTRIBUTE_VALUES = {
    "STRING": texts,
    "INTEGER": st.integers(-(2**31), 2**31 - 1).map(str),
    "DOUBLE": st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    "BOOLEAN": st.sampled_from(("true", "false")),
}


class _Names:
    """Unique names and external ids for one file (external ids are unique per account)."""

    def __init__(self) -> None:
        self.count = 0

    def next(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.count}"


def identity(draw, names: _Names, id_key: str, external_key: str, prefix: str) -> dict:
    """An id, an external id or both."""
    kind = draw(st.sampled_from(("id", "external", "both")))
    doc = {}
    if kind != "external":
        doc[id_key] = draw(uuids)
    if kind != "id":
        doc[external_key] = names.next(prefix)
    return doc


def reference(draw, target: dict, id_key: str, external_key: str, as_id: str, as_external: str):
    """`target` named by its id or by its external id, whichever it has (either if both)."""
    choices = [(as_id, target[id_key])] if id_key in target else []
    if external_key in target:
        choices.append((as_external, target[external_key]))
    key, value = draw(st.sampled_from(choices))
    return {key: value}


def _optional(draw, doc: dict, key: str, strategy: st.SearchStrategy) -> None:
    if draw(st.booleans()):
        doc[key] = draw(strategy)


def _variable(draw, name: str, prop: dict, hierarchy: dict | None = None) -> dict:
    value = reference(draw, prop, "id", "externalId", "propertyId", "propertyExternalId")
    if hierarchy is not None:
        value |= reference(
            draw, hierarchy, "id", "externalId", "hierarchyId", "hierarchyExternalId"
        )
    return {"name": name, "value": value}


def _properties(draw, names: _Names, child_measurements: list[tuple[dict, dict]]) -> list[dict]:
    """Attributes and measurements, then transforms and metrics over the measurements;
    `child_measurements`: (hierarchy, measurement of its child model) a metric may read."""
    props = []
    for index in range(draw(st.integers(0, 3))):
        data_type = draw(st.sampled_from(tuple(_ATTRIBUTE_VALUES)))
        prop = {
            **identity(draw, names, "id", "externalId", "p"),
            "name": f"Property {index}",
            "dataType": data_type,
        }
        if draw(st.booleans()):
            attribute = {}
            _optional(draw, attribute, "defaultValue", _ATTRIBUTE_VALUES[data_type])
            prop["type"] = {"attribute": attribute}
        else:
            measurement = {}
            if draw(st.booleans()):
                state = draw(st.sampled_from(("ENABLED", "DISABLED")))
                measurement["processingConfig"] = {"forwardingConfig": {"state": state}}
            prop["type"] = {"measurement": measurement}
        _optional(draw, prop, "unit", texts)
        props.append(prop)
    measurements = [p for p in props if "measurement" in p["type"] and p["dataType"] == "DOUBLE"]
    if measurements and draw(st.booleans()):
        transform = {
            "expression": "x * 2",
            "variables": [_variable(draw, "x", draw(st.sampled_from(measurements)))],
        }
        if draw(st.booleans()):
            transform["processingConfig"] = {"computeLocation": "CLOUD"}
            if draw(st.booleans()):
                transform["processingConfig"]["forwardingConfig"] = {"state": "DISABLED"}
        props.append(
            {
                **identity(draw, names, "id", "externalId", "p"),
                "name": "Doubled",
                "dataType": "DOUBLE",
                "type": {"transform": transform},
            }
        )
    sources = [(None, m) for m in measurements] + child_measurements
    if sources and draw(st.booleans()):
        hierarchy, measured = draw(st.sampled_from(sources))
        window = {"interval": draw(st.sampled_from(("1m", "5m", "1h", "1d")))}
        _optional(draw, window, "offset", st.sampled_from(("0m", "2m", "30s")))
        metric = {
            "expression": "avg(x)",
            "variables": [_variable(draw, "x", measured, hierarchy)],
            "window": {"tumbling": window},
        }
        _optional(draw, metric, "processingConfig", st.just({"computeLocation": "CLOUD"}))
        props.append(
            {
                **identity(draw, names, "id", "externalId", "p"),
                "name": "Average",
                "dataType": "DOUBLE",
                "type": {"metric": metric},
            }
        )
    return props


def _measurements(model: dict) -> list[dict]:
    return [
        p
        for p in model.get("assetModelProperties", [])
        if "measurement" in p["type"] and p["dataType"] == "DOUBLE"
    ]


@st.composite
def sitewise_files(draw) -> dict:
    names = _Names()
    components = []
    for index in range(draw(st.integers(0, 2))):
        model = {
            **identity(draw, names, "assetModelId", "assetModelExternalId", "component"),
            "assetModelName": f"Component {index}",
            "assetModelType": "COMPONENT_MODEL",
        }
        props = _properties(draw, names, [])
        if props or draw(st.booleans()):
            model["assetModelProperties"] = props
        components.append(model)
    # Built last to first, so that each may hold the ones after it.
    models: list[dict] = []
    for index in reversed(range(draw(st.integers(1, 3)))):
        model = identity(draw, names, "assetModelId", "assetModelExternalId", "model")
        model["assetModelName"] = f"Model {index}"
        _optional(draw, model, "assetModelType", st.just("ASSET_MODEL"))
        _optional(draw, model, "assetModelDescription", texts)
        hierarchies = []
        for number, child in enumerate(
            draw(st.lists(st.sampled_from([model, *models]), max_size=2))
        ):
            hierarchy = {
                **identity(draw, names, "id", "externalId", "h"),
                "name": f"Hierarchy {number}",
                **reference(
                    draw,
                    child,
                    "assetModelId",
                    "assetModelExternalId",
                    "childAssetModelId",
                    "childAssetModelExternalId",
                ),
            }
            hierarchy["child"] = child  # dropped below; the assets need it
            hierarchies.append(hierarchy)
        reads = [
            (h, m)
            for h in hierarchies
            if h["child"] is not model
            for m in _measurements(h["child"])
        ]
        props = _properties(draw, names, reads)
        if props or draw(st.booleans()):
            model["assetModelProperties"] = props
        if hierarchies or draw(st.booleans()):
            model["assetModelHierarchies"] = hierarchies
        composites = []
        for number in range(draw(st.integers(0, 2))):
            composite = {
                **identity(draw, names, "id", "externalId", "c"),
                "name": f"Composite {number}",
            }
            if components and draw(st.booleans()):
                composite["type"] = "CUSTOM"
                composite |= reference(
                    draw,
                    draw(st.sampled_from(components)),
                    "assetModelId",
                    "assetModelExternalId",
                    "composedAssetModelId",
                    "composedAssetModelExternalId",
                )
            else:
                composite["type"] = draw(st.sampled_from(("CUSTOM", "AWS/ALARM")))
                inline = _properties(draw, names, [])
                if inline or draw(st.booleans()):
                    composite["properties"] = inline
            if composites and draw(st.booleans()):
                composite |= reference(
                    draw, composites[0], "id", "externalId", "parentId", "parentExternalId"
                )
            _optional(draw, composite, "description", texts)
            composites.append(composite)
        if composites or draw(st.booleans()):
            model["assetModelCompositeModels"] = composites
        _optional(draw, model, "tags", tags)
        models.insert(0, model)
    assets = _assets(draw, names, models)
    for model in models:
        for hierarchy in model.get("assetModelHierarchies", []):
            del hierarchy["child"]
    return {
        "assetModels": draw(st.permutations(components + models)),
        "assets": draw(st.permutations(assets)),
    }


def _assets(draw, names: _Names, models: list[dict]) -> list[dict]:
    assets, model_of, parent_of = [], [], {}
    aliases = iter(range(10**6))
    for model in models:
        for _ in range(draw(st.integers(0, 2))):
            asset = {
                **identity(draw, names, "assetId", "assetExternalId", "asset"),
                "assetName": f"Asset {len(assets)}",
                **reference(
                    draw,
                    model,
                    "assetModelId",
                    "assetModelExternalId",
                    "assetModelId",
                    "assetModelExternalId",
                ),
            }
            _optional(draw, asset, "assetDescription", texts)
            _optional(draw, asset, "tags", tags)
            settings = []
            for prop in _subset(draw, _own_properties(model)):
                setting = reference(draw, prop, "id", "externalId", "id", "externalId")
                if draw(st.booleans()):
                    setting["alias"] = f"/roundtrip/{next(aliases)}"
                    _optional(
                        draw, setting, "retainDataOnAliasChange", st.sampled_from(("TRUE", "FALSE"))
                    )
                _optional(draw, setting, "unit", texts)
                _optional(
                    draw,
                    setting,
                    "propertyNotificationState",
                    st.sampled_from(("ENABLED", "DISABLED")),
                )
                if "attribute" in prop["type"]:
                    _optional(draw, setting, "attributeValue", _ATTRIBUTE_VALUES[prop["dataType"]])
                settings.append(setting)
            if settings or draw(st.booleans()):
                asset["assetProperties"] = settings
            assets.append(asset)
            model_of.append(model)
    # An asset holds, through its model's hierarchies, assets after it in the list: no cycle.
    for index, (asset, model) in enumerate(zip(assets, model_of, strict=True)):
        children = []
        for hierarchy in model.get("assetModelHierarchies", []):
            candidates = [
                i
                for i in range(index + 1, len(assets))
                if model_of[i] is hierarchy["child"] and i not in parent_of
            ]
            for child in _subset(draw, candidates):
                parent_of[child] = index
                children.append(
                    reference(draw, hierarchy, "id", "externalId", "id", "externalId")
                    | reference(
                        draw,
                        assets[child],
                        "assetId",
                        "assetExternalId",
                        "childAssetId",
                        "childAssetExternalId",
                    )
                )
        if children or draw(st.booleans()):
            asset["assetHierarchies"] = children
    return assets


def _own_properties(model: dict) -> list[dict]:
    """The model's properties and those of its inline composite models."""
    inline = [
        p for c in model.get("assetModelCompositeModels", []) for p in c.get("properties", [])
    ]
    return [*model.get("assetModelProperties", []), *inline]


def _subset(draw, items: list) -> list:
    if not items:
        return []
    picked = draw(st.lists(st.sampled_from(range(len(items))), unique=True))
    return [items[i] for i in sorted(picked)]
