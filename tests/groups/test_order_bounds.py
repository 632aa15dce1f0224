"""Orbit and block bounds on group orders (groups/order_bounds.py): known groups, then sympy cross-checks.

The orbit and block helpers they use are tested in test_orbits.py and test_blocks.py."""

from __future__ import annotations

import math

import numpy as np
from group_gens import generator_lists, symmetric_gens, wreath_gens
from hypothesis import given, settings
from sympy.combinatorics import Permutation, PermutationGroup

from asen.groups.chain import StabilizerChain
from asen.groups.order_bounds import structural_bound

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def dihedral_gens(n: int) -> np.ndarray:
    return np.stack([np.roll(np.arange(n), -1), (-np.arange(n)) % n])


def order_of(gens: np.ndarray) -> int:
    return StabilizerChain(gens, gens.shape[1]).order()


def sympy_order_of(gens: np.ndarray) -> int:
    return int(PermutationGroup([Permutation(g.tolist()) for g in gens]).order())


def chain_bound(c: StabilizerChain) -> int | None:
    """The bound as the chain asks for it: its order so far as target, its b_0 and level-1 generators."""
    return structural_bound(
        c.generators,
        order_of,
        target=c.order(),
        base_point=c.base[0],
        stabiliser_generators=c.level_generators(1),
    )


def test_structural_bound_is_tight_for_wreath_and_direct_products():
    c = StabilizerChain(wreath_gens(4, 3), 12, order=24**3 * 6)
    assert chain_bound(c) == 24**3 * 6
    direct = np.concatenate(  # S_3 x D_5 on 3 + 5 points
        [
            np.hstack([symmetric_gens(3), np.tile(np.arange(3, 8), (2, 1))]),
            np.hstack([np.tile(np.arange(3), (2, 1)), dihedral_gens(5) + 3]),
        ]
    )
    c = StabilizerChain(direct, 8, order=60)
    assert chain_bound(c) == 60
    big = StabilizerChain(wreath_gens(10, 10), 100)
    assert chain_bound(big) == math.factorial(10) ** 11 == big.order()


def test_structural_bound_needs_only_generators_and_an_order_callback():
    """No chain: the factors' orders come from the callback (here sympy), the hints have defaults."""
    calls = []

    def counted(gens):
        calls.append(gens.shape)
        return sympy_order_of(gens)

    assert structural_bound(wreath_gens(3, 4), counted) == 6**4 * 24  # |S_4| |S_3|^4
    assert sorted(degree for _, degree in calls) == [3, 4]  # G_B^B on a block, G^Sigma on the 4 blocks
    assert structural_bound(np.array([[1, 0, 2, 4, 3, 5], [0, 2, 1, 3, 5, 4]]), sympy_order_of) == 36
    # C_12: evens/odds give |C_2| |C_6|^2 = 72, an upper bound; a target of 12 declines it (m k^m > 12)
    c12 = np.roll(np.arange(12), -1)[None, :]
    assert structural_bound(c12, sympy_order_of) == 72
    assert structural_bound(c12, sympy_order_of, target=12) is None


def test_structural_bound_declines_when_it_cannot_be_tight():
    # a regular group of order 12 on 12 points: any block bound is at least m k^m > 12
    c = StabilizerChain(np.roll(np.arange(12), -1)[None, :], 12)
    assert chain_bound(c) is None


@SETTINGS
@given(generator_lists(max_degree=8))
def test_bounds_are_upper_bounds(gens):
    n = gens.shape[1]
    S = PermutationGroup([Permutation(g.tolist()) for g in gens])
    c = StabilizerChain(gens, n, order=S.order())
    bound = chain_bound(c) if c.base else None
    assert bound is None or bound >= S.order()
    free = structural_bound(gens, order_of) if c.base else None  # no chain hints, no target
    assert free is None or free >= S.order()
