"""Deterministic completion of a stabiliser chain by Schreier's lemma, batched in numpy.

A partial chain (every strong generator is an element of ``G``) is a base and strong generating set
iff, for every level ``j``, each Schreier generator ``u_p s u_{s(p)}^-1`` (``p`` in ``Delta_j``, ``s`` a
generator of ``G^(j)``) sifts to the identity through levels ``j+1..``. :func:`verify` checks this
bottom-up and adds a failing Schreier generator as a new strong generator until all pass; the levels
below a new generator's depth keep their generators and stay verified.

Costs are cut three ways: level 0 uses the given generators only (they generate ``G``); a Schreier
generator is trivial iff ``u_p s = u_{s(p)}``, a row comparison before any gather, and duplicates are
sifted once; and level 0 of a group with an abelian regular normal subgroup among its generators
(tori, ``C_n``, ``D_n``) needs one element per other generator (:func:`level0_by_regular_normal_subgroup`).

The chain is anything with the :class:`PartialChain` surface (:class:`asen.groups.chain.StabilizerChain`
has it), so this module depends on the levels (:mod:`asen.groups.transversals`) but not on the chain.

Examples
--------
>>> import numpy as np
>>> from asen.groups.chain import StabilizerChain
>>> c = StabilizerChain.partial(np.array([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]]), 5)   # S_5, unverified
>>> verify(c)
>>> c.order()
120
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .orbits import orbit_ids
from .perm import inverse, perm_dtype
from .transversals import CHUNK_ENTRIES, Level, take_rows

__all__ = ["PartialChain", "failing_schreier_generator", "level0_by_regular_normal_subgroup", "verify"]


class PartialChain(Protocol):
    """What the Schreier-generator check needs of a stabiliser chain (every strong generator in ``G``)."""

    degree: int
    levels: list[Level]

    @property
    def generators(self) -> np.ndarray:
        """Generators of ``G`` as a ``(k, n)`` array; they come first in level 0's generator list."""
        ...

    def sift_inplace(self, h: np.ndarray, start: int = 0) -> np.ndarray:
        """Sift the rows of ``h`` in place through levels ``start..``; return each row's stop level."""
        ...

    def add_strong_generator(self, h: np.ndarray) -> int:
        """Add ``h`` (an element of ``G``) as a strong generator; return its depth."""
        ...


def verify(chain: PartialChain) -> None:
    """Schreier's lemma, batched and bottom-up: Schreier generators of level j sift through j+1.."""
    j = len(chain.levels) - 1
    while j >= 0:
        h = failing_schreier_generator(chain, j)
        if h is None:
            j -= 1
            continue
        # h fixes b_0..b_j; levels below its depth keep their generators and stay verified
        j = chain.add_strong_generator(h)


def failing_schreier_generator(chain: PartialChain, j: int) -> np.ndarray | None:
    """A Schreier generator ``u_p s u_{s(p)}^-1`` of level ``j`` that does not sift, or None."""
    lev = chain.levels[j]
    if lev.orbit.size == 1 or not lev.gens:
        return None
    if j == 0:
        applies, failing = level0_by_regular_normal_subgroup(chain)
        if applies:
            return failing
    n = chain.degree
    # generators of G^(j): the given ones at level 0 (they come first in level 0's list)
    ngen = len(chain.generators) if j == 0 else len(lev.gens)
    stack = lev.stack()[:ngen]
    size = lev.orbit.size
    images = lev.pos[stack[:, lev.orbit]]  # (ngen, size): position of s(orbit[k])
    # tree edges u_p * s = u_{s(p)} give the identity: skip them
    tree = (lev.parent[images] == np.arange(size)) & (lev.via[images] == np.arange(ngen)[:, None])
    gi, ks = np.nonzero(~tree)
    if not gi.size:
        return None
    table = lev.table()
    gen_flat = stack.reshape(-1)
    step = max(1, CHUNK_ENTRIES // max(n, 1))
    for c in range(0, gi.size, step):
        g, k = gi[c : c + step], ks[c : c + step]
        q = images[g, k]
        if g[0] == g[-1]:  # one generator (gi is sorted): a 1-D lookup, no index arithmetic
            v = stack[g[0]].take(table[k])  # u_p then s
        else:
            v = take_rows(gen_flat, g, table[k], n)
        # u_p s u_q^-1 is trivial iff u_p s = u_q: a row comparison, no gather
        live = ~(v == table[q]).all(axis=1)
        if not live.any():
            continue
        itab_flat = lev.itable().reshape(-1)
        cand = _distinct_rows(take_rows(itab_flat, q[live], v[live], n))  # then u_q^-1
        stop = chain.sift_inplace(cand, start=j + 1)
        bad = (stop != len(chain.levels)) | (cand != np.arange(n, dtype=cand.dtype)).any(axis=1)
        if bad.any():
            return cand[int(np.flatnonzero(bad)[0])].astype(np.int64)
    return None


def level0_by_regular_normal_subgroup(chain: PartialChain) -> tuple[bool, np.ndarray | None]:
    """Level 0 of a group with an abelian regular normal subgroup among its generators (tori, C_n, D_n).

    If some given generators ``R`` commute, fix every point outside ``Delta_0`` and are transitive on
    it, then ``<R>`` is regular on ``Delta_0``; if every other generator ``s`` normalises it
    (``s^-1 r s`` commutes with ``R``: the centraliser of a regular abelian group is itself), then with
    ``<R>`` as transversal every Schreier generator of ``s`` in ``R`` is trivial and every one of another
    ``s`` equals ``s w_s^-1`` (``w_s`` in ``<R>`` with ``w_s(b_0) = s(b_0)``). So ``G_{b_0}`` is generated
    by these few elements and only they need to sift. Returns ``(applies, failing residue or None)``.
    """
    lev = chain.levels[0]
    gens = chain.generators
    k = len(gens)
    outside = np.flatnonzero(lev.pos < 0)
    fixes_outside = [bool((g[outside] == outside).all()) for g in gens]
    commute = [[np.array_equal(a[b], b[a]) for b in gens] for a in gens]
    for first in range(k):
        if not fixes_outside[first]:
            continue
        ring = [first]
        for i in range(k):
            if i != first and fixes_outside[i] and all(commute[i][r] for r in ring):
                ring.append(i)
        regular = np.stack([gens[i] for i in ring])
        ids = orbit_ids(regular)
        if (ids[lev.orbit] != ids[lev.base_point]).any():
            continue  # <R> is not transitive on Delta_0
        others = [gens[i] for i in range(k) if i not in ring]
        if not all(_normalises(s, regular) for s in others):
            continue
        if not others:
            return True, None
        tree = _point_tree(regular, lev.base_point)
        b = lev.base_point
        cand = np.stack([inverse(_walk(tree, regular, int(s[b])))[s] for s in others])  # s then w^-1
        cand = cand.astype(perm_dtype(chain.degree))
        stop = chain.sift_inplace(cand, start=1)
        bad = (stop != len(chain.levels)) | (cand != np.arange(chain.degree, dtype=cand.dtype)).any(axis=1)
        return True, (cand[int(np.flatnonzero(bad)[0])].astype(np.int64) if bad.any() else None)
    return False, None


def _normalises(s: np.ndarray, regular: np.ndarray) -> bool:
    """``s^-1 r s`` commutes with every row of ``regular`` for every row ``r`` (so lies in ``<regular>``)."""
    sinv = inverse(s)
    for r in regular:
        y = s[r[sinv]]  # s^-1, then r, then s
        if not all(np.array_equal(y[r2], r2[y]) for r2 in regular):
            return False
    return True


def _point_tree(gens: np.ndarray, root: int) -> tuple[np.ndarray, np.ndarray]:
    """Breadth-first tree of the orbit of ``root``: ``(parent point, generator index)`` per point (-1: none)."""
    n = gens.shape[1]
    parent = np.full(n, -1, dtype=np.int64)
    via = np.full(n, -1, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    seen[root] = True
    frontier = np.array([root])
    while frontier.size:
        images = gens[:, frontier].reshape(-1)
        fresh = np.flatnonzero(~seen[images])
        if not fresh.size:
            break
        pts, first = np.unique(images[fresh], return_index=True)
        hit = fresh[first]
        gi, src = np.divmod(hit, frontier.size)
        seen[pts] = True
        parent[pts], via[pts] = frontier[src], gi
        frontier = pts
    return parent, via


def _walk(tree: tuple[np.ndarray, np.ndarray], gens: np.ndarray, point: int) -> np.ndarray:
    """The product of generators along the tree path from the root to ``point`` (maps root to point)."""
    parent, via = tree
    labels = []
    while parent[point] >= 0:
        labels.append(int(via[point]))
        point = int(parent[point])
    out = np.arange(gens.shape[1])
    for gi in reversed(labels):  # root first
        out = gens[gi][out]
    return out


def _distinct_rows(rows: np.ndarray, *, sample: int = 32) -> np.ndarray:
    """A subset of the rows containing every distinct row (exact; cheap when most rows repeat).

    Rows are grouped by a key computed from a few columns (equal rows, equal keys); a row equal to its
    group's first row is dropped, any other row is kept, so nothing distinct is ever lost.
    """
    m, n = rows.shape
    if m <= 8:
        return rows
    cols = np.linspace(0, n - 1, num=min(sample, n)).astype(np.int64)
    weights = np.random.default_rng(0).integers(1, 2**62, size=cols.size)
    keys = rows[:, cols].astype(np.int64) @ weights  # wraps on overflow; only equality matters
    _, first, group = np.unique(keys, return_index=True, return_inverse=True)
    if first.size == m:
        return rows
    same = (rows == rows[first[group]]).all(axis=1)
    same[first] = False
    return rows[~same]
