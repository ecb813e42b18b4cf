"""The compact id index a scan remembers ids in: the first value of an id wins, ids stay apart."""

from __future__ import annotations

from twinport.formats.idindex import IdIndex, id_hashes


def test_the_first_value_of_an_id_is_kept():
    index = IdIndex()

    assert index.setdefault("e1", 0) == 0
    assert index.setdefault("e2", 1) == 1
    assert index.setdefault("e1", 2) == 0
    assert index.get("e1") == 0
    assert index.get("e2") == 1
    assert index.get("e3") == -1
    assert index.get("e3", None) is None
    assert len(index) == 2


def test_many_ids_stay_apart_as_the_table_grows():
    index = IdIndex()
    ids = [f"entity-{n}" for n in range(50_000)]

    for value, item_id in enumerate(ids):
        assert index.setdefault(item_id, value) == value

    assert len(index) == len(ids)
    assert all(index.get(item_id) == value for value, item_id in enumerate(ids))
    assert index.get("entity-50000") == -1
    # ids that differ only in what follows a NUL, or by one character, are different ids
    assert index.setdefault("a\0b", 1) == 1
    assert index.setdefault("a", 2) == 2
    assert index.setdefault("a\0", 3) == 3


def test_an_id_can_be_found_by_its_hashes_alone():
    index = IdIndex()
    index.setdefault("parent", 7)

    assert index.find(*id_hashes("parent")) == 7
    assert index.find(*id_hashes("other"), -5) == -5
