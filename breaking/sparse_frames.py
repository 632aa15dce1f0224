"""The frames of ``G`` as arcs, built directly: no ``(n + |G|)^2`` colouring (theory.md §3.2, Theorem A).

A frame ``y_g`` (one per ``g in G``) stands for the tuple ``g . beta`` of a base ``beta``; the arc
``g(c) -> y_g`` has the colour of the coordinate ``c`` (a point of ``Omega``), for ``c`` in a set ``C``.
With ``C = Omega`` the input is exact: an automorphism ``sigma`` maps the identity's frame to some ``y_g``
and keeps every arc's colour, so ``sigma(c) = g(c)`` for all ``c``, i.e. ``sigma = g``. ``C`` starts as the
base and grows by ``Omega``'s other points, in order, until the certificate (nauty/bliss) says exact: the
same pruned frames ``mode="sparse"`` built from the dense colouring (A_6: 5 of 6 coordinates, 1,800 arcs),
in ``O(|C| |G|)`` memory, so groups of thousands of elements get frames in seconds (M_11: 7,920 frames).
"""

from __future__ import annotations

import numpy as np

from ..groups import PermGroup
from .certificate import certify
from .gsets import _encode
from .symmetry_input import SymmetryInput

__all__ = ["sparse_frames"]

#: most elements :func:`sparse_frames` lists (``|G| x n`` int64 of them)
MAX_FRAMES = 100_000


def sparse_frames(group: PermGroup, *, engine: str = "auto", max_frames: int = MAX_FRAMES) -> SymmetryInput:
    """The certified exact frames input of ``G`` as arcs ``g(c) -> y_g`` (colour: ``c``'s rank in ``C``).

    Points keep their ``G``-orbit as vertex colour, the ``|G|`` frames (ordered as the tuples ``g . beta``)
    share one more. Raises ``ValueError`` when ``|G| > max_frames``.

    Examples
    --------
    >>> from asen.groups import alternating
    >>> inp = sparse_frames(alternating(6))
    >>> inp.exact, inp.num_aux, inp.num_edges, inp.num_pair_colors - 1
    (True, 360, 1800, 5)
    """
    order = group.order()
    if order > max_frames:
        raise ValueError(f"the group has {order} elements, more frames than max_frames={max_frames}")
    n = group.degree
    base = [int(b) for b in group.chain.base] or [0]
    elements = group.elements(limit=max(order, 1))
    codes = _encode(elements[:, base], n)
    sort = np.argsort(codes, kind="stable")  # the frames in the order of regular_orbit's tuples
    elements, codes = elements[sort], codes[sort]
    # generator h maps the frame of g to that of h g: lifted to Omega ⊔ Y as in extend_group
    lifted = np.array([np.concatenate([h, n + np.searchsorted(codes, _encode(h[elements[:, base]], n))])
                       for h in group.generators], dtype=np.int64).reshape(len(group.generators), n + order)  # fmt: skip
    _, orbit_colors = np.unique(group.orbit_ids(), return_inverse=True)
    vertex_colors = np.concatenate([orbit_colors, np.full(order, orbit_colors.max(initial=-1) + 1)])
    frames = n + np.arange(order)
    coordinates = base + [c for c in range(n) if c not in base]
    for size in range(len(base), n + 1):
        chosen = np.array(coordinates[:size])
        src = elements[:, chosen].reshape(-1)  # frame f, coordinate c: the point g_f(c)
        dst = np.repeat(frames, size)
        colours = np.tile(np.arange(1, size + 1), order)
        inp = SymmetryInput(
            group=group,
            vertex_colors=vertex_colors,
            pair_colors=None,
            mode="sparse",
            arcs=(np.stack([src, dst]), colours),
            aux_description=f"regular orbit of {order} ordered {len(base)}-tuples (frames: one per group element)",
            meta={"lifted_generators": lifted, "frame_coordinates": chosen.tolist()},
        )
        inp.certificate = certify(inp, engines=engine)
        if inp.exact:
            return inp
    raise AssertionError("the frames with every coordinate are exact")  # pragma: no cover - proven above
