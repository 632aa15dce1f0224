"""Rotation groups of solids: orders and degrees, adjacency preserved, and chirality (no reflections)."""

import doctest
import itertools

import numpy as np
import pytest

from asen.groups import cycles, solids
from asen.groups.catalogue import alternating, symmetric
from asen.groups.solids import (
    PHI,
    cube_rotations,
    icosahedral_rotations,
    solid_points,
    solid_rotations,
    tetrahedral_rotations,
)

SOLIDS = {"cube": cube_rotations, "tetrahedron": tetrahedral_rotations, "icosahedron": icosahedral_rotations}
POINT_SETS = [(solid, on) for solid in SOLIDS for on in ("vertices", "faces", "edges")]


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


# ----------------------------------------------------------------------------- the public coordinates
def _rotation_of(points: np.ndarray, g: np.ndarray) -> np.ndarray:
    """The 3x3 matrix R with points[g[i]] = R @ points[i] for all i (least squares; points span R^3)."""
    X, *_ = np.linalg.lstsq(points, points[g], rcond=None)  # points @ X = points[g], X = R^T
    return X.T


@pytest.mark.parametrize("solid,on", POINT_SETS)
def test_every_generator_is_a_rotation_of_the_points(solid, on):
    points = solid_points(solid, on=on)
    G = SOLIDS[solid](on=on)
    assert points.shape == (G.degree, 3) and points.dtype == np.float64
    assert len({tuple(p) for p in points}) == G.degree  # distinct points, one per group point
    for g in G.generators:
        R = _rotation_of(points, g)
        assert np.allclose(points[g], points @ R.T, atol=1e-9)  # points[g[i]] = R @ points[i]
        assert np.allclose(R @ R.T, np.eye(3), atol=1e-9)  # orthogonal
        assert np.isclose(np.linalg.det(R), 1.0)  # a rotation, not a reflection


@pytest.mark.parametrize("solid,on", POINT_SETS)
def test_points_are_in_lexicographic_order_and_centred(solid, on):
    points = solid_points(solid, on=on)
    assert [tuple(p) for p in points] == sorted(tuple(p) for p in points)
    assert np.allclose(points.mean(axis=0), 0.0)
    norms = np.linalg.norm(points, axis=1)
    assert np.allclose(norms, norms[0])  # one orbit: all on a sphere


def test_a_reflection_of_the_points_is_not_in_the_group():
    for solid in ("cube", "icosahedron"):
        points = solid_points(solid)
        mirror = np.array([int(np.argmin(np.linalg.norm(points - p * [-1, 1, 1], axis=1))) for p in points])
        assert np.allclose(points[mirror], points * [-1, 1, 1])  # x -> -x maps the point set onto itself
        assert not SOLIDS[solid]().contains(mirror)


def test_known_coordinates_and_fresh_arrays():
    assert solid_points("cube").tolist() == [list(v) for v in itertools.product((-1.0, 1.0), repeat=3)]
    assert solid_points("tetrahedron", on="faces").tolist() == [
        [-1.0, -1.0, -1.0], [-1.0, 1.0, 1.0], [1.0, -1.0, 1.0], [1.0, 1.0, -1.0]
    ]  # fmt: skip
    a = solid_points("cube")
    a[0] = 5.0
    assert solid_points("cube")[0].tolist() == [-1.0, -1.0, -1.0]


def test_unknown_solid_or_point_set_is_rejected():
    with pytest.raises(ValueError, match="solid must be one of cube, tetrahedron, icosahedron"):
        solid_points("dodecahedron")
    with pytest.raises(ValueError, match="on must be one of"):
        solid_points("cube", on="corners")


def test_solid_rotations_names_each_solids_group():
    for solid, build in (("cube", cube_rotations), ("tetrahedron", tetrahedral_rotations),
                         ("icosahedron", icosahedral_rotations)):
        for on in ("vertices", "faces", "edges"):
            G, H = solid_rotations(solid, on=on), build(on=on)
            assert G.degree == H.degree == len(solid_points(solid, on=on)) and G.order() == H.order()
            assert G == H
    with pytest.raises(ValueError, match="solid must be one of cube, tetrahedron, icosahedron"):
        solid_rotations("octahedron")
    with pytest.raises(ValueError, match="on must be one of"):
        solid_rotations("cube", on="corners")
