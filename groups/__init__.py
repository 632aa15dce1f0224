"""Permutation groups: conventions, stabiliser chains, catalogue, automorphisms (nauty or bliss).

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
    colored_automorphisms,
    is_isomorphic,
    nauty_automorphisms,
    restricted_automorphisms,
)
from .catalogue import (
    affine_line,
    alternating,
    cyclic,
    dihedral,
    even_flips,
    mathieu,
    psl2,
    reversal,
    symmetric,
    symmetric_on_subsets,
    trivial,
    young,
)
from .chain import StabilizerChain
from .engines import AUTO_NAUTY_MAX_VERTICES, ENGINE_CHOICES, ENGINES, choose_engine
from .closure import closure_witnesses, is_two_closed, orbital_coloring, two_closure
from .coarsening import candidate_classes, greedy_classes, greedy_orbital_classes
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
    signature,
)
from .orbital_classes import OrbitalClasses
from .orbitals import orbital_representatives, orbitals, rank
from .products import direct_product, wreath
from .refinement import color_refinement
from .solids import cube_rotations, icosahedral_rotations, solid_points, solid_rotations, tetrahedral_rotations
from .spec import as_group, resolve
from .spec import parse as parse_spec

__all__ = [
    "AUTO_NAUTY_MAX_VERTICES",
    "ENGINES",
    "ENGINE_CHOICES",
    "GRAPH_FORMATS",
    "OrbitalClasses",
    "AutomorphismReport",
    "PermGroup",
    "StabilizerChain",
    "act",
    "act_axes",
    "act_pairs",
    "affine_line",
    "alternating",
    "as_group",
    "as_perm",
    "as_rng",
    "automorphism_group",
    "automorphism_report",
    "candidate_classes",
    "canonical_form",
    "canonical_labeling",
    "choose_engine",
    "closure_witnesses",
    "color_refinement",
    "colored_automorphisms",
    "compose",
    "cube_rotations",
    "cycle_notation",
    "cycles",
    "cyclic",
    "dihedral",
    "direct_product",
    "even_flips",
    "from_json",
    "greedy_classes",
    "greedy_orbital_classes",
    "grid_dihedral",
    "grid_flips",
    "grid_rotations",
    "guess_format",
    "icosahedral_rotations",
    "identity",
    "inverse",
    "is_identity",
    "is_isomorphic",
    "is_two_closed",
    "load_group",
    "mathieu",
    "nauty_automorphisms",
    "orbital_coloring",
    "orbital_representatives",
    "orbitals",
    "p4",
    "p4m",
    "parse_gap_generators",
    "parse_gap_permutation",
    "parse_spec",
    "psl2",
    "rank",
    "read_graph",
    "resolve",
    "restricted_automorphisms",
    "reversal",
    "save_group",
    "signature",
    "solid_points",
    "solid_rotations",
    "symmetric",
    "symmetric_on_subsets",
    "tetrahedral_rotations",
    "to_gap",
    "to_json",
    "torus_translations",
    "trivial",
    "two_closure",
    "wreath",
    "write_graph",
    "young",
]


# Names kept for one release; each access warns and returns the new object.
_DEPRECATED = {
    "coloured_automorphisms": ("colored_automorphisms", colored_automorphisms),
    "parity": ("even_flips", even_flips),
}


def __getattr__(name: str):
    if name in _DEPRECATED:
        import warnings

        new, obj = _DEPRECATED[name]
        warnings.warn(f"asen.groups.{name} is deprecated; use asen.groups.{new}", DeprecationWarning, stacklevel=2)
        return obj
    raise AttributeError(f"module 'asen.groups' has no attribute {name!r}")
