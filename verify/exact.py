"""Exactness: is ``fn`` equivariant to ``G`` and to nothing tested outside ``G``?

The permutations outside ``G`` worth testing are those a model is most likely to respect by accident:

* generators of the **2-closure** ``G^(2)`` when it is bigger than ``G`` (orbital weight sharing, and
  every linear layer built from ``G``, is ``G^(2)``-equivariant; see :func:`asen.breaking.two_closure`);
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

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng, compose, cycles, inverse
from .check import _search_strategy, finish_report, prepare_check, sample_elements
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


def _catalogue_candidates(n: int) -> list[PermGroup]:
    from ..groups import catalogue, geometric

    out = []
    if n >= 3:
        out += [catalogue.cyclic(n), catalogue.dihedral(n), catalogue.alternating(n)]
    m = round(n**0.5)
    if m >= 2 and m * m == n:
        out += [geometric.grid_rotations(m), geometric.grid_dihedral(m), geometric.torus_translations(m, m)]
        out += [geometric.p4(m), geometric.p4m(m)]
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
    group: PermGroup,
    *,
    num_random: int = 8,
    two_closure: bool = True,
    seed: int | np.random.Generator | None = 0,
) -> list[tuple[np.ndarray, str]]:
    """Informative permutations outside ``group`` with where each came from (see the module notes).

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
    G = group
    n = G.degree
    rng = as_rng(seed)
    found: list[tuple[np.ndarray, str]] = []
    if two_closure and n >= 3:
        from ..breaking import two_closure as closure_of

        C = closure_of(G)
        if C.order() > G.order():
            found += [(g, "2-closure") for g in C.generators]
    found += [(x, "normaliser") for x in _normaliser_elements(G)]
    if n <= MAX_OVERGROUP_DEGREE:
        for H in _catalogue_candidates(n):
            if H.order() > G.order() and G.is_subgroup(H):
                found += [(g, f"overgroup {H.name}") for g in H.generators]
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
    tries = 0
    randoms = 0
    while randoms < num_random and tries < 20 * max(num_random, 1):
        tries += 1
        p = rng.permutation(n).astype(np.int64)
        if not G.contains(p):
            found.append((p, "random"))
            randoms += 1
    if not found:
        return []
    perms = np.stack([np.asarray(p, dtype=np.int64) for p, _ in found])
    outside = ~G.contains_many(perms)
    _, first = np.unique(perms, axis=0, return_index=True)
    keep = sorted(i for i in first if outside[i])
    return [(perms[i], found[i][1]) for i in keep]


def _name(H: PermGroup, G: PermGroup) -> str | None:
    if H.order() == G.order():
        return G.name
    n = H.degree
    from ..groups import catalogue

    cands = [catalogue.symmetric(n)] + (_catalogue_candidates(n) if n <= MAX_OVERGROUP_DEGREE else [])
    for C in cands:
        if C.order() == H.order() and H.is_subgroup(C):
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
        Test generators of the 2-closure (needs nauty through :mod:`asen.breaking`).

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
        prep.examples, meas, minimal = _search_strategy(prep, perms)
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
    H = PermGroup(gens, G.degree)
    name = _name(H, G)
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
        respected_order=H.order(),
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
