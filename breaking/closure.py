"""The paper's orbital input: every ordered pair coloured by its orbital, certified ``Aut = G^(2)``.

The group theory (orbitals, :func:`asen.groups.two_closure`) lives in :mod:`asen.groups`; this module
only builds and certifies the :class:`SymmetryInput`.
"""

from __future__ import annotations

from ..groups import PermGroup
from ..groups.closure import FULL_NAUTY_MAX_DEGREE, orbital_coloring
from ..groups.coarsening import greedy_orbital_classes
from .certificate import certify
from .symmetry_input import SymmetryInput

__all__ = ["certified_closure_input", "closure_input"]


def closure_input(group: PermGroup, *, mode: str = "closure") -> SymmetryInput:
    """The paper's orbital input (:func:`asen.groups.orbital_coloring` on ``Omega``). Uncertified."""
    vertex_colors, pair_colors = orbital_coloring(group)
    return SymmetryInput(group=group, vertex_colors=vertex_colors, pair_colors=pair_colors, mode=mode)


def certified_closure_input(
    group: PermGroup, *, mode: str = "closure", engine: str = "auto"
) -> SymmetryInput:
    """The orbital input with its certificate (via a sparse coarsening when one suffices).

    ``engine`` (``"auto"``, ``"nauty"``, ``"bliss"``, or ``"both"`` to certify with both) runs the search
    and the certificate.
    """
    inp = closure_input(group, mode=mode)
    kept = None
    if group.degree > FULL_NAUTY_MAX_DEGREE:
        kept = greedy_orbital_classes(group, engine="auto" if engine == "both" else engine)
    inp.certificate = certify(inp, keep_classes=kept, engines=engine)
    return inp
