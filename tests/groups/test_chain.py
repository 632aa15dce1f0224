"""Stabiliser chains (groups/chain.py): known orders and conventions first, then sympy cross-checks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from group_gens import alternating_gens, generator_lists, p4m_gens, symmetric_gens, sympy_group, wreath_gens
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation

from asen.groups.chain import StabilizerChain
from asen.groups.perm import compose, inverse, parity

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def dihedral_gens(n: int) -> np.ndarray:
    return np.stack([np.roll(np.arange(n), -1), (-np.arange(n)) % n])


# --------------------------------------------------------------------------- known orders
def test_dihedral_square_chain():
    c = StabilizerChain(np.array([[1, 2, 3, 0], [3, 2, 1, 0]]), 4)
    assert c.base == (0, 1) and c.orbit_sizes == (4, 2) and c.order() == 8


@pytest.mark.parametrize("n", [2, 3, 7, 100])
def test_symmetric_and_alternating_orders_without_hint(n):
    assert StabilizerChain(symmetric_gens(n), n).order() == math.factorial(n)
    if n >= 4:
        assert StabilizerChain(alternating_gens(n), n).order() == math.factorial(n) // 2


@pytest.mark.parametrize(("a", "b"), [(2, 3), (3, 4), (5, 3), (10, 10)])
def test_wreath_orders_without_hint(a, b):
    """``|S_a wr S_b| = (a!)^b b!``, proved by the block bound (or Schreier generators)."""
    c = StabilizerChain(wreath_gens(a, b), a * b)
    assert c.order() == math.factorial(a) ** b * math.factorial(b)


@pytest.mark.parametrize("m", [3, 5, 8, 16])
def test_p4m_torus_orders_with_and_without_hint(m):
    gens = p4m_gens(m)
    assert StabilizerChain(gens, m * m).order() == 8 * m * m
    assert StabilizerChain(gens, m * m, order=8 * m * m).order() == 8 * m * m
    assert StabilizerChain(gens[:2], m * m).order() == m * m  # translations: regular, abelian


# --------------------------------------------------------------------------- order hints
def test_order_hint_too_large_raises():
    with pytest.raises(ValueError, match="do not reach the stated order 12"):
        StabilizerChain(symmetric_gens(3), 3, order=12)


def test_order_hint_too_small_raises():
    with pytest.raises(ValueError, match="order >= 8, not 4"):
        StabilizerChain(dihedral_gens(4), 4, order=4)
    # the 3-cycle alone gives a chain of order 3; the transposition then fails to sift
    with pytest.raises(ValueError, match="order=3 is smaller"):
        StabilizerChain(np.array([[1, 2, 0], [1, 0, 2]]), 3, order=3)


def test_trivial_group_and_order_hint():
    c = StabilizerChain(np.empty((0, 3), dtype=np.int64), 3)
    assert c.order() == 1 and c.base == () and c.random_elements(2, np.random.default_rng(0)).shape == (2, 3)
    with pytest.raises(ValueError, match="trivial group"):
        StabilizerChain(np.arange(3)[None, :], 3, order=2)


# --------------------------------------------------------------------------- conventions
@pytest.mark.parametrize(
    "gens", [symmetric_gens(5), wreath_gens(2, 3), p4m_gens(4), alternating_gens(6)], ids=str
)
def test_transversal_rows_map_the_base_point_to_the_orbit(gens):
    c = StabilizerChain(gens, gens.shape[1])
    for j, b in enumerate(c.base):
        orbit, table = c.transversal(j)
        assert np.array_equal(table[:, b], orbit)
        assert orbit[0] == b and np.array_equal(table[0], np.arange(gens.shape[1]))
        assert c.contains(table.astype(np.int64)).all()
        # transversal elements of level j fix the earlier base points
        assert (table[:, list(c.base[:j])] == np.array(c.base[:j])).all()
        sub = c.level_generators(j)
        assert (sub[:, list(c.base[:j])] == np.array(c.base[:j])).all()
    assert c.tail(1).order() * c.orbit_sizes[0] == c.order()


def test_sift_strips_one_transversal_factor_per_level():
    c = StabilizerChain(symmetric_gens(5), 5)
    g = np.array([3, 0, 4, 1, 2])
    residue, stop = c.sift(g[None, :])
    assert stop[0] == len(c.base) and np.array_equal(residue[0], np.arange(5))
    # a non-member of A_5: sifts to a non-identity residue or stops early
    a5 = StabilizerChain(alternating_gens(5), 5)
    odd = np.array([1, 0, 2, 3, 4])
    residue, stop = a5.sift(odd[None, :])
    assert stop[0] < len(a5.base) or not np.array_equal(residue[0], np.arange(5))
    fixed = list(a5.base[: stop[0]])
    assert np.array_equal(residue[0][fixed], fixed)  # the residue fixes the base points it passed


def test_membership_of_every_permutation_of_5_points_in_a5():
    c = StabilizerChain(alternating_gens(5), 5)
    everything = np.array(list(itertools.permutations(range(5))))
    assert np.array_equal(c.contains(everything), parity(everything) == 0)


def _counts(draws: np.ndarray) -> np.ndarray:
    _, counts = np.unique(draws, axis=0, return_counts=True)
    return counts


def test_random_elements_are_uniform_on_d5_and_s4():
    """Every element appears, each within a wide band around the mean (about 7 standard deviations)."""
    rng = np.random.default_rng(2024)
    d5 = StabilizerChain(dihedral_gens(5), 5)
    counts = _counts(d5.random_elements(20_000, rng))
    assert counts.size == 10 and counts.min() > 1_700 and counts.max() < 2_300
    s4 = StabilizerChain(symmetric_gens(4), 4)
    counts = _counts(s4.random_elements(24_000, rng))
    assert counts.size == 24 and counts.min() > 800 and counts.max() < 1_200


def test_random_elements_are_members_and_reproducible():
    c = StabilizerChain(wreath_gens(3, 3), 9)
    a = c.random_elements(50, np.random.default_rng(7))
    b = c.random_elements(50, np.random.default_rng(7))
    assert a.dtype == np.int64 and np.array_equal(a, b) and c.contains(a).all()


def test_change_of_base_by_conjugation_keeps_the_group():
    c = StabilizerChain(p4m_gens(6), 36)
    moved = c.rebased([14, 3])
    assert moved.base[:2] == (14, 3) and moved.order() == c.order()
    R = c.random_elements(30, np.random.default_rng(1))
    assert moved.contains(R).all()
    stab = c.stabilizer(14)
    assert stab.order() * 36 == c.order()
    assert (stab.strong_generators[:, 14] == 14).all()


def test_stabilizer_of_a_degree_4096_torus_group():
    m = 64
    c = StabilizerChain(p4m_gens(m), m * m, order=8 * m * m)
    stab = c.stabilizer(2080)
    assert stab.order() == 8 and (stab.strong_generators[:, 2080] == 2080).all()
    assert c.stabilizer(0).order() == 8


# --------------------------------------------------------------------------- against sympy
@SETTINGS
@given(generator_lists())
def test_order_stabilizer_and_membership_agree_with_sympy(gens):
    n = gens.shape[1]
    S = sympy_group(gens)
    c = StabilizerChain(gens, n)
    assert c.order() == S.order()
    x = int(c.base[0]) if c.base else 0
    assert c.stabilizer(x).order() == S.stabilizer(x).order()
    rng = np.random.default_rng(n)
    probes = np.stack([rng.permutation(n) for _ in range(8)] + list(c.random_elements(4, rng)))
    expected = [S.contains(Permutation(p.tolist())) for p in probes]
    assert c.contains(probes).tolist() == expected


@SETTINGS
@given(generator_lists(max_degree=7), st.integers(0, 2**31))
def test_chains_with_another_seed_or_base_are_the_same_group(gens, seed):
    n = gens.shape[1]
    c = StabilizerChain(gens, n, seed=seed)
    point = seed % n
    other = c.rebased([point])
    assert other.order() == c.order()
    if other.base:
        assert other.base[0] == point
    assert c.contains(other.strong_generators).all() if len(other.strong_generators) else True
    sample = c.random_elements(6, np.random.default_rng(seed))
    assert other.contains(sample).all()
    assert other.contains(np.stack([compose(g, inverse(g)) for g in gens])).all()
