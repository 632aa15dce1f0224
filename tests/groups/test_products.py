"""Direct and imprimitive wreath products: orders, block structure, names."""

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups import PermGroup, products
from asen.groups.catalogue import alternating, cyclic, dihedral, symmetric, trivial
from asen.groups.products import direct_product, wreath


def _blocks_preserved(g: np.ndarray, a: int) -> bool:
    """Every block ``{k*a, .., k*a+a-1}`` maps onto a block."""
    images = g.reshape(-1, a) // a
    return bool((images == images[:, :1]).all())


@pytest.mark.parametrize("a", [1, 2, 3, 4, 5])
def test_order_of_s_a_wr_s_2(a):
    assert wreath(symmetric(a), symmetric(2)).order() == 2 * math.factorial(a) ** 2


@pytest.mark.parametrize("a,b", [(2, 3), (3, 3), (2, 4), (4, 2), (3, 4)])
def test_order_of_s_a_wr_s_b(a, b):
    assert wreath(symmetric(a), symmetric(b)).order() == math.factorial(a) ** b * math.factorial(b)


@pytest.mark.parametrize(
    "G,H,order",
    [
        (cyclic(3), cyclic(2), 18),
        (cyclic(2), cyclic(4), 64),
        (cyclic(3), cyclic(3), 81),
        (alternating(4), cyclic(2), 288),  # theory notes: A4 wr C2 = 288 (its 2-closure S4 wr C2 = 1152)
        (dihedral(5), trivial(3), 1000),  # intransitive top group: every block still gets its own copy
    ],
)
def test_wreath_orders_from_the_theory_notes(G, H, order):
    W = wreath(G, H)
    assert W.degree == G.degree * H.degree and W.order() == order


def test_wreath_point_layout_block_k_is_k_times_a_onwards():
    W = wreath(cyclic(3), cyclic(2))
    assert [g.tolist() for g in W.generators] == [[1, 2, 0, 3, 4, 5], [3, 4, 5, 0, 1, 2]]


@pytest.mark.parametrize(
    "G,H", [(symmetric(3), symmetric(3)), (cyclic(4), dihedral(3)), (cyclic(2), trivial(2))]
)
def test_wreath_elements_preserve_the_blocks(G, H):
    W = wreath(G, H)
    assert all(_blocks_preserved(g, G.degree) for g in W.random_elements(50, seed=1))
    assert len(W.orbits()) == len(H.orbits())


def test_s2_wr_s2_is_the_dihedral_group_of_a_square_with_diagonals_as_blocks():
    # blocks {0,1}, {2,3} are the diagonals of the square 0-2-1-3
    square = PermGroup([[2, 3, 1, 0], [1, 0, 2, 3]])
    assert wreath(symmetric(2), symmetric(2)) == square


def test_direct_product_puts_factors_on_consecutive_points():
    G = direct_product(cyclic(4), symmetric(3), trivial(2))
    assert G.degree == 9 and G.order() == 24
    assert [o.tolist() for o in G.orbits()] == [[0, 1, 2, 3], [4, 5, 6], [7], [8]]
    assert G.name == "direct_product(cyclic(4), symmetric(3), trivial(2))"


def test_unnamed_factor_gives_no_name():
    assert direct_product(PermGroup([[1, 0]]), cyclic(2)).name is None
    assert wreath(cyclic(2), PermGroup([[1, 0]])).name is None


def test_non_groups_are_rejected():
    with pytest.raises(TypeError, match="factor 1 must be a PermGroup"):
        direct_product(cyclic(2), 3)
    with pytest.raises(TypeError, match="H must be a PermGroup"):
        wreath(cyclic(2), "symmetric(2)")
    with pytest.raises(ValueError, match="at least one group"):
        direct_product()


def test_docstring_examples():
    assert doctest.testmod(products).failed == 0


@settings(max_examples=20, deadline=None)
@given(a=st.integers(1, 4), b=st.integers(1, 4), n=st.integers(1, 6))
def test_wreath_and_product_orders_multiply(a, b, n):
    G, H = dihedral(a + 2), cyclic(b)
    assert wreath(G, H).order() == G.order() ** b * H.order()
    assert direct_product(G, H, symmetric(n)).order() == G.order() * H.order() * math.factorial(n)
