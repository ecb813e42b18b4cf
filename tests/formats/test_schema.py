"""The generic schema building blocks: what each accepts, what it reports, and where."""

from __future__ import annotations

import pytest

from twinport.formats.schema import (
    Array,
    Boolean,
    Enum,
    Integer,
    Map,
    Number,
    Object,
    Ref,
    String,
    compile_definitions,
    render,
)


def check(node, value):
    """Messages for `value` against `node`, rendered under the root name `doc`."""
    checker = compile_definitions({"Node": node})["Node"]
    problems = checker(value)
    return [] if problems is None else render("doc", problems)


def test_string_length_bounds():
    node = String(2, 4)

    assert check(node, "abcd") == []
    assert check(node, "a") == ["doc: length 1 is less than minimum 2"]
    assert check(node, "abcde") == ["doc: length 5 is greater than maximum 4"]
    assert check(node, 12) == ["doc: expected string, got integer"]


def test_string_pattern_must_match_the_whole_string():
    node = String(pattern="[a-z]+")

    assert check(node, "abc") == []
    assert check(node, "abc1") == ["doc: 'abc1' does not match pattern [a-z]+"]
    assert check(node, "1abc") == ["doc: '1abc' does not match pattern [a-z]+"]


def test_string_pattern_with_alternation_is_matched_whole_in_every_branch():
    node = String(pattern="[0-9]{3}|^[a-z]+")

    assert check(node, "123") == []
    assert check(node, "abc") == []
    assert check(node, "1234") != []
    assert check(node, "abc!") != []


def test_string_pattern_with_unicode_property_classes():
    node = String(pattern=r"[\p{L}\p{N} ]*")

    assert check(node, "Grüße 42 日本") == []
    assert check(node, "a;b") != []


def test_repeated_values_are_still_checked_every_time():
    # The pattern memo must never turn a failure into a pass.
    node = Array(String(pattern="[a-z]+"))

    assert check(node, ["ok", "BAD", "ok", "BAD"]) == [
        "doc[1]: 'BAD' does not match pattern [a-z]+",
        "doc[3]: 'BAD' does not match pattern [a-z]+",
    ]


def test_long_values_are_shortened_in_messages():
    [message] = check(String(pattern="[a-z]+"), "A" * 500)

    assert "(500 characters)" in message
    assert len(message) < 200


def test_any_text_pattern_is_one_line():
    node = String(pattern=".*")

    assert check(node, "") == []
    assert check(node, "anything at all: 1 + 1 = 2") == []
    assert check(node, "two\nlines") == ["doc: 'two\\nlines' does not match pattern .*"]


def test_property_names_are_taken_literally():
    node = Object({"it's": Integer(), 'say "hi"\n': Boolean()}, required=("it's",))

    assert check(node, {"it's": 1, 'say "hi"\n': True}) == []
    assert check(node, {"it's": "1"}) == ['doc["it\'s"]: expected integer, got string']
    assert check(node, {'say "hi"': True}) == [
        "doc: unexpected property 'say \"hi\"'",
        'doc: missing required property "it\'s"',
    ]


def test_enum():
    node = Enum(("A", "B"))

    assert check(node, "B") == []
    assert check(node, "C") == ["doc: 'C' is not one of A, B"]
    assert check(node, ["A"]) == ["doc: ['A'] is not one of A, B"]


@pytest.mark.parametrize(
    ("node", "value", "expected"),
    [
        (Integer(0, 10), 10, []),
        (Integer(0, 10), 11, ["doc: 11 is greater than maximum 10"]),
        (Integer(0, 10), -1, ["doc: -1 is less than minimum 0"]),
        (Integer(), 1.0, ["doc: expected integer, got number"]),
        (Integer(), True, ["doc: expected integer, got boolean"]),
        (Number(), 3, []),
        (Number(), 2.5, []),
        (Number(), False, ["doc: expected number, got boolean"]),
        (Number(maximum=1.0), 1.5, ["doc: 1.5 is greater than maximum 1.0"]),
        (Boolean(), False, []),
        (Boolean(), 0, ["doc: expected boolean, got integer"]),
        (Boolean(), None, ["doc: expected boolean, got null"]),
    ],
)
def test_numbers_and_booleans(node, value, expected):
    assert check(node, value) == expected


def test_array_bounds_and_item_paths():
    node = Array(Integer(), min_items=1, max_items=3)

    assert check(node, [1, 2]) == []
    assert check(node, []) == ["doc: has 0 items, fewer than the minimum 1"]
    assert check(node, [1, 2, 3, 4]) == ["doc: has 4 items, more than the maximum 3"]
    assert check(node, [1, "x", None]) == [
        "doc[1]: expected integer, got string",
        "doc[2]: expected integer, got null",
    ]
    assert check(node, {"a": 1}) == ["doc: expected array, got object"]


def test_array_unique_items():
    assert check(Array(String(), unique=True), ["a", "b", "a"]) == [
        "doc[2]: repeats item 0; items must be unique"
    ]
    assert check(Array(Map(Integer()), unique=True), [{"a": 1, "b": 2}, {"b": 2, "a": 1}]) == [
        "doc[1]: repeats item 0; items must be unique"
    ]
    # JSON equality: true is not 1.
    assert check(Array(Enum((1, True)), unique=True), [1, True]) == []


def test_object_properties_required_and_unexpected():
    node = Object({"id": String(1), "size": Integer()}, required=("id",))

    assert check(node, {"id": "a", "size": 2}) == []
    assert check(node, {"size": "big", "colour": "red"}) == [
        "doc.size: expected integer, got string",
        "doc: unexpected property 'colour'",
        "doc: missing required property 'id'",
    ]
    assert check(node, []) == ["doc: expected object, got array"]


def test_object_with_additional_properties_allowed():
    node = Object({"id": String()}, additional=True)

    assert check(node, {"id": "a", "anything": [1]}) == []
    assert check(node, {"id": 1, "anything": [1]}) == ["doc.id: expected string, got integer"]


def test_object_require_any_groups():
    node = Object(
        {"id": String(), "externalId": String(), "modelId": String(), "modelExternalId": String()},
        require_any=(("id", "externalId"), ("modelId", "modelExternalId")),
    )

    assert check(node, {"externalId": "x", "modelId": "m"}) == []
    assert check(node, {"id": "x"}) == [
        "doc: needs one of the properties 'modelId', 'modelExternalId'"
    ]
    assert check(node, {}) == [
        "doc: needs one of the properties 'id', 'externalId'",
        "doc: needs one of the properties 'modelId', 'modelExternalId'",
    ]


def test_map_keys_values_and_size():
    node = Map(Integer(), keys=String(1, 5, "[a-z]+"), max_entries=2)

    assert check(node, {"ab": 1, "cd": 2}) == []
    assert check(node, {"a": 1, "b": 2, "c": 3}) == ["doc: has 3 entries, more than the maximum 2"]
    assert check(node, {"Bad Key": 1, "ok": "x"}) == [
        "doc: key 'Bad Key': length 7 is greater than maximum 5",
        "doc.ok: expected integer, got string",
    ]


def test_paths_quote_keys_that_are_not_plain_names():
    node = Map(Object({"v": Integer()}))

    assert check(node, {"a.b c": {"v": "x"}}) == ['doc["a.b c"].v: expected integer, got string']


def test_recursive_definitions_check_every_level():
    definitions = {
        "Value": Object({"n": Integer(), "list": Array(Ref("Value")), "map": Map(Ref("Value"))})
    }
    checker = compile_definitions(definitions)["Value"]
    deep: dict = {"n": 1}
    for _ in range(50):
        deep = {"list": [{"n": 2}, deep]}
    deep = {"map": {"k": deep}}

    assert checker(deep) is None
    assert checker({"map": {"k": {"list": [{"n": 1}, {"n": "x"}]}}}) == [
        (("map", "k", "list", 1, "n"), "expected integer, got string")
    ]


def test_a_node_object_reused_in_several_places_checks_each_place():
    name = String(1, 3)
    node = Object({"first": name, "last": name})

    assert check(node, {"first": "abcd", "last": ""}) == [
        "doc.first: length 4 is greater than maximum 3",
        "doc.last: length 0 is less than minimum 1",
    ]


def test_reference_to_an_unknown_definition_fails_at_compile_time():
    with pytest.raises(KeyError, match="Missing"):
        compile_definitions({"A": Object({"b": Ref("Missing")})})


def test_every_problem_in_a_value_is_reported():
    node = Object({"items": Array(Object({"name": String(1, 3)}, required=("name",)))})

    assert check(node, {"items": [{"name": "abcdef"}, {}, {"name": 5}]}) == [
        "doc.items[0].name: length 6 is greater than maximum 3",
        "doc.items[1]: missing required property 'name'",
        "doc.items[2].name: expected string, got integer",
    ]
