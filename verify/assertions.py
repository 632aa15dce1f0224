"""Assertions for test suites: a failed check raises ``AssertionError`` whose message is the report.

Both helpers hide their own frames from pytest tracebacks (``__tracebackhide__``) and return the
report when the check passes, so a test can look at the numbers too.

Examples
--------
>>> import numpy as np
>>> from asen.groups.catalogue import symmetric
>>> report = assert_equivariant(lambda x: x - x.mean(1, keepdims=True), symmetric(4), shapes=(1, 4, 2))
>>> report.passed
True
>>> assert_equivariant(lambda x: x * np.arange(4.0)[None, :, None], symmetric(4), shapes=(1, 4, 2))
... # doctest: +ELLIPSIS
Traceback (most recent call last):
...
AssertionError: equivariance of <lambda> under symmetric(4) (degree 4, order 24): FAILED
...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..groups import PermGroup
from .check import check_equivariance
from .exactness import check_exact_symmetry
from .report import EquivarianceReport, ExactnessReport

__all__ = ["assert_equivariant", "assert_exact_symmetry"]


def assert_equivariant(
    fn: Callable[..., Any], group: PermGroup | str, inputs: Any = None, **options: Any
) -> EquivarianceReport:
    """:func:`~asen.verify.check_equivariance`, raising ``AssertionError(str(report))`` when it fails.

    Takes the same arguments; returns the report.
    """
    __tracebackhide__ = True
    report = check_equivariance(fn, group, inputs, **options)
    if not report.passed:
        raise AssertionError(str(report))
    return report


def assert_exact_symmetry(
    fn: Callable[..., Any], group: PermGroup | str, inputs: Any = None, **options: Any
) -> ExactnessReport:
    """:func:`~asen.verify.check_exact_symmetry`, raising ``AssertionError(str(report))`` unless exact.

    Takes the same arguments; returns the report.
    """
    __tracebackhide__ = True
    report = check_exact_symmetry(fn, group, inputs, **options)
    if not report.passed:
        raise AssertionError(str(report))
    return report
