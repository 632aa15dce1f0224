"""The 2-closure ``G^(2) = Aut(orbital-coloured complete digraph)`` (Wielandt).

``G^(2) = {s in Sym(Omega) : O^s = O for every orbital O}``. It contains ``G``, has the same orbitals,
hence the same equivariant linear maps ``R^Omega -> R^Omega``: an orbital-coloured model is
``G^(2)``-equivariant, exactly ``G``-equivariant only when ``G`` is 2-closed (``G = G^(2)``).
Decided by an automorphism engine (nauty or bliss, ``engine=``) on the orbital colouring, its generators
sifted in ``G``; above :data:`FULL_NAUTY_MAX_DEGREE` a sparse coarsening, built from orbital arc lists
without the ``n x n`` matrix, is tried first.
"""

from __future__ import annotations

import numpy as np

from .automorphisms import restricted_automorphisms
from .coarsening import greedy_orbital_classes
from .group import PermGroup
from .membership import contains
from .orbitals import orbitals

__all__ = ["closure_witnesses", "is_two_closed", "orbital_coloring", "two_closure"]

# Up to this degree one nauty run on the full orbital colouring decides; above it a sparse coarsening is
# tried first (a few orbital classes usually pin the group down, and nauty's cost grows with the classes).
FULL_NAUTY_MAX_DEGREE = 512


def orbital_coloring(group: PermGroup) -> tuple[np.ndarray, np.ndarray]:
    """``(vertex_colors, pair_colors)``: vertex colour = ``G``-orbit id, arc colour = orbital id + 1.

    Examples
    --------
    >>> from asen.groups import cyclic
    >>> vc, pc = orbital_coloring(cyclic(3)); vc.tolist(), pc.tolist()
    ([0, 0, 0], [[1, 2, 3], [3, 1, 2], [2, 3, 1]])
    """
    orb = orbitals(group, dtype=np.int64)
    _, vertex_colors = np.unique(np.diagonal(orb), return_inverse=True)
    return vertex_colors.astype(np.int64), orb + 1


def _closure_generators(group: PermGroup, engine: str = "auto") -> np.ndarray:
    """Generators of ``G^(2)``: ``G``'s own when a sparse orbital certificate proves 2-closedness, else the engine's."""
    n = group.degree
    if n > FULL_NAUTY_MAX_DEGREE and greedy_orbital_classes(group, engine=engine) is not None:
        return group.generators
    vc, pc = orbital_coloring(group)
    gens, _ = restricted_automorphisms(vc, pc, n, engine=engine)
    return gens


def two_closure(group: PermGroup, *, engine: str = "auto") -> PermGroup:
    """``G^(2)`` as a :class:`PermGroup` (``G`` itself, as a new object, when 2-closed).

    Examples
    --------
    >>> from asen.groups import PermGroup
    >>> A4 = PermGroup([[1, 2, 0, 3], [0, 2, 3, 1]])
    >>> two_closure(A4).order()          # A_4 is not 2-closed: its closure is S_4
    24
    """
    gens = _closure_generators(group, engine)
    name = None if group.name is None else f"two_closure({group.name})"
    if gens is group.generators or contains(group.chain, gens).all():
        return PermGroup(group.generators, group.degree, order=group.order(), name=name)
    return PermGroup(np.concatenate([group.generators, gens]), group.degree, name=name)


def is_two_closed(group: PermGroup, *, engine: str = "auto") -> bool:
    """``G == G^(2)``, decided by the engine's generators sifted in ``G``.

    Examples
    --------
    >>> from asen.groups import alternating, dihedral
    >>> is_two_closed(dihedral(6)), is_two_closed(alternating(5))
    (True, False)
    """
    return closure_witnesses(group, engine=engine).shape[0] == 0


def closure_witnesses(group: PermGroup, *, engine: str = "auto") -> np.ndarray:
    """Generators of ``G^(2)`` that lie outside ``G`` (``(w, n)``; empty iff 2-closed)."""
    gens = _closure_generators(group, engine)
    if gens is group.generators or not len(gens):
        return np.empty((0, group.degree), dtype=np.int64)
    return gens[~contains(group.chain, gens)]
