"""Symmetry inputs for the baselines: trivial group, full symmetric group, positions only.

Each returns a plain :class:`~asen.breaking.SymmetryInput`, so a baseline is the *same model* with a
different input:

* :func:`trivial_symmetry` -- every ordered pair its own colour and every point its own vertex colour
  (the orbital colouring of the trivial group): no equivariance at all.
* :func:`symmetric_symmetry` -- no breaking input: one vertex colour and one pair colour for everything,
  so the model is equivariant to all of ``S_n``.
* :func:`positional_symmetry` -- learned absolute positions (vertex colour = point index) and one pair
  colour: with the transformer base this is a plain transformer with positional encodings.

Examples
--------
>>> sym = symmetric_symmetry(4)
>>> sym.pair_colors.max(), sym.group.order()
(np.int64(1), 24)
>>> trivial_symmetry(3).pair_colors.tolist()
[[1, 2, 3], [4, 5, 6], [7, 8, 9]]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..groups import PermGroup

if TYPE_CHECKING:  # imported lazily: ``import asen.models`` must not need breaking's nauty dependency
    from ..breaking import SymmetryInput


def _symmetry_input(*args, **kwargs) -> SymmetryInput:
    from ..breaking import SymmetryInput

    return SymmetryInput(*args, **kwargs)


__all__ = ["positional_symmetry", "symmetric_symmetry", "trivial_symmetry"]


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return int(n)


def trivial_symmetry(n: int) -> SymmetryInput:
    """The trivial group's orbital colouring on ``n`` points: ``c_ij = i * n + j + 1``, vertex colour ``i``."""
    n = _check_n(n)
    group = PermGroup([], degree=n, order=1, name=f"trivial({n})")
    pairs = np.arange(n * n, dtype=np.int64).reshape(n, n) + 1
    return _symmetry_input(group, np.arange(n), pairs, "closure", meta={"baseline": "trivial"})


def symmetric_symmetry(n: int) -> SymmetryInput:
    """``S_n`` without a breaking input: vertex colour 0 and pair colour 1 everywhere."""
    n = _check_n(n)
    gens = []
    if n >= 2:
        gens = [np.r_[1, 0, np.arange(2, n)], np.roll(np.arange(n), -1)]
    order = int(np.prod(np.arange(1, n + 1, dtype=object)))
    group = PermGroup(gens, degree=n, order=order, name=f"symmetric({n})")
    return _symmetry_input(group, np.zeros(n), np.ones((n, n)), "closure", meta={"baseline": "symmetric"})


def positional_symmetry(n: int) -> SymmetryInput:
    """Positions only: vertex colour ``i`` for point ``i`` and one pair colour (trivial group)."""
    n = _check_n(n)
    group = PermGroup([], degree=n, order=1, name=f"positional({n})")
    return _symmetry_input(group, np.arange(n), np.ones((n, n)), "closure", meta={"baseline": "positional"})
