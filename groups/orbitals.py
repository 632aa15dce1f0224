"""Orbitals: the orbits of ``G`` on ordered pairs, computed by a suborbit gather.

For each ``G``-orbit ``Delta`` pick ``w`` in it, a transversal ``u_x`` (``u_x(w) = x``) and the orbits
of the stabiliser ``G_w`` on all points (the *suborbits*). Then

    orbital(x, y) = suborbit of u_x^{-1}(y),   i.e.   O[x, u_x(z)] = suborbit(z),

so the ``n x n`` matrix is one scatter of the transversal table per ``G``-orbit: ``O(n^2)`` with a
numpy-gather constant, instead of orbits of the group lifted to ``n^2`` points.
"""

from __future__ import annotations

import numpy as np

from .group import PermGroup

__all__ = ["orbital_representatives", "orbitals", "rank"]


def _suborbits(group: PermGroup, rep: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(orbit, table, labels)``: level-0 transversal at ``rep`` and the ``G_rep``-orbit label of each point."""
    chain = group.chain_with_base([rep])
    orbit, table = chain.transversal(0)
    stab = PermGroup(chain.level_generators(1), group.degree)
    return orbit, table, stab.orbit_ids()


def orbitals(group: PermGroup, *, dtype: np.dtype | type = np.int32) -> np.ndarray:
    """The orbital-id matrix ``O`` with ``O[x, y] = O[x', y']`` iff ``(x', y') = (x^g, y^g)`` for a ``g`` in ``G``.

    Ids are ``0..r-1`` (``r`` = number of orbitals, the rank for transitive ``G``), numbered in order of
    first appearance in row-major order, so equal groups give equal matrices. Diagonal orbitals are
    ``G``-orbits of points: ``O[x, x]`` identifies the orbit of ``x``.

    Parameters
    ----------
    group
        ``G`` on ``n`` points.
    dtype
        Integer dtype of the result (``int32`` holds up to ``2^31`` orbitals).

    Returns
    -------
    numpy.ndarray
        ``(n, n)`` orbital ids.

    Examples
    --------
    >>> from asen.groups import PermGroup
    >>> C4 = PermGroup([[1, 2, 3, 0]])
    >>> orbitals(C4)            # the orbital of (x, y) is the difference y - x mod 4
    array([[0, 1, 2, 3],
           [3, 0, 1, 2],
           [2, 3, 0, 1],
           [1, 2, 3, 0]], dtype=int32)
    """
    n = group.degree
    out = np.empty((n, n), dtype=dtype)
    offset = 0
    for delta in group.orbits():
        rep = int(delta[0])
        orbit, table, labels = _suborbits(group, rep)
        # compact suborbit labels (smallest point of each G_rep-orbit) to 0..s-1
        uniq, local = np.unique(labels, return_inverse=True)
        # O[orbit[k], table[k, z]] = local[z] + offset
        out[orbit[:, None], table] = (local + offset).astype(dtype)[None, :]
        offset += uniq.size
    # Already numbered by first appearance: orbitals with first point in an orbit first occur in the row of
    # its smallest point (sorted), where u is the identity and the column is the suborbit's smallest point.
    return out


def orbital_representatives(mat: np.ndarray) -> np.ndarray:
    """``(r, 2)`` array: the first pair (row-major) of each orbital id ``0..r-1``."""
    flat = mat.ravel()
    ids, first = np.unique(flat, return_index=True)
    n = mat.shape[1]
    return np.stack([first // n, first % n], axis=1)[np.argsort(ids)]


def rank(group: PermGroup) -> int:
    """Number of orbitals (the rank of ``G`` when it is transitive)."""
    total = 0
    for delta in group.orbits():
        _, _, labels = _suborbits(group, int(delta[0]))
        total += np.unique(labels).size
    return total
