"""Hypothesis strategies for TwinMaker bulk files the published schema accepts and whose
cross-references hold: types extend earlier types, entities hang under earlier entities,
components use the file's types, give values of their properties' data types (required ones
always), and groups and functions name properties that exist. A list or map left empty
is sometimes written out empty, as files may."""

from __future__ import annotations

import string

from hypothesis import strategies as st

from twinport.domain.twinmaker.builtins import BUILT_IN_TYPES

SCALAR_TYPES = ("STRING", "LONG", "BOOLEAN", "INTEGER", "DOUBLE")
ALL_TYPES = (*SCALAR_TYPES, "LIST", "MAP", "RELATIONSHIP")
# Built-in types every workspace has, which file types may extend and components use.
BUILT_INS = (
    "com.amazon.iottwinmaker.parameters",
    "com.amazon.iottwinmaker.documents",
    "com.amazon.iotsitewise.connector",
)
_JAVA_INT = (-(2**31), 2**31 - 1)
_JAVA_LONG = (-(2**63), 2**63 - 1)

names = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=12)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
external_ids = st.from_regex(r"[a-zA-Z0-9][a-zA-Z_\-0-9.:]{0,10}[a-zA-Z0-9]", fullmatch=True)
tags = st.dictionaries(
    st.from_regex(r"[a-zA-Z0-9_.:/=+\-@ ]{0,12}", fullmatch=True),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20),
    max_size=4,
)


def scalar_value(kind: str) -> st.SearchStrategy[dict]:
    if kind == "STRING":
        return st.builds(lambda s: {"stringValue": s}, texts.filter(bool))
    if kind == "BOOLEAN":
        return st.builds(lambda b: {"booleanValue": b}, st.booleans())
    if kind == "INTEGER":
        return st.builds(lambda i: {"integerValue": i}, st.integers(*_JAVA_INT))
    if kind == "LONG":
        return st.builds(lambda i: {"longValue": i}, st.integers(*_JAVA_LONG))
    return st.builds(lambda f: {"doubleValue": f}, st.floats(allow_nan=False, allow_infinity=False))


expressions = st.builds(
    lambda name: {"expression": f"${{Parameters.{name}}}"},
    st.from_regex(r"[a-zA-Z][a-zA-Z_0-9]{0,8}", fullmatch=True),
)


def relationship_values(entity_ids: list[str]) -> st.SearchStrategy[dict]:
    # Both spellings of the published schema; twinport stores the API's.
    return st.builds(
        lambda target, component, capitalised: {
            "relationshipValue": (
                {"TargetEntityId": target, "TargetComponentName": component}
                if capitalised
                else {"targetEntityId": target, "targetComponentName": component}
            )
        },
        st.sampled_from(entity_ids),
        names,
        st.booleans(),
    )


def value_of(data_type: dict, entity_ids: list[str]) -> st.SearchStrategy[dict]:
    """A DataValue of `data_type` (an expression fits any type)."""
    kind = data_type["type"]
    if kind == "LIST":
        nested = value_of(data_type["nestedType"], entity_ids)
        typed = st.builds(lambda items: {"listValue": items}, st.lists(nested, max_size=3))
    elif kind == "MAP":
        nested = value_of(data_type["nestedType"], entity_ids)
        typed = st.builds(
            lambda items: {"mapValue": items}, st.dictionaries(names, nested, max_size=3)
        )
    elif kind == "RELATIONSHIP":
        typed = relationship_values(entity_ids)
    else:
        typed = scalar_value(kind)
    return st.one_of(typed, expressions) if kind in SCALAR_TYPES else typed


@st.composite
def data_types(draw, type_ids: list[str]) -> dict:
    kind = draw(st.sampled_from(ALL_TYPES))
    data_type: dict = {"type": kind}
    if kind in ("LIST", "MAP"):
        data_type["nestedType"] = {"type": draw(st.sampled_from(SCALAR_TYPES))}
    elif kind == "RELATIONSHIP" and draw(st.booleans()):
        data_type["relationship"] = {
            "relationshipType": draw(names),
            "targetComponentTypeId": draw(st.sampled_from(type_ids)),
        }
    elif kind in SCALAR_TYPES:
        if draw(st.booleans()):
            data_type["allowedValues"] = draw(st.lists(scalar_value(kind), max_size=3))
        if kind in ("DOUBLE", "INTEGER", "LONG") and draw(st.booleans()):
            data_type["unitOfMeasure"] = draw(texts.filter(bool))
    return data_type


@st.composite
def property_definitions(draw, type_ids: list[str], entity_ids: list[str]) -> dict:
    definition: dict = {"dataType": draw(data_types(type_ids))}
    if draw(st.booleans()):
        definition["defaultValue"] = draw(value_of(definition["dataType"], entity_ids))
    if draw(st.booleans()):
        definition["configuration"] = draw(st.dictionaries(names, names, max_size=2))
    if draw(st.booleans()):
        definition["displayName"] = draw(texts)
    for flag in ("isExternalId", "isRequiredInEntity", "isStoredExternally", "isTimeSeries"):
        if draw(st.booleans()):
            definition[flag] = draw(st.booleans())
    return definition


def property_groups(property_names: list[str]) -> st.SearchStrategy[dict]:
    if not property_names:
        return st.just({})
    group = st.builds(
        lambda picked, typed: {
            "propertyNames": picked,
            **({"groupType": "TABULAR"} if typed else {}),
        },
        st.lists(st.sampled_from(property_names), min_size=1, max_size=3, unique=True),
        st.booleans(),
    )
    return st.dictionaries(names, group, max_size=2)


@st.composite
def functions(draw, property_names: list[str]) -> dict:
    function: dict = {}
    if draw(st.booleans()):
        function["scope"] = draw(st.sampled_from(("ENTITY", "WORKSPACE")))
    if property_names and draw(st.booleans()):
        function["requiredProperties"] = draw(
            st.lists(st.sampled_from(property_names), min_size=1, max_size=3, unique=True)
        )
    implementation = draw(st.sampled_from(("none", "native", "lambda", "placeholders")))
    if implementation == "native":
        function["implementedBy"] = {"isNative": True}
    elif implementation == "lambda":
        arn = "arn:aws:lambda:us-east-1:123456789012:function:reader"
        function["implementedBy"] = {"isNative": False, "lambda": {"arn": arn}}
    elif implementation == "placeholders":
        arn = "arn:${partition}:lambda:${region}:${accountId}:function:reader"
        function["implementedBy"] = {"lambda": {"arn": arn}}
    return function


def _subset(draw, items: list, max_size: int | None = None, min_size: int = 0) -> list:
    if not items:
        return []
    return draw(st.lists(st.sampled_from(items), min_size=min_size, max_size=max_size, unique=True))


def _optional(draw, doc: dict, key: str, strategy: st.SearchStrategy) -> None:
    if draw(st.booleans()):
        doc[key] = draw(strategy)


@st.composite
def twinmaker_files(draw) -> dict:
    """A bulk file: its `componentTypes`, `entities` and `entityComponents`."""
    type_ids = [f"com.example.t{i}" for i in range(draw(st.integers(1, 4)))]
    entity_ids = [
        draw(st.sampled_from((f"e-{i}", f"00000000-0000-4000-8000-{i:012x}")))
        for i in range(draw(st.integers(1, 5)))
    ]
    types, definitions_of, required_of = [], {}, {}
    for type_id in BUILT_INS:
        definitions_of[type_id] = BUILT_IN_TYPES[type_id].get("propertyDefinitions", {})
        required_of[type_id] = [
            n for n, d in definitions_of[type_id].items() if d.get("isRequiredInEntity")
        ]
    for index, type_id in enumerate(type_ids):
        doc: dict = {"componentTypeId": type_id}
        extends = _subset(draw, [*BUILT_INS, *type_ids[:index]], 2)
        if extends:
            doc["extendsFrom"] = extends
        own = {
            f"t{index}_{name}": draw(property_definitions(type_ids, entity_ids))
            for name in draw(st.lists(names, max_size=4, unique=True))
        }
        if own or draw(st.booleans()):
            doc["propertyDefinitions"] = own
        every = dict(own)
        for parent in extends:
            every |= definitions_of[parent]
        definitions_of[type_id] = every
        required_of[type_id] = [n for n, d in every.items() if d.get("isRequiredInEntity")]
        _optional(draw, doc, "componentTypeExternalId", external_ids)
        _optional(draw, doc, "componentTypeName", texts.filter(str.strip))
        _optional(draw, doc, "description", texts)
        if index:
            _optional(draw, doc, "isSingleton", st.booleans())
        _optional(
            draw, doc, "functions", st.dictionaries(names, functions(list(every)), max_size=2)
        )
        _optional(draw, doc, "propertyGroups", property_groups(list(every)))
        _optional(draw, doc, "tags", tags)
        types.append(doc)

    singletons = {t["componentTypeId"] for t in types if t.get("isSingleton")}

    def component(used: set[str]) -> dict:
        """A component of a type the entity may hold besides the types it `used`."""
        # The first type is never a singleton: there is always a type left.
        type_id = draw(
            st.sampled_from([t for t in (*type_ids, *BUILT_INS) if t not in used & singletons])
        )
        used.add(type_id)
        definitions = definitions_of[type_id]
        picked = _subset(draw, sorted(definitions))
        properties = {
            name: {"value": draw(value_of(definitions[name]["dataType"], entity_ids))}
            for name in sorted({*required_of[type_id], *picked})
        }
        for name in draw(st.lists(names, max_size=2, unique=True)):
            item: dict = {"definition": draw(property_definitions(type_ids, entity_ids))}
            if draw(st.booleans()):
                item["value"] = draw(value_of(item["definition"]["dataType"], entity_ids))
            properties[f"own_{name}"] = item
        doc: dict = {"componentTypeId": type_id}
        if properties or draw(st.booleans()):
            doc["properties"] = properties
        _optional(draw, doc, "description", texts)
        _optional(draw, doc, "propertyGroups", property_groups(sorted(properties)))
        return doc

    entities, entity_components = [], []
    for index, entity_id in enumerate(entity_ids):
        doc = {"entityId": entity_id, "entityName": draw(entity_names)}
        parent = draw(st.sampled_from(["$ROOT", None, *entity_ids[:index]]))
        if parent is not None:
            doc["parentEntityId"] = parent
        _optional(draw, doc, "entityExternalId", external_ids)
        _optional(draw, doc, "description", texts)
        _optional(draw, doc, "tags", tags)
        used: set[str] = set()
        component_names = draw(st.lists(names, max_size=3, unique=True))
        nested = draw(st.integers(0, len(component_names)))
        if nested:
            doc["components"] = {name: component(used) for name in component_names[:nested]}
        for name in component_names[nested:]:
            item = {"entityId": entity_id, "componentName": name, **component(used)}
            _optional(draw, item, "componentExternalId", external_ids)
            entity_components.append(item)
        entities.append(doc)
    # The file lists resources in any order: the import sorts them.
    return {
        "componentTypes": draw(st.permutations(types)),
        "entities": draw(st.permutations(entities)),
        "entityComponents": draw(st.permutations(entity_components)),
    }


entity_names = st.from_regex(r"[a-zA-Z_0-9\-.][a-zA-Z_0-9\-. ]{0,10}[a-zA-Z0-9]", fullmatch=True)
