"""Upper bounds on ``|<gens>|`` from orbits and block systems, for proving a chain complete by counting.

A partial stabiliser chain's product ``prod |Delta_j|`` never exceeds ``|G|``, so reaching an upper
bound proves it complete. Beyond ``n!``: an intransitive group is at most the product of its transitive
constituents, ``|G| <= prod_O |G^O|``; a transitive group with a block system ``Sigma`` of ``m`` blocks
``B`` is at most ``|G^Sigma| |G_B^B|^m`` (the kernel of the action on blocks embeds in
``prod_B G_B^B`` and the blocks are conjugate). Every factor is the exact order of a group of smaller
degree, so direct and wreath products are proved without any Schreier generator.

Examples
--------
>>> import numpy as np
>>> orbit_ids(np.array([[1, 0, 2, 4, 3]])).tolist()
[0, 0, 2, 3, 3]
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .perm import inverse

if TYPE_CHECKING:
    from .chain import StabilizerChain

__all__ = ["orbit_ids", "structural_bound"]

_BLOCK_TRIES = 8  # minimal-block searches (Atkinson) before giving up on a block system
_MAX_BLOCK_FACTOR_DEGREE = 256  # the block bound recurses only into groups of at most this degree


def structural_bound(chain: StabilizerChain) -> int | None:
    """An upper bound on ``|<gens>|`` from orbits and blocks, or None when none applies.

    Intransitive: ``|G| <= prod_O |G^O|`` over the orbits ``O`` (moved points only). Transitive with
    a nontrivial block system ``Sigma`` of ``m`` blocks ``B``: ``|G| <= |G^Sigma| |G_B^B|^m`` (the
    kernel of the action on blocks embeds in ``prod_B G_B^B`` and the blocks are conjugate). Every
    factor is the exact order of a group of smaller degree (computed by :class:`StabilizerChain`).
    """
    gens = np.stack(chain._gens)
    n = gens.shape[1]
    ids = orbit_ids(gens)
    moved = np.flatnonzero((gens != np.arange(n)).any(axis=0))
    labels = np.unique(ids[moved])
    target = chain.order()  # what the bound has to equal to help (the chain is usually complete by now)
    if labels.size > 1:
        orbits = [np.flatnonzero(ids == lab) for lab in labels]
        if math.prod(o.size for o in orbits) > target:  # each constituent has order >= its degree
            return None
        return math.prod(_order_of(_restrict(gens, o)) for o in orbits)
    npts = moved.size
    # a block system of m blocks of size k gives a bound >= m k^m (transitive actions)
    sizes = [(npts // k, k) for k in range(2, npts // 2 + 1) if npts % k == 0]
    if not sizes or min(m * k**m for m, k in sizes) > target:
        return None
    local = _restrict(gens, moved) if moved.size < n else gens
    relabel = np.full(n, -1, dtype=np.int64)
    relabel[moved] = np.arange(moved.size)
    # a block containing b_0 is a union of (G_{b_0})-orbits: try one point of each orbit of the partial
    # stabiliser the chain already has
    b0 = int(relabel[chain.levels[0].base_point])
    sub = chain.level_generators(1)
    sub = relabel[sub[:, moved]] if len(sub) else np.empty((0, moved.size), dtype=np.int64)
    sub_ids = orbit_ids(sub)
    reps = np.unique(sub_ids)
    for x in reps[reps != sub_ids[b0]][:_BLOCK_TRIES]:
        blocks = _minimal_block(local, b0, int(x))
        if blocks is not None:
            m = int(blocks.max()) + 1
            if m * (npts // m) ** m > target:
                continue
            return _block_bound(local, blocks)
    return None


def _order_of(gens: np.ndarray) -> int:
    from .chain import StabilizerChain  # the chain uses these bounds: import when first needed

    return StabilizerChain(gens, gens.shape[1]).order()


def _restrict(gens: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Generators restricted to an invariant set ``pts`` (renumbered ``0..len(pts)-1``)."""
    relabel = np.full(gens.shape[1], -1, dtype=np.int64)
    relabel[pts] = np.arange(pts.size)
    return relabel[gens[:, pts]]


def orbit_ids(gens: np.ndarray) -> np.ndarray:
    """Smallest point of each point's orbit under the rows of ``gens`` (label propagation)."""
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


def _minimal_block(gens: np.ndarray, a: int, b: int) -> np.ndarray | None:
    """Atkinson's algorithm: block labels of the finest block system joining ``a`` and ``b``.

    Returns None when that system is trivial (one block).
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


def _block_bound(gens: np.ndarray, labels: np.ndarray) -> int | None:
    """``|G^Sigma| |G_B^B|^m`` for the block system ``labels`` (block ids ``0..m-1``) of transitive ``<gens>``."""
    npts = gens.shape[1]
    nblocks = int(labels.max()) + 1
    k = npts // nblocks
    if max(nblocks, k) > _MAX_BLOCK_FACTOR_DEGREE:
        return None
    first = np.zeros(nblocks, dtype=np.int64)
    first[labels[::-1]] = np.arange(npts)[::-1]
    on_blocks = labels[gens[:, first]]  # on_blocks[i, c]: image of block c under generator i
    top = _order_of(on_blocks)
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
    local = np.unique(np.concatenate(rows), axis=0)
    return top * _order_of(local) ** nblocks
