"""Two tasks whose true symmetry group is not 2-closed: the permutation sign (A_n) and cube chirality (O).

* ``sign`` on ``n`` points: ``x`` holds ``n`` distinct values, ``y = 1`` when the permutation that sorts
  ``x`` is odd. An even permutation of the positions keeps ``y``, an odd one flips it: the symmetry is
  exactly ``A_n``, whose 2-closure is ``S_n`` (theory notes §2). A model fed the orbital (closure) input is
  ``S_n``-invariant, so it gives ``x`` and ``(1 2).x`` the same output although their labels differ: it is
  at chance.
* ``chirality`` on the 8 cube vertices (``{-1, 1}^3`` in lexicographic order, as
  :func:`asen.groups.cube_rotations`): let ``v`` be the vertex with the largest value and ``n_1, n_2, n_3``
  its three neighbours by decreasing value; ``y = [det(n_1 - v, n_2 - v, n_3 - v) > 0]``, the handedness of
  the neighbours' order. Rotations keep it, reflections flip it: the symmetry is the rotation group ``O``
  (24), whose 2-closure is ``O_h`` (48).

Values are drawn uniformly from ``[0, 1)`` and a sample is kept only when every gap between two sorted
values is at least ``min_gap`` (no near-ties, so every label is unambiguous).

.. math:: y_{\\mathrm{sign}}(x) = [\\operatorname{sgn}(\\operatorname{argsort} x) = -1],\\qquad
          y_{\\mathrm{chir}}(x) = [\\det(n_1 - v, n_2 - v, n_3 - v) > 0]

Examples
--------
>>> sign_label(np.array([[0.1, 0.3, 0.2], [0.1, 0.2, 0.3]])).tolist()
[1.0, 0.0]
>>> X, y = sample_closure_task("chirality", 6, seed=0)
>>> X.shape, bool(((y == 0) | (y == 1)).all())
((6, 8), True)
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np

from asen.groups import PermGroup, alternating, as_rng, cube_rotations

__all__ = [
    "CLOSURE_TASKS",
    "CUBE_VERTICES",
    "chirality_label",
    "closure_task_group",
    "sample_closure_task",
    "sign_label",
]

CUBE_VERTICES = np.array(list(itertools.product((-1.0, 1.0), repeat=3)))  # lexicographic, as in asen.groups
_NEIGHBOURS = np.array([
    [j for j in range(8) if np.abs(CUBE_VERTICES[i] - CUBE_VERTICES[j]).sum() == 2] for i in range(8)
])  # fmt: skip


def _values(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    return X[..., 0] if X.ndim == 3 else X  # (B, n, 1): the verifier's layout


def sign_label(X: np.ndarray) -> np.ndarray:
    """1.0 where the permutation sorting the row is odd, else 0.0; ``X (B, n)`` or ``(B, n, 1)``."""
    order = np.argsort(_values(X), axis=1, kind="stable")
    n = order.shape[1]
    inversions = sum((order[:, i : i + 1] > order[:, i + 1 :]).sum(1) for i in range(n - 1)) if n > 1 else 0
    return (np.asarray(inversions) % 2).astype(np.float64) * np.ones(len(order))


def chirality_label(X: np.ndarray) -> np.ndarray:
    """1.0 where the top vertex's neighbours, by decreasing value, turn right-handed; ``X (B, 8)``."""
    X = _values(X)
    top = X.argmax(1)
    nbr = _NEIGHBOURS[top]  # (B, 3)
    by_value = np.argsort(-np.take_along_axis(X, nbr, 1), axis=1, kind="stable")
    ordered = np.take_along_axis(nbr, by_value, 1)
    vecs = CUBE_VERTICES[ordered] - CUBE_VERTICES[top][:, None, :]  # (B, 3, 3)
    return (np.linalg.det(vecs) > 0).astype(np.float64)


#: task -> (label function, number of points or None when n is free)
CLOSURE_TASKS = {"sign": sign_label, "chirality": chirality_label}


@lru_cache(maxsize=None)
def closure_task_group(task: str, n: int = 8) -> PermGroup:
    """The true symmetry: ``alternating(n)`` for ``sign``, ``cube_rotations()`` for ``chirality``."""
    if task == "sign":
        return alternating(n)
    if task == "chirality":
        return cube_rotations(on="vertices")
    raise ValueError(f"task must be one of {sorted(CLOSURE_TASKS)}, got {task!r}")


def sample_closure_task(
    task: str, num: int, *, n: int = 8, min_gap: float = 0.01, seed: int | np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    """``num`` samples ``(X (num, n) float32, y (num,) int64)``; ``n`` is 8 for ``chirality``."""
    if task not in CLOSURE_TASKS:
        raise ValueError(f"task must be one of {sorted(CLOSURE_TASKS)}, got {task!r}")
    if task == "chirality":
        n = 8
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"n must be an int >= 2, got {n!r}")
    rng = as_rng(seed)
    kept: list[np.ndarray] = []
    have = 0
    while have < num:
        X = rng.random((4 * (num - have) + 16, n))
        X = X[np.diff(np.sort(X, axis=1), axis=1).min(axis=1) >= min_gap]
        kept.append(X)
        have += len(X)
    X = np.concatenate(kept)[:num]
    return X.astype(np.float32), CLOSURE_TASKS[task](X).astype(np.int64)
