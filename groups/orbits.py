"""Orbits of a permutation group given by generators, computed on the generators alone (no chain).

The orbit of ``x`` under ``G = <gens>`` is ``x^G = {g(x) : g in G}``; the orbits partition the points.
:func:`orbit_ids` labels each point by the smallest point of its orbit and :func:`restrict` gives the
action on an invariant set (a union of orbits). Both are used by the stabiliser chain's counting
bounds, the Schreier-generator shortcuts and :class:`asen.groups.PermGroup`.

Examples
--------
>>> import numpy as np
>>> orbit_ids(np.array([[1, 0, 2, 4, 3]])).tolist()
[0, 0, 2, 3, 3]
>>> restrict(np.array([[1, 0, 2, 4, 3]]), np.array([3, 4])).tolist()
[[1, 0]]
"""

from __future__ import annotations

import numpy as np

__all__ = ["orbit_ids", "restrict"]


def orbit_ids(gens: np.ndarray) -> np.ndarray:
    """Smallest point of each point's orbit under the rows of ``gens``.

    ``ids[x] = min x^G``. Label propagation (a point and its image under each generator take the
    smaller label) alternated with pointer jumping until the labels are stable.

    Parameters
    ----------
    gens
        Generators as a ``(k, n)`` integer array (``k = 0`` allowed: every point is its own orbit).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` int64 labels.
    """
    n = gens.shape[1]
    lab = np.arange(n)
    while gens.size:
        old = lab
        for g in gens:
            low = np.minimum(lab, lab[g])  # a point takes its image's label
            low[g] = np.minimum(low[g], lab)  # and an image its preimage's (g is a bijection)
            lab = low
        while True:  # pointer jumping: follow labels to their roots
            nxt = lab[lab]
            if np.array_equal(nxt, lab):
                break
            lab = nxt
        if np.array_equal(lab, old):
            break
    return lab


def restrict(gens: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Generators restricted to an invariant set ``pts``, renumbered ``0..len(pts)-1``.

    Row ``i`` of the result is ``k -> index of gens[i](pts[k]) in pts``, the action of ``G`` on
    ``pts``; ``pts`` must be a union of orbits (otherwise images fall outside and read ``-1``).
    """
    relabel = np.full(gens.shape[1], -1, dtype=np.int64)
    relabel[pts] = np.arange(pts.size)
    return relabel[gens[:, pts]]
