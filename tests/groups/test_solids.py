"""Rotation groups of solids: orders and degrees, adjacency preserved, and chirality (no reflections)."""

import doctest
import itertools

import numpy as np
import pytest

from asen.groups import cycles, solids
from asen.groups.catalogue import alternating, symmetric
from asen.groups.solids import PHI, cube_rotations, icosahedral_rotations, tetrahedral_rotations


def _is_even(g: np.ndarray) -> bool:
    return (g.size - len(cycles(g, include_fixed=True))) % 2 == 0


@pytest.mark.parametrize(
    "make,degrees,order",
    [
        (cube_rotations, {"vertices": 8, "faces": 6, "edges": 12}, 24),
        (tetrahedral_rotations, {"vertices": 4, "faces": 4, "edges": 6}, 12),
        (icosahedral_rotations, {"vertices": 12, "faces": 20, "edges": 30}, 60),
    ],
)
def test_degrees_orders_and_transitivity(make, degrees, order):
    for on, degree in degrees.items():
        G = make(on=on)
        assert (G.degree, G.order(), G.is_transitive()) == (degree, order, True)
        assert G.name == f"{make.__name__}(on={on})"


def test_tetrahedral_rotations_on_vertices_is_a4():
    assert tetrahedral_rotations() == alternating(4)


def test_cube_rotations_preserve_cube_edges_and_exclude_the_antipodal_map():
    G = cube_rotations()
    # vertex i of {-1,1}^3 in lexicographic order has coordinate bits of i: adjacent iff one bit differs
    edges = {frozenset((i, j)) for i, j in itertools.combinations(range(8), 2) if (i ^ j).bit_count() == 1}
    for g in G.elements():
        assert {frozenset(int(g[v]) for v in e) for e in edges} == edges
    antipodal = np.arange(8)[::-1]  # v -> -v is a reflection through the centre, not a rotation
    assert not G.contains(antipodal)


def test_icosahedral_rotations_preserve_the_icosahedron_and_are_chiral():
    verts = np.array(
        sorted({tuple(np.roll((0.0, s, t * PHI), k)) for s in (-1, 1) for t in (-1, 1) for k in range(3)})
    )
    d = np.linalg.norm(verts[:, None] - verts[None], axis=-1)
    edges = {frozenset((i, j)) for i, j in zip(*np.nonzero(np.isclose(d, 2.0))) if i < j}
    assert len(edges) == 30
    G = icosahedral_rotations()
    for g in G.generators:
        assert {frozenset(int(g[v]) for v in e) for e in edges} == edges
    antipodal = np.array([int(np.argmin(np.linalg.norm(verts + v, axis=1))) for v in verts])
    assert not G.contains(antipodal)
    assert all(_is_even(g) for g in G.generators)  # A5 is simple, so never odd


def test_bad_point_set_is_rejected():
    with pytest.raises(ValueError, match="on must be one of vertices, faces, edges"):
        cube_rotations(on="corners")


def test_cube_on_faces_is_not_all_of_s6():
    assert cube_rotations(on="faces").is_subgroup(symmetric(6))
    assert cube_rotations(on="faces").order() < symmetric(6).order()


def test_docstring_examples():
    assert doctest.testmod(solids).failed == 0
