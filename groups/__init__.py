"""Permutation groups: conventions, stabiliser chains, catalogue, nauty automorphisms.

Conventions (see :mod:`asen.groups.perm`): points ``0..n-1``; a permutation is the int array of images
``i -> p[i]``; products read left to right like sympy (``compose(p, q)``: ``p`` first); ``g`` moves the
value at point ``i`` to point ``g[i]``; several point axes (images) flatten row-major.
"""

from .automorphisms import (
    AutomorphismReport,
    automorphism_group,
    automorphism_report,
    canonical_form,
    canonical_labeling,
    coloured_automorphisms,
    is_isomorphic,
)
from .catalogue import (
    affine_line,
    alternating,
    cyclic,
    dihedral,
    parity,
    psl2,
    reversal,
    symmetric,
    symmetric_on_subsets,
    trivial,
    young,
)
from .chain import StabilizerChain
from .geometric import grid_dihedral, grid_flips, grid_rotations, p4, p4m, torus_translations
from .graphio import GRAPH_FORMATS, guess_format, read_graph, write_graph
from .group import PermGroup, as_rng
from .io import (
    from_json,
    load_group,
    parse_gap_generators,
    parse_gap_permutation,
    save_group,
    to_gap,
    to_json,
)
from .perm import (
    act,
    act_axes,
    act_pairs,
    as_perm,
    compose,
    cycle_notation,
    cycles,
    identity,
    inverse,
    is_identity,
)
from .products import direct_product, wreath
from .solids import cube_rotations, icosahedral_rotations, tetrahedral_rotations
from .spec import parse as parse_spec
from .spec import resolve

__all__ = [
    "GRAPH_FORMATS",
    "AutomorphismReport",
    "PermGroup",
    "StabilizerChain",
    "act",
    "act_axes",
    "act_pairs",
    "affine_line",
    "alternating",
    "as_perm",
    "as_rng",
    "automorphism_group",
    "automorphism_report",
    "canonical_form",
    "canonical_labeling",
    "coloured_automorphisms",
    "compose",
    "cube_rotations",
    "cycle_notation",
    "cycles",
    "cyclic",
    "dihedral",
    "direct_product",
    "from_json",
    "grid_dihedral",
    "grid_flips",
    "grid_rotations",
    "guess_format",
    "icosahedral_rotations",
    "identity",
    "inverse",
    "is_identity",
    "is_isomorphic",
    "load_group",
    "p4",
    "p4m",
    "parity",
    "parse_gap_generators",
    "parse_gap_permutation",
    "parse_spec",
    "psl2",
    "read_graph",
    "resolve",
    "reversal",
    "save_group",
    "symmetric",
    "symmetric_on_subsets",
    "tetrahedral_rotations",
    "to_gap",
    "to_json",
    "torus_translations",
    "trivial",
    "wreath",
    "write_graph",
    "young",
]
