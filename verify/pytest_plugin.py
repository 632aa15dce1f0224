"""pytest plugin (entry point ``pytest11: asen``): equivariance fixtures and a CI hypothesis profile.

Installed with asen, so any test suite can write::

    def test_layer(assert_equivariant):
        assert_equivariant(MyLayer(), "dihedral(8)")

Fixtures
--------
``assert_equivariant``
    :func:`asen.verify.assert_equivariant`: a failed check fails the test with the report as message.
``assert_exact_symmetry``
    :func:`asen.verify.assert_exact_symmetry`.
``asen_seed``
    A seed fixed per test (a CRC of its node id, plus ``--asen-seed``), so checks are reproducible and
    different tests look at different inputs; ``pytest --asen-seed=7`` re-runs everything on new ones.

Hypothesis profile
------------------
``asen-ci``: hypothesis's own ``ci`` profile (derandomised, no database, no deadline) with
``max_examples=50`` and the ``too_slow`` health check off (model evaluations are slow). Select it with
``pytest --hypothesis-profile=asen-ci``. The name is namespaced so that it never replaces a ``ci``
profile a project registers itself.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.errors import InvalidArgument

from .assertions import assert_equivariant as _assert_equivariant
from .assertions import assert_exact_symmetry as _assert_exact_symmetry

__all__ = ["CI_PROFILE", "asen_seed", "assert_equivariant", "assert_exact_symmetry"]

CI_PROFILE = "asen-ci"


def _register_profile() -> None:
    try:
        parent = settings.get_profile("ci")
    except InvalidArgument:  # a hypothesis without the built-in "ci" profile
        parent = None
    settings.register_profile(
        CI_PROFILE,
        parent=parent,
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=50,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


_register_profile()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("asen", "asen equivariance verification")
    group.addoption(
        "--asen-seed",
        type=int,
        default=0,
        help="offset added to every asen_seed fixture value (default 0)",
    )


@pytest.fixture
def asen_seed(request: pytest.FixtureRequest) -> int:
    """A per-test seed: CRC32 of the test's node id plus ``--asen-seed``."""
    offset = request.config.getoption("--asen-seed", default=0) or 0
    return (zlib.crc32(request.node.nodeid.encode()) + int(offset)) % (2**31)


@pytest.fixture
def assert_equivariant() -> Callable[..., Any]:
    """The :func:`asen.verify.assert_equivariant` helper."""
    return _assert_equivariant


@pytest.fixture
def assert_exact_symmetry() -> Callable[..., Any]:
    """The :func:`asen.verify.assert_exact_symmetry` helper."""
    return _assert_exact_symmetry
