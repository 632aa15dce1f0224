"""Sparse certificates: few arc colour classes whose automorphism group is still the target.

For any set ``C`` of orbital classes, ``G <= G^(2) <= Aut(C)``; so once nauty's generators of ``Aut(C)``
all lie in ``G``, the classes in ``C`` alone realise ``G`` exactly (theory.md §4.2). The search is greedy:
classes that join an orbit representative to its image under a generator first (Cayley-graph-like arcs),
then the rest by size; a class is kept only when it shrinks nauty's group order.
"""

from __future__ import annotations

import numpy as np

from .group import PermGroup
from .automorphisms import restricted_automorphisms

__all__ = ["candidate_classes", "greedy_classes"]


def candidate_classes(pair_colors: np.ndarray, group: PermGroup) -> np.ndarray:
    """Non-background, off-diagonal arc classes in the order the greedy search tries them."""
    n = group.degree
    block = pair_colors[:n, :n]
    counts = np.bincount(pair_colors.ravel())
    diagonal = set(np.diagonal(pair_colors).tolist())
    first: list[int] = []
    for delta in group.orbits():
        w = int(delta[0])
        for s in group.generators:
            c = int(block[w, s[w]])
            if c and c not in diagonal and c not in first:
                first.append(c)
    rest = [
        c for c in np.argsort(counts, kind="stable").tolist() if counts[c] and c not in diagonal and c != 0
    ]
    rest = [c for c in rest if c not in first]
    return np.array(first + rest, dtype=np.int64)


def greedy_classes(
    vertex_colors: np.ndarray,
    pair_colors: np.ndarray,
    n: int,
    target: PermGroup,
    *,
    candidates: np.ndarray | None = None,
    max_calls: int | None = None,
) -> np.ndarray | None:
    """Arc classes ``C`` (ids) with ``Aut(vertex colours, C)|Omega <= target``, or None if none found.

    Parameters
    ----------
    vertex_colors, pair_colors
        The full structure on ``N >= n`` vertices.
    n
        Number of points (the first ``n`` vertices).
    target
        The group the coarsening must not exceed (membership of nauty's generators).
    candidates
        Classes to try, in order (default: :func:`candidate_classes` on the points' block).
    max_calls
        Stop after this many nauty runs (default: no limit).
    """
    if candidates is None:
        candidates = candidate_classes(pair_colors, target)
    kept: list[int] = []  # loops (diagonal classes) repeat the vertex colours: never needed

    def run(classes: list[int]) -> tuple[bool, float]:
        coarse = np.where(np.isin(pair_colors, classes), pair_colors, 0)
        gens, order = restricted_automorphisms(vertex_colors, coarse, n)
        return bool(target.chain.contains(gens).all()) if len(gens) else True, order

    done, best = run(kept)
    calls = 1
    for c in candidates:
        if done:
            return np.array(sorted(kept), dtype=np.int64)
        if max_calls is not None and calls >= max_calls:
            return None
        ok, order = run(kept + [int(c)])
        calls += 1
        if ok or order < best - 1e-9:  # log10 orders
            kept.append(int(c))
            done, best = ok, order
    return np.array(sorted(kept), dtype=np.int64) if done else None
