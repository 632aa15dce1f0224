"""Property-based equivariance verification: ``check_equivariance``, exactness, strategies, pytest plugin."""

from .check import check_equivariance
from .evaluate import FunctionCallError
from .exact import check_exact_symmetry, largest_respected_group, outside_candidates
from .report import Counterexample, EquivarianceReport, ExactnessReport, OutsideCheck
from .spec import TensorAction

__all__ = [
    "Counterexample",
    "EquivarianceReport",
    "ExactnessReport",
    "FunctionCallError",
    "OutsideCheck",
    "TensorAction",
    "check_equivariance",
    "check_exact_symmetry",
    "largest_respected_group",
    "outside_candidates",
]
