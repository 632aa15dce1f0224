"""Certified symmetry-breaking inputs: exact realisation, sparse search, certificates, files.

The group theory they rest on (orbitals, the 2-closure, orbital coarsenings) lives in :mod:`asen.groups`
and is re-exported here.

``symmetry_breaking_input(G, mode=...)`` builds a vertex- and arc-coloured structure ``v`` on
``Omega ⊔ Y`` and certifies ``Aut(v)|Omega`` with nauty: ``"closure"`` (orbitals; ``G^(2)``), ``"exact"``
(auxiliary vertices where ``G`` is not 2-closed) or ``"sparse"`` (fewest arc classes). Each certificate
also says whether a colour-refinement model can *use* the breaking (:mod:`asen.breaking.visibility`; the
function :func:`asen.breaking.visibility.visibility` is not re-exported here, so the module name stays
unshadowed).
"""

from ..groups.closure import closure_witnesses, is_two_closed, two_closure
from ..groups.coarsening import greedy_classes
from ..groups.orbitals import orbital_representatives, orbitals, rank
from .auxiliary import (
    DEFAULT_BUDGET,
    DEFAULT_FRAMES,
    DEFAULT_MAX_GROWTH,
    DEFAULT_MAX_OBJECTS,
    DEFAULT_SPARSE_FRAMES,
    aux_input,
    exact_input,
)
from .batch import BatchSummary, certify_batch
from .certificate import Certificate, certify
from .closure import closure_input
from .export import to_networkx, to_pyg, to_torch
from .files import load, save
from .gsets import AuxOrbit, extend_group, regular_orbit, tuple_orbits
from .realise import default_mode, sparse_input, symmetry_breaking_input
from .symmetry_input import MODES, SymmetryInput
from .visibility import Visibility, VisibilityWarning

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_FRAMES",
    "DEFAULT_MAX_GROWTH",
    "DEFAULT_MAX_OBJECTS",
    "DEFAULT_SPARSE_FRAMES",
    "MODES",
    "AuxOrbit",
    "BatchSummary",
    "Certificate",
    "SymmetryInput",
    "Visibility",
    "VisibilityWarning",
    "aux_input",
    "certify",
    "certify_batch",
    "closure_input",
    "closure_witnesses",
    "default_mode",
    "exact_input",
    "extend_group",
    "greedy_classes",
    "is_two_closed",
    "load",
    "orbital_representatives",
    "orbitals",
    "rank",
    "regular_orbit",
    "save",
    "sparse_input",
    "symmetry_breaking_input",
    "to_networkx",
    "to_pyg",
    "to_torch",
    "tuple_orbits",
    "two_closure",
]
