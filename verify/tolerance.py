r"""Tolerances for comparing ``fn(g.x)`` with ``g.fn(x)``, scaled by magnitude and dtype.

A check of ``g`` on input ``x`` compares, for every output tensor, ``a = fn(g.x)`` with ``b = g.fn(x)``:

.. math:: \mathrm{err} = \max |a - b|, \quad s = \max(\max|a|, \max|b|), \quad
          \mathrm{allowed} = \mathrm{atol} + \mathrm{rtol} \cdot s, \quad r = \mathrm{err} / \mathrm{allowed}

and ``g`` passes on ``x`` when ``r <= 1``. ``rtol`` follows the working precision (the least precise
floating dtype among the arguments as fed, the module's parameters and the outputs); ``atol`` is
``rtol / 1000`` so that outputs of order 1e-3 and above are judged relatively.

Why these numbers. A correct model in float32 differs from ``g.fn(x)`` only by rounding in a
reordered computation, typically 1e-7 to 1e-6 of the output's magnitude; a symmetry leak of size 1e-3
on outputs of order 1 gives ``r`` about 100. ``rtol = 1e-5`` sits between them, but the margin is
only a factor of 10 on either side, and cancellation inside the model or large outputs can shrink it.
So the decision has three zones:

* ``r <= 0.1``: respected; ``r > 100``: broken (no further work);
* ``0.1 < r <= 100`` ("borderline") in float16/bfloat16/float32: the check is repeated in float64
  (a float64 copy of the module, or float64 arrays for a numpy function), where correct models sit
  near 1e-15 and ``rtol = 1e-9`` leaves six orders of magnitude on each side. If the function cannot
  run in float64, ``r > 1`` decides and the report says so.

Integer and boolean outputs are compared exactly.

Examples
--------
>>> tol = Tolerance.for_dtype("float32")
>>> tol.rtol, tol.atol
(1e-05, 1e-08)
>>> round(tol.ratio(err=3e-5, scale=2.0), 2)
1.5
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FAIL_ABOVE", "PASS_BELOW", "RTOL", "Tolerance"]

#: relative tolerance per working precision
RTOL: dict[str, float] = {"float64": 1e-9, "float32": 1e-5, "float16": 2e-2, "bfloat16": 6e-2}

#: ratios at or below this pass outright; above FAIL_ABOVE fail outright; between: borderline
PASS_BELOW = 0.1
FAIL_ABOVE = 100.0

ATOL_FRACTION = 1e-3  # atol = rtol * ATOL_FRACTION


@dataclass(frozen=True)
class Tolerance:
    """``allowed = atol + rtol * scale``; ``exact`` for integer outputs (``allowed = 0``)."""

    rtol: float
    atol: float
    dtype: str = "float64"

    @classmethod
    def for_dtype(
        cls, dtype: str | None, *, rtol: float | None = None, atol: float | None = None
    ) -> Tolerance:
        """The tolerance of a working precision (``None``: integer data, compared exactly).

        Raises
        ------
        ValueError
            If ``rtol`` or ``atol`` is negative.
        """
        if dtype is None:
            base = 0.0
        elif dtype in RTOL:
            base = RTOL[dtype]
        else:
            raise ValueError(f"no tolerance for dtype {dtype!r}; known: {sorted(RTOL)}")
        r = base if rtol is None else float(rtol)
        a = base * ATOL_FRACTION if atol is None else float(atol)
        if r < 0 or a < 0:
            raise ValueError(f"rtol and atol must be >= 0, got rtol={r}, atol={a}")
        return cls(r, a, dtype or "exact")

    @property
    def can_confirm(self) -> bool:
        """True when a borderline result may be re-checked in float64 (lower precision than float64)."""
        return self.dtype in ("float32", "float16", "bfloat16")

    def allowed(self, scale: float) -> float:
        return self.atol + self.rtol * scale

    def ratio(self, *, err: float, scale: float) -> float:
        """``err / allowed``; ``inf`` when any error is allowed none (exact comparison)."""
        allowed = self.allowed(scale)
        if allowed == 0:
            return 0.0 if err == 0 else float("inf")
        return err / allowed
