"""Strategies: what they draw, what they shrink to, and the export lists."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import asen.verify
from asen.groups.catalogue import alternating, dihedral, trivial
from asen.verify import strategies as vs

FAST = settings(max_examples=30, deadline=None)


def test_export_lists_name_real_public_objects():
    for module in (asen.verify, vs):
        assert sorted(module.__all__) == sorted(set(module.__all__))
        for name in module.__all__:
            assert not name.startswith("_") and hasattr(module, name)


@given(vs.permutations(7))
@FAST
def test_permutations_are_permutations(p):
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(7))


def test_permutations_shrink_to_a_transposition():
    assert find(vs.permutations(5), lambda p: p[0] != 0).tolist() == [1, 0, 2, 3, 4]


@given(st.data())
@FAST
def test_group_elements_lie_in_the_group(data):
    for G in (dihedral(6), alternating(5), trivial(3)):
        assert G.contains(data.draw(vs.group_elements(G)))


def test_group_elements_shrink_to_the_identity_and_reach_everything():
    G = dihedral(5)
    assert find(vs.group_elements(G), lambda g: True).tolist() == list(range(5))
    seen = set()

    @given(vs.group_elements(G))
    @settings(max_examples=300, deadline=None, database=None)
    def collect(g):
        seen.add(tuple(g))

    collect()
    assert len(seen) == G.order()


@given(vs.groups(min_degree=3, max_degree=9))
@FAST
def test_groups_respect_the_degree_bounds(G):
    assert 3 <= G.degree <= 9 and G.name


def test_groups_shrink_to_trivial_then_simple_families():
    assert find(vs.groups(min_degree=4), lambda G: True).name == "trivial(4)"
    assert find(vs.groups(min_degree=4, max_degree=6), lambda G: G.order() > 1).name == "cyclic(4)"
    with pytest.raises(ValueError, match="unknown group families"):
        vs.groups(families=["mathieu"])
    with pytest.raises(ValueError, match="min_degree"):
        vs.groups(min_degree=5, max_degree=4)


@given(vs.tensors((2, 3), min_value=-1, max_value=1))
@FAST
def test_tensors_are_finite_and_bounded(x):
    assert x.shape == (2, 3) and np.isfinite(x).all() and np.abs(x).max() <= 1


def test_tensors_shrink_to_zeros_and_small_integers():
    assert find(vs.tensors((2, 2)), lambda x: True).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    x = find(vs.tensors((3,)), lambda x: x.max() > 0.5)
    assert sorted(x.tolist()) == [0.0, 0.0, 1.0]
    assert find(vs.point_features(dihedral(4), features=3), lambda x: True).shape == (1, 4, 3)


@given(vs.graphs(min_nodes=2, max_nodes=6))
@FAST
def test_graphs_are_simple_and_undirected(A):
    assert A.shape[0] == A.shape[1] and np.array_equal(A, A.T) and not np.diag(A).any()
    assert set(np.unique(A)) <= {0.0, 1.0}


def test_graphs_shrink_to_the_empty_graph():
    A = find(vs.graphs(num_nodes=4), lambda A: True)
    assert A.shape == (4, 4) and not A.any()
    D = find(vs.graphs(num_nodes=3, directed=True), lambda A: A.sum() == 1)
    assert D.sum() == 1 and not np.array_equal(D, D.T)
