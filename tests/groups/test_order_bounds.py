"""Orbit and block bounds on group orders (groups/order_bounds.py): known groups, then sympy cross-checks."""

from __future__ import annotations

import math

import numpy as np
from group_gens import symmetric_gens, wreath_gens
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation, PermutationGroup

from asen.groups.chain import StabilizerChain
from asen.groups.order_bounds import _minimal_block, orbit_ids, structural_bound

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def dihedral_gens(n: int) -> np.ndarray:
    return np.stack([np.roll(np.arange(n), -1), (-np.arange(n)) % n])


@st.composite
def generator_lists(draw, *, max_degree: int = 8, max_gens: int = 3):
    """1..max_gens permutations of degree 2..max_degree, each permuting a random subset of points."""
    n = draw(st.integers(2, max_degree))
    gens = []
    for _ in range(draw(st.integers(1, max_gens))):
        support = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
        p = np.arange(n)
        p[support] = draw(st.permutations(support))
        gens.append(p)
    return np.stack(gens)


def test_orbit_ids_label_each_orbit_by_its_smallest_point():
    assert orbit_ids(np.array([[1, 0, 2, 4, 3]])).tolist() == [0, 0, 2, 3, 3]
    assert orbit_ids(np.empty((0, 3), dtype=np.int64)).tolist() == [0, 1, 2]
    long_cycle = np.roll(np.arange(4096), -1)[None, :]  # one orbit found by pointer jumping
    assert (orbit_ids(long_cycle) == 0).all()


def test_minimal_blocks_of_known_groups():
    # S_2 wr S_3: the pairs {0,1}, {2,3}, {4,5} are the blocks joining 0 and 1
    assert _minimal_block(wreath_gens(2, 3), 0, 1).tolist() == [0, 0, 1, 1, 2, 2]
    # D_6 on a hexagon: opposite corners form blocks; S_5 is primitive
    assert _minimal_block(dihedral_gens(6), 0, 3).tolist() == [0, 1, 2, 0, 1, 2]
    assert _minimal_block(symmetric_gens(5), 0, 2) is None


def test_structural_bound_is_tight_for_wreath_and_direct_products():
    c = StabilizerChain(wreath_gens(4, 3), 12, order=24**3 * 6)
    assert structural_bound(c) == 24**3 * 6
    direct = np.concatenate(  # S_3 x D_5 on 3 + 5 points
        [
            np.hstack([symmetric_gens(3), np.tile(np.arange(3, 8), (2, 1))]),
            np.hstack([np.tile(np.arange(3), (2, 1)), dihedral_gens(5) + 3]),
        ]
    )
    c = StabilizerChain(direct, 8, order=60)
    assert structural_bound(c) == 60
    big = StabilizerChain(wreath_gens(10, 10), 100)
    assert structural_bound(big) == math.factorial(10) ** 11 == big.order()


def test_structural_bound_declines_when_it_cannot_be_tight():
    # a regular group of order 12 on 12 points: any block bound is at least m k^m > 12
    c = StabilizerChain(np.roll(np.arange(12), -1)[None, :], 12)
    assert structural_bound(c) is None


@SETTINGS
@given(generator_lists())
def test_bounds_are_upper_bounds_and_orbits_agree_with_sympy(gens):
    n = gens.shape[1]
    S = PermutationGroup([Permutation(g.tolist()) for g in gens])
    ids = orbit_ids(gens)
    assert sorted(tuple(np.flatnonzero(ids == i).tolist()) for i in np.unique(ids)) == sorted(
        tuple(sorted(o)) for o in S.orbits()
    )
    c = StabilizerChain(gens, n, order=S.order())
    bound = structural_bound(c) if c.base else None
    assert bound is None or bound >= S.order()
