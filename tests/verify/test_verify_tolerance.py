"""Tolerance: dtype-derived rtol/atol, the ratio, and the zone constants."""

from __future__ import annotations

import math

import pytest

from asen.verify.tolerance import FAIL_ABOVE, PASS_BELOW, RTOL, Tolerance


def test_rtol_per_precision_and_atol_fraction():
    assert Tolerance.for_dtype("float64").rtol == 1e-9
    assert Tolerance.for_dtype("float32").rtol == 1e-5
    assert Tolerance.for_dtype("float32").atol == pytest.approx(1e-8)
    assert RTOL["float16"] > RTOL["float32"] > RTOL["float64"]


def test_a_1e3_leak_on_order_one_outputs_fails_in_float32_and_is_clear_in_float64():
    # float32: ratio ~ 100 > 1 (fails even unconfirmed), inside the zone re-checked in float64
    r32 = Tolerance.for_dtype("float32").ratio(err=1e-3, scale=1.0)
    assert 1 < r32 <= FAIL_ABOVE
    # float64: a million times the allowance
    assert Tolerance.for_dtype("float64").ratio(err=1e-3, scale=1.0) > 1e5


def test_float32_rounding_sits_in_the_pass_zone():
    # about 8 ulps of an order-one output
    assert Tolerance.for_dtype("float32").ratio(err=1e-6, scale=1.0) <= PASS_BELOW


def test_exact_comparison_for_integer_outputs():
    tol = Tolerance.for_dtype(None)
    assert tol.ratio(err=0.0, scale=5.0) == 0.0
    assert math.isinf(tol.ratio(err=1.0, scale=5.0))
    assert not tol.can_confirm


def test_overrides_and_errors():
    tol = Tolerance.for_dtype("float32", rtol=1e-3, atol=0.0)
    assert (tol.rtol, tol.atol) == (1e-3, 0.0)
    assert Tolerance.for_dtype("float32").can_confirm and not Tolerance.for_dtype("float64").can_confirm
    with pytest.raises(ValueError, match=">= 0"):
        Tolerance.for_dtype("float32", rtol=-1)
    with pytest.raises(ValueError, match="no tolerance for dtype"):
        Tolerance.for_dtype("int8")
