"""The 2-closure ``G^(2) = Aut(orbital-coloured complete digraph)`` and the paper's orbital input.

``G^(2) = {s in Sym(Omega) : O^s = O for every orbital O}`` (Wielandt). It contains ``G``, has the same
orbitals, hence the same equivariant linear maps ``R^Omega -> R^Omega``; an orbital-coloured model is
``G^(2)``-equivariant, exactly ``G``-equivariant only when ``G`` is 2-closed.
"""

from __future__ import annotations

import numpy as np

from ..groups import PermGroup
from .certificate import certify, restricted_automorphisms
from .orbitals import orbitals
from .sparse import greedy_classes
from .symmetry_input import SymmetryInput

__all__ = ["closure_input", "closure_witnesses", "is_two_closed", "two_closure"]


def closure_input(group: PermGroup, *, mode: str = "closure") -> SymmetryInput:
    """The orbital colouring on ``Omega``: vertex colour = orbit, arc colour = orbital id + 1. Uncertified."""
    orb = orbitals(group, dtype=np.int64)
    diag = np.diagonal(orb)
    _, vertex_colors = np.unique(diag, return_inverse=True)
    return SymmetryInput(group=group, vertex_colors=vertex_colors, pair_colors=orb + 1, mode=mode)


# Up to this degree one nauty run on the full orbital colouring decides; above it a sparse coarsening is
# tried first (a few orbital classes usually pin the group down, and nauty's cost grows with the classes).
FULL_NAUTY_MAX_DEGREE = 512


def _closure_generators(group: PermGroup) -> np.ndarray:
    """Generators of ``G^(2)``: ``G``'s own when a sparse orbital certificate proves 2-closedness, else nauty's."""
    inp = closure_input(group)
    sparse_proof = group.degree > FULL_NAUTY_MAX_DEGREE and (
        greedy_classes(inp.vertex_colors, inp.pair_colors, group.degree, group) is not None
    )
    if sparse_proof:
        return group.generators
    gens, _ = restricted_automorphisms(inp.vertex_colors, inp.pair_colors, group.degree)
    return gens


def two_closure(group: PermGroup) -> PermGroup:
    """``G^(2)`` as a :class:`~asen.groups.PermGroup` (``G`` itself, as a new object, when 2-closed).

    Examples
    --------
    >>> from asen.groups import PermGroup
    >>> A4 = PermGroup([[1, 2, 0, 3], [0, 2, 3, 1]])
    >>> two_closure(A4).order()          # A_4 is not 2-closed: its closure is S_4
    24
    """
    gens = _closure_generators(group)
    name = None if group.name is None else f"two_closure({group.name})"
    if gens is group.generators or group.chain.contains(gens).all():
        return PermGroup(group.generators, group.degree, order=group.order(), name=name)
    return PermGroup(np.concatenate([group.generators, gens]), group.degree, name=name)


def is_two_closed(group: PermGroup) -> bool:
    """``G == G^(2)``, decided by nauty generators sifted in ``G``."""
    return closure_witnesses(group).shape[0] == 0


def closure_witnesses(group: PermGroup) -> np.ndarray:
    """Generators of ``G^(2)`` that lie outside ``G`` (``(w, n)``; empty iff 2-closed)."""
    gens = _closure_generators(group)
    if gens is group.generators or not len(gens):
        return np.empty((0, group.degree), dtype=np.int64)
    return gens[~group.chain.contains(gens)]


def certified_closure_input(group: PermGroup, *, mode: str = "closure") -> SymmetryInput:
    """The orbital input with its certificate (via a sparse coarsening when one suffices)."""
    inp = closure_input(group, mode=mode)
    kept = None
    if group.degree > FULL_NAUTY_MAX_DEGREE:
        kept = greedy_classes(inp.vertex_colors, inp.pair_colors, group.degree, group)
    inp.certificate = certify(inp, keep_classes=kept)
    return inp
