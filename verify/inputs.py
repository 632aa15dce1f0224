"""Default test inputs: a fixed rotation of families that expose the usual ways equivariance breaks.

Random normal inputs alone miss index-based tie-breaks (they never tie) and rarely show what a model
does on degenerate data, so the default inputs cycle through these families:

=============  =====================================================================================
family         values
=============  =====================================================================================
``normal``     standard normal
``integers``   integers in ``-2..2`` stored as floats: many exact ties between points
``constant``   every entry ``1.0``: every point ties with every other one
``repeated``   normal values, but the points fall into at most 3 classes of identical features
               (pair features follow the classes on both axes)
``sparse``     normal values, about 80% of them set to zero
``uniform``    uniform in ``[0, 1)`` (all positive: ReLU paths stay open)
=============  =====================================================================================

Examples
--------
>>> import numpy as np
>>> from asen.verify.axes import TensorAction
>>> ex = generate_inputs([(1, 4, 2)], [np.float64], [TensorAction.points(1)], 4, num_inputs=3, seed=0)
>>> [family for _, family in ex]
['normal', 'integers', 'constant']
>>> ex[2][0][0].tolist()
[[[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..groups import as_rng
from .axes import TensorAction

__all__ = ["FAMILIES", "generate_inputs"]

#: the order in which default inputs cycle through the families
FAMILIES: tuple[str, ...] = (
    "normal",
    "integers",
    "constant",
    "repeated",
    "normal",
    "sparse",
    "integers",
    "uniform",
)

Example = tuple[np.ndarray, ...]


def _draw(family: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    if family in ("normal", "repeated"):
        return rng.standard_normal(shape)
    if family == "integers":
        return rng.integers(-2, 3, size=shape).astype(np.float64)
    if family == "constant":
        return np.ones(shape)
    if family == "sparse":
        return rng.standard_normal(shape) * (rng.random(shape) < 0.2)
    if family == "uniform":
        return rng.random(shape)
    raise ValueError(f"unknown input family {family!r}; known: {sorted(set(FAMILIES))}")


def _draw_indices(
    family: str, shape: tuple[int, ...], degree: int, rng: np.random.Generator, dtype: np.dtype
) -> np.ndarray:
    """Point indices for an ``index`` argument (an ``edge_index`` ``(2, E)``): for the tie families a ring
    ``i -> i+1`` (every point alike), otherwise uniform random pairs without self-loops."""
    if degree < 1:
        return np.zeros(shape, dtype=dtype if dtype.kind in "iu" else np.int64)
    size = int(np.prod(shape)) if shape else 1
    if len(shape) == 2 and shape[0] == 2:
        e = shape[1]
        if family in ("integers", "constant", "repeated"):
            src = np.arange(e) % degree
            dst = (src + 1 + (np.arange(e) // degree)) % degree
        else:
            src = rng.integers(0, degree, size=e)
            dst = (src + rng.integers(1, max(degree, 2), size=e)) % degree if degree > 1 else src
        out = np.stack([src, dst])
    else:
        out = rng.integers(0, degree, size=size).reshape(shape)
    return np.ascontiguousarray(out.astype(dtype if dtype.kind in "iu" else np.int64))


def _repeat_classes(x: np.ndarray, action: TensorAction, degree: int, rng: np.random.Generator) -> np.ndarray:
    """Give the points at most 3 classes: every slot reads its values from the class representative."""
    k = max(1, min(3, degree // 2))
    reps = rng.choice(degree, size=k, replace=False)
    source = reps[rng.integers(0, k, size=degree)]
    for s in action.slots:
        shape = x.shape
        flat = x.reshape(shape[: s[0]] + (-1,) + shape[s[-1] + 1 :])
        x = np.take(flat, source, axis=s[0]).reshape(shape)
    return x


def generate_inputs(
    shapes: Sequence[tuple[int, ...]],
    dtypes: Sequence[Any],
    actions: Sequence[TensorAction],
    degree: int,
    *,
    num_inputs: int = 8,
    families: Sequence[str] = FAMILIES,
    seed: int | np.random.Generator | None = None,
) -> list[tuple[Example, str]]:
    """``num_inputs`` examples (one array per argument) with the family each was drawn from.

    Parameters
    ----------
    shapes, dtypes, actions
        Per argument: the full shape (batch axis included), the numpy dtype, and the normalised action.
    degree
        Number of points (used by the ``repeated`` family).
    num_inputs
        How many examples; the families repeat in order.
    families
        The rotation of families (default :data:`FAMILIES`).
    seed
        Seed for the values.

    Returns
    -------
    list of (example, family)
    """
    if num_inputs < 1:
        raise ValueError(f"num_inputs must be >= 1, got {num_inputs}")
    rng = as_rng(seed)
    out = []
    for i in range(num_inputs):
        family = families[i % len(families)]
        args = []
        for shape, dtype, action in zip(shapes, dtypes, actions):
            if action.index:
                args.append(_draw_indices(family, tuple(shape), degree, rng, np.dtype(dtype)))
                continue
            x = _draw(family, tuple(shape), rng)
            if family == "repeated" and not action.is_invariant:
                x = _repeat_classes(x, action, degree, rng)
            dt = np.dtype(dtype)
            if dt.kind in "iu":
                x = np.rint(x * (2 if family in ("normal", "repeated", "sparse") else 1))
            elif dt.kind == "b":
                x = x > 0
            args.append(np.ascontiguousarray(x.astype(dt)))
        out.append((tuple(args), family))
    return out
