"""Image and torus groups: orders (small sizes included), numpy direction conventions, adjacency."""

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups import act_axes, geometric
from asen.groups.geometric import grid_dihedral, grid_flips, grid_rotations, p4, p4m, torus_translations


def _torus_edges(m: int) -> set:
    edges = set()
    for r in range(m):
        for c in range(m):
            p = r * m + c
            edges.add(frozenset((p, ((r + 1) % m) * m + c)))
            edges.add(frozenset((p, r * m + (c + 1) % m)))
    return edges


def _preserves(g: np.ndarray, edges: set) -> bool:
    return {frozenset(int(g[i]) for i in e) for e in edges} == edges


def _as_images(G, img):
    return {act_axes(g, img, (0, 1)).tobytes() for g in G.elements()}


# ----------------------------------------------------------------------------- orders
@pytest.mark.parametrize("h,w", [(1, 1), (1, 5), (3, 4), (8, 8)])
def test_torus_translations_are_regular(h, w):
    G = torus_translations(h, w)
    assert G.degree == h * w and G.order() == h * w and G.is_transitive()


@pytest.mark.parametrize(
    "m,order4,order4m", [(1, 1, 1), (2, 8, 8), (3, 36, 72), (4, 64, 128), (5, 100, 200), (8, 256, 512)]
)
def test_p4_and_p4m_orders_including_small_tori(m, order4, order4m):
    assert p4(m).order() == order4
    assert p4m(m).order() == order4m


def test_p4_and_p4m_on_a_large_torus():
    assert p4(32).order() == 4 * 32**2
    assert p4m(32).order() == 8 * 32**2


@pytest.mark.parametrize("m", [2, 3, 4, 6])
def test_translations_in_p4_in_p4m(m):
    assert torus_translations(m, m).is_subgroup(p4(m))
    assert p4(m).is_subgroup(p4m(m))


@pytest.mark.parametrize("m,c4,d4", [(1, 1, 1), (2, 4, 8), (3, 4, 8), (6, 4, 8)])
def test_grid_group_orders(m, c4, d4):
    assert grid_rotations(m).order() == c4
    assert grid_dihedral(m, m).order() == d4


@pytest.mark.parametrize("h,w,order", [(1, 1, 1), (1, 4, 2), (4, 1, 2), (2, 3, 4), (5, 5, 4)])
def test_grid_flips_orders(h, w, order):
    assert grid_flips(h, w).order() == order


# ----------------------------------------------------------------------------- conventions
@pytest.mark.parametrize("m", [2, 3, 4])
def test_grid_rotation_generator_is_numpy_rot90(m):
    """The stated convention: act_axes(g, image) == numpy.rot90(image), counter-clockwise."""
    img = np.arange(m * m).reshape(m, m) * 10
    (g,) = grid_rotations(m).generators
    assert np.array_equal(act_axes(g, img, (0, 1)), np.rot90(img))
    batch = np.stack([img, img + 1])
    assert np.array_equal(act_axes(g, batch, (1, 2)), np.rot90(batch, axes=(1, 2)))


def test_grid_dihedral_is_the_eight_numpy_transforms():
    img = np.arange(16).reshape(4, 4)
    expected = {np.rot90(f, k).tobytes() for f in (img, np.fliplr(img)) for k in range(4)}
    assert _as_images(grid_dihedral(4), img) == expected
    assert np.array_equal(act_axes(grid_dihedral(4).generators[1], img, (0, 1)), np.fliplr(img))


def test_grid_flips_are_the_flips_and_half_turn():
    img = np.arange(6).reshape(2, 3)
    expected = {x.tobytes() for x in (img, np.flipud(img), np.fliplr(img), np.rot90(img, 2))}
    assert _as_images(grid_flips(2, 3), img) == expected


def test_p4_rotation_turns_like_rot90_about_pixel_zero():
    m = 5
    img = np.arange(m * m).reshape(m, m)
    rotation = p4(m).generators[2]
    assert np.array_equal(act_axes(rotation, img, (0, 1)), np.roll(np.rot90(img), 1, axis=0))


def test_non_square_rotations_raise_and_point_to_grid_flips():
    with pytest.raises(ValueError, match=r"needs a square image.*grid_flips\(3,4\)"):
        grid_rotations(3, 4)
    with pytest.raises(ValueError, match="square"):
        grid_dihedral(2, 5)
    with pytest.raises(TypeError, match="m must be an integer"):
        p4(2.0)


# ----------------------------------------------------------------------------- adjacency
@pytest.mark.parametrize("m", [2, 3, 4, 5, 6])
def test_p4m_elements_preserve_torus_grid_adjacency(m):
    edges = _torus_edges(m)
    assert all(_preserves(g, edges) for g in p4m(m).elements())


def test_grid_dihedral_preserves_bounded_grid_adjacency():
    m = 4
    edges = {frozenset((r * m + c, (r + 1) * m + c)) for r in range(m - 1) for c in range(m)}
    edges |= {frozenset((r * m + c, r * m + c + 1)) for r in range(m) for c in range(m - 1)}
    assert all(_preserves(g, edges) for g in grid_dihedral(m).elements())


def test_docstring_examples():
    assert doctest.testmod(geometric).failed == 0


@settings(max_examples=20, deadline=None)
@given(m=st.integers(3, 24), seed=st.integers(0, 2**32 - 1))
def test_random_p4m_elements_preserve_adjacency_and_order_is_8m2(m, seed):
    G = p4m(m)
    assert G.order() == 8 * m * m
    edges = _torus_edges(m)
    assert all(_preserves(g, edges) for g in G.random_elements(3, seed=seed))
