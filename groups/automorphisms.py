"""Automorphism groups, canonical labellings and isomorphism of coloured (di)graphs, through nauty.

``Aut(Gamma) = {g : c(g[i]) = c(i), A[g[i], g[j]] = A[i, j]}`` for vertex colours ``c`` and an arc-colour
matrix ``A`` (0 = no arc, diagonal = loop colours). nauty (via pynauty) colours vertices only, so
arc colours and directions are encoded in an *undirected* vertex-coloured graph (theory notes, section
4.3; nauty guide section 14): a hub ``H(v)`` per vertex, coloured by ``v``'s colour and loop colour;
per bit-layer ``l`` of the arc codes, copies ``OUT(l, v)`` and ``IN(l, v)`` joined to ``H(v)``; an arc
``u -> v`` whose code has bit ``l`` set is the edge ``OUT(l, u) -- IN(l, v)``. The most frequent
off-diagonal colour gets code 0 (no edge). A symmetric colour matrix needs no direction: layer 0 then
lies on the hubs themselves and each further layer has a single copy ``L(l, v)``. pynauty's own
digraph mode is never used (it can run for minutes). Automorphisms of the encoding fix the hub cells
and are determined by their action on the hubs, so restricting nauty's generators to the hubs gives
``Aut(Gamma)`` exactly. nauty's group order is a double; exact orders come from Schreier--Sims.

Inputs (the same for every function here): a networkx ``Graph``/``DiGraph`` (vertex order
``list(G.nodes)``), or ``adjacency=`` an ``n x n`` integer colour matrix (a numpy array or scipy sparse
matrix; asymmetric means directed), or ``arcs=(src, dst, colour)`` integer arrays with
``vertex_colors`` fixing ``n``.

Examples
--------
>>> import networkx as nx
>>> automorphism_group(nx.petersen_graph()).order()
120
>>> automorphism_group(nx.cycle_graph(5, create_using=nx.DiGraph)).order()   # directed 5-cycle
5
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .colored_graph import ColoredGraph, colored_graph
from .group import PermGroup
from .nauty_encoding import _encode, nauty_graph
from .perm import inverse

__all__ = [
    "AutomorphismReport",
    "automorphism_group",
    "automorphism_report",
    "canonical_form",
    "canonical_labeling",
    "colored_automorphisms",
    "is_isomorphic",
    "nauty_automorphisms",
    "restricted_automorphisms",
]

_EXACT_ORDER_LIMIT = 1 << 40  # below this nauty's accumulated rounding error is far below 1/2


@dataclass
class AutomorphismReport:
    """The automorphism group with nauty's figures and the time spent in each step.

    Attributes
    ----------
    group
        ``Aut`` as a :class:`PermGroup` on the ``n`` original vertices.
    nauty_order
        nauty's ``grpsize1 * 10**grpsize2`` (a float, for information; use ``group.order()``).
    nauty_orbits
        Orbit label of each vertex as nauty reports it (the smallest vertex of its orbit).
    encoded_vertices, encoded_edges, layers, directed_encoding
        Size of the undirected graph handed to nauty, bit-layers used, and whether IN/OUT copies were needed.
    nauty_log10_order
        ``log10`` of nauty's order (finite where the double ``nauty_order`` overflows to ``inf``).
    prepare_seconds, encode_seconds, nauty_seconds
        Input checks; building the encoding and pynauty's adjacency dict; the nauty call itself.
    """

    group: PermGroup
    nauty_order: float
    nauty_orbits: np.ndarray
    encoded_vertices: int
    encoded_edges: int
    layers: int
    directed_encoding: bool
    prepare_seconds: float = 0.0
    encode_seconds: float = 0.0
    nauty_seconds: float = 0.0
    nauty_log10_order: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain summary (JSON-ready), the group given by its exact order and generator count."""
        return {
            "degree": self.group.degree,
            "order": self.group.order(),
            "nauty_order": self.nauty_order,
            "num_generators": len(self.group.generators),
            "encoded_vertices": self.encoded_vertices,
            "encoded_edges": self.encoded_edges,
            "layers": self.layers,
            "directed_encoding": self.directed_encoding,
            "prepare_seconds": self.prepare_seconds,
            "encode_seconds": self.encode_seconds,
            "nauty_seconds": self.nauty_seconds,
        }


# ---------------------------------------------------------------------------------- public API
def automorphism_report(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
) -> AutomorphismReport:
    """Automorphism group of a coloured (di)graph with nauty's order and a timing breakdown.

    Same inputs as :func:`automorphism_group`; see :class:`AutomorphismReport` for the fields.

    Examples
    --------
    >>> import networkx as nx
    >>> rep = automorphism_report(nx.hypercube_graph(3))
    >>> rep.group.order(), round(rep.nauty_order), rep.encoded_vertices   # nauty's float may be 47.99...
    (48, 48, 8)
    """
    t0 = time.perf_counter()
    cg = colored_graph(
        graph,
        adjacency=adjacency,
        arcs=arcs,
        vertex_colors=vertex_colors,
        edge_colors=edge_colors,
        directed=directed,
    )
    t1 = time.perf_counter()
    n = cg.n
    if n == 0:
        return AutomorphismReport(
            PermGroup([], 0, name=cg.name), 1.0, np.empty(0, np.int64), 0, 0, 0, False, t1 - t0
        )
    enc = _encode(cg)
    import pynauty  # imported on first use: asen.groups works without nauty, minus this module's functions

    graph = nauty_graph(enc)
    t2 = time.perf_counter()
    gens, size1, size2, orbits, _ = pynauty.autgrp(graph)
    t3 = time.perf_counter()
    hub_gens = np.asarray(gens, dtype=np.int64).reshape(-1, enc.num_vertices)[:, :n]
    log10_order = math.log10(float(size1)) + int(size2)
    nauty_order = 10.0**log10_order if log10_order < 308 else math.inf  # the double overflows past 1e308
    rounded = round(nauty_order) if nauty_order < _EXACT_ORDER_LIMIT else 0
    hint = (
        rounded if rounded >= 1 and abs(nauty_order - rounded) < 1e-3 else None
    )  # nauty's double is inexact
    group = PermGroup(hub_gens, n, order=hint, name=cg.name)
    return AutomorphismReport(
        group, nauty_order, np.asarray(orbits[:n], dtype=np.int64), enc.num_vertices, enc.num_edges,
        enc.layers, enc.directed, t1 - t0, t2 - t1, t3 - t2, log10_order,
    )  # fmt: skip


def nauty_automorphisms(vertex_colors: np.ndarray, pair_colors: np.ndarray) -> tuple[np.ndarray, float]:
    """Generators ``(m, N)`` of ``Aut`` of a vertex- and arc-coloured digraph, and ``log10`` of nauty's order."""
    report = automorphism_report(adjacency=pair_colors, vertex_colors=vertex_colors)
    return report.group.generators, float(report.nauty_log10_order)


def restricted_automorphisms(
    vertex_colors: np.ndarray, pair_colors: np.ndarray, n: int
) -> tuple[np.ndarray, float]:
    """nauty generators restricted to the first ``n`` vertices, and ``log10`` of nauty's order of the whole group."""
    gens, order = nauty_automorphisms(vertex_colors, pair_colors)
    return np.ascontiguousarray(gens[:, :n]), order


def automorphism_group(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
) -> PermGroup:
    """The automorphism group of a vertex- and arc-coloured (di)graph, computed by nauty.

    ``Aut = {g in S_n : c(g[i]) = c(i) and A[g[i], g[j]] = A[i, j] for all i, j}``.

    Parameters
    ----------
    graph
        A networkx ``Graph`` or ``DiGraph`` (vertex ``i`` is ``list(graph.nodes)[i]``; self-loops are
        loop colours), or an ``n x n`` matrix (same as ``adjacency=``).
    adjacency
        An ``n x n`` non-negative integer matrix: 0 = no arc, other values = arc colours, diagonal
        = loop colours. Asymmetric means directed. numpy array or scipy sparse matrix.
    arcs
        ``(src, dst, colour)`` integer arrays (colour 0 = no arc); needs ``vertex_colors`` for ``n``.
    vertex_colors
        For networkx input a node attribute name, a mapping node -> colour or a sequence in node
        order; otherwise a length-``n`` sequence. Colours are any sortable labels; integers must be
        non-negative.
    edge_colors
        Name of the edge attribute holding arc colours (networkx input only).
    directed
        ``None`` (default) infers it; ``False`` insists the arc colours are symmetric (``ValueError``
        otherwise); ``True`` treats the input as a digraph (the same group for symmetric input).

    Returns
    -------
    PermGroup
        On the ``n`` vertices, with nauty's generators (restricted to the hubs of the encoding).

    Raises
    ------
    TypeError, ValueError
        Bad shapes, dtypes, negative colours, colour lists of the wrong length, conflicting arcs.

    Examples
    --------
    >>> import networkx as nx
    >>> automorphism_group(nx.complete_graph(5)).order()
    120
    >>> G = nx.cycle_graph(6)
    >>> automorphism_group(G, vertex_colors=[0, 1, 0, 1, 0, 1]).order()   # rotations by 2, reflections
    6
    """
    return automorphism_report(
        graph,
        adjacency=adjacency,
        arcs=arcs,
        vertex_colors=vertex_colors,
        edge_colors=edge_colors,
        directed=directed,
    ).group


def colored_automorphisms(vertex_colors: Any, arcs: Any) -> PermGroup:
    """Fast, vectorised entry point: ``Aut`` of ``N`` coloured vertices and colour-coded arcs.

    Parameters
    ----------
    vertex_colors
        ``(N,)`` non-negative integer array.
    arcs
        ``(src, dst, colour)`` integer arrays (colour 0 = no arc; a listed pair at most once, or
        repeated with the same colour), or a dense ``(N, N)`` non-negative integer colour matrix.

    Examples
    --------
    >>> import numpy as np
    >>> src = np.arange(4); dst = (src + 1) % 4
    >>> colored_automorphisms(np.zeros(4, int), (src, dst, np.ones(4, int))).order()
    4
    """
    if isinstance(arcs, tuple):
        return automorphism_report(arcs=arcs, vertex_colors=vertex_colors).group
    return automorphism_report(adjacency=arcs, vertex_colors=vertex_colors).group


def _canonical(cg: ColoredGraph) -> np.ndarray:
    if cg.n == 0:
        return np.empty(0, np.int64)
    import pynauty

    lab = np.asarray(pynauty.canon_label(nauty_graph(_encode(cg))), dtype=np.int64)
    return inverse(lab[lab < cg.n])  # hub cells come first, so this is the canonical order of vertices


def canonical_labeling(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
) -> np.ndarray:
    """A canonical relabelling ``p``: vertex ``i`` becomes ``p[i]`` (nauty, colours respected).

    Moving the graph by ``p`` (``act_pairs(p, A)``, ``act(p, colours)``) gives the same coloured
    graph for every isomorphic input. Same inputs as :func:`automorphism_group`.

    Examples
    --------
    >>> import numpy as np
    >>> from asen.groups.perm import act_pairs
    >>> A = np.array([[0, 1, 0], [0, 0, 0], [0, 0, 0]])   # one arc 0 -> 1, vertex 2 isolated
    >>> B = np.array([[0, 0, 0], [0, 0, 0], [0, 1, 0]])   # one arc 2 -> 1, vertex 0 isolated
    >>> bool((act_pairs(canonical_labeling(A), A) == act_pairs(canonical_labeling(B), B)).all())
    True
    """
    cg = colored_graph(
        graph,
        adjacency=adjacency,
        arcs=arcs,
        vertex_colors=vertex_colors,
        edge_colors=edge_colors,
        directed=directed,
    )
    return _canonical(cg)


def canonical_form(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
) -> bytes:
    """An exact isomorphism invariant: equal bytes if and only if the coloured graphs are isomorphic.

    The bytes hold ``n``, the colour labels, and the canonically relabelled vertex colours and sorted
    arc list (not a hash, so there are no collisions). Same inputs as :func:`automorphism_group`.

    Examples
    --------
    >>> import networkx as nx
    >>> canonical_form(nx.path_graph(4)) == canonical_form(nx.relabel_nodes(nx.path_graph(4), {0: 2, 2: 0}))
    True
    >>> canonical_form(nx.path_graph(4)) == canonical_form(nx.star_graph(3))
    False
    """
    cg = colored_graph(
        graph,
        adjacency=adjacency,
        arcs=arcs,
        vertex_colors=vertex_colors,
        edge_colors=edge_colors,
        directed=directed,
    )
    p = _canonical(cg)
    src, dst, colour = cg.arc_arrays()
    s, t = p[src], p[dst]
    order = np.lexsort((t, s))
    vertex = np.empty((2, cg.n), dtype="<i8")
    vertex[0, p] = cg.vertex_code
    vertex[1, p] = cg.loop_code
    header = repr((cg.n, int(src.size), cg.vertex_labels, cg.colour_labels)).encode()
    body = [vertex.tobytes(), np.stack([s[order], t[order], colour[order]]).astype("<i8").tobytes()]
    return b"asen-canonical-1:" + str(len(header)).encode() + b":" + header + b"".join(body)


def is_isomorphic(
    graph1: Any,
    graph2: Any,
    *,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
) -> bool:
    """Whether two coloured (di)graphs are isomorphic (colours must match as labels).

    Parameters
    ----------
    graph1, graph2
        networkx graphs or square colour matrices (as ``graph`` in :func:`automorphism_group`).
    vertex_colors
        A node attribute name used for both graphs, or a pair ``(colors1, colors2)``.
    edge_colors
        An edge attribute name used for both (networkx input).

    Examples
    --------
    >>> import networkx as nx
    >>> is_isomorphic(nx.cycle_graph(5), nx.relabel_nodes(nx.cycle_graph(5), {0: 3, 3: 0}))
    True
    >>> is_isomorphic(nx.path_graph(3), nx.path_graph(3), vertex_colors=([0, 1, 0], [1, 0, 0]))
    False
    """
    if isinstance(vertex_colors, tuple) and len(vertex_colors) == 2 and not isinstance(vertex_colors[0], str):
        vc1, vc2 = vertex_colors
    elif vertex_colors is None or isinstance(vertex_colors, str):
        vc1 = vc2 = vertex_colors
    else:
        raise TypeError(
            "vertex_colors for is_isomorphic must be an attribute name or a pair (colors1, colors2), "
            f"got {type(vertex_colors).__name__}"
        )
    kw = {"edge_colors": edge_colors, "directed": directed}
    return canonical_form(graph1, vertex_colors=vc1, **kw) == canonical_form(graph2, vertex_colors=vc2, **kw)
