"""Named groups on sequences and sets: orders, orbits, and generators that do what they claim."""

import doctest
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics.named_groups import AlternatingGroup, CyclicGroup, DihedralGroup, SymmetricGroup

from asen.groups import PermGroup, act, catalogue, cycles
from asen.groups.catalogue import (
    affine_line,
    alternating,
    cyclic,
    dihedral,
    even_flips,
    mathieu,
    psl2,
    reversal,
    symmetric,
    symmetric_on_subsets,
    trivial,
    young,
)


def _preserves_cycle_graph(g: np.ndarray) -> bool:
    n = g.size
    edges = {frozenset((i, (i + 1) % n)) for i in range(n)}
    return all(frozenset((int(g[i]), int(g[(i + 1) % n]))) in edges for i in range(n))


# ----------------------------------------------------------------------------- known orders
@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 12])
def test_orders_of_sequence_groups(n):
    assert trivial(n).order() == 1
    assert symmetric(n).order() == math.factorial(n)
    assert alternating(n).order() == max(1, math.factorial(n) // 2)
    assert cyclic(n).order() == n
    assert reversal(n).order() == (2 if n >= 2 else 1)


@pytest.mark.parametrize("n,order", [(1, 1), (2, 2), (3, 6), (4, 8), (7, 14), (64, 128)])
def test_dihedral_order_is_2n_from_3_and_documented_small_cases(n, order):
    assert dihedral(n).order() == order


def test_symmetric_on_fifty_points_has_exact_order():
    assert symmetric(50).order() == math.factorial(50)


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7])
def test_same_groups_as_sympy_named_groups(n):
    assert symmetric(n) == PermGroup.from_sympy(SymmetricGroup(n))
    assert alternating(n) == PermGroup.from_sympy(AlternatingGroup(n))
    assert cyclic(n) == PermGroup.from_sympy(CyclicGroup(n))
    assert dihedral(n) == PermGroup.from_sympy(DihedralGroup(n))


@pytest.mark.parametrize(
    "G", [young(2, 3), even_flips(4), symmetric_on_subsets(5, 2), affine_line(7), psl2(7), dihedral(9)], ids=repr
)
def test_sympy_schreier_sims_agrees_on_the_order(G):
    assert G.to_sympy().order() == G.order()


def test_young_is_a_product_of_symmetric_groups_on_consecutive_blocks():
    G = young(2, 3, 1, 4)
    assert G.degree == 10
    assert G.order() == 2 * 6 * 1 * 24
    assert [o.tolist() for o in G.orbits()] == [[0, 1], [2, 3, 4], [5], [6, 7, 8, 9]]
    assert young(5) == symmetric(5)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_even_flips_group_flips_an_even_number_of_pairs(k):
    G = even_flips(k)
    assert G.degree == 2 * k and G.order() == 2 ** (k - 1)
    for g in G.elements():
        swapped = [int(g[2 * i] == 2 * i + 1) for i in range(k)]
        assert all(g[2 * i] in (2 * i, 2 * i + 1) for i in range(k))
        assert sum(swapped) % 2 == 0


@pytest.mark.parametrize("n,k", [(4, 2), (5, 2), (5, 3), (6, 3), (3, 0), (3, 3), (2, 1)])
def test_symmetric_on_subsets_moves_subsets_like_s_n(n, k):
    G = symmetric_on_subsets(n, k)
    subsets = list(itertools.combinations(range(n), k))
    assert G.degree == len(subsets)
    assert G.order() == (math.factorial(n) if 0 < k < n else 1)
    assert G.is_transitive()
    for g in symmetric(n).elements():
        image = [subsets.index(tuple(sorted(int(g[i]) for i in s))) for s in subsets]
        assert G.contains(image)


@pytest.mark.parametrize("p", [2, 3, 5, 7, 11, 13])
def test_affine_line_is_every_map_x_to_ax_plus_b(p):
    G = affine_line(p)
    assert G.order() == p * (p - 1)
    x = np.arange(p)
    for g in G.elements():
        b = int(g[0])
        a = (int(g[1]) - b) % p if p > 1 else 1
        assert a != 0 and np.array_equal(g, (a * x + b) % p)


@pytest.mark.parametrize("p,order", [(2, 6), (3, 12), (5, 60), (7, 168), (11, 660), (13, 1092)])
def test_psl2_order_and_sharp_facts(p, order):
    G = psl2(p)
    assert G.degree == p + 1 and G.order() == order
    # PSL(2, p) is 2-transitive on the projective line
    assert G.is_transitive() and sorted(o.size for o in G.stabilizer(p).orbits()) == [1, p]


def test_psl2_5_is_a5_and_psl2_2_is_s3():
    assert psl2(2) == symmetric(3)
    assert all(_is_even(g) for g in psl2(5).generators)  # A_5 is simple: no odd elements on 6 points


@pytest.mark.parametrize(
    "n,order,transitivity",
    [(11, 7920, 4), (12, 95040, 5), (22, 443520, 3), (23, 10200960, 4), (24, 244823040, 5)],
)
def test_mathieu_groups_are_the_multiply_transitive_sporadics(n, order, transitivity):
    G = mathieu(n)
    assert G.degree == n and G.order() == order
    assert PermGroup(G.generators, n).order() == order  # Schreier-Sims without the catalogue's order hint
    assert G.to_sympy().order() == order  # and sympy's own
    # k-transitive and no more: fixing points 0..k-2 leaves one orbit on the rest, fixing 0..k-1 does not
    k = transitivity
    sizes = lambda fixed: sorted(o.size for o in G.pointwise_stabilizer(range(fixed)).orbits())  # noqa: E731
    assert sizes(k - 1) == [1] * (k - 1) + [n - k + 1]
    assert sizes(k) != [1] * k + [n - k]
    if n in (11, 12):  # sharply k-transitive
        assert order == math.perm(n, k) and sizes(k) == [1] * n
    assert all(_is_even(g) for g in G.generators)  # simple groups: inside A_n


def _is_even(g) -> bool:
    return (g.size - len(cycles(g, include_fixed=True))) % 2 == 0


# ----------------------------------------------------------------------------- generators are right
@pytest.mark.parametrize("n", [3, 4, 5, 10])
def test_dihedral_elements_are_symmetries_of_the_n_cycle(n):
    G = dihedral(n)
    assert all(_preserves_cycle_graph(g) for g in G.elements())


def test_reversal_reverses_sequences():
    x = np.array([10, 20, 30, 40, 50])
    (g,) = reversal(5).generators
    assert act(g, x).tolist() == x[::-1].tolist()


@pytest.mark.parametrize("n", [1, 2, 6])
def test_orbits_and_transitivity(n):
    assert len(trivial(n).orbits()) == n
    for G in (symmetric(n), alternating(n + 2), cyclic(n), dihedral(n)):
        assert G.is_transitive()
    assert len(reversal(n).orbits()) == (n + 1) // 2


def test_reversal_orbits_pair_up_points():
    assert [o.tolist() for o in reversal(5).orbits()] == [[0, 4], [1, 3], [2]]


# ----------------------------------------------------------------------------- names and errors
def test_names_are_specs():
    assert [G.name for G in (symmetric(3), young(2, 3), symmetric_on_subsets(4, 2), psl2(5))] == [
        "symmetric(3)",
        "young(2,3)",
        "symmetric_on_subsets(4,2)",
        "psl2(5)",
    ]


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda: symmetric(0), ValueError, "n must be an integer >= 1, got 0"),
        (lambda: cyclic(2.5), TypeError, "n must be an integer"),
        (lambda: dihedral(True), TypeError, "n must be an integer"),
        (lambda: young(), ValueError, "at least one block"),
        (lambda: young(2, 0), ValueError, "block size 1"),
        (lambda: psl2(9), ValueError, "p must be a prime, got 9"),
        (lambda: mathieu(13), ValueError, r"n in \[11, 12, 22, 23, 24\] points, got 13"),
        (lambda: affine_line(1), ValueError, "p must be an integer >= 2"),
        (lambda: symmetric_on_subsets(3, 4), ValueError, "k must be at most n=3"),
        (lambda: symmetric_on_subsets(40, 20), ValueError, "more than"),
        (lambda: cyclic(10**20), ValueError, "n = 100000000000000000000 is too large: arrays index at most"),
        (lambda: symmetric(10**20), ValueError, "n = 100000000000000000000 is too large"),
    ],
)
def test_bad_arguments_raise_clear_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_docstring_examples():
    assert doctest.testmod(catalogue).failed == 0


# ----------------------------------------------------------------------------- properties
@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 40), seed=st.integers(0, 2**32 - 1))
def test_random_dihedral_elements_preserve_the_cycle(n, seed):
    G = dihedral(n)
    assert G.order() == 2 * n
    assert _preserves_cycle_graph(G.random_element(seed=seed))


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 5), min_size=1, max_size=4))
def test_young_order_is_product_of_factorials(sizes):
    G = young(*sizes)
    assert G.order() == math.prod(math.factorial(a) for a in sizes)
    assert len(G.orbits()) == len(sizes)
