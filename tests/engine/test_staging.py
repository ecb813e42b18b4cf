"""A job's staged items: stored in file order, read back in processing order from any point."""

from __future__ import annotations

import orjson

from twinport.engine.staging import StagedItems, write_order, write_staged

ITEMS = [
    ("componentTypes", {"componentTypeId": "t"}),
    ("entities", {"entityId": "child", "parentEntityId": "parent", "description": "a\nb"}),
    ("entities", {"entityId": "parent"}),
    ("entityComponents", {"entityId": "x", "componentName": "c"}),
]


def stage(tmp_path, order=None):
    path = tmp_path / "staged.jsonl"
    count = write_staged(path, ((section, orjson.dumps(doc)) for section, doc in ITEMS))
    write_order(path, range(len(ITEMS)) if order is None else order)
    return count, StagedItems(path)


def read(staged, position=0):
    return [(p, section, orjson.loads(doc)) for p, section, doc in staged.read_from(position)]


def test_items_come_back_in_file_order_with_their_sections(tmp_path):
    count, staged = stage(tmp_path)

    assert count == len(ITEMS)
    assert read(staged) == [(p, section, doc) for p, (section, doc) in enumerate(ITEMS)]
    assert not (tmp_path / "staged.jsonl.order").exists()


def test_reading_resumes_at_any_position(tmp_path):
    _, staged = stage(tmp_path)

    for position in range(len(ITEMS) + 1):
        assert read(staged, position) == read(staged)[position:]


def test_a_processing_order_other_than_file_order_is_followed(tmp_path):
    order = [0, 2, 1, 3]
    _, staged = stage(tmp_path, order)

    expected = [(p, *ITEMS[line]) for p, line in enumerate(order)]
    assert read(staged) == expected
    assert read(staged, 2) == expected[2:]
