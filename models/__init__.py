"""Permutation-equivariant models that read a symmetry-breaking input (pure torch).

The layers (:class:`PairGATv2`, :class:`PairBiasAttention`, :class:`OrbitalLinear`) are equivariant to
every permutation of their vertices; fed the colours of a certified
:class:`~asen.breaking.SymmetryInput`, they become equivariant to exactly the automorphism group of that
colouring on the data points. :class:`ASEN` wraps a shared body with named symmetries and tasks.
Baselines use the same interface: ``base='orbital_mlp'`` (:class:`EquivariantMLP`), ``base='mlp'``
(:class:`PositionalMLP`), and the inputs :func:`trivial_symmetry`, :func:`symmetric_symmetry`,
:func:`positional_symmetry`.
"""

from .asen import ASEN, DEFAULT_INIT, ENCODER_NORMS, LEGACY_INIT
from .attention_layer import PairBiasAttention
from .baseline_inputs import positional_symmetry, symmetric_symmetry, trivial_symmetry
from .batching import SymmetryBatch, assemble
from .bodies import BLOCK_NORMS, BODIES, ORBITAL_AGGREGATES, EquivariantMLP, GATv2Body, PositionalMLP, TransformerBody, build_body
from .bound import SymmetryView
from .gatv2_layer import PairGATv2
from .heads import HEADS, PairHead, PointHead, PooledHead, build_head
from .orbital_linear import OrbitalLinear
from .seeding import seed_everything, torch_seed
from .set_norm import SetNorm
from .symmetry_store import PATHS, POINT_COLOR_INITS, StoredSymmetry

__all__ = [
    "ASEN",
    "BLOCK_NORMS",
    "BODIES",
    "DEFAULT_INIT",
    "ENCODER_NORMS",
    "HEADS",
    "LEGACY_INIT",
    "ORBITAL_AGGREGATES",
    "PATHS",
    "POINT_COLOR_INITS",
    "EquivariantMLP",
    "GATv2Body",
    "OrbitalLinear",
    "PairBiasAttention",
    "PairGATv2",
    "PairHead",
    "PointHead",
    "PooledHead",
    "PositionalMLP",
    "SetNorm",
    "StoredSymmetry",
    "SymmetryView",
    "SymmetryBatch",
    "TransformerBody",
    "assemble",
    "build_body",
    "build_head",
    "positional_symmetry",
    "seed_everything",
    "symmetric_symmetry",
    "torch_seed",
    "trivial_symmetry",
]
