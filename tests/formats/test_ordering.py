"""Dependency order of a file section: parents first, file order otherwise, cycles found."""

from __future__ import annotations

import random

from twinport.formats.ordering import dependency_order


def order(parents: list[tuple[int, ...]]):
    result = dependency_order(len(parents), lambda item: parents[item])
    return list(result.order), result.cycles


def test_items_already_in_order_keep_the_file_order():
    assert order([(), (0,), (1,), (0,), ()]) == ([0, 1, 2, 3, 4], [])


def test_a_reversed_chain_is_turned_around():
    assert order([(1,), (2,), (3,), ()]) == ([3, 2, 1, 0], [])


def test_a_child_before_its_parent_moves_just_after_it():
    # 0 waits for 2; everything else keeps its place.
    assert order([(2,), (), (), ()]) == ([1, 2, 0, 3], [])


def test_an_item_waits_for_all_of_its_parents():
    assert order([(1, 2), (), (1,)]) == ([1, 2, 0], [])


def test_a_parent_listed_twice_counts_once():
    assert order([(1, 1), ()]) == ([1, 0], [])


def test_deep_reversed_chain_needs_no_recursion():
    count = 50_000
    parents = [(item + 1,) for item in range(count - 1)] + [()]

    ordered, cycles = order(parents)

    assert cycles == []
    assert ordered == list(range(count - 1, -1, -1))


def test_every_item_comes_after_its_parents_in_a_shuffled_tree():
    rng = random.Random(7)
    count = 2_000
    # A random tree (each node's parent is an earlier node), written in a shuffled order.
    tree_parent = [None] + [rng.randrange(node) for node in range(1, count)]
    place_in_file = list(range(count))
    rng.shuffle(place_in_file)
    parents: list[tuple[int, ...]] = [()] * count
    for node, parent in enumerate(tree_parent):
        if parent is not None:
            parents[place_in_file[node]] = (place_in_file[parent],)

    ordered, cycles = order(parents)
    position = {item: index for index, item in enumerate(ordered)}

    assert cycles == []
    assert sorted(ordered) == list(range(count))
    assert all(position[p] < position[item] for item, ps in enumerate(parents) for p in ps)


def test_a_cycle_is_reported_and_its_members_left_out():
    ordered, cycles = order([(1,), (0,), ()])

    assert ordered == [2]
    assert cycles == [[0, 1]]


def test_an_item_that_is_its_own_parent_is_a_cycle():
    assert order([(), (1,)]) == ([0], [[1]])


def test_items_below_a_cycle_are_left_out_but_only_the_cycle_is_reported():
    ordered, cycles = order([(1,), (2,), (0,), (0,), (3,), ()])

    assert ordered == [5]
    assert cycles == [[0, 1, 2]]


def test_separate_cycles_are_each_reported_once():
    _, cycles = order([(1,), (0,), (3,), (2,), (2,)])

    assert cycles == [[0, 1], [2, 3]]
