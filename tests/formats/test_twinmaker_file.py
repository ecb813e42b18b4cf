"""The TwinMaker bulk file: schema rules, file-level rules, import order, export round trip."""

from __future__ import annotations

import io

import orjson
import pytest

from twinport.formats.twinmaker import TwinMakerScan, validate_and_plan, write_twinmaker_file

# The two examples of the TwinMaker guide's "metadata transfer job schema" page.
GUIDE_CREATE = {
    "componentTypes": [{"componentTypeId": "component.type.initial", "tags": {"key": "value"}}],
    "entities": [{"entityName": "initial", "entityId": "initial"}],
}
GUIDE_UPDATE = {
    "componentTypes": [{"componentTypeId": "component.type.initial", "description": "updated"}],
    "entities": [
        {"entityName": "parent", "entityId": "parent"},
        {
            "entityName": "child",
            "entityId": "child",
            "components": {
                "testComponent": {
                    "componentTypeId": "component.type.initial",
                    "properties": {
                        "testProperty": {
                            "definition": {
                                "configuration": {"alias": "property"},
                                "dataType": {
                                    "relationship": {
                                        "relationshipType": "parent",
                                        "targetComponentTypeId": "test",
                                    },
                                    "type": "STRING",
                                    "unitOfMeasure": "t",
                                },
                                "displayName": "displayName",
                            }
                        }
                    },
                }
            },
            "parentEntityId": "parent",
        },
    ],
    "entityComponents": [
        {
            "entityId": "initial",
            "componentTypeId": "component.type.initial",
            "componentName": "entityComponent",
            "description": "additionalDescription",
            "properties": {
                "additionalProperty": {
                    "definition": {
                        "configuration": {"alias": "additionalProperty"},
                        "dataType": {"type": "STRING"},
                        "displayName": "additionalDisplayName",
                    },
                    "value": {"stringValue": "test"},
                }
            },
        }
    ],
}


@pytest.fixture
def plan_of(tmp_path):
    def plan_of(content: dict | bytes, max_errors: int = 20):
        path = tmp_path / "import.json"
        path.write_bytes(content if isinstance(content, bytes) else orjson.dumps(content))
        return validate_and_plan(path, max_errors)

    return plan_of


def entity(entity_id: str, **fields) -> dict:
    return {"entityId": entity_id, "entityName": f"name-{entity_id}", **fields}


def entity_with_value(value: dict) -> dict:
    component = {"componentTypeId": "com.example.t", "properties": {"p": {"value": value}}}
    return entity("e1", components={"c": component})


def sequence(plan) -> list[tuple[str, int]]:
    return [(section, index) for _, section, index in plan.sequence()]


@pytest.mark.parametrize("example", [GUIDE_CREATE, GUIDE_UPDATE])
def test_the_guide_examples_are_valid(plan_of, example):
    plan = plan_of(example)

    assert plan.ok, plan.errors
    assert plan.complete
    assert plan.total == sum(len(items) for items in example.values())


def test_scan_yields_every_item_in_file_order(tmp_path):
    path = tmp_path / "import.json"
    path.write_bytes(
        b'{"entityComponents": [], "entities": [{"entityId": "ab", "entityName": "ab"}],'
        b' "componentTypes": [{"componentTypeId": "t1"}, {"componentTypeId": "t2"}]}'
    )
    scan = TwinMakerScan(path)

    items = list(scan)

    assert items == [
        ("entities", 0, {"entityId": "ab", "entityName": "ab"}),
        ("componentTypes", 0, {"componentTypeId": "t1"}),
        ("componentTypes", 1, {"componentTypeId": "t2"}),
    ]
    assert scan.plan().counts == {"componentTypes": 2, "entities": 1, "entityComponents": 0}


def test_plan_needs_the_pass_first(tmp_path):
    path = tmp_path / "import.json"
    path.write_bytes(b"{}")

    with pytest.raises(RuntimeError):
        TwinMakerScan(path).plan()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {"entities": [entity("e1", entityName=None)]},
            "entities[0].entityName: expected string, got null",
        ),
        ({"entities": [{"entityId": "e1"}]}, "entities[0]: missing required property 'entityName'"),
        (
            {"entities": [entity("e1", colour="red")]},
            "entities[0]: unexpected property 'colour'",
        ),
        ({"entities": [entity("e_1!")]}, "entities[0].entityId: 'e_1!' does not match pattern"),
        ({"entities": [entity("x")]}, "entities[0].entityId: 'x' does not match pattern"),
        (
            {"entities": [entity("e1", entityName="ends with space ")]},
            "entities[0].entityName: 'ends with space ' does not match pattern",
        ),
        (
            {"entities": [entity("e1", description="d" * 513)]},
            "entities[0].description: length 513 is greater than maximum 512",
        ),
        (
            {"entities": [entity("e1", parentEntityId="$root")]},
            "entities[0].parentEntityId: '$root' does not match pattern",
        ),
        (
            {"entities": [entity("e1", tags={f"k{i}": "v" for i in range(51)})]},
            "entities[0].tags: has 51 entries, more than the maximum 50",
        ),
        (
            {"entities": [entity("e1", tags={"k": ""})]},
            "entities[0].tags.k: length 0 is less than minimum 1",
        ),
        (
            {"entities": [entity("e1", tags={"a#b": "v"})]},
            "entities[0].tags: key 'a#b': 'a#b' does not match pattern",
        ),
        (
            {"entities": [entity("e1", components={"bad name": {"componentTypeId": "t"}})]},
            "entities[0].components: key 'bad name': 'bad name' does not match pattern",
        ),
        (
            {"entities": [entity("e1", components={"c": {}})]},
            "entities[0].components.c: missing required property 'componentTypeId'",
        ),
        (
            {"entities": [entity_with_value({"stringValue": "s" * 300})]},
            "entities[0].components.c.properties.p.value.stringValue: "
            "length 300 is greater than maximum 256",
        ),
        (
            {"entities": [entity_with_value({"integerValue": 2**31})]},
            "entities[0].components.c.properties.p.value.integerValue: "
            "2147483648 is greater than maximum 2147483647",
        ),
        (
            {"entities": [entity_with_value({"longValue": 1.5})]},
            "entities[0].components.c.properties.p.value.longValue: expected integer, got number",
        ),
        (
            {"entities": [entity_with_value({"expression": "Parameters.x"})]},
            "entities[0].components.c.properties.p.value.expression: 'Parameters.x' does not match",
        ),
        (
            {"entities": [entity_with_value({"listValue": [{"doubleValue": "1"}]})]},
            "entities[0].components.c.properties.p.value.listValue[0].doubleValue: "
            "expected number, got string",
        ),
        (
            {"entities": [entity_with_value({"mapValue": {"k": {"listValue": [{"x": 1}]}}})]},
            "entities[0].components.c.properties.p.value.mapValue.k.listValue[0]: "
            "unexpected property 'x'",
        ),
        (
            {"entities": [entity_with_value({"relationshipValue": {"targetEntityId": "-x"}})]},
            "entities[0].components.c.properties.p.value.relationshipValue.targetEntityId: "
            "'-x' does not match pattern",
        ),
        (
            {"componentTypes": [{"componentTypeId": "a b"}]},
            "componentTypes[0].componentTypeId: 'a b' does not match pattern",
        ),
        (
            {"componentTypes": [{"componentTypeId": "t", "componentTypeName": ""}]},
            "componentTypes[0].componentTypeName: length 0 is less than minimum 1",
        ),
        (
            {"componentTypes": [{"componentTypeId": "t", "extendsFrom": ["p", "p"]}]},
            "componentTypes[0].extendsFrom[1]: repeats item 0; items must be unique",
        ),
        (
            {"componentTypes": [{"componentTypeId": "t", "extendsFrom": []}]},
            "componentTypes[0].extendsFrom: has 0 items, fewer than the minimum 1",
        ),
        (
            {"componentTypes": [{"componentTypeId": "t", "isSingleton": "true"}]},
            "componentTypes[0].isSingleton: expected boolean, got string",
        ),
        (
            {"componentTypes": [{"componentTypeId": "t", "compositeComponentTypes": {}}]},
            "componentTypes[0]: unexpected property 'compositeComponentTypes'",
        ),
        (
            {
                "componentTypes": [
                    {
                        "componentTypeId": "t",
                        "propertyDefinitions": {"p": {"dataType": {"type": "FLOAT"}}},
                    }
                ]
            },
            "componentTypes[0].propertyDefinitions.p.dataType.type: 'FLOAT' is not one of",
        ),
        (
            {
                "componentTypes": [
                    {
                        "componentTypeId": "t",
                        "propertyDefinitions": {
                            "p": {
                                "dataType": {"type": "LIST", "nestedType": {"unitOfMeasure": "m"}}
                            }
                        },
                    }
                ]
            },
            "componentTypes[0].propertyDefinitions.p.dataType.nestedType: "
            "missing required property 'type'",
        ),
        (
            {
                "componentTypes": [
                    {
                        "componentTypeId": "t",
                        "propertyDefinitions": {"p": {"configuration": {"k": "a.b"}}},
                    }
                ]
            },
            "componentTypes[0].propertyDefinitions.p.configuration.k: 'a.b' does not match",
        ),
        (
            {
                "componentTypes": [
                    {"componentTypeId": "t", "propertyGroups": {"g": {"groupType": "TREE"}}}
                ]
            },
            "componentTypes[0].propertyGroups.g.groupType: 'TREE' is not one of TABULAR",
        ),
        (
            {
                "componentTypes": [
                    {
                        "componentTypeId": "t",
                        "functions": {
                            "f": {"implementedBy": {"lambda": {"functionName": "x", "arn": "y"}}}
                        },
                    }
                ]
            },
            "componentTypes[0].functions.f.implementedBy.lambda: unexpected property",
        ),
        (
            {"entityComponents": [{"entityId": "e1", "componentTypeId": "t"}]},
            "entityComponents[0]: missing required property 'componentName'",
        ),
        ({"entities": [7]}, "entities[0]: expected object, got integer"),
    ],
)
def test_schema_violations_are_reported_with_their_path(plan_of, content, expected):
    plan = plan_of(content)

    assert not plan.ok
    assert any(message.startswith(expected) for message in plan.errors), plan.errors


@pytest.mark.parametrize(
    "value",
    [
        {"relationshipValue": {"TargetEntityId": "e2", "TargetComponentName": "c"}},
        {"relationshipValue": {"targetEntityId": "e2", "targetComponentName": "c"}},
        {"expression": "${Parameters.threshold_1}"},
        {"longValue": 2**63 - 1},
        {"mapValue": {"k": {"listValue": [{"booleanValue": True}, {"doubleValue": 1}]}}},
    ],
)
def test_valid_data_values(plan_of, value):
    plan = plan_of({"entities": [entity_with_value(value)]})

    assert plan.ok, plan.errors


def test_valid_component_type_with_every_part(plan_of):
    component_type = {
        "componentTypeId": "com.example:pump.v2",
        "componentTypeExternalId": "pump-v2",
        "componentTypeName": "Pump",
        "description": "",
        "extendsFrom": ["com.example.base"],
        "isSingleton": False,
        "tags": {"team é/1": "ops"},
        "functions": {
            "reader": {
                "implementedBy": {
                    "isNative": False,
                    "lambda": {
                        "arn": "arn:${partition}:lambda:${region}:${accountId}:function:reader"
                    },
                },
                "requiredProperties": ["rate"],
                "scope": "ENTITY",
            }
        },
        "propertyDefinitions": {
            "rate": {
                "dataType": {
                    "type": "LIST",
                    "nestedType": {"type": "DOUBLE"},
                    "allowedValues": [{"doubleValue": 1.5}],
                    "unitOfMeasure": "l/s",
                },
                "defaultValue": {"listValue": [{"doubleValue": 0.0}]},
                "configuration": {"alias": "rate_1"},
                "displayName": "Flow rate",
                "isExternalId": False,
                "isRequiredInEntity": True,
                "isStoredExternally": False,
                "isTimeSeries": True,
            }
        },
        "propertyGroups": {"g": {"groupType": "TABULAR", "propertyNames": ["rate"]}},
    }

    plan = plan_of({"componentTypes": [{"componentTypeId": "com.example.base"}, component_type]})

    assert plan.ok, plan.errors


def test_errors_are_capped_and_the_pass_stops(plan_of):
    plan = plan_of({"entities": [{"entityId": f"e{i}x"} for i in range(100)]}, max_errors=20)

    assert len(plan.errors) == 20
    assert not plan.complete
    assert plan.errors[19] == "entities[19]: missing required property 'entityName'"
    assert plan.counts["entities"] == 20


def test_several_problems_of_one_item_are_all_reported(plan_of):
    plan = plan_of({"entities": [{"entityId": "!", "entityName": "", "x": 1}]})

    assert plan.errors == [
        "entities[0].entityId: '!' does not match pattern "
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        "|^[a-zA-Z0-9][a-zA-Z_\\-0-9.:]*[a-zA-Z0-9]+",
        "entities[0].entityName: length 0 is less than minimum 1",
        "entities[0]: unexpected property 'x'",
    ]
    assert plan.complete


def test_malformed_json_becomes_a_plan_error_with_its_position(plan_of):
    plan = plan_of(b'{"entities": [\n{"entityId": "e1", "entityName": "n1"},\n{"entityId" "e2"}]}')

    assert plan.counts["entities"] == 1
    assert not plan.complete
    [error] = plan.errors
    assert error.startswith("malformed JSON at line 3, column 13")


def test_an_unknown_top_level_key_is_a_plan_error(plan_of):
    plan = plan_of({"entities": [], "assetModels": []})

    assert plan.errors == [
        "unknown top-level key 'assetModels' "
        "(allowed keys: componentTypes, entities, entityComponents)"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {"entities": [entity("e1"), entity("e2"), entity("e1")]},
            "entities[2]: entityId 'e1' is already defined by entities[0]",
        ),
        (
            {
                "entityComponents": [
                    {"entityId": "e1", "componentName": "c", "componentTypeId": "t"},
                    {"entityId": "e1", "componentName": "d", "componentTypeId": "t"},
                    {"entityId": "e1", "componentName": "c", "componentTypeId": "u"},
                ]
            },
            "entityComponents[2]: (entityId, componentName) ('e1', 'c') "
            "is already defined by entityComponents[0]",
        ),
        (
            {"componentTypes": [{"componentTypeId": "t"}, {"componentTypeId": "t"}]},
            "componentTypes[1]: componentTypeId 't' is already defined by componentTypes[0]",
        ),
    ],
)
def test_overlapping_definitions_are_rejected(plan_of, content, expected):
    assert plan_of(content).errors == [expected]


@pytest.mark.parametrize("entity_first", [True, False])
def test_entity_components_of_an_entity_of_the_file_apply_after_it(plan_of, entity_first):
    component = {"entityId": "e1", "componentName": "c", "componentTypeId": "t"}
    sections = [("entities", [entity("e1")]), ("entityComponents", [component])]
    plan = plan_of(dict(sections if entity_first else reversed(sections)))
    assert plan.errors == []
    assert [section for _, section, _ in plan.sequence()] == ["entities", "entityComponents"]


def test_distinct_components_of_one_entity_do_not_overlap(plan_of):
    plan = plan_of(
        {
            "entityComponents": [
                {"entityId": "e1", "componentName": "c", "componentTypeId": "t"},
                {"entityId": "e1", "componentName": "d", "componentTypeId": "t"},
                {"entityId": "e2", "componentName": "c", "componentTypeId": "t"},
            ]
        }
    )

    assert plan.ok, plan.errors


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {
                "componentTypes": [
                    {"componentTypeId": "a", "extendsFrom": ["b"]},
                    {"componentTypeId": "b", "extendsFrom": ["c"]},
                    {"componentTypeId": "c", "extendsFrom": ["a", "outside"]},
                ]
            },
            "componentTypes[0]: extendsFrom cycle 'a' -> 'b' -> 'c' -> 'a'",
        ),
        (
            {
                "entities": [
                    entity("top"),
                    entity("e1", parentEntityId="e2"),
                    entity("e2", parentEntityId="e1"),
                ]
            },
            "entities[1]: parentEntityId cycle 'e1' -> 'e2' -> 'e1'",
        ),
        (
            {"entities": [entity("e1", parentEntityId="e1")]},
            "entities[0]: parentEntityId cycle 'e1' -> 'e1'",
        ),
    ],
)
def test_dependency_cycles_are_rejected(plan_of, content, expected):
    assert plan_of(content).errors == [expected]


def test_import_order_puts_parents_first_and_sections_in_processing_order(plan_of):
    plan = plan_of(
        {
            "entityComponents": [
                {"entityId": "x1", "componentName": "c", "componentTypeId": "child"}
            ],
            "entities": [
                entity("grandchild", parentEntityId="child"),
                entity("child", parentEntityId="parent"),
                entity("parent", parentEntityId="$ROOT"),
                entity("other", parentEntityId="not-in-file"),
            ],
            "componentTypes": [
                {"componentTypeId": "child", "extendsFrom": ["base", "com.amazon.builtin"]},
                {"componentTypeId": "base"},
            ],
        }
    )

    assert plan.ok, plan.errors
    assert sequence(plan) == [
        ("componentTypes", 1),
        ("componentTypes", 0),
        ("entities", 2),
        ("entities", 1),
        ("entities", 0),
        ("entities", 3),
        ("entityComponents", 0),
    ]
    for position, section, index in plan.sequence():
        assert plan.positions[section][index] == position


def test_a_file_already_in_order_keeps_its_order(plan_of):
    entities = [entity("root1")] + [entity(f"n{i}", parentEntityId="root1") for i in range(5)]

    plan = plan_of({"entities": entities})

    assert list(plan.order["entities"]) == list(range(6))


def test_a_deep_reversed_chain_of_entities_is_ordered(plan_of):
    depth = 5_000
    entities = [entity(f"n{i}", parentEntityId=f"n{i + 1}") for i in range(depth)]
    entities.append(entity(f"n{depth}"))

    plan = plan_of({"entities": entities})

    assert plan.ok, plan.errors
    assert list(plan.order["entities"]) == list(range(depth, -1, -1))


def test_export_round_trip(tmp_path):
    component_types = [
        {"componentTypeId": "base", "description": "", "isSingleton": False},
        {"componentTypeId": "pump", "extendsFrom": ["base"], "tags": {"k": "v"}},
    ]
    entities = [
        entity("plant"),
        entity_with_value({"doubleValue": 2.5}) | {"parentEntityId": "plant"},
        entity("e2", parentEntityId="plant", description="µ unicode ✓"),
    ]
    path = tmp_path / "export.json"

    with open(path, "wb") as out:
        counts = write_twinmaker_file(out, iter(component_types), (e for e in entities))
    scan = TwinMakerScan(path)
    items = list(scan)

    assert counts == {"componentTypes": 2, "entities": 3}
    assert scan.plan().ok, scan.plan().errors
    assert [doc for section, _, doc in items if section == "componentTypes"] == component_types
    assert [doc for section, _, doc in items if section == "entities"] == entities


def test_export_writes_entity_components_when_given():
    out = io.BytesIO()
    component = {"entityId": "e1", "componentName": "c", "componentTypeId": "t"}

    counts = write_twinmaker_file(out, [], [], [component])

    assert counts == {"componentTypes": 0, "entities": 0, "entityComponents": 1}
    assert orjson.loads(out.getvalue()) == {
        "componentTypes": [],
        "entities": [],
        "entityComponents": [component],
    }


def test_export_of_nothing_is_an_importable_file(tmp_path):
    path = tmp_path / "empty.json"
    with open(path, "wb") as out:
        write_twinmaker_file(out, [], [])

    assert orjson.loads(path.read_bytes()) == {"componentTypes": [], "entities": []}
    assert validate_and_plan(path).ok


def test_a_hundred_thousand_entities_stream_through(tmp_path):
    count = 100_000
    component_type = {
        "componentTypeId": "com.example.temperature",
        "propertyDefinitions": {"celsius": {"dataType": {"type": "DOUBLE"}}},
    }

    def entities():
        for i in range(count):
            yield {
                "entityId": f"entity-{i}",
                "entityName": f"Entity {i}",
                "description": "a generated entity",
                "parentEntityId": f"entity-{i // 10}" if i else "$ROOT",
                "components": {
                    "temperature": {
                        "componentTypeId": "com.example.temperature",
                        "properties": {"celsius": {"value": {"doubleValue": i / 10}}},
                    }
                },
            }

    path = tmp_path / "large.json"
    with open(path, "wb") as out:
        write_twinmaker_file(out, [component_type], entities())

    plan = validate_and_plan(path)

    assert plan.ok, plan.errors[:3]
    assert plan.counts == {"componentTypes": 1, "entities": count, "entityComponents": 0}
    assert plan.total == count + 1
    assert len(plan.order["entities"]) == count
    # Written parents-first, so the file order is the processing order.
    assert list(plan.order["entities"][:5]) == [0, 1, 2, 3, 4]
    assert plan.positions["entities"][count - 1] == count
