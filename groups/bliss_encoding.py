"""The vertex-coloured (di)graph handed to bliss for a coloured digraph: plain, subdivided or layered.

bliss (through igraph) colours vertices only, but unlike pynauty's dense nauty it takes digraphs
natively and cheaply, so directions need no encoding; arc colours do. After :func:`coded_arcs` (the
most frequent off-diagonal colour is the background, the others get codes ``1..k``):

* ``"plain"`` (``k <= 1``): the arcs themselves, no extra vertex;
* ``"subdivided"``: each arc ``u -> v`` of code ``c`` becomes ``u -> x -> v`` through a new vertex ``x``
  coloured by ``c`` (one ``x`` per undirected edge when the colours are symmetric): ``E`` extra vertices;
* ``"layered"``: bit-layers as for nauty (theory notes 4.3), layer 0 on the vertices themselves, layer
  ``l >= 1`` on copies ``L(l, v)`` coloured by ``l`` and joined to ``v`` by a thread ``v -> L(l, v)``;
  an arc whose code has bit ``l`` set is ``L(l, u) -> L(l, v)``: ``n (d - 1)`` extra vertices for
  ``d = bit_length(k)`` layers.

Original vertices keep ids ``0..n-1`` and colours ``0..V-1`` (the rank of (vertex colour, loop colour),
refined by closed-walk counts, :mod:`asen.groups.walk_invariants`); added vertices get colours ``>= V``,
so every automorphism of the encoding maps originals to originals.
An added vertex is fixed by the originals it joins (an arc ``x`` by its two ends, at most one arc per
ordered pair; a copy by its single thread), so restricting the encoding's automorphisms to ``0..n-1``
is an isomorphism onto ``Aut`` of the coloured digraph: generators restrict to generators and
bliss's count is ``|Aut|`` itself. :func:`bliss_encoding` takes the smaller of the two colour encodings
(by vertices plus edges, numbers that do not depend on the vertex numbering, so canonical forms stay
canonical).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .colored_graph import ColoredGraph, coded_arcs
from .walk_invariants import walk_refined_colors

__all__ = ["BLISS_METHODS", "BlissEncoding", "bliss_encoding"]

BLISS_METHODS = ("plain", "subdivided", "layered")
#: from this many vertices a locally regular graph gets closed-walk colours: bliss's search on a rigid
#: one grows as n^2 (0.014 s at 1,024 vertices, 0.2 s at 4,096, 3.4 s at 16,384), the counts as n (~0.03 s)
WALK_MIN_VERTICES = 2048


@dataclass
class BlissEncoding:
    """A vertex-coloured graph for bliss: originals ``0..n-1`` first.

    Attributes
    ----------
    n, num_vertices
        Original and encoded vertex counts.
    edges
        ``(E, 2)`` int64 ``(tail, head)`` pairs (undirected edges when ``directed`` is False).
    colors
        ``(num_vertices,)`` int64 vertex colours.
    directed
        Whether bliss gets a digraph (the colours were not symmetric).
    method
        ``"plain"``, ``"subdivided"`` or ``"layered"``.
    codes
        Number of non-background arc colours ``k``.
    """

    n: int
    num_vertices: int
    edges: np.ndarray
    colors: np.ndarray
    directed: bool
    method: str
    codes: int

    @property
    def num_edges(self) -> int:
        return int(self.edges.shape[0])


def bliss_encoding(cg: ColoredGraph, method: str | None = None, *, walk_colors: bool = True) -> BlissEncoding:
    """The bliss input for ``cg``; ``method`` forces one encoding (for tests), default: the smallest.
    ``walk_colors=False`` leaves the originals' colours unrefined (the graph as a user would hand it over).

    Examples
    --------
    >>> import numpy as np
    >>> from asen.groups.colored_graph import colored_graph
    >>> A = np.array([[0, 1, 2], [1, 0, 1], [2, 1, 0]])            # two edge colours on a triangle
    >>> enc = bliss_encoding(colored_graph(adjacency=A))
    >>> enc.method, enc.num_vertices, enc.num_edges, enc.directed   # colour 1 is the background
    ('plain', 3, 1, False)
    """
    if method is not None and method not in BLISS_METHODS:
        raise ValueError(f"method must be one of {BLISS_METHODS} or None, got {method!r}")
    n = cg.n
    src, dst, code, k = coded_arcs(cg)
    directed = not cg.symmetric
    if not directed:
        keep = src < dst
        src, dst, code = src[keep], dst[keep], code[keep]
    key = cg.vertex_key
    if walk_colors:
        key = walk_refined_colors(n, src, dst, key, min_vertices=WALK_MIN_VERTICES, regular_only=True)
    base_colors = int(key.max()) + 1 if n else 0
    if method is None:
        layers = k.bit_length()
        subdivided_size = 2 * src.size  # added: E vertices, and each arc becomes two edges
        layered_size = 2 * n * max(layers - 1, 0) + int(_popcount(code).sum()) - src.size  # copies, threads
        method = "plain" if k <= 1 else ("subdivided" if subdivided_size <= layered_size else "layered")
    if method == "plain" or k <= 1:
        if k > 1:
            raise ValueError(f"the plain encoding holds one arc colour, this graph has {k}")
        edges = np.stack([src, dst], 1)
        return BlissEncoding(n, n, edges, key.astype(np.int64), directed, "plain", k)
    if method == "subdivided":
        x = n + np.arange(src.size, dtype=np.int64)
        edges = np.concatenate([np.stack([src, x], 1), np.stack([x, dst], 1)])
        colors = np.concatenate([key, base_colors + code - 1]).astype(np.int64)
        return BlissEncoding(n, n + src.size, edges, colors, directed, "subdivided", k)
    layers = k.bit_length()
    hubs = np.arange(n, dtype=np.int64)
    parts = []
    for lay in range(layers):
        on = (code >> lay) & 1 == 1
        parts.append(np.stack([lay * n + src[on], lay * n + dst[on]], 1))
        if lay:
            parts.append(np.stack([hubs, lay * n + hubs], 1))  # the thread v -> L(l, v)
    colors = np.concatenate([key] + [np.full(n, base_colors + lay - 1) for lay in range(1, layers)])
    edges = np.concatenate(parts) if parts else np.empty((0, 2), np.int64)
    return BlissEncoding(n, n * layers, edges, colors.astype(np.int64), directed, "layered", k)


def _popcount(code: np.ndarray) -> np.ndarray:
    """Set bits of each non-negative int64."""
    c = code.astype(np.uint64)
    total = np.zeros(c.shape, np.int64)
    while c.any():
        total += (c & np.uint64(1)).astype(np.int64)
        c >>= np.uint64(1)
    return total
