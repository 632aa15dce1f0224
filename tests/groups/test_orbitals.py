"""Orbitals: known ranks, first-appearance numbering, and agreement with brute force over all elements."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.breaking import orbital_representatives, orbitals, rank
from asen.groups import PermGroup, cyclic, dihedral, p4m, symmetric, torus_translations, trivial, young


def brute_orbitals(G: PermGroup) -> np.ndarray:
    n = G.degree
    E = G.elements()
    out = -np.ones((n, n), dtype=np.int64)
    k = 0
    for i in range(n):
        for j in range(n):
            if out[i, j] < 0:
                out[E[:, i], E[:, j]] = k
                k += 1
    return out


def test_cyclic_orbital_is_the_difference():
    O = orbitals(cyclic(7))
    i, j = np.indices((7, 7))
    assert np.array_equal(O, (j - i) % 7)


def test_known_ranks():
    assert rank(cyclic(9)) == 9
    assert rank(dihedral(9)) == 9 // 2 + 1
    assert rank(dihedral(10)) == 10 // 2 + 1
    assert rank(symmetric(6)) == 2
    assert rank(trivial(5)) == 25
    assert rank(torus_translations(4, 5)) == 20
    assert rank(young(2, 3)) == 2 + 2 + 2  # 2 diagonal + within-block + across blocks, both directions


def test_p4m_32_rank_matches_theory_notes():
    assert int(orbitals(p4m(32)).max()) + 1 == 153


def test_diagonal_identifies_point_orbits():
    G = young(2, 3, 1)
    O = orbitals(G)
    diag = np.diagonal(O)
    ids = G.orbit_ids()
    assert np.array_equal(diag[:, None] == diag[None, :], ids[:, None] == ids[None, :])
    assert not np.isin(diag, O[~np.eye(6, dtype=bool)]).any()  # diagonal orbitals are their own classes


def test_representatives_are_first_appearances():
    O = orbitals(dihedral(6))
    reps = orbital_representatives(O)
    assert reps.shape == (int(O.max()) + 1, 2)
    for k, (i, j) in enumerate(reps):
        assert O[i, j] == k
        assert not (O.ravel()[: i * 6 + j] == k).any()


@st.composite
def small_groups(draw):
    n = draw(st.integers(1, 7))
    k = draw(st.integers(0, 3))
    gens = [draw(st.permutations(range(n))) for _ in range(k)]
    return PermGroup(gens, n)


@settings(max_examples=60, deadline=None)
@given(small_groups())
def test_orbitals_equal_brute_force(G):
    O = orbitals(G)
    B = brute_orbitals(G)
    # same partition of pairs, and ids numbered by first appearance (brute force numbers the same way)
    assert np.array_equal(O, B)


@settings(max_examples=40, deadline=None)
@given(small_groups())
def test_orbitals_invariant_under_generators(G):
    O = orbitals(G)
    for g in G.generators:
        assert np.array_equal(O[np.ix_(g, g)], O)
    assert int(O.max()) + 1 <= G.degree**2
    # each orbital has |G|-divisible structure: sizes are orbit sizes of G on pairs, dividing |G| * ...
    sizes = np.bincount(O.ravel())
    assert all(G.order() % (math.gcd(G.order(), int(s))) == 0 for s in sizes)
