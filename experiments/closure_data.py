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

__all__ = [
    "CHIRAL_SOLIDS",
    "CLOSURE_TASKS",
    "CUBE_VERTICES",
    "chirality_label",
    "closure_task_group",
    "handedness_label",
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
    if p < 3 or not all(p % d for d in range(2, int(p**0.5) + 1)):
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
    if isinstance(n, bool) or not isinstance(n, int) or n < 5 or not all(n % d for d in range(2, int(n**0.5) + 1)):
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


#: task -> label function
CLOSURE_TASKS = {"sign": sign_label, "chirality": chirality_label, "handedness": handedness_label,
                 "ratio": ratio_label}  # fmt: skip


@cache
def closure_task_group(task: str, n: int = 8, *, solid: str = "cube", on: str = "vertices") -> PermGroup:
    """The true symmetry: ``alternating(n)`` for ``sign``, the solid's rotations on ``on`` for ``chirality``,
    ``psl2(n - 1)`` for ``handedness``, ``affine_line(n)`` for ``ratio``."""
    if task == "sign":
        return alternating(n)
    if task == "handedness":
        return psl2(_check_line(n))
    if task == "ratio":
        return affine_line(_check_prime_points(n))
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
    seed: int | np.random.Generator | None,
) -> tuple[np.ndarray, np.ndarray]:
    """``num`` samples ``(X float32, y int64)``.

    ``sign``: ``X (num, n, alphabet)`` one-hot distinct tokens (``alphabet`` defaults to ``n + 2``).
    ``chirality``: ``X (num, m, 5)`` on the ``m`` points of ``solid`` (``on`` its vertices, faces or
    edges; default the cube's 8 vertices), three marks on distinct points (no triple in a plane through
    the centre, whose mirror image is itself) and a distractor value per point; ``n`` and ``alphabet``
    are ignored. ``handedness``: ``X (num, n, 5)`` on the ``n = p + 1`` points of the projective line, marks
    and distractor as for ``chirality``; ``ratio`` the same on the ``n = p`` points of ``Z_p``.
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
    if task in ("handedness", "ratio"):
        if task == "handedness":
            _check_line(n)
        else:
            _check_prime_points(n)
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
    """``(num, m, 5)`` features: one-hot mark none/R/G/B (R, G, B on the points ``where (num, 3)``) and a
    distractor ``U[0, 1)`` per point."""
    num = len(where)
    X = np.zeros((num, m, 5), dtype=np.float32)
    X[:, :, 0] = 1.0
    rows = np.arange(num)[:, None]
    X[rows, where, 0] = 0.0
    X[rows, where, np.array([1, 2, 3])] = 1.0
    X[:, :, 4] = rng.random((num, m))
    return X
