"""Streaming reads and writes of a root object of arrays."""

from __future__ import annotations

import io
import json

import orjson
import pytest

from twinport.formats.jsonstream import BulkFileError, iter_root_arrays, write_root_arrays

SECTIONS = ("componentTypes", "entities", "entityComponents")


@pytest.fixture
def write(tmp_path):
    def write(content: str | bytes):
        path = tmp_path / "file.json"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    return write


def read(path):
    return list(iter_root_arrays(path, SECTIONS))


def test_items_come_in_file_order_with_section_and_index(write):
    path = write('{"entities": [{"a": 1}, {"b": 2}], "componentTypes": [{"c": 3}]}')

    assert read(path) == [
        ("entities", 0, {"a": 1}),
        ("entities", 1, {"b": 2}),
        ("componentTypes", 0, {"c": 3}),
    ]


def test_values_keep_their_json_types(write):
    path = write(
        '{"entities": [{"i": 7, "f": 1.5, "e": 1e3, "t": true, "n": null, "s": "\\u00e9"}]}'
    )

    [(_, _, doc)] = read(path)

    assert doc == {"i": 7, "f": 1.5, "e": 1000.0, "t": True, "n": None, "s": "é"}
    assert type(doc["i"]) is int and type(doc["e"]) is float


def test_integers_beyond_64_bits_become_floats_so_items_can_be_written_back(write):
    path = write(
        '{"entities": [{"big": 100000000000000000000000, "low": -9223372036854775809,'
        ' "max": 18446744073709551615, "min": -9223372036854775808,'
        ' "nested": [[123456789012345678901234]], "text": "12345678901234567890123"}]}'
    )

    [(_, _, doc)] = read(path)

    assert doc == {
        "big": 1e23,
        "low": -9223372036854775809.0,
        "max": 18446744073709551615,
        "min": -9223372036854775808,
        "nested": [[1.2345678901234568e23]],
        "text": "12345678901234567890123",
    }
    assert type(doc["max"]) is int and type(doc["big"]) is float
    assert orjson.loads(orjson.dumps(doc)) == doc


def test_surrogate_pairs_are_text_but_an_unpaired_surrogate_is_rejected(write):
    assert read(write('{"entities": ["\\ud83d\\ude00"]}')) == [("entities", 0, "😀")]
    with pytest.raises(BulkFileError, match="entities\\[1\\]: a string holds an unpaired"):
        read(write('{"entities": ["ok", {"k": ["\\ud800"]}]}'))
    with pytest.raises(BulkFileError, match="unpaired"):
        read(write('{"entities": [{"\\udc00": 1}]}'))


def test_numbers_beyond_double_range_are_rejected(write):
    with pytest.raises(BulkFileError, match="entities\\[0\\]: a number is too large"):
        read(write('{"entities": [1' + "0" * 400 + "]}"))
    with pytest.raises(BulkFileError, match="entities\\[1\\]: a number is too large"):
        read(write('{"entities": [1, [1' + "0" * 5000 + "]]}"))


@pytest.mark.parametrize("content", ["{}", '{"entities": []}', ' \n{ "entities" : [ ] }\n'])
def test_empty_root_or_sections_yield_nothing(write, content):
    assert read(write(content)) == []


def test_pretty_printed_whitespace_is_accepted(write):
    path = write('{\n  "entities" : [\n    {"a": 1} ,\n    2\n  ]\n}\n')

    assert [doc for _, _, doc in read(path)] == [{"a": 1}, 2]


def test_utf8_byte_order_mark_is_tolerated(write):
    assert read(write(b'\xef\xbb\xbf{"entities": [1]}')) == [("entities", 0, 1)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"entities": [{"a": 1,, }]}', "line 1, column 23"),
        ('{"entities": [\n  {"a": 1}\n  {"b": 2}\n]}', "line 3, column 3"),
        ('{"entities": [1,]}', "line 1, column 17"),
        ('{"entities": [1], }', "line 1, column 19"),
        ('{"entities": ["abc', "Unterminated string"),
        ('{"entities": [1]', "expected ',' or '}'"),
        ('{"entities": [tru]}', "line 1, column 15"),
    ],
)
def test_malformed_json_names_the_position(write, content, expected):
    with pytest.raises(BulkFileError, match="malformed JSON") as raised:
        read(write(content))

    assert expected in str(raised.value)


def test_error_position_is_exact_deep_into_a_large_file(write):
    lines = ['{"entities": ['] + ['  {"name": "é"},'] * 80_000 + ["  {oops}", "]}"]
    text = "\n".join(lines)

    with pytest.raises(BulkFileError) as raised:
        read(write(text))

    offset = text.index("{oops}") + 1
    assert f"line 80002, column 4 (character {offset})" in str(raised.value)


def test_items_before_a_syntax_error_are_still_yielded(write):
    items = iter_root_arrays(write('{"entities": [1, 2, @]}'), SECTIONS)

    assert next(items) == ("entities", 0, 1)
    assert next(items) == ("entities", 1, 2)
    with pytest.raises(BulkFileError, match="entities\\[2\\]"):
        next(items)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("  \n", "the file is empty"),
        ("[]", "root of the file must be a JSON object"),
        ('"text"', "root of the file must be a JSON object"),
        ('{"entities": [], "assets": []}', "unknown top-level key 'assets'"),
        ('{"entities": [], "entities": []}', "'entities' appears more than once"),
        ('{"entities": {}}', "entities: expected an array"),
        ('{"entities": null}', "entities: expected an array"),
        ('{"entities": []} []', "unexpected data after the root object"),
        ('{"entities": [NaN]}', "entities\\[0\\]: NaN is not valid JSON"),
        ('{"entities": [[Infinity]]}', "Infinity is not valid JSON"),
        (b'{"entities": ["\xff"]}', "not valid UTF-8 \\(byte offset 15\\)"),
    ],
)
def test_structural_problems_are_reported(write, content, message):
    with pytest.raises(BulkFileError, match=message):
        read(write(content))


def test_items_spanning_read_boundaries_are_read_exactly(tmp_path):
    # Reads are a mebibyte. A filler item of varying length moves a dense run of tokens
    # (multi-byte characters, numbers, escapes, literals) across that boundary, one
    # position at a time: what is parsed must never change.
    item = {"n": -1.5e-3, "i": 1234567, "s": 'é😀"\\x', "l": [True, False, None], "o": {}}
    dense = [dict(item, k=k) for k in range(300)]
    for shift in range(0, 100, 5):
        items = ["x" * (2**20 - 2_000 - shift), *dense]
        path = tmp_path / f"shift{shift}.json"
        path.write_text(json.dumps({"entities": items}, ensure_ascii=False), encoding="utf-8")

        assert [doc for _, _, doc in read(path)] == items


def test_an_item_larger_than_the_read_window_is_read_whole(write):
    big = {"description": "x" * 3_000_000, "tags": {str(k): "v" for k in range(50_000)}}

    assert read(write(json.dumps({"entities": [1, big, 2]}))) == [
        ("entities", 0, 1),
        ("entities", 1, big),
        ("entities", 2, 2),
    ]


def test_writer_output_reads_back_in_order(write):
    out = io.BytesIO()
    counts = write_root_arrays(
        out, [("componentTypes", iter([{"a": 1}])), ("entities", ({"e": i} for i in range(3)))]
    )

    assert counts == {"componentTypes": 1, "entities": 3}
    assert read(write(out.getvalue())) == [
        ("componentTypes", 0, {"a": 1}),
        ("entities", 0, {"e": 0}),
        ("entities", 1, {"e": 1}),
        ("entities", 2, {"e": 2}),
    ]


def test_writer_draws_items_one_at_a_time():
    out = io.BytesIO()
    seen_before_next = []

    def entities():
        for i in range(3):
            seen_before_next.append(out.getvalue().count(b'"e"'))
            yield {"e": i}

    write_root_arrays(out, [("entities", entities())])

    # Each item is on the wire before the next one is even produced.
    assert seen_before_next == [0, 1, 2]


def test_writer_with_empty_sections_writes_valid_json():
    out = io.BytesIO()
    write_root_arrays(out, [("componentTypes", []), ("entities", iter(()))])

    assert json.loads(out.getvalue()) == {"componentTypes": [], "entities": []}
