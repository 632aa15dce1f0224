"""Catalogue of named permutation groups on sequences and sets.

Every function returns a :class:`~asen.groups.PermGroup` whose ``name`` is a spec that
:func:`asen.groups.spec.parse` reads back, and whose known order is passed as ``order=`` (the
stabiliser chain checks it, so a wrong generator set fails loudly instead of giving a wrong group).
Points are ``0..n-1``; see :mod:`asen.groups.perm` for how permutations act.

Products of groups live in :mod:`asen.groups.products`, grids and tori in
:mod:`asen.groups.geometric`, rotation groups of solids in :mod:`asen.groups.solids`.

Examples
--------
>>> dihedral(6).order(), alternating(5).order(), young(2, 3).order()
(12, 60, 12)
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Sequence

import numpy as np

from .group import PermGroup
from .io import parse_gap_generators

__all__ = [
    "affine_line",
    "alternating",
    "cyclic",
    "dihedral",
    "even_flips",
    "mathieu",
    "psl2",
    "reversal",
    "symmetric",
    "symmetric_on_subsets",
    "trivial",
    "young",
]

MAX_SUBSETS_DEGREE = 1_000_000  # symmetric_on_subsets refuses actions on more points than this


# ----------------------------------------------------------------------------- shared helpers
def check_int(value: object, name: str, *, minimum: int = 1) -> int:
    """``value`` as a Python int in ``minimum..sys.maxsize``, else a TypeError/ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value > sys.maxsize:
        raise ValueError(f"{name} = {value} is too large: arrays index at most sys.maxsize = {sys.maxsize}")
    return int(value)


def is_prime(p: int) -> bool:
    """Trial division; enough for the degrees a permutation group can have."""
    if p < 2:
        return False
    return all(p % d for d in range(2, math.isqrt(p) + 1))


def cycle_on(points: Sequence[int], degree: int) -> np.ndarray:
    """The cycle ``points[0] -> points[1] -> ... -> points[0]`` as a permutation of ``0..degree-1``."""
    p = np.arange(degree, dtype=np.int64)
    pts = np.asarray(points, dtype=np.int64)
    p[pts] = np.roll(pts, -1)
    return p


def symmetric_generators(points: Sequence[int], degree: int) -> list[np.ndarray]:
    """Generators of ``Sym(points)`` inside ``S_degree``: a transposition and the full cycle."""
    pts = list(points)
    if len(pts) < 2:
        return []
    gens = [cycle_on(pts[:2], degree)]
    if len(pts) > 2:
        gens.append(cycle_on(pts, degree))
    return gens


# ----------------------------------------------------------------------------- sequences
def trivial(n: int) -> PermGroup:
    """The trivial group on ``n`` points.

    ``{id}``, order 1.

    Examples
    --------
    >>> G = trivial(3); G.order(), len(G.orbits())
    (1, 3)
    """
    n = check_int(n, "n")
    return PermGroup([], n, order=1, name=f"trivial({n})")


def symmetric(n: int) -> PermGroup:
    """The symmetric group ``S_n`` on ``0..n-1``.

    ``S_n = <(0 1), (0 1 ... n-1)>``, ``|S_n| = n!``.

    Examples
    --------
    >>> symmetric(4).order()
    24
    """
    n = check_int(n, "n")
    return PermGroup(symmetric_generators(range(n), n), n, order=math.factorial(n), name=f"symmetric({n})")


def alternating(n: int) -> PermGroup:
    """The alternating group ``A_n`` (even permutations) on ``0..n-1``.

    ``A_n = <(0 1 2), (0 1 ... n-1)>`` for odd ``n``, ``<(0 1 2), (1 2 ... n-1)>`` for even ``n``;
    ``|A_n| = n!/2`` for ``n >= 2`` (``A_1`` is trivial).

    Examples
    --------
    >>> alternating(4).order(), alternating(2).order()
    (12, 1)
    """
    n = check_int(n, "n")
    gens = []
    if n >= 3:
        gens.append(cycle_on([0, 1, 2], n))
        long = list(range(n)) if n % 2 else list(range(1, n))
        if n >= 4:
            gens.append(cycle_on(long, n))
    return PermGroup(gens, n, order=max(math.factorial(n) // 2, 1), name=f"alternating({n})")


def cyclic(n: int) -> PermGroup:
    """The cyclic group ``C_n`` of rotations of ``0..n-1`` (regular on ``Z_n``).

    ``C_n = <r>``, ``r(i) = i + 1 (mod n)``, ``|C_n| = n``.

    Examples
    --------
    >>> cyclic(5).generators[0].tolist()
    [1, 2, 3, 4, 0]
    """
    n = check_int(n, "n")
    gens = [cycle_on(range(n), n)] if n >= 2 else []
    return PermGroup(gens, n, order=n, name=f"cyclic({n})")


def dihedral(n: int) -> PermGroup:
    """The dihedral group: symmetries of the regular ``n``-gon on its vertices ``0..n-1``.

    ``D_n = <r, s>``, ``r(i) = i + 1``, ``s(i) = -i (mod n)``; ``|D_n| = 2n`` for ``n >= 3``.

    For ``n >= 3`` this is the automorphism group of the ``n``-cycle graph. For ``n = 1, 2`` it is the
    image of the abstract ``D_n`` acting on its ``n`` vertices, which is not faithful: ``dihedral(1)``
    is trivial (order 1) and ``dihedral(2)`` is ``S_2`` (order 2). (sympy's ``DihedralGroup(1)``,
    ``DihedralGroup(2)`` instead use faithful actions on 2 and 4 points.)

    Examples
    --------
    >>> G = dihedral(4); G.order(), [g.tolist() for g in G.generators]
    (8, [[1, 2, 3, 0], [0, 3, 2, 1]])
    """
    n = check_int(n, "n")
    i = np.arange(n)
    gens = [(i + 1) % n, (-i) % n]
    gens = [g for g in gens if not np.array_equal(g, i)]
    order = 2 * n if n >= 3 else n
    return PermGroup(gens, n, order=order, name=f"dihedral({n})")


def reversal(n: int) -> PermGroup:
    """Reversal of a sequence of length ``n``: ``{id, i -> n-1-i}``.

    ``|G| = 2`` for ``n >= 2`` (1 for ``n = 1``). Acting on data, the non-identity element reverses
    it: ``act(g, x) == x[::-1]``.

    Examples
    --------
    >>> reversal(4).generators[0].tolist()
    [3, 2, 1, 0]
    """
    n = check_int(n, "n")
    gens = [np.arange(n - 1, -1, -1)] if n >= 2 else []
    return PermGroup(gens, n, order=2 if n >= 2 else 1, name=f"reversal({n})")


def young(*sizes: int) -> PermGroup:
    """The Young subgroup ``S_{a_1} x ... x S_{a_k}`` on consecutive blocks of points.

    Block ``j`` holds points ``a_1 + ... + a_{j-1}`` up to ``a_1 + ... + a_j - 1``;
    ``|G| = a_1! ... a_k!``.

    Examples
    --------
    >>> G = young(2, 3); G.degree, G.order(), [o.tolist() for o in G.orbits()]
    (5, 12, [[0, 1], [2, 3, 4]])
    """
    if not sizes:
        raise ValueError("young needs at least one block size, e.g. young(2, 3)")
    sizes = tuple(check_int(a, f"block size {j}") for j, a in enumerate(sizes))
    degree = sum(sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).tolist()
    gens = [g for s, a in zip(starts, sizes) for g in symmetric_generators(range(s, s + a), degree)]
    order = math.prod(math.factorial(a) for a in sizes)
    return PermGroup(gens, degree, order=order, name=f"young({','.join(map(str, sizes))})")


# ----------------------------------------------------------------------------- sets
def even_flips(k: int) -> PermGroup:
    """The even-flip group ``E_k``: even numbers of swaps among ``k`` disjoint pairs on ``2k`` points.

    Pairs are ``{2i, 2i+1}``; ``E_k = {x in Z_2^k : sum(x) = 0}``, ``|E_k| = 2^(k-1)``. It is not
    2-closed for ``k >= 3`` (its 2-closure is ``Z_2^k``): the cleanest "XOR constraint" group.

    Examples
    --------
    >>> G = even_flips(3); G.degree, G.order()
    (6, 4)
    """
    k = check_int(k, "k")
    n = 2 * k
    gens = [cycle_on([0, 1], n)[cycle_on([2 * i, 2 * i + 1], n)] for i in range(1, k)]
    return PermGroup(gens, n, order=2 ** (k - 1), name=f"even_flips({k})")


def symmetric_on_subsets(n: int, k: int) -> PermGroup:
    """``S_n`` acting on the ``k``-subsets of ``0..n-1`` (e.g. ``k = 2``: the edges of ``K_n``).

    ``g . {i_1, ..., i_k} = {g(i_1), ..., g(i_k)}``; the subsets are numbered in the order of
    ``itertools.combinations(range(n), k)``. Faithful for ``0 < k < n`` (order ``n!``), trivial
    on a single point otherwise.

    Examples
    --------
    >>> G = symmetric_on_subsets(4, 2); G.degree, G.order()
    (6, 24)
    """
    n = check_int(n, "n")
    k = check_int(k, "k", minimum=0)
    if k > n:
        raise ValueError(f"k must be at most n={n}, got {k}")
    degree = math.comb(n, k)
    if degree > MAX_SUBSETS_DEGREE:
        raise ValueError(
            f"symmetric_on_subsets({n},{k}) would act on {degree} points, more than {MAX_SUBSETS_DEGREE}"
        )
    subsets = np.array(list(itertools.combinations(range(n), k)), dtype=np.int64).reshape(degree, k)
    # rank of a sorted k-subset: its position in lexicographic order, via a dictionary of tuples
    index = {tuple(s): j for j, s in enumerate(subsets.tolist())}
    gens = []
    for g in symmetric_generators(range(n), n):
        images = np.sort(g[subsets], axis=1)
        gens.append(np.array([index[tuple(s)] for s in images.tolist()], dtype=np.int64))
    gens = [g for g in gens if not np.array_equal(g, np.arange(degree))]
    order = math.factorial(n) if 0 < k < n else 1
    return PermGroup(gens, degree, order=order, name=f"symmetric_on_subsets({n},{k})")


def _primitive_root(p: int) -> int:
    """Smallest generator of the multiplicative group ``Z_p^*`` (``p`` prime)."""
    if p == 2:
        return 1
    factors = [q for q in range(2, p) if (p - 1) % q == 0 and is_prime(q)]
    return next(a for a in range(2, p) if all(pow(a, (p - 1) // q, p) != 1 for q in factors))


def _check_prime(p: object) -> int:
    p = check_int(p, "p", minimum=2)
    if not is_prime(p):
        raise ValueError(f"p must be a prime, got {p}")
    return p


def affine_line(p: int) -> PermGroup:
    """The affine group ``AGL(1, p)`` of maps ``x -> a x + b`` (``a != 0``) on ``Z_p``, ``p`` prime.

    ``AGL(1,p) = <x -> x + 1, x -> w x>`` with ``w`` a primitive root, ``|AGL(1,p)| = p (p - 1)``.
    Sharply 2-transitive, so for ``p >= 5`` its 2-closure is all of ``S_p``.

    Examples
    --------
    >>> affine_line(5).order()
    20
    """
    p = _check_prime(p)
    x = np.arange(p)
    gens = [(x + 1) % p, (_primitive_root(p) * x) % p]
    gens = [g for g in gens if not np.array_equal(g, x)]
    return PermGroup(gens, p, order=p * (p - 1), name=f"affine_line({p})")


#: GAP's ``MathieuGroup(n)`` generators (1-based cycles) and the group orders
_MATHIEU: dict[int, tuple[str, int]] = {
    11: ("(1,2,3,4,5,6,7,8,9,10,11),(3,7,11,8)(4,10,5,6)", 7920),
    12: ("(1,2,3,4,5,6,7,8,9,10,11),(3,7,11,8)(4,10,5,6),(1,12)(2,11)(3,6)(4,8)(5,9)(7,10)", 95040),
    22: ("(1,2,3,4,5,6,7,8,9,10,11)(12,13,14,15,16,17,18,19,20,21,22),"
         "(1,4,5,9,3)(2,8,10,7,6)(12,15,16,20,14)(13,19,21,18,17),"
         "(1,21)(2,10,8,6)(3,13,4,17)(5,19,9,18)(11,22)(12,14,16,20)", 443520),
    23: ("(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23),"
         "(3,17,10,7,9)(4,13,14,19,5)(8,18,11,12,23)(15,20,22,21,16)", 10200960),
    24: ("(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23),"
         "(3,17,10,7,9)(4,13,14,19,5)(8,18,11,12,23)(15,20,22,21,16),"
         "(1,24)(2,23)(3,12)(4,16)(5,18)(6,10)(7,20)(8,14)(9,21)(11,17)(13,22)(15,19)", 244823040),
}  # fmt: skip


def mathieu(n: int) -> PermGroup:
    """The Mathieu group ``M_n`` on ``n`` points, ``n`` in 11, 12, 22, 23, 24 (GAP's ``MathieuGroup(n)``).

    The sporadic multiply transitive groups: ``M_11`` and ``M_23`` are 4-transitive, ``M_12`` and ``M_24``
    5-transitive (``M_11``, ``M_12`` sharply), ``M_22`` 3-transitive; being 2-transitive, each has the
    2-closure ``S_n``, so none is 2-closed. ``|M_n|`` = 7920, 95040, 443520, 10200960, 244823040.

    Examples
    --------
    >>> mathieu(11).order(), mathieu(12).degree
    (7920, 12)
    """
    n = check_int(n, "n")
    if n not in _MATHIEU:
        raise ValueError(f"Mathieu groups act on n in {sorted(_MATHIEU)} points, got {n}")
    cycles, order = _MATHIEU[n]
    return PermGroup(parse_gap_generators(cycles, degree=n), n, order=order, name=f"mathieu({n})")


def psl2(p: int) -> PermGroup:
    """``PSL(2, p)`` acting on the ``p + 1`` points of the projective line over ``Z_p``, ``p`` prime.

    Points ``0..p-1`` are the field elements and point ``p`` is infinity;
    ``PSL(2,p) = <x -> x + 1, x -> -1/x>``, ``|PSL(2,p)| = p (p^2 - 1) / gcd(2, p - 1)``
    (``PSL(2,2) = S_3``).

    Examples
    --------
    >>> G = psl2(5); G.degree, G.order()
    (6, 60)
    """
    p = _check_prime(p)
    inf = p
    x = np.arange(p)
    t = np.append((x + 1) % p, inf)
    s = np.empty(p + 1, dtype=np.int64)
    s[0], s[inf] = inf, 0
    s[1:p] = [(-pow(int(a), -1, p)) % p for a in range(1, p)]
    order = p * (p * p - 1) // math.gcd(2, p - 1)
    return PermGroup([t, s], p + 1, order=order, name=f"psl2({p})")
