"""Tasks whose true symmetry group is not 2-closed: the permutation sign (A_n), the chirality of solids (O,
T, I), the projective handedness of three points of a projective line (PSL(2, p)) and the square class of a
ratio of three points of Z_p (AGL(1, p)).

* ``sign`` on ``n`` points: every point holds a distinct token from ``{0..alphabet-1}`` (one-hot
  features), and ``y = 1`` when the permutation that sorts the tokens is odd. An even permutation of the
  positions keeps ``y``, an odd one flips it: the symmetry is exactly ``A_n``, whose 2-closure is ``S_n``
  (theory notes §2). A model fed the orbital (closure) input is ``S_n``-invariant, so it gives ``x`` and
  ``(1 2).x`` the same output although their labels differ: it is at chance.
* ``chirality`` on the 8 cube vertices (``{-1, 1}^3`` in lexicographic order, as
  :func:`asen.groups.cube_rotations`): three vertices carry the marks R, G, B (features: one-hot mark
  ``none/R/G/B`` plus a distractor value ``u ~ U[0, 1)`` on every vertex) and
  ``y = [det(p_R, p_G, p_B) > 0]``, the handedness of the marked triple. Rotations keep it, reflections
  flip it: the symmetry is the rotation group ``O`` (24), whose 2-closure is ``O_h`` (48). Triples with
  ``det = 0`` (a plane through the centre: the mirror image is the same configuration) are rejected.
* ``handedness`` on the ``p + 1`` points of the projective line over ``Z_p`` (``n = p + 1``, ``p`` an odd
  prime, the points of :func:`asen.groups.psl2`): marks R, G, B and a distractor as for ``chirality``, and
  ``y = 1`` when the marked ordered triple lies in the ``PSL(2, p)``-orbit of ``(0, 1, 2)``. ``PGL(2, p)``
  is sharply 3-transitive and ``PSL(2, p)`` has index 2 in it, so the ordered triples form two orbits of
  equal size and the labels are balanced; the 2-closure (``S_{p+1}``, the group is 2-transitive) mixes
  them. A group the first experiments never used (docs/results.md, "Session 17").
* ``ratio`` on the ``p`` points of ``Z_p`` (``n = p``, a prime ``p >= 5``, the points of
  :func:`asen.groups.affine_line`): marks R, G, B and a distractor as for ``chirality``, and ``y = 1`` when
  the ratio ``(x_B - x_R) / (x_G - x_R)`` is a square mod ``p``. Affine maps ``x -> a x + b`` keep the ratio,
  so the symmetry is ``AGL(1, p)`` (sharply 2-transitive; its 2-closure ``S_p`` moves the ratio anywhere).
  Chosen in Session 18 as a check of the defaults on a group family no setting was tuned on.
* ``orbit`` for any group ``G`` that is not 2-closed (``group=`` a spec such as ``"psl2(5)"``): the
  canonical beyond-closure task. For the smallest ``k`` at which some ``G^(2)``-orbit of ordered k-tuples of
  distinct points splits into several ``G``-orbits (:func:`orbit_split`; ``k >= 3``, as ``G`` and ``G^(2)``
  have the same orbits on pairs), ``k`` marked points form a tuple drawn uniformly from the largest such
  ``G^(2)``-orbit, and the label is the ``G``-orbit it lies in (one class per ``G``-orbit, ordered by their
  smallest member). Features: one-hot mark ``none/1..k`` and a distractor ``U[0, 1)`` per point.

.. math:: y_{\\mathrm{sign}}(x) = [\\operatorname{sgn}(\\operatorname{argsort} t) = -1],\\qquad
          y_{\\mathrm{chir}}(x) = [\\det(p_R, p_G, p_B) > 0]

Examples
--------
>>> X, y = sample_closure_task("sign", 2, n=3, seed=0)
>>> X.shape, y.tolist() == sign_label(X).tolist()
((2, 3, 5), True)
>>> X, y = sample_closure_task("chirality", 6, seed=0)
>>> X.shape, y.tolist() == chirality_label(X).tolist()
((6, 8, 5), True)
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from ..groups import PermGroup, affine_line, alternating, as_rng, psl2, solid_points, solid_rotations
from ..groups.catalogue import is_prime

__all__ = [
    "CHIRAL_SOLIDS",
    "CLOSURE_TASKS",
    "CUBE_VERTICES",
    "chirality_label",
    "closure_task_group",
    "handedness_label",
    "orbit_label",
    "orbit_split",
    "ratio_label",
    "sample_closure_task",
    "sign_label",
]

CUBE_VERTICES = np.array(list(itertools.product((-1.0, 1.0), repeat=3)))  # lexicographic, as in asen.groups


def sign_label(X: np.ndarray) -> np.ndarray:
    """1.0 where the permutation sorting the row's tokens is odd, else 0.0.

    ``X (B, n, alphabet)`` one-hot tokens (the token is the argmax), or ``(B, n)`` values.
    """
    X = np.asarray(X, dtype=np.float64)
    values = X.argmax(-1) if X.ndim == 3 else X
    n = values.shape[1]
    inversions = np.zeros(len(values), dtype=np.int64)
    for i in range(n - 1):
        inversions += (values[:, i : i + 1] > values[:, i + 1 :]).sum(1)
    return (inversions % 2).astype(np.float64)


#: chirality task name -> (solid, points): the rotation group on those points is not 2-closed (its
#: 2-closure adds the reflections) in each case
CHIRAL_SOLIDS: dict[str, tuple[str, str]] = {
    "O": ("cube", "vertices"),  # O on 8 vertices, closure O_h
    "T": ("tetrahedron", "vertices"),  # T = A_4 on 4 vertices, closure S_4 = T_d
    "O-faces": ("cube", "faces"),  # O on 6 face centres, closure O_h
    "I": ("icosahedron", "vertices"),  # I = A_5 on 12 vertices, closure I_h
}

def chirality_label(X: np.ndarray, *, solid: str = "cube", on: str = "vertices") -> np.ndarray:
    """1.0 where ``det(p_R, p_G, p_B) > 0`` for the marked points; ``X (B, n, 5)`` (marks in columns 1..3),
    ``p`` the points of :func:`asen.groups.solid_points` ``(solid, on=on)``."""
    X = np.asarray(X, dtype=np.float64)
    P = solid_points(solid, on=on)
    if X.ndim != 3 or X.shape[1] != len(P):
        raise ValueError(f"X must have shape (B, {len(P)}, 5) for the {solid}'s {on}, got {X.shape}")
    where = X[:, :, 1:4].argmax(1)  # (B, 3): the point of mark R, G, B
    return (np.linalg.det(P[where]) > 0).astype(np.float64)


@cache
def _triple_orbit(p: int) -> np.ndarray:
    """``(p+1,)*3`` bool: the ordered triples in the ``PSL(2, p)``-orbit of ``(0, 1, 2)``."""
    E = np.asarray(psl2(p).elements())
    table = np.zeros((p + 1,) * 3, dtype=bool)
    table[E[:, 0], E[:, 1], E[:, 2]] = True
    return table


def _check_line(n: int) -> int:
    p = n - 1 if isinstance(n, int) and not isinstance(n, bool) else 0
    if p < 3 or not is_prime(p):
        raise ValueError(f"handedness needs n = p + 1 points for an odd prime p, got n={n!r}")
    return p


def handedness_label(X: np.ndarray) -> np.ndarray:
    """1.0 where the marked ordered triple (R, G, B) of ``X (B, p+1, 5)`` (marks in columns 1..3) lies in the
    ``PSL(2, p)``-orbit of ``(0, 1, 2)``, else 0.0."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3 or X.shape[2] != 5:
        raise ValueError(f"X must have shape (B, p + 1, 5), got {X.shape}")
    where = X[:, :, 1:4].argmax(1)
    return _triple_orbit(_check_line(X.shape[1]))[where[:, 0], where[:, 1], where[:, 2]].astype(np.float64)


def _check_prime_points(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 5 or not is_prime(n):
        raise ValueError(f"ratio needs n = p points for a prime p >= 5, got n={n!r}")
    return n


def ratio_label(X: np.ndarray) -> np.ndarray:
    """1.0 where ``(x_B - x_R) / (x_G - x_R)`` is a nonzero square mod ``p`` for the marked points of
    ``X (B, p, 5)`` (marks in columns 1..3; point ``i`` is ``i`` in ``Z_p``), else 0.0."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3 or X.shape[2] != 5:
        raise ValueError(f"X must have shape (B, p, 5), got {X.shape}")
    p = _check_prime_points(X.shape[1])
    r, g, b = X[:, :, 1:4].argmax(1).T
    inverse = np.array([pow(int(v), p - 2, p) for v in range(p)])  # Fermat; 0 -> 0
    ratio = (b - r) * inverse[(g - r) % p] % p
    squares = np.zeros(p, dtype=bool)
    squares[np.arange(1, p) ** 2 % p] = True
    return squares[ratio].astype(np.float64)


@cache
def orbit_split(group: str) -> tuple[PermGroup, np.ndarray, np.ndarray]:
    """``(G, tuples (m, k), classes (m,))`` for the ``orbit`` task of ``group`` (a spec): the members of the
    largest ``G^(2)``-orbit of ordered k-tuples that splits under ``G``, at the smallest such ``k``, and the
    index of each member's ``G``-orbit. ``ValueError`` when ``G`` is 2-closed (no orbit ever splits) or the
    tuples outgrow 200,000 before one does.

    >>> G, tuples, classes = orbit_split("alternating(5)")   # the sign: 4 marked points, two A_5-orbits
    >>> tuples.shape, np.bincount(classes).tolist()
    ((120, 4), [60, 60])
    """
    from ..breaking.gsets import count_objects, tuple_orbits
    from ..groups import as_group, two_closure

    G = as_group(group)
    n = G.degree
    closure = two_closure(G)
    if closure.order() == G.order():
        raise ValueError(f"{group} is 2-closed: no orbit of its 2-closure splits, so there is no orbit task")
    for k in range(3, n + 1):
        if count_objects(n, k, "tuples") > 200_000:
            break
        orbit_of = {}
        for i, orb in enumerate(tuple_orbits(G, k, kind="tuples")):
            orbit_of.update((tuple(t), i) for t in orb.members.tolist())
        split = []
        for orb in tuple_orbits(closure, k, kind="tuples"):
            ids = np.array([orbit_of[tuple(t)] for t in orb.members.tolist()])
            if len(set(ids.tolist())) > 1:
                split.append((orb.size, orb.members, ids))
        if split:
            _, members, ids = max(split, key=lambda t: t[0])
            first = {i: members[ids == i].min(0).tolist() for i in set(ids.tolist())}
            order = sorted(first, key=lambda i: first[i])
            rank = {i: r for r, i in enumerate(order)}
            classes = np.array([rank[i] for i in ids.tolist()], dtype=np.int64)
            return G, np.asarray(members, dtype=np.int64), classes
    raise ValueError(f"no orbit of ordered tuples of {group} splits before they outgrow 200,000")


def _orbit_task(group: str | None) -> tuple[PermGroup, np.ndarray, np.ndarray]:
    if group is None:
        raise ValueError("the orbit task needs group= (a group spec such as 'psl2(5)')")
    return orbit_split(group)


def orbit_label(X: np.ndarray, group: str) -> np.ndarray:
    """The ``G``-orbit class (:func:`orbit_split`) of the tuple marked in ``X (B, n, k + 2)`` (marks in
    columns ``1..k``); -1 for a tuple outside the task's ``G^(2)``-orbit (no sample has one)."""
    G, tuples, classes = orbit_split(group)
    X = np.asarray(X, dtype=np.float64)
    k = tuples.shape[1]
    if X.ndim != 3 or X.shape[1:] != (G.degree, k + 2):
        raise ValueError(f"X must have shape (B, {G.degree}, {k + 2}) for the orbit task of {group}, got {X.shape}")
    where = X[:, :, 1 : k + 1].argmax(1)  # (B, k)
    code = lambda t: (t * G.degree ** np.arange(k)).sum(-1)
    table = dict(zip(code(tuples).tolist(), classes.tolist()))
    return np.array([table.get(c, -1) for c in code(where).tolist()], dtype=np.float64)


#: task -> label function
CLOSURE_TASKS = {"sign": sign_label, "chirality": chirality_label, "handedness": handedness_label,
                 "ratio": ratio_label, "orbit": orbit_label}  # fmt: skip


@cache
def closure_task_group(
    task: str, n: int = 8, *, solid: str = "cube", on: str = "vertices", group: str | None = None
) -> PermGroup:
    """The true symmetry: ``alternating(n)`` for ``sign``, the solid's rotations on ``on`` for ``chirality``,
    ``psl2(n - 1)`` for ``handedness``, ``affine_line(n)`` for ``ratio``, ``group`` for ``orbit`` (``n``
    ignored)."""
    if task == "sign":
        return alternating(n)
    if task == "handedness":
        return psl2(_check_line(n))
    if task == "ratio":
        return affine_line(_check_prime_points(n))
    if task == "orbit":
        return _orbit_task(group)[0]
    if task == "chirality":
        return solid_rotations(solid, on=on)
    raise ValueError(f"task must be one of {sorted(CLOSURE_TASKS)}, got {task!r}")


def sample_closure_task(
    task: str,
    num: int,
    *,
    n: int = 8,
    alphabet: int | None = None,
    solid: str = "cube",
    on: str = "vertices",
    group: str | None = None,
    seed: int | np.random.Generator | None,
) -> tuple[np.ndarray, np.ndarray]:
    """``num`` samples ``(X float32, y int64)``.

    ``sign``: ``X (num, n, alphabet)`` one-hot distinct tokens (``alphabet`` defaults to ``n + 2``).
    ``chirality``: ``X (num, m, 5)`` on the ``m`` points of ``solid`` (``on`` its vertices, faces or
    edges; default the cube's 8 vertices), three marks on distinct points (no triple in a plane through
    the centre, whose mirror image is itself) and a distractor value per point; ``n`` and ``alphabet``
    are ignored. ``handedness``: ``X (num, n, 5)`` on the ``n = p + 1`` points of the projective line, marks
    and distractor as for ``chirality``; ``ratio`` the same on the ``n = p`` points of ``Z_p``. ``orbit``:
    ``X (num, degree, k + 2)`` for ``group`` (``n`` ignored), ``y`` its class (:func:`orbit_split`).
    """
    if task not in CLOSURE_TASKS:
        raise ValueError(f"task must be one of {sorted(CLOSURE_TASKS)}, got {task!r}")
    rng = as_rng(seed)
    if task == "sign":
        if isinstance(n, bool) or not isinstance(n, int) or n < 2:
            raise ValueError(f"n must be an int >= 2, got {n!r}")
        a = n + 2 if alphabet is None else alphabet
        if a < n:
            raise ValueError(f"alphabet must be >= n = {n} (tokens are distinct), got {a!r}")
        tokens = np.argsort(rng.random((num, a)), axis=1)[:, :n]
        X = np.eye(a, dtype=np.float32)[tokens]
        return X, sign_label(X).astype(np.int64)
    if task == "orbit":
        G, tuples, classes = _orbit_task(group)
        pick = rng.integers(0, len(tuples), size=num)
        return _marked(tuples[pick], G.degree, rng), classes[pick].copy()
    if task in ("handedness", "ratio"):
        (_check_line if task == "handedness" else _check_prime_points)(n)
        where = np.argsort(rng.random((num, n)), axis=1)[:, :3]
        X = _marked(where, n, rng)
        return X, CLOSURE_TASKS[task](X).astype(np.int64)
    P = solid_points(solid, on=on)
    m = len(P)
    kept, have = [], 0
    while have < num:
        where = np.argsort(rng.random((2 * (num - have) + 8, m)), axis=1)[:, :3]
        where = where[np.abs(np.linalg.det(P[where])) > 1e-9]
        kept.append(where)
        have += len(where)
    X = _marked(np.concatenate(kept)[:num], m, rng)
    return X, chirality_label(X, solid=solid, on=on).astype(np.int64)


def _marked(where: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """``(num, m, k + 2)`` features: one-hot mark none/1..k (mark ``i`` on the point ``where[:, i - 1]``;
    ``k = 3``: R, G, B) and a distractor ``U[0, 1)`` per point."""
    num, k = where.shape
    X = np.zeros((num, m, k + 2), dtype=np.float32)
    X[:, :, 0] = 1.0
    rows = np.arange(num)[:, None]
    X[rows, where, 0] = 0.0
    X[rows, where, np.arange(1, k + 1)] = 1.0
    X[:, :, k + 1] = rng.random((num, m))
    return X
