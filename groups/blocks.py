"""Block systems of a transitive permutation group given by generators.

A block system ``Sigma`` of a transitive ``G`` is a ``G``-invariant partition of the points into
``m`` blocks of equal size ``k``. Block systems are given here as labels: ``labels[x]`` is the block
of ``x``, numbered ``0..m-1``. :func:`minimal_block` finds the finest system joining two points
(Atkinson); :func:`block_action` is the action ``G^Sigma`` of ``G`` on the blocks and
:func:`block_stabiliser_action` the action ``G_B^B`` of the setwise stabiliser of block ``B = 0`` on
its own points. ``|G| <= |G^Sigma| |G_B^B|^m`` (used by :mod:`asen.groups.order_bounds`).

Examples
--------
>>> import numpy as np
>>> hexagon = np.array([[1, 2, 3, 4, 5, 0], [0, 5, 4, 3, 2, 1]])   # D_6
>>> labels = minimal_block(hexagon, 0, 3)
>>> labels.tolist()                                       # opposite corners
[0, 1, 2, 0, 1, 2]
>>> block_action(hexagon, labels).tolist()                # D_6 acts on the 3 diagonals as S_3
[[1, 2, 0], [0, 2, 1]]
"""

from __future__ import annotations

import numpy as np

from .perm import inverse

__all__ = ["block_action", "block_stabiliser_action", "minimal_block"]


def minimal_block(gens: np.ndarray, a: int, b: int) -> np.ndarray | None:
    """Atkinson's algorithm: block labels of the finest block system joining ``a`` and ``b``.

    Starts from the partition with ``a ~ b`` and merges ``g(x) ~ g(y)`` for every merged pair and
    generator (union-find) until the partition is ``G``-invariant.

    Parameters
    ----------
    gens
        Generators of a transitive group as a ``(k, n)`` integer array.
    a, b
        Two distinct points.

    Returns
    -------
    numpy.ndarray or None
        ``(n,)`` block labels ``0..m-1`` (numbered by smallest point), or None when that system is
        trivial (one block).
    """
    m = gens.shape[1]
    parent = list(range(m))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    glist = [g.tolist() for g in gens]
    parent[b] = a
    classes = m - 1
    queue = [(a, b)]
    while queue:
        x, y = queue.pop()
        for g in glist:
            rx, ry = find(g[x]), find(g[y])
            if rx != ry:
                parent[ry] = rx
                classes -= 1
                if classes == 1:
                    return None
                queue.append((g[x], g[y]))
    roots = np.array([find(x) for x in range(m)])
    return np.unique(roots, return_inverse=True)[1].reshape(-1)


def block_action(gens: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The action ``G^Sigma`` on the blocks: row ``i``, column ``c`` is the block ``gens[i]`` maps ``c`` to.

    Read off one point per block (a block's image is a block): ``(k, m)`` int64.
    """
    npts = gens.shape[1]
    nblocks = int(labels.max()) + 1
    first = np.zeros(nblocks, dtype=np.int64)
    first[labels[::-1]] = np.arange(npts)[::-1]  # the smallest point of each block
    return labels[gens[:, first]]


def block_stabiliser_action(gens: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Generators of ``G_B^B``: the setwise stabiliser of block ``B = 0`` acting on ``B``.

    With ``r_c`` mapping block 0 to block ``c`` (breadth-first over :func:`block_action`), the Schreier
    generators ``r_c * g * r_{g(c)}^-1`` generate ``G_B``; they are restricted to ``B`` and renumbered
    ``0..k-1`` in increasing point order. Returns the distinct rows, ``(r, k)`` int64.
    """
    npts = gens.shape[1]
    nblocks = int(labels.max()) + 1
    k = npts // nblocks
    on_blocks = block_action(gens, labels)
    # reps[c] maps block 0 to block c (breadth-first over the action on blocks)
    reps = np.empty((nblocks, npts), dtype=np.int64)
    reps[0] = np.arange(npts)
    found = np.zeros(nblocks, dtype=bool)
    found[0] = True
    frontier = [0]
    while frontier:
        nxt = []
        for c in frontier:
            for i, g in enumerate(gens):
                d = int(on_blocks[i, c])
                if not found[d]:
                    found[d] = True
                    reps[d] = g[reps[c]]  # reps[c] then g
                    nxt.append(d)
        frontier = nxt
    # Schreier generators reps[c] * g * reps[g(c)]^-1 generate the setwise stabiliser of block 0
    inv_reps = inverse(reps)
    block0 = np.flatnonzero(labels == 0)
    relabel = np.full(npts, -1, dtype=np.int64)
    relabel[block0] = np.arange(k)
    rows = []
    for i, g in enumerate(gens):
        targets = on_blocks[i]  # (nblocks,)
        s = np.take_along_axis(inv_reps[targets], g[reps], axis=1)  # (nblocks, npts)
        rows.append(relabel[s[:, block0]])
    return np.unique(np.concatenate(rows), axis=0)
