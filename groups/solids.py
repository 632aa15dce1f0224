"""Rotation groups of the Platonic solids acting on vertices, faces or edges.

Each solid sits at the origin with exact coordinates; a point set (vertices, face centres or edge
midpoints) is numbered in lexicographic order of its coordinates, and a rotation matrix becomes the
permutation of that set it induces. :func:`solid_points` gives those coordinates: point ``i`` of the
group is row ``i`` of ``solid_points(solid, on=...)``, and a group element ``g`` (``i -> g[i]``) is the
rotation ``R`` with ``points[g[i]] = R @ points[i]``. The rotation groups are chiral: on vertices (and,
for the cube, faces) they are *not* 2-closed, because pairs of points cannot tell a rotation from a
reflection.

Coordinates: cube vertices ``{-1, 1}^3``; tetrahedron ``(1,1,1), (1,-1,-1), (-1,1,-1), (-1,-1,1)``;
icosahedron the cyclic permutations of ``(0, +-1, +-phi)`` with ``phi`` the golden ratio.

Examples
--------
>>> cube_rotations().order(), tetrahedral_rotations().order(), icosahedral_rotations().order()
(24, 12, 60)
>>> solid_points("icosahedron", on="faces").shape
(20, 3)
"""

from __future__ import annotations

import itertools

import numpy as np

from .group import PermGroup

__all__ = ["cube_rotations", "icosahedral_rotations", "solid_points", "solid_rotations", "tetrahedral_rotations"]

PHI = (1 + 5**0.5) / 2
_ON = ("vertices", "faces", "edges")

_CYCLE_XYZ = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]], dtype=float)  # (x, y, z) -> (z, x, y), 120 deg
_TURN_Z = np.diag([-1.0, -1.0, 1.0])  # half-turn about the z axis
_QUARTER_Z = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]], dtype=float)  # (x, y, z) -> (-y, x, z)


def _rotation(axis: np.ndarray, angle: float) -> np.ndarray:
    """Rodrigues: ``R = cos(t) I + sin(t) [u]_x + (1 - cos(t)) u u^T``."""
    u = np.asarray(axis, dtype=float) / np.linalg.norm(axis)
    ux = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.cos(angle) * np.eye(3) + np.sin(angle) * ux + (1 - np.cos(angle)) * np.outer(u, u)


def _sorted_points(points: np.ndarray) -> np.ndarray:
    pts = np.round(np.asarray(points, dtype=float), 12) + 0.0  # + 0.0: no negative zeros
    return pts[np.lexsort(pts.T[::-1])]


def _edges(vertices: np.ndarray) -> list[tuple[int, int]]:
    d = np.linalg.norm(vertices[:, None] - vertices[None, :], axis=-1)
    shortest = d[d > 1e-9].min()
    return [
        (i, j) for i, j in itertools.combinations(range(len(vertices)), 2) if abs(d[i, j] - shortest) < 1e-9
    ]


def _triangle_centres(vertices: np.ndarray) -> np.ndarray:
    adjacent = set(_edges(vertices))
    triangles = [
        t
        for t in itertools.combinations(range(len(vertices)), 3)
        if all(e in adjacent for e in itertools.combinations(t, 2))
    ]
    return np.array([vertices[list(t)].mean(axis=0) for t in triangles])


def _points(vertices: np.ndarray, faces: np.ndarray, on: str) -> np.ndarray:
    if on not in _ON:
        raise ValueError(f"on must be one of {', '.join(_ON)}; got {on!r}")
    if on == "vertices":
        return _sorted_points(vertices)
    if on == "faces":
        return _sorted_points(faces)
    return _sorted_points([(vertices[i] + vertices[j]) / 2 for i, j in _edges(vertices)])


def _induced(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """The permutation ``i -> j`` with ``matrix @ points[i] = points[j]``."""
    moved = points @ matrix.T
    d = np.linalg.norm(moved[:, None] - points[None, :], axis=-1)
    perm = d.argmin(axis=1)
    assert d[np.arange(len(points)), perm].max() < 1e-6, "rotation does not preserve the point set"
    return perm.astype(np.int64)


def _cube() -> tuple[np.ndarray, np.ndarray]:
    vertices = np.array(list(itertools.product((-1.0, 1.0), repeat=3)))
    return vertices, np.concatenate([np.eye(3), -np.eye(3)])


def _tetrahedron() -> tuple[np.ndarray, np.ndarray]:
    vertices = np.array([[1.0, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]])
    return vertices, -vertices


def _icosahedron() -> tuple[np.ndarray, np.ndarray]:
    base = [(0.0, s * 1.0, t * PHI) for s in (-1, 1) for t in (-1, 1)]
    vertices = np.array([np.roll(v, k) for v in base for k in range(3)])
    return vertices, _triangle_centres(vertices)


#: solid name -> (vertices, face centres) before numbering
_SOLID_COORDS = {"cube": _cube, "tetrahedron": _tetrahedron, "icosahedron": _icosahedron}


def solid_points(solid: str, *, on: str = "vertices") -> np.ndarray:
    """The ``(n, 3)`` float coordinates of a solid's vertices, face centres or edge midpoints, in the
    order the rotation group numbers them.

    Row ``i`` is point ``i`` of ``cube_rotations(on=on)`` (``solid="cube"``),
    ``tetrahedral_rotations(on=on)`` (``"tetrahedron"``) or ``icosahedral_rotations(on=on)``
    (``"icosahedron"``): the points sorted lexicographically by coordinates (rounded to 12 decimals).
    Every element ``g`` of the group is a rotation ``R`` (orthogonal, ``det R = +1``) with
    ``points[g[i]] = R @ points[i]`` for every ``i``. A new array on every call.

    Parameters
    ----------
    solid
        ``"cube"``, ``"tetrahedron"`` or ``"icosahedron"``.
    on
        ``"vertices"``, ``"faces"`` (face centres) or ``"edges"`` (edge midpoints).

    Examples
    --------
    >>> P = solid_points("cube"); P[:3]
    array([[-1., -1., -1.],
           [-1., -1.,  1.],
           [-1.,  1., -1.]])
    >>> g = cube_rotations().generators[0]  # the quarter turn about z: (x, y, z) -> (-y, x, z)
    >>> R = np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1]])
    >>> bool(np.allclose(P[g], P @ R.T))  # points[g[i]] = R @ points[i]
    True
    """
    if solid not in _SOLID_COORDS:
        raise ValueError(f"solid must be one of {', '.join(_SOLID_COORDS)}; got {solid!r}")
    return _points(*_SOLID_COORDS[solid](), on)


def _solid_group(points: np.ndarray, matrices: list[np.ndarray], order: int, name: str) -> PermGroup:
    return PermGroup([_induced(points, R) for R in matrices], len(points), order=order, name=name)


def cube_rotations(*, on: str = "vertices") -> PermGroup:
    """The rotation group ``O = S_4`` of the cube on its 8 vertices, 6 faces or 12 edges.

    ``O = <quarter turn about z, third turn about (1,1,1)>``, ``|O| = 24``. Not 2-closed on vertices
    or faces (closure: the full symmetry group ``O_h`` of order 48); 2-closed on edges. Point ``i`` is
    row ``i`` of ``solid_points("cube", on=on)``.

    Parameters
    ----------
    on
        ``"vertices"`` (``{-1,1}^3``), ``"faces"`` (centres ``+-e_i``) or ``"edges"`` (midpoints).

    Examples
    --------
    >>> G = cube_rotations(on="faces"); G.degree, G.order()
    (6, 24)
    >>> solid_points("cube", on="faces")[0]  # face 0 of G
    array([-1.,  0.,  0.])
    """
    points = solid_points("cube", on=on)
    return _solid_group(points, [_QUARTER_Z, _CYCLE_XYZ], 24, f"cube_rotations(on={on})")


def tetrahedral_rotations(*, on: str = "vertices") -> PermGroup:
    """The rotation group ``T = A_4`` of the regular tetrahedron on its 4 vertices, 4 faces or 6 edges.

    ``T = <third turn about (1,1,1), half-turn about z>``, ``|T| = 12``. On the 4 vertices it is
    ``A_4``, whose 2-closure is ``S_4``. Point ``i`` is row ``i`` of
    ``solid_points("tetrahedron", on=on)``.

    Examples
    --------
    >>> G = tetrahedral_rotations(); G.degree, G.order()
    (4, 12)
    >>> solid_points("tetrahedron")  # vertex i of G is row i
    array([[-1., -1.,  1.],
           [-1.,  1., -1.],
           [ 1., -1., -1.],
           [ 1.,  1.,  1.]])
    """
    points = solid_points("tetrahedron", on=on)
    return _solid_group(points, [_CYCLE_XYZ, _TURN_Z], 12, f"tetrahedral_rotations(on={on})")


def icosahedral_rotations(*, on: str = "vertices") -> PermGroup:
    """The rotation group ``I = A_5`` of the icosahedron on its 12 vertices, 20 faces or 30 edges.

    ``I = <third turn about (1,1,1), half-turn about z, fifth turn about (0,1,phi)>``, ``|I| = 60``.
    Not 2-closed on vertices (closure ``I_h``, order 120); 2-closed on faces and edges. Point ``i`` is
    row ``i`` of ``solid_points("icosahedron", on=on)``.

    Examples
    --------
    >>> G = icosahedral_rotations(on="edges"); G.degree, G.order()
    (30, 60)
    >>> solid_points("icosahedron", on="edges").shape
    (30, 3)
    """
    fifth = _rotation(np.array([0.0, 1.0, PHI]), 2 * np.pi / 5)
    points = solid_points("icosahedron", on=on)
    return _solid_group(points, [_CYCLE_XYZ, _TURN_Z, fifth], 60, f"icosahedral_rotations(on={on})")


#: solid name -> its rotation group's constructor
_ROTATIONS = {"cube": cube_rotations, "tetrahedron": tetrahedral_rotations, "icosahedron": icosahedral_rotations}


def solid_rotations(solid: str, *, on: str = "vertices") -> PermGroup:
    """The rotation group of ``solid`` (named as in :func:`solid_points`) on its vertices, faces or edges:
    :func:`cube_rotations`, :func:`tetrahedral_rotations` or :func:`icosahedral_rotations`.

    Examples
    --------
    >>> G = solid_rotations("icosahedron"); G.degree, G.order()
    (12, 60)
    """
    if solid not in _ROTATIONS:
        raise ValueError(f"solid must be one of {', '.join(_ROTATIONS)}; got {solid!r}")
    return _ROTATIONS[solid](on=on)
