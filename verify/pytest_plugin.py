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
``assert_graph_equivariant``
    :func:`asen.verify.assert_graph_equivariant`: ``assert_graph_equivariant(GCNConv(8, 16))`` checks a
    graph layer ``fn(x, edge_index)`` under node relabelling (``graph=``, ``group="automorphisms"``...).
``asen_graph``
    A factory of seeded random graphs for hand-written graph tests: ``x, edge_index = asen_graph(12)``
    gives ``x`` ``(12, 4)`` float32 and an undirected ``edge_index`` ``(2, E)`` int64 (numpy; ``torch=True``
    for tensors; ``features=``, ``family=`` from :data:`asen.verify.graphs.GRAPH_FAMILIES`, ``directed=``).
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
from .graphs import assert_graph_equivariant as _assert_graph_equivariant

__all__ = [
    "CI_PROFILE",
    "asen_graph",
    "asen_seed",
    "assert_equivariant",
    "assert_exact_symmetry",
    "assert_graph_equivariant",
]

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


@pytest.fixture
def assert_graph_equivariant() -> Callable[..., Any]:
    """The :func:`asen.verify.assert_graph_equivariant` helper."""
    return _assert_graph_equivariant


@pytest.fixture
def asen_graph(asen_seed: int) -> Callable[..., Any]:
    """``asen_graph(num_nodes, *, features=4, family="random", directed=False, torch=False)``:
    ``(x, edge_index)`` of a random graph, seeded by :func:`asen_seed` (each call draws a new one)."""
    import numpy as np

    from .graphs import random_graph

    rng = np.random.default_rng(asen_seed)

    def make(
        num_nodes: int = 10,
        *,
        features: int = 4,
        family: str = "random",
        directed: bool = False,
        torch: bool = False,
    ) -> tuple[Any, Any]:
        edge_index = random_graph(num_nodes, family, seed=rng, directed=directed)
        x = rng.standard_normal((num_nodes, features)).astype(np.float32)
        if torch:
            import torch as _torch

            return _torch.from_numpy(x), _torch.from_numpy(edge_index)
        return x, edge_index

    return make
