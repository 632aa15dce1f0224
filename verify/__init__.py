"""Property-based equivariance verification.

``check_equivariance(fn, G)`` compares ``fn(g.x)`` with ``g.fn(x)`` over generated (or given) inputs and
the elements of a permutation group ``G``; ``check_exact_symmetry(fn, G)`` also shows that ``fn`` breaks
informative permutations outside ``G`` and names the largest group it was seen to respect. Both work on
numpy functions and torch modules and return reports with a readable ``str`` and ``to_dict()``.
``check_graph_equivariance(fn)`` checks graph functions ``fn(x, edge_index)`` (PyTorch Geometric layers,
numpy/scipy message passing) under relabelling or under a graph's own automorphisms
(:mod:`asen.verify.graphs`); the ``"index"`` action moves ``edge_index`` in any check.
:mod:`asen.verify.strategies` has hypothesis strategies; :mod:`asen.verify.pytest_plugin` (loaded by
pytest through the ``pytest11`` entry point) has fixtures and the ``asen-ci`` hypothesis profile.
"""

from .assertions import assert_equivariant, assert_exact_symmetry
from .axes import TensorAction
from .check import check_equivariance
from .evaluate import FunctionCallError
from .exactness import check_exact_symmetry, largest_respected_group, outside_candidates
from .graphs import (
    as_graph,
    assert_graph_equivariant,
    check_graph_equivariance,
    graph_group,
    random_graph,
)
from .report import Counterexample, EquivarianceReport, ExactnessReport, OutsideCheck
from .tolerance import Tolerance

__all__ = [
    "Counterexample",
    "EquivarianceReport",
    "ExactnessReport",
    "FunctionCallError",
    "OutsideCheck",
    "TensorAction",
    "Tolerance",
    "as_graph",
    "assert_equivariant",
    "assert_exact_symmetry",
    "assert_graph_equivariant",
    "check_equivariance",
    "check_exact_symmetry",
    "check_graph_equivariance",
    "graph_group",
    "largest_respected_group",
    "outside_candidates",
    "random_graph",
]
