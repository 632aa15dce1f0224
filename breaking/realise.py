"""``symmetry_breaking_input``: one entry point for the three modes, every result certified (nauty or bliss).

The sparse mode of a 2-closed group never builds an ``n x n`` array: the greedy search reads the orbitals
as arc lists (:class:`~asen.groups.orbital_classes.OrbitalClasses`), the input is stored as its arcs and
the certificate works on them (only groups that need auxiliary vertices go through the dense exact input).
"""

from __future__ import annotations

import numpy as np

from ..groups import PermGroup
from ..groups.chain import check_count
from ..groups.closure import is_two_closed
from ..groups.coarsening import greedy_classes, greedy_orbital_classes
from ..groups.engines import check_engine
from ..groups.orbital_classes import OrbitalClasses
from ..groups.spec import as_group
from .auxiliary import (
    AUX_KINDS,
    DEFAULT_BUDGET,
    DEFAULT_FRAMES,
    DEFAULT_MAX_GROWTH,
    DEFAULT_SPARSE_FRAMES,
    _check_frames,
    _check_kinds,
    _check_max_growth,
    exact_input,
)
from .certificate import certify
from .closure import certified_closure_input
from .sparse_frames import sparse_frames
from .symmetry_input import MODES, SymmetryInput
from .visibility import visibility

__all__ = ["default_mode", "sparse_input", "symmetry_breaking_input"]


def default_mode(group: PermGroup | str) -> str:
    """The mode whose default input models learn from (``mode="auto"``): ``"sparse"`` for a group that is
    not 2-closed with ``DEFAULT_FRAMES < |G| <= DEFAULT_SPARSE_FRAMES`` (its frames, pruned to about
    ``n |G|`` arcs, run as message passing), else ``"exact"`` (the orbitals of a 2-closed group, the dense
    frames of one with at most :data:`~asen.breaking.DEFAULT_FRAMES` elements, the search's input beyond).

    Between the two sizes the dense default is the search's smaller input (A_6: 70 auxiliary vertices,
    PSL(2, 7) on 8 points: 42), at which default models stay at chance where the sparse frames reach 1.0
    (docs/results.md, "Session 17").

    >>> from asen.groups import alternating, cyclic
    >>> default_mode(alternating(5)), default_mode(alternating(6)), default_mode(cyclic(100))
    ('exact', 'sparse', 'exact')
    """
    G = as_group(group)
    order = G.order()
    if DEFAULT_FRAMES < order <= DEFAULT_SPARSE_FRAMES and not is_two_closed(G):
        return "sparse"
    return "exact"


def symmetry_breaking_input(
    group: PermGroup | str,
    *,
    mode: str = "exact",
    budget: int = DEFAULT_BUDGET,
    aux_kinds: tuple[str, ...] = AUX_KINDS,
    visible: bool = True,
    max_growth: float = DEFAULT_MAX_GROWTH,
    frames: int | None = None,
    engine: str = "auto",
) -> SymmetryInput:
    """A certified input ``v`` with ``Aut(v)|Omega`` equal to ``G`` (or the best certified overgroup).

    Parameters
    ----------
    group
        ``G`` as a :class:`~asen.groups.PermGroup` or a spec (``"dihedral(8)"``, ``"gap:(1,2,3)"``, ...).
    mode
        ``"closure"``: the orbital colouring of the ASEN paper, ``Aut = G^(2)`` (exact iff 2-closed);
        ``"exact"``: orbitals, or auxiliary vertices (at most ``budget``) when ``G`` is not 2-closed;
        ``"sparse"``: the exact (or closure) input pruned to the fewest arc classes that keep its group;
        ``"auto"``: :func:`default_mode` (``"sparse"`` for the frames of a non-2-closed group of 65 to 720
        elements, else ``"exact"``), what :meth:`asen.models.ASEN.add_symmetry` uses.
    budget
        Most auxiliary vertices ``exact`` and ``sparse`` may add.
    aux_kinds
        Objects the auxiliary vertices may be (see :func:`~asen.breaking.exact_input`).
    visible
        ``exact``/``sparse``: prefer the smallest input that is exact *and* visible to colour refinement
        (default), falling back to the smallest exact one, labelled; False: the smallest exact input.
    max_growth
        With ``visible``: how many times that input's auxiliary vertices the search may spend on one that
        needs fewer colour-refinement rounds (default 2; 1 keeps the smallest visible input; see
        :func:`~asen.breaking.exact_input`).
    frames
        With ``visible``: the regular orbit (one auxiliary vertex per element: frames) is the input when
        ``|G| <= min(frames, budget)`` (0: the search's result; see :func:`~asen.breaking.exact_input`).
        None (default): 64 for ``exact`` (:data:`~asen.breaking.DEFAULT_FRAMES`, the frames cost
        ``(n + |G|)^2`` pairs) and 720 for ``sparse`` (:data:`~asen.breaking.DEFAULT_SPARSE_FRAMES`,
        pruned to about ``n |G|`` arcs: A_6's 360 frames are 1,800 arcs).
    engine
        Automorphism engine for the searches and the certificate (:mod:`asen.groups.engines`):
        ``"auto"`` (nauty for small encodings, bliss for large or sparse ones), ``"nauty"``, ``"bliss"``,
        or ``"both"`` (search with ``"auto"``, certify with both engines, refused if they disagree).
        ``inp.certificate.engines`` names what ran.

    Returns
    -------
    SymmetryInput
        With ``certificate`` set; ``inp.exact`` tells whether ``Aut(v)|Omega == G`` and
        ``inp.certificate.visibility`` (:mod:`asen.breaking.visibility`) after how many colour-refinement
        rounds a model can tell the data from its images under ``G^(2) \\ G``, or that it never can.

    Examples
    --------
    >>> from asen.groups import PermGroup
    >>> A4 = PermGroup([[1, 2, 0, 3], [0, 2, 3, 1]])
    >>> symmetry_breaking_input(A4, mode="closure").certificate.achieved_order   # the 2-closure, S_4
    24
    >>> inp = symmetry_breaking_input(A4, mode="exact")   # the 12 frames (ordered pairs), seen in 2 rounds
    >>> inp.exact, inp.num_aux, symmetry_breaking_input(A4, mode="exact", frames=0, max_growth=1).num_aux
    (True, 12, 6)
    """
    G = as_group(group)
    if mode == "auto":
        mode = default_mode(G)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES} or 'auto', got {mode!r}")
    budget = check_count(budget, "budget")
    max_growth = _check_max_growth(max_growth)  # checked on every path, not only where the search reads it
    aux_kinds = _check_kinds(aux_kinds)
    frames = _check_frames(frames, mode)
    if engine != "both":
        check_engine(engine)
    if mode == "closure":
        inp = certified_closure_input(G, engine=engine)
    elif mode == "exact":
        inp = exact_input(
            G, budget=budget, aux_kinds=tuple(aux_kinds), visible=bool(visible),
            max_growth=max_growth, frames=frames, engine=engine
        )
    else:
        inp = sparse_input(
            G, budget=budget, aux_kinds=tuple(aux_kinds), visible=bool(visible),
            max_growth=max_growth, frames=frames, engine=engine
        )
    if inp.certificate.visibility is None:
        inp.certificate.visibility = visibility(inp)
    return inp


def _coarsen(inp: SymmetryInput, kept: np.ndarray) -> SymmetryInput:
    """Keep the arc classes in ``kept`` (renumbered ``1..c``), everything else background."""
    relabel = np.zeros(int(inp.pair_colors.max()) + 1, dtype=np.int64)
    relabel[kept] = np.arange(1, kept.size + 1)
    return SymmetryInput(
        group=inp.group,
        vertex_colors=inp.vertex_colors,
        pair_colors=relabel[inp.pair_colors],
        mode="sparse",
        aux_description=inp.aux_description,
        meta=dict(inp.meta),
    )


def sparse_input(
    group: PermGroup,
    *,
    budget: int = DEFAULT_BUDGET,
    aux_kinds: tuple[str, ...] = AUX_KINDS,
    visible: bool = True,
    max_growth: float = DEFAULT_MAX_GROWTH,
    frames: int | None = DEFAULT_SPARSE_FRAMES,
    engine: str = "auto",
) -> SymmetryInput:
    """Fewest arc classes (greedy) whose certified group is that of the exact input.

    When ``G`` is 2-closed the search runs on orbital arc lists and the result is stored as arcs, so
    nothing of size ``n^2`` is built (``inp.stored_as_arcs``). ``engine`` as in
    :func:`symmetry_breaking_input`.

    The base is :func:`~asen.breaking.exact_input` (``visible`` passed on) when ``G`` is not 2-closed.
    Pruning arc classes keeps the certified group but can lose visibility; the certificate's visibility
    (filled in by :func:`symmetry_breaking_input`) is that of the pruned input. A group of at most
    ``min(frames, budget)`` elements gets its frames, built directly as the arcs from the points to each
    frame (:func:`~asen.breaking.sparse_frames.sparse_frames`; A_6: 360 frames, 1,800 arcs, exact, seen
    after 2 point rounds, in 0.01 s; the dense frames would be 366^2 pairs).
    """
    aux_kinds = _check_kinds(aux_kinds)
    frames = _check_frames(frames, "sparse")  # None is this mode's default, not exact_input's
    search = "auto" if engine == "both" else engine
    classes = OrbitalClasses(group)
    kept = greedy_orbital_classes(classes, group, engine=search)
    if kept is not None:
        sparse = _orbital_input(classes, kept)
    elif visible and "tuples" in aux_kinds and group.order() <= min(frames, budget):
        return sparse_frames(group, engine=engine)  # certified; built as arcs, never as (n + |G|)^2 pairs
    else:
        base = exact_input(
            group, budget=budget, aux_kinds=aux_kinds, visible=visible, max_growth=max_growth, frames=frames,
            engine=engine,
        )
        target = group
        if not base.exact:
            target = PermGroup(np.concatenate([group.generators, base.certificate.witnesses]), group.degree)
        kept = greedy_classes(base.vertex_colors, base.pair_colors, group.degree, target, engine=search)
        if kept is None:  # pragma: no cover - the full colouring always reaches its own group
            kept = np.unique(base.pair_colors)
        sparse = _coarsen(base, kept[kept > 0])
    sparse.certificate = certify(sparse, engines=engine)
    return sparse


def _orbital_input(classes: OrbitalClasses, kept: np.ndarray) -> SymmetryInput:
    """The closure input pruned to the orbital classes ``kept`` (renumbered ``1..c``), stored as arcs."""
    src, dst, colour = classes.arcs(kept)
    colour = np.searchsorted(kept, colour) + 1
    return SymmetryInput(
        group=classes.group,
        vertex_colors=classes.vertex_colors,
        pair_colors=None,
        mode="sparse",
        arcs=(np.stack([src, dst]), colour),
    )
