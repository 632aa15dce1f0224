"""Certified symmetry-breaking inputs: orbitals, 2-closure, exact realisation, sparse search, files."""

from .symmetry_input import MODES, SymmetryInput

__all__ = ["MODES", "SymmetryInput"]
