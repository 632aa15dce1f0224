"""Schreier-generator completion (groups/schreier.py): known orders, the regular-normal-subgroup shortcut,
then the deterministic construction against sympy."""

from __future__ import annotations

import math

import numpy as np
from group_gens import alternating_gens, generator_lists, p4m_gens, symmetric_gens, sympy_group, wreath_gens
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups.chain import StabilizerChain
from asen.groups.schreier import failing_schreier_generator, level0_by_regular_normal_subgroup, verify

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


# --------------------------------------------------------------------------- known orders
def test_deterministic_schreier_sims_alone_reaches_known_orders():
    """No random elements, no counting: the Schreier-generator verification builds the whole chain."""
    reference = StabilizerChain.deterministic_schreier_sims
    assert reference(symmetric_gens(8), 8).order() == math.factorial(8)
    assert reference(wreath_gens(3, 4), 12).order() == 6**4 * 24
    assert reference(p4m_gens(6), 36).order() == 8 * 36
    assert reference(alternating_gens(7), 7).order() == math.factorial(7) // 2


def test_a_complete_chain_has_no_failing_schreier_generator():
    c = StabilizerChain(wreath_gens(3, 3), 9)
    assert all(failing_schreier_generator(c, j) is None for j in range(len(c.base)))
    # a partial chain (the generators alone) has one, and it fixes the base points above its level
    partial = StabilizerChain.partial(wreath_gens(3, 3), 9)
    j = len(partial.base) - 1
    while j >= 0 and failing_schreier_generator(partial, j) is None:
        j -= 1
    assert j >= 0
    h = failing_schreier_generator(partial, j)
    assert not np.array_equal(h, np.arange(9))
    assert np.array_equal(h[list(partial.base[: j + 1])], list(partial.base[: j + 1]))
    # verify() completes the partial chain through the public surface alone
    assert partial.order() < c.order()
    verify(partial)
    assert partial.order() == c.order()
    assert all(failing_schreier_generator(partial, j) is None for j in range(len(partial.base)))


def test_abelian_regular_normal_subgroup_shortcut():
    """Tori, C_n, D_n: level 0 is verified from a few elements ``s w_s^-1``; a missing one is found."""
    n = 7
    reflection_moving_0 = (1 - np.arange(n)) % n
    gens = np.stack([np.roll(np.arange(n), -1), reflection_moving_0])
    assert StabilizerChain.deterministic_schreier_sims(gens, n).order() == 2 * n
    m = 5
    r, c = np.divmod(np.arange(m * m), m)

    def pix(rr, cc):
        return (rr % m) * m + (cc % m)

    turn_about_1_1 = pix(c, 2 - r)  # (r, c) -> (c - 1 + 1, -(r - 1) + 1)
    mirror = pix(r, 3 - c)
    gens = np.stack([pix(r, c + 1), pix(r + 1, c), turn_about_1_1, mirror])
    relabel = np.random.default_rng(5).permutation(m * m)
    gens = relabel[gens[:, np.argsort(relabel)]]  # the same group on relabelled points
    assert StabilizerChain.deterministic_schreier_sims(gens, m * m).order() == 8 * m * m
    assert StabilizerChain(gens, m * m).order() == 8 * m * m
    # not normalised (a transposition of pixels): the shortcut must not apply, the order is sympy's
    swap = np.arange(m * m)
    swap[[0, 7]] = [7, 0]
    mixed = np.vstack([gens[:2], swap])
    assert StabilizerChain(mixed, m * m).order() == sympy_group(mixed).order()


def test_shortcut_does_not_apply_without_a_transitive_abelian_subset():
    c = StabilizerChain(symmetric_gens(5), 5)
    assert level0_by_regular_normal_subgroup(c) == (False, None)
    torus = StabilizerChain(p4m_gens(4), 16)
    assert level0_by_regular_normal_subgroup(torus) == (True, None)


# --------------------------------------------------------------------------- against sympy
@SETTINGS
@given(generator_lists(max_degree=8))
def test_deterministic_construction_agrees_with_sympy(gens):
    n = gens.shape[1]
    order = sympy_group(gens).order()
    assert StabilizerChain.deterministic_schreier_sims(gens, n).order() == order


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(3, 6), st.lists(st.integers(0, 3), min_size=1, max_size=4), st.integers(0, 2**31))
def test_relabelled_torus_subgroups_agree_with_sympy(m, pick, seed):
    """Subgroups of p4m on small tori, points relabelled: exercises the regular-normal-subgroup shortcut."""
    gens = p4m_gens(m)[sorted(set(pick))]
    relabel = np.random.default_rng(seed).permutation(m * m)
    gens = relabel[gens[:, np.argsort(relabel)]]
    order = sympy_group(gens).order()
    assert StabilizerChain(gens, m * m, seed=seed).order() == order
    assert StabilizerChain.deterministic_schreier_sims(gens, m * m).order() == order
