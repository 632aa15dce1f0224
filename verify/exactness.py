"""Exactness: is ``fn`` equivariant to ``G`` and to nothing tested outside ``G``?

The permutations outside ``G`` worth testing are those a model is most likely to respect by accident:

* generators of the **2-closure** ``G^(2)`` when it is bigger than ``G`` (orbital weight sharing, and
  every linear layer built from ``G``, is ``G^(2)``-equivariant; see :func:`asen.groups.two_closure`);
* elements of the **normaliser**: for a generator ``s`` and a unit ``k`` of its order, the permutation
  that maps the cycles of ``s`` onto those of ``s^k`` (the reflection ``i -> -i`` for ``C_n``), kept when
  it normalises ``G``;
* generators of **catalogue overgroups** of the same degree that contain ``G`` (``dihedral(n)`` over
  ``cyclic(n)``, ``p4m(m)`` over ``p4(m)``, ...);
* **S_n's generators**: every transposition for ``n <= 12``; otherwise the adjacent transpositions
  (at most 64, evenly spaced) and 16 random ones; and the long cycle ``(1,2,...,n)``;
* uniform random elements of ``S_n \\ G``.

The permutations ``fn`` respects generate, together with ``G``, the largest group the function was
seen to respect (the set of permutations a function commutes with is a group), reported as "your model
is equivariant to dihedral(10), you asked for cyclic(10)".

Examples
--------
>>> import numpy as np
>>> from asen.groups.catalogue import cyclic
>>> sym = lambda x: x + np.roll(x, 1, axis=1) + np.roll(x, -1, axis=1)   # a symmetric kernel: D_6
>>> report = check_exact_symmetry(sym, cyclic(6), shapes=(1, 6, 2))
>>> report.passed, report.respected_name, report.respected_order
(False, 'dihedral(6)', 12)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng, compose, cycles, inverse
from ..groups import two_closure as closure_of
from ..groups.spec import as_group
from .check import finish_report
from .prepare import prepare_check, sample_elements, search_strategy
from .report import ExactnessReport, OutsideCheck

__all__ = ["check_exact_symmetry", "largest_respected_group", "outside_candidates"]

ALL_TRANSPOSITIONS_UP_TO = 12
MAX_ADJACENT = 64
NUM_RANDOM_TRANSPOSITIONS = 16
MAX_OVERGROUP_DEGREE = 4096


def _transposition(n: int, i: int, j: int) -> np.ndarray:
    p = np.arange(n, dtype=np.int64)
    p[i], p[j] = j, i
    return p


def _is_even(p: np.ndarray) -> bool:
    return (p.size - len(cycles(p, include_fixed=True))) % 2 == 0


def _catalogue_candidates(n: int) -> list[tuple[PermGroup, int]]:
    """Catalogue groups of degree ``n`` with their orders known by formula (S_n and A_n are handled apart)."""
    from ..groups import catalogue, geometric

    out = []
    if n >= 3:
        out += [(catalogue.cyclic(n), n), (catalogue.dihedral(n), 2 * n)]
    m = round(n**0.5)
    if m >= 3 and m * m == n:
        out += [
            (geometric.grid_rotations(m), 4),
            (geometric.grid_dihedral(m), 8),
            (geometric.torus_translations(m, m), n),
        ]
        out += [(geometric.p4(m), 4 * n), (geometric.p4m(m), 8 * n)]
    return out


def _normaliser_elements(G: PermGroup, *, max_generators: int = 4, units: int = 3) -> list[np.ndarray]:
    """Permutations mapping the cycles of a generator ``s`` onto those of ``s^k`` that normalise ``G``."""
    n = G.degree
    out = []
    for s in G.generators[:max_generators]:
        cs = cycles(s)
        if not cs:
            continue
        order = int(np.lcm.reduce([len(c) for c in cs]))
        ks = [k for k in [order - 1] + list(range(2, min(order, 40))) if np.gcd(k, order) == 1][:units]
        for k in dict.fromkeys(ks):
            x = np.arange(n, dtype=np.int64)
            for c in cs:
                m = len(c)
                for j, a in enumerate(c):
                    x[a] = c[(j * k) % m]
            conj = np.stack([compose(inverse(x), t, x) for t in G.generators])
            if G.contains_many(conj).all():
                out.append(x)
    return out


def outside_candidates(
    group: PermGroup | str,
    *,
    num_random: int = 8,
    two_closure: bool = True,
    seed: int | np.random.Generator | None = 0,
) -> list[tuple[np.ndarray, str]]:
    """Informative permutations outside ``group`` with where each came from (see the module notes).

    ``group`` is a :class:`~asen.groups.PermGroup` or a spec such as ``"cyclic(5)"``
    (:func:`~asen.groups.as_group`).

    Returns
    -------
    list of (permutation, source)
        Distinct permutations not in ``group``; sources are ``"2-closure"``, ``"normaliser"``,
        ``"overgroup NAME"``, ``"transposition"``, ``"long cycle"`` and ``"random"``.

    Examples
    --------
    >>> from asen.groups.catalogue import cyclic
    >>> [(c.tolist(), s) for c, s in outside_candidates(cyclic(3), num_random=0)][:2]
    [([0, 2, 1], 'normaliser'), ([1, 0, 2], 'transposition')]
    """
    G = as_group(group)
    n = G.degree
    rng = as_rng(seed)
    if G.order() == math.factorial(n):
        return []  # S_n: nothing lies outside
    found: list[tuple[np.ndarray, str]] = []
    if two_closure and n >= 3:
        C = closure_of(G)
        if C.order() > G.order():
            found += [(g, "2-closure") for g in C.generators]
    found += [(x, "normaliser") for x in _normaliser_elements(G)]
    if n <= MAX_OVERGROUP_DEGREE:
        order = G.order()
        for H, h_order in _catalogue_candidates(n):
            if h_order > order and G.is_subgroup(H):
                found += [(g, f"overgroup {H.name}") for g in H.generators]
        if n >= 4 and all(_is_even(g) for g in G.generators) and order < math.factorial(n) // 2:
            from ..groups import catalogue

            found += [(g, f"overgroup alternating({n})") for g in catalogue.alternating(n).generators]
    if n <= ALL_TRANSPOSITIONS_UP_TO:
        pairs = [(i, j) for i in range(n) for j in range(i + 1, n)]
    else:
        adj = np.unique(np.linspace(0, n - 2, min(MAX_ADJACENT, n - 1)).round().astype(int))
        pairs = [(int(i), int(i) + 1) for i in adj]
        for _ in range(NUM_RANDOM_TRANSPOSITIONS):
            i, j = sorted(rng.choice(n, size=2, replace=False).tolist())
            pairs.append((i, j))
    found += [(_transposition(n, i, j), "transposition") for i, j in pairs]
    if n >= 3:
        found.append((np.roll(np.arange(n, dtype=np.int64), -1), "long cycle"))
    if num_random > 0:
        draws = np.stack([rng.permutation(n) for _ in range(4 * num_random)]).astype(np.int64)
        outside = draws[~G.contains_many(draws)][:num_random]
        found += [(p, "random") for p in outside]
    if not found:
        return []
    perms = np.stack([np.asarray(p, dtype=np.int64) for p, _ in found])
    outside = ~G.contains_many(perms)
    _, first = np.unique(perms, axis=0, return_index=True)
    keep = sorted(i for i in first if outside[i])
    return [(perms[i], found[i][1]) for i in keep]


def _generates_symmetric(gens: list[np.ndarray], n: int) -> bool:
    """Sufficient test for ``<gens> = S_n``: the transpositions among ``gens``, closed under conjugation by
    ``gens``, join all ``n`` points (transpositions whose graph is connected generate ``S_n``)."""
    if n < 2:
        return True
    ident = np.arange(n)
    adj = np.zeros((n, n), dtype=bool)
    for g in gens:
        moved = np.flatnonzero(g != ident)
        if moved.size == 2:
            adj[moved[0], moved[1]] = adj[moved[1], moved[0]] = True
    if not adj.any():
        return False
    gen_arr = np.stack(gens)
    while True:  # close the edge set under <gens>: (i j) in H implies (g[i] g[j]) in H
        grown = adj.copy()
        for g in gen_arr:
            grown[np.ix_(g, g)] |= adj
        if np.array_equal(grown, adj):
            break
        adj = grown
    reached = np.zeros(n, dtype=bool)
    reached[0] = True
    while True:
        nxt = reached | adj[reached].any(axis=0)
        if np.array_equal(nxt, reached):
            return bool(reached.all())
        reached = nxt


def _name(H: PermGroup, G: PermGroup) -> str | None:
    """A catalogue name for ``H`` (same degree), or None."""
    order = H.order()
    if order == G.order():
        return G.name
    n = H.degree
    if order == math.factorial(n):
        return f"symmetric({n})"
    if n >= 3 and order == math.factorial(n) // 2 and all(_is_even(g) for g in H.generators):
        return f"alternating({n})"
    for C, c_order in _catalogue_candidates(n) if n <= MAX_OVERGROUP_DEGREE else []:
        if c_order == order and H.is_subgroup(C):
            return C.name
    return None


def check_exact_symmetry(
    fn: Callable[..., Any],
    group: PermGroup | str,
    inputs: Any = None,
    *,
    num_random_outside: int = 8,
    two_closure: bool = True,
    num_elements: int = 16,
    shrink: bool = True,
    seed: int | np.random.Generator | None = 0,
    **options: Any,
) -> ExactnessReport:
    """Check that ``fn`` is equivariant to ``group`` and respects no tested permutation outside it.

    Takes every option of :func:`~asen.verify.check_equivariance` (``in_axes``, ``out_axes``,
    ``batch_axis``, ``shapes``, ``float64``, ...), plus:

    Parameters
    ----------
    num_random_outside
        Uniform random elements of ``S_n \\ G`` to test besides the informative ones.
    two_closure
        Test generators of the 2-closure (nauty, through :func:`asen.groups.two_closure`).

    Returns
    -------
    ExactnessReport
        ``passed`` is True when ``fn`` is equivariant to ``group`` and breaks every outside permutation;
        ``respected_group()`` is the group generated by ``group`` and the outside permutations respected.
    """
    start = time.perf_counter()
    prep = prepare_check(fn, group, inputs, seed=seed, **options)
    G = prep.group
    rng = as_rng(seed)
    perms = sample_elements(G, int(num_elements), seed=rng)
    minimal = None
    if prep.strategy is None:
        meas = prep.harness.measure(prep.examples, perms)
    else:
        prep.examples, meas, minimal = search_strategy(prep, perms)
        prep.families = ["hypothesis"] * len(prep.examples)
    eq = finish_report(prep, perms, meas, start=start, shrink=shrink, minimal=minimal)
    cands = outside_candidates(G, num_random=num_random_outside, two_closure=two_closure, seed=rng)
    outside: list[OutsideCheck] = []
    gens = [g for g in G.generators] if eq.passed else []
    if cands:
        out_perms = np.stack([c for c, _ in cands])
        om = prep.harness.measure(prep.examples, out_perms)
        worst = om.ratio.max(axis=0)
        rel = om.rel_err.max(axis=0)
        for (p, source), r, e in zip(cands, worst, rel):
            outside.append(OutsideCheck([int(v) for v in p], source, bool(r <= 1), float(e), float(r)))
        gens += [p for (p, _), o in zip(cands, outside) if o.respected]
    if not eq.passed:
        inside_ok = meas.ratio.max(axis=0) <= 1
        gens += [p for p, ok in zip(perms, inside_ok) if ok]
    if eq.passed and len(gens) == len(G.generators):
        H = G  # nothing outside respected: reuse G and its stabiliser chain
        order, name = G.order(), G.name
    elif _generates_symmetric(gens, G.degree):
        from ..groups import catalogue

        H = catalogue.symmetric(G.degree)  # known order: no Schreier-Sims on the respected generators
        order, name = math.factorial(G.degree), H.name
    else:
        H = PermGroup(gens, G.degree)
        order, name = H.order(), _name(H, G)
    passed = eq.passed and not any(o.respected for o in outside)
    notes = []
    if not eq.passed:
        notes.append(
            "not equivariant to the asked group: the respected group is generated by the tested permutations it respects"
        )
    report = ExactnessReport(
        passed=bool(passed),
        equivariance=eq,
        outside=outside,
        respected_order=order,
        respected_name=name,
        respected_generators=[[int(v) for v in g] for g in H.generators],
        seconds=round(time.perf_counter() - start, 4),
        notes=notes,
    )
    return report


def largest_respected_group(
    fn: Callable[..., Any], group: PermGroup | str, inputs: Any = None, **options: Any
) -> PermGroup:
    """The group generated by ``group`` and every tested outside permutation ``fn`` respects.

    An empirical lower bound on the largest group ``fn`` is equivariant to; takes the options of
    :func:`check_exact_symmetry`.
    """
    report = check_exact_symmetry(fn, group, inputs, **options)
    return report.respected_group()
