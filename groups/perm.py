"""Permutations as integer arrays: the conventions of the whole library, stated once.

Conventions
-----------
* Points are ``0 .. n-1``. A permutation of degree ``n`` is an integer array ``p`` of length ``n``
  with ``i -> p[i]`` (the array of images; sympy's ``array_form``).
* Products read left to right, as in sympy and GAP: ``compose(p, q)`` is "first ``p``, then ``q``",
  ``i -> q[p[i]]``, i.e. the array ``q[p]``. With ``*`` for this product, ``(p * q)(i) = q(p(i))``.
* A permutation ``g`` moves *data* on the points: the value at point ``i`` goes to point ``g[i]``,
  ``(g . x)[g[i]] = x[i]``, i.e. ``g . x = x[g^-1]`` along the point axis. This is a left action with
  respect to the map composition ``g o h``: ``g . (h . x) = compose(h, g) . x`` ("h first").
* Points on several axes (an ``h x w`` image) are flattened row-major: pixel ``(r, c)`` is point
  ``r * w + c``. Pair features carry the points on two axes and are moved on both:
  ``(g . A)[g[i], g[j]] = A[i, j]``.

The action helpers accept numpy arrays and torch tensors alike (indexing only; torch is never imported).

Examples
--------
>>> import numpy as np
>>> p = np.array([1, 2, 0]); q = np.array([1, 0, 2])
>>> compose(p, q).tolist()         # first p then q: 0->1->0, 1->2->2, 2->0->1
[0, 2, 1]
>>> act(p, np.array([10, 20, 30])).tolist()   # value at 0 moves to 1, at 1 to 2, at 2 to 0
[30, 10, 20]
>>> cycle_notation(p)
'(1,2,3)'
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "act",
    "act_axes",
    "act_pairs",
    "as_perm",
    "as_perms",
    "as_rows",
    "compose",
    "cycle_notation",
    "cycles",
    "identity",
    "inverse",
    "is_identity",
    "is_sympy_permutation",
    "parity",
    "perm_dtype",
    "signature",
]

PermLike = Any  # sequence of ints, numpy array, or anything np.asarray accepts
_INT16, _INT32 = np.dtype(np.int16), np.dtype(np.int32)
_INT16_MAX, _INT32_MAX = int(np.iinfo(np.int16).max), int(np.iinfo(np.int32).max)


def perm_dtype(n: int) -> np.dtype:
    """Smallest signed integer dtype that holds the points ``0..n-1`` (used for stored tables)."""
    if n <= _INT16_MAX:
        return _INT16
    if n <= _INT32_MAX:
        return _INT32
    return np.dtype(np.int64)


def is_sympy_permutation(p: Any) -> bool:
    """True for a ``sympy.combinatorics.Permutation`` (checked without importing sympy)."""
    return type(p).__module__.startswith("sympy") and hasattr(p, "array_form") and hasattr(p, "size")


def as_perm(p: PermLike, degree: int | None = None, *, name: str = "permutation") -> np.ndarray:
    """Validate ``p`` as a permutation and return it as a fresh ``int64`` array.

    A sympy ``Permutation`` is read as its ``array_form``, padded with fixed points up to ``degree``
    (sympy permutations fix every point past their ``size``), as in :meth:`PermGroup.from_sympy`.

    Raises
    ------
    TypeError
        If ``p`` is not a one-dimensional sequence of integers (or a sympy ``Permutation``).
    ValueError
        If ``p`` has the wrong length, entries outside ``0..n-1`` or repeated entries.

    Examples
    --------
    >>> from sympy.combinatorics import Permutation
    >>> as_perm(Permutation([1, 0]), 4).tolist()
    [1, 0, 2, 3]
    """
    if is_sympy_permutation(p):
        p = list(p.array_form) + list(range(p.size, degree if degree is not None else p.size))
    try:
        arr = np.asarray(p)
    except Exception as exc:  # pragma: no cover - exotic inputs
        raise TypeError(f"{name} must be a sequence of integers, got {type(p).__name__}") from exc
    if arr.ndim == 0:
        raise TypeError(
            f"{name} must be a sequence of integers (the images of 0..n-1), got {type(p).__name__}"
        )
    if arr.ndim != 1:
        raise TypeError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.mod(arr, 1) == 0):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=True)
    n = arr.size
    if degree is not None and n != degree:
        raise ValueError(f"{name} has length {n}, expected degree {degree}")
    if n and (arr.min() < 0 or arr.max() >= n):
        bad = arr[(arr < 0) | (arr >= n)][0]
        raise ValueError(f"{name} has entry {bad} outside 0..{n - 1}: not a permutation")
    if n and np.bincount(arr, minlength=n).max() > 1:
        dup = int(np.flatnonzero(np.bincount(arr, minlength=n) > 1)[0])
        raise ValueError(f"{name} repeats the image {dup}: not a permutation")
    return arr


def as_perms(perms: Any, degree: int | None = None, *, name: str = "perms") -> np.ndarray:
    """Validate a ``(m, n)`` batch of permutations at once and return it as a fresh ``int64`` array.

    Raises
    ------
    TypeError
        If ``perms`` is not a two-dimensional array of integers.
    ValueError
        If the rows have the wrong length or some row is not a permutation (the first bad row is named).

    Examples
    --------
    >>> as_perms([[1, 0, 2], [2, 0, 1]]).shape
    (2, 3)
    """
    arr = np.asarray(perms)
    if arr.ndim != 2:
        raise TypeError(f"{name} must be a two-dimensional array (m, n), got shape {arr.shape}")
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.all(np.mod(arr, 1) == 0):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    arr = arr.astype(np.int64, copy=True)
    m, n = arr.shape
    if degree is not None and n != degree:
        raise ValueError(f"{name} has rows of length {n}, expected degree {degree}")
    if not arr.size:
        return arr
    out_of_range = (arr < 0) | (arr >= n)
    if out_of_range.any():
        i = int(np.flatnonzero(out_of_range.any(axis=1))[0])
        as_perm(arr[i], n, name=f"row {i} of {name}")
    counts = np.bincount((arr + (np.arange(m) * n)[:, None]).ravel(), minlength=m * n).reshape(m, n)
    if (counts != 1).any():
        i = int(np.flatnonzero((counts != 1).any(axis=1))[0])
        as_perm(arr[i], n, name=f"row {i} of {name}")
    return arr


def as_rows(a: Any, n: int) -> np.ndarray:
    """``a`` as ``(m, n)`` rows, like ``reshape(-1, n)`` but also for ``n = 0``.

    With no points a 1-D (empty) array is one row and an ``(..., 0)`` array has ``prod(shape[:-1])`` rows.
    """
    a = np.asarray(a)
    if n:
        return a.reshape(-1, n)
    if a.size:
        raise ValueError(f"an array of shape {a.shape} cannot hold permutations of 0 points")
    return a.reshape(math.prod(a.shape[:-1]) if a.ndim > 1 else 1, 0)


def identity(n: int) -> np.ndarray:
    """The identity permutation of degree ``n``."""
    return np.arange(n, dtype=np.int64)


def compose(*perms: np.ndarray) -> np.ndarray:
    """Left-to-right product: ``compose(p, q)`` applies ``p`` first, then ``q`` (``q[p]``).

    Works on batches too: arrays of shape ``(..., n)`` compose row by row.
    """
    if not perms:
        raise ValueError("compose needs at least one permutation")
    out = np.asarray(perms[0])
    for q in perms[1:]:
        q = np.asarray(q)
        if q.ndim == 1 and out.ndim == 1:
            out = q[out]
        else:
            qb, ob = np.broadcast_arrays(q, out)
            out = np.take_along_axis(qb, ob, axis=-1)
    return out


def inverse(p: np.ndarray) -> np.ndarray:
    """Inverse permutation, ``inverse(p)[p[i]] = i``; batches of shape ``(..., n)`` too."""
    p = np.asarray(p)
    inv = np.empty_like(p)
    ar = np.broadcast_to(np.arange(p.shape[-1], dtype=p.dtype), p.shape)
    np.put_along_axis(inv, p, ar, axis=-1)
    return inv


def is_identity(p: np.ndarray) -> bool:
    """True when ``p`` fixes every point."""
    p = np.asarray(p)
    return bool(np.array_equal(p, np.arange(p.shape[-1])))


def parity(p: np.ndarray) -> np.ndarray | int:
    """Parity ``0`` (even) or ``1`` (odd) of a permutation, or of each row of a ``(..., n)`` batch.

    ``sign(p) = (-1)^(n - #cycles)``; cycles are counted by pointer doubling (``log2 n`` gathers), so
    there is no Python loop over points.

    Examples
    --------
    >>> parity([1, 2, 0]), parity([1, 0, 2]), parity([[0, 1], [1, 0]]).tolist()
    (0, 1, [0, 1])
    """
    p = np.asarray(p, dtype=np.int64)
    n = p.shape[-1]
    batch = as_rows(p, n)
    label = np.broadcast_to(np.arange(n), batch.shape).copy()  # smallest point seen along the cycle
    jump = batch.copy()
    steps = 1
    while steps < n:
        label = np.minimum(label, np.take_along_axis(label, jump, axis=1))
        jump = np.take_along_axis(jump, jump, axis=1)
        steps *= 2
    ncycles = (label == np.arange(n)).sum(axis=1)
    out = ((n - ncycles) % 2).reshape(p.shape[:-1])
    return int(out) if out.ndim == 0 else out


def signature(p: np.ndarray) -> np.ndarray | int:
    """The sign ``(-1)^parity(p)``: ``+1`` for even, ``-1`` for odd permutations (sympy's ``signature``).

    Examples
    --------
    >>> signature([1, 2, 0]), signature([[0, 1], [1, 0]]).tolist()
    (1, [1, -1])
    """
    return 1 - 2 * parity(p)


def cycles(p: np.ndarray, *, include_fixed: bool = False) -> list[tuple[int, ...]]:
    """Disjoint cycles of ``p`` (0-based), each starting at its smallest point."""
    p = np.asarray(p)
    seen = np.zeros(p.size, dtype=bool)
    out: list[tuple[int, ...]] = []
    for start in range(p.size):
        if seen[start]:
            continue
        cyc = [start]
        seen[start] = True
        j = int(p[start])
        while j != start:
            cyc.append(j)
            seen[j] = True
            j = int(p[j])
        if len(cyc) > 1 or include_fixed:
            out.append(tuple(cyc))
    return out


def cycle_notation(p: np.ndarray, *, one_based: bool = True) -> str:
    """GAP-style cycle notation, 1-based by default: ``[1, 2, 0] -> '(1,2,3)'``; ``'()'`` for the identity."""
    shift = 1 if one_based else 0
    cs = cycles(p)
    if not cs:
        return "()"
    return "".join("(" + ",".join(str(i + shift) for i in c) + ")" for c in cs)


def _check_len(x: Any, axis: int, n: int) -> None:
    size = x.shape[axis]
    if size != n:
        raise ValueError(f"axis {axis} has length {size}, but the permutation has degree {n}")


def _normalise_axis(axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for an array with {ndim} dimensions")
    return axis % ndim


def _is_torch(x: Any) -> bool:
    return type(x).__module__.startswith("torch")


def _gather(x: Any, index: np.ndarray, axis: int) -> Any:
    """``x`` indexed by ``index`` along ``axis``; torch tensors stay on their device."""
    if _is_torch(x):
        torch = sys.modules["torch"]  # x is a tensor, so torch is already imported
        return x.index_select(axis, torch.as_tensor(index, device=x.device))
    return np.take(x, index, axis=axis)


def act(g: np.ndarray, x: Any, axis: int = 0) -> Any:
    """Move data on one axis: ``(g . x)[g[i]] = x[i]`` along ``axis`` (numpy array or torch tensor).

    ``g . x = x[g^-1]`` on that axis. This is a left action: ``act(g, act(h, x)) == act(compose(h, g), x)``.

    Examples
    --------
    >>> act([1, 2, 0], np.array([[10, 11], [20, 21], [30, 31]])).tolist()
    [[30, 31], [10, 11], [20, 21]]
    """
    g = np.asarray(g)
    if g.ndim != 1:
        raise ValueError(f"g must be one permutation (one-dimensional), got shape {g.shape}")
    if not hasattr(x, "shape") or not hasattr(x, "ndim"):
        x = np.asarray(x)
    axis = _normalise_axis(axis, x.ndim)
    _check_len(x, axis, g.size)
    return _gather(x, inverse(g), axis)


def act_axes(g: np.ndarray, x: Any, axes: Sequence[int]) -> Any:
    """Move data whose points span several consecutive axes, flattened row-major (images: ``H x W``).

    ``axes`` must be consecutive, e.g. ``(1, 2)`` for a batch of ``H x W`` images with ``n = H*W``;
    pixel ``(r, c)`` is point ``r * W + c``.

    Examples
    --------
    >>> img = np.array([[1, 2], [3, 4]])
    >>> act_axes([1, 3, 0, 2], img, (0, 1)).tolist()   # quarter turn of a 2x2 image: (r, c) -> (c, 1-r)
    [[3, 1], [4, 2]]
    """
    if not hasattr(x, "shape") or not hasattr(x, "ndim"):
        x = np.asarray(x)
    axes = [_normalise_axis(a, x.ndim) for a in axes]
    if not axes or axes != list(range(axes[0], axes[0] + len(axes))):
        raise ValueError(f"axes must be consecutive, got {tuple(axes)}")
    shape = tuple(x.shape)
    n = int(np.prod([shape[a] for a in axes]))
    if n != np.asarray(g).size:
        raise ValueError(
            f"axes {tuple(axes)} hold {n} points, but the permutation has degree {np.asarray(g).size}"
        )
    flat = x.reshape(shape[: axes[0]] + (n,) + shape[axes[-1] + 1 :])
    return act(g, flat, axes[0]).reshape(shape)


def act_pairs(g: np.ndarray, x: Any, axes: tuple[int, int] = (0, 1)) -> Any:
    """Move pair data on two axes: ``(g . A)[g[i], g[j]] = A[i, j]``.

    Examples
    --------
    >>> A = np.array([[0, 1], [2, 3]])
    >>> act_pairs([1, 0], A).tolist()
    [[3, 2], [1, 0]]
    """
    return act(g, act(g, x, axes[0]), axes[1])
