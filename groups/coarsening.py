"""Sparse certificates: few arc colour classes whose automorphism group is still the target.

For any set ``C`` of orbital classes, ``G <= G^(2) <= Aut(C)``; so once nauty's generators of ``Aut(C)``
all lie in ``G``, the classes in ``C`` alone realise ``G`` exactly (theory.md §4.2). The search is greedy:
classes that join an orbit representative to its image under a generator first (Cayley-graph-like arcs),
then the rest by size; a class is kept only when it shrinks the engine's group order.
:func:`greedy_classes` reads a dense colour matrix; :func:`greedy_orbital_classes` the orbitals as arc
lists (:class:`~asen.groups.orbital_classes.OrbitalClasses`), so it never builds an ``n x n`` array.
"""

from __future__ import annotations

import numpy as np

from collections.abc import Callable

from .automorphisms import restricted_automorphisms
from .group import PermGroup
from .membership import contains
from .orbital_classes import OrbitalClasses

__all__ = ["candidate_classes", "greedy_classes", "greedy_orbital_classes"]


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
    engine: str = "auto",
) -> np.ndarray | None:
    """Arc classes ``C`` (ids) with ``Aut(vertex colours, C)|Omega <= target``, or None if none found.

    Parameters
    ----------
    vertex_colors, pair_colors
        The full structure on ``N >= n`` vertices.
    n
        Number of points (the first ``n`` vertices).
    target
        The group the coarsening must not exceed (membership of the engine's generators).
    candidates
        Classes to try, in order (default: :func:`candidate_classes` on the points' block).
    max_calls
        Stop after this many engine runs (default: no limit).
    engine
        ``"auto"``, ``"nauty"`` or ``"bliss"`` (:mod:`asen.groups.engines`).
    """
    if candidates is None:
        candidates = candidate_classes(pair_colors, target)

    def run(classes: list[int]) -> tuple[bool, float]:
        coarse = np.where(np.isin(pair_colors, classes), pair_colors, 0)
        gens, order = restricted_automorphisms(vertex_colors, coarse, n, engine=engine)
        return bool(target.chain.contains(gens).all()) if len(gens) else True, order

    return _greedy(run, candidates, max_calls)


def greedy_orbital_classes(
    classes: OrbitalClasses | PermGroup,
    target: PermGroup | None = None,
    *,
    max_calls: int | None = None,
    engine: str = "auto",
) -> np.ndarray | None:
    """:func:`greedy_classes` on the closure input of ``G``, from orbital arc lists (no ``n x n`` array).

    Same search, same candidates, same result as ``greedy_classes(*orbital_coloring(G), n, target)``.

    Parameters
    ----------
    classes
        The orbitals of ``G`` (:class:`~asen.groups.orbital_classes.OrbitalClasses`), or ``G`` itself.
    target
        The group not to exceed (default ``G``).
    max_calls, engine
        As in :func:`greedy_classes`.

    Returns
    -------
    numpy.ndarray or None
        Sorted colours (orbital id + 1) of the kept classes.

    Examples
    --------
    >>> from asen.groups import dihedral
    >>> greedy_orbital_classes(dihedral(16)).tolist()   # the undirected 16-cycle
    [2]
    """
    if isinstance(classes, PermGroup):
        classes = OrbitalClasses(classes)
    target = classes.group if target is None else target
    n = classes.group.degree

    def run(kept: list[int]) -> tuple[bool, float]:
        gens, order = restricted_automorphisms(classes.vertex_colors, classes.arcs(kept), n, engine=engine)
        return bool(contains(target.chain, gens).all()) if len(gens) else True, order

    return _greedy(run, classes.candidates(), max_calls)


def _greedy(
    run: Callable[[list[int]], tuple[bool, float]], candidates: np.ndarray, max_calls: int | None
) -> np.ndarray | None:
    """Add candidates in order, keeping one when it reaches the target or shrinks the (log10) order."""
    kept: list[int] = []  # loops (diagonal classes) repeat the vertex colours: never needed
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
