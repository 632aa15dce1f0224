"""Automorphism groups, canonical labellings and isomorphism of coloured (di)graphs, through nauty or bliss.

``Aut(Gamma) = {g : c(g[i]) = c(i), A[g[i], g[j]] = A[i, j]}`` for vertex colours ``c`` and an arc-colour
matrix ``A`` (0 = no arc, diagonal = loop colours). Every function takes ``engine="auto"`` (default),
``"nauty"`` or ``"bliss"`` (:mod:`asen.groups.engines`): nauty (pynauty, dense) is the reference and the
fast choice for small graphs; bliss (igraph) for large or sparse ones; ``"auto"`` keeps nauty while its
encoding has at most ``AUTO_NAUTY_MAX_VERTICES`` vertices. Neither engine colours arcs, so arc colours
and directions are encoded in a vertex-coloured graph:

* for nauty (:mod:`~asen.groups.nauty_encoding`; theory notes, section 4.3; nauty guide section 14) an
  *undirected* graph: a hub ``H(v)`` per vertex, coloured by ``v``'s colour and loop colour; per
  bit-layer ``l`` of the arc codes, copies ``OUT(l, v)`` and ``IN(l, v)`` joined to ``H(v)``; an arc
  ``u -> v`` whose code has bit ``l`` set is the edge ``OUT(l, u) -- IN(l, v)``. A symmetric colour
  matrix needs no direction: layer 0 then lies on the hubs themselves and each further layer has a
  single copy ``L(l, v)``. pynauty's own digraph mode is never used (it can run for minutes);
* for bliss (:mod:`~asen.groups.bliss_encoding`) a digraph when the colours are not symmetric (bliss
  handles directions itself), with each coloured arc subdivided by a vertex of its colour, or the same
  bit-layers, whichever is smaller.

In both, the most frequent off-diagonal colour gets code 0 (no edge), automorphisms of the encoding fix
the original vertices as a set and are determined by their action there, so restricting the engine's
generators to them gives ``Aut(Gamma)`` exactly. nauty's group order is a double, bliss's an exact
integer; exact orders come from Schreier--Sims (with the engine's order as a verified hint).

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
>>> automorphism_group(nx.cycle_graph(5, create_using=nx.DiGraph), engine="bliss").order()
5
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from .colored_graph import ColoredGraph, colored_graph
from .engines import ENGINE_CHOICES, check_engine, choose_engine, engine_canonical_labeling, run_engine
from .group import PermGroup

__all__ = [
    "ENGINE_CHOICES",
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


@dataclass
class AutomorphismReport:
    """The automorphism group with the engine's figures and the time spent in each step.

    Attributes
    ----------
    group
        ``Aut`` as a :class:`PermGroup` on the ``n`` original vertices.
    engine_order
        The engine's ``|Aut|`` as a float (nauty's ``grpsize1 * 10**grpsize2``; bliss's exact count as a
        float), for information; use ``group.order()`` or ``exact_order``.
    engine_orbits
        Orbit label of each vertex (the smallest vertex of its orbit).
    encoded_vertices, encoded_edges, layers, directed_encoding
        Size of the graph handed to the engine, bit-layers used, and whether it was directed (nauty:
        IN/OUT copies were needed; bliss: a digraph).
    prepare_seconds, encode_seconds, engine_seconds
        Input checks; building the encoding and the engine's graph object; the engine call(s).
    engine_log10_order
        ``log10`` of the engine's order (finite where the double ``engine_order`` overflows to ``inf``).
    engine
        ``"nauty"`` or ``"bliss"``: the engine that ran (``"auto"`` resolved).
    exact_order
        The engine's exact order when it has one (bliss; nauty below ``2**40``), else None.
    encoding
        ``"layers"`` (nauty), or bliss's ``"plain"``, ``"subdivided"`` or ``"layered"``.
    isolated
        Vertices without arcs split off before the engine ran (their symmetric groups are added back).

    ``nauty_order``, ``nauty_orbits``, ``nauty_seconds`` and ``nauty_log10_order`` are the old names of
    the ``engine_*`` fields (read-only), kept for callers written before there were two engines.
    """

    group: PermGroup
    engine_order: float
    engine_orbits: np.ndarray
    encoded_vertices: int
    encoded_edges: int
    layers: int
    directed_encoding: bool
    prepare_seconds: float = 0.0
    encode_seconds: float = 0.0
    engine_seconds: float = 0.0
    engine_log10_order: float = 0.0
    engine: str = "nauty"
    exact_order: int | None = None
    encoding: str = "layers"
    isolated: int = 0

    nauty_order = property(lambda self: self.engine_order, doc="Old name of ``engine_order``.")
    nauty_orbits = property(lambda self: self.engine_orbits, doc="Old name of ``engine_orbits``.")
    nauty_seconds = property(lambda self: self.engine_seconds, doc="Old name of ``engine_seconds``.")
    nauty_log10_order = property(lambda self: self.engine_log10_order, doc="Old name of the log10 field.")

    def to_dict(self) -> dict[str, Any]:
        """Plain summary (JSON-ready), the group given by its exact order and generator count."""
        return {
            "degree": self.group.degree,
            "order": self.group.order(),
            "engine": self.engine,
            "engine_order": self.engine_order,
            "nauty_order": self.engine_order,
            "num_generators": len(self.group.generators),
            "encoded_vertices": self.encoded_vertices,
            "encoded_edges": self.encoded_edges,
            "encoding": self.encoding,
            "layers": self.layers,
            "directed_encoding": self.directed_encoding,
            "isolated": self.isolated,
            "prepare_seconds": self.prepare_seconds,
            "encode_seconds": self.encode_seconds,
            "engine_seconds": self.engine_seconds,
            "nauty_seconds": self.engine_seconds,
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
    engine: str = "auto",
) -> AutomorphismReport:
    """Automorphism group of a coloured (di)graph with the engine's order and a timing breakdown.

    Same inputs as :func:`automorphism_group`; see :class:`AutomorphismReport` for the fields.

    Examples
    --------
    >>> import networkx as nx
    >>> rep = automorphism_report(nx.hypercube_graph(3))
    >>> rep.engine, rep.group.order(), round(rep.engine_order), rep.encoded_vertices   # nauty's float may be 47.99...
    ('nauty', 48, 48, 8)
    >>> rep = automorphism_report(nx.hypercube_graph(3), engine="bliss")
    >>> rep.engine, rep.exact_order, rep.encoding
    ('bliss', 48, 'plain')
    """
    check_engine(engine)
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
    return _report(cg, engine, t1 - t0)


def _report(cg: ColoredGraph, engine: str, prepare_seconds: float = 0.0) -> AutomorphismReport:
    run = run_engine(cg, engine)
    gens = run.generators if cg.n else []
    group = PermGroup(gens, cg.n, order=run.exact_order if cg.n else None, name=cg.name)
    return AutomorphismReport(
        group, run.order, run.orbits, run.encoded_vertices, run.encoded_edges, run.layers,
        run.directed_encoding, prepare_seconds, run.encode_seconds, run.search_seconds, run.log10_order,
        run.engine, run.exact_order, run.encoding, run.isolated,
    )  # fmt: skip


def nauty_automorphisms(
    vertex_colors: np.ndarray, pair_colors: Any, *, engine: str = "nauty"
) -> tuple[np.ndarray, float]:
    """Generators ``(m, N)`` of ``Aut`` of a vertex- and arc-coloured digraph, and ``log10`` of its order.

    ``pair_colors`` is a dense ``(N, N)`` colour matrix or ``(src, dst, colour)`` arcs; ``engine`` as
    everywhere (the name is historical: nauty by default).
    """
    cg = _structure(vertex_colors, pair_colors)
    run = run_engine(cg, check_engine(engine))
    return run.generators, float(run.log10_order)


def restricted_automorphisms(
    vertex_colors: np.ndarray, pair_colors: Any, n: int, *, engine: str = "auto"
) -> tuple[np.ndarray, float]:
    """Generators restricted to the first ``n`` vertices, and ``log10`` of the engine's order of the whole group.

    ``pair_colors`` is a dense ``(N, N)`` colour matrix or ``(src, dst, colour)`` arcs.
    """
    gens, order = nauty_automorphisms(vertex_colors, pair_colors, engine=engine)
    return np.ascontiguousarray(gens[:, :n]), order


def _structure(vertex_colors: Any, pair_colors: Any) -> ColoredGraph:
    if isinstance(pair_colors, tuple):
        return colored_graph(arcs=pair_colors, vertex_colors=vertex_colors)
    return colored_graph(adjacency=pair_colors, vertex_colors=vertex_colors)


def automorphism_group(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
    engine: str = "auto",
) -> PermGroup:
    """The automorphism group of a vertex- and arc-coloured (di)graph, computed by nauty or bliss.

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
    engine
        ``"auto"`` (default: nauty for small encodings, bliss for large ones), ``"nauty"`` or ``"bliss"``.

    Returns
    -------
    PermGroup
        On the ``n`` vertices, with the engine's generators (restricted to the original vertices).

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
        engine=engine,
    ).group


def colored_automorphisms(vertex_colors: Any, arcs: Any, *, engine: str = "auto") -> PermGroup:
    """Fast, vectorised entry point: ``Aut`` of ``N`` coloured vertices and colour-coded arcs.

    Parameters
    ----------
    vertex_colors
        ``(N,)`` non-negative integer array.
    arcs
        ``(src, dst, colour)`` integer arrays (colour 0 = no arc; a listed pair at most once, or
        repeated with the same colour), or a dense ``(N, N)`` non-negative integer colour matrix.
    engine
        ``"auto"``, ``"nauty"`` or ``"bliss"``.

    Examples
    --------
    >>> import numpy as np
    >>> src = np.arange(4); dst = (src + 1) % 4
    >>> colored_automorphisms(np.zeros(4, int), (src, dst, np.ones(4, int))).order()
    4
    """
    return _report(_structure(vertex_colors, arcs), check_engine(engine)).group


def canonical_labeling(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
    engine: str = "auto",
) -> np.ndarray:
    """A canonical relabelling ``p``: vertex ``i`` becomes ``p[i]`` (nauty or bliss, colours respected).

    Moving the graph by ``p`` (``act_pairs(p, A)``, ``act(p, colours)``) gives the same coloured
    graph for every isomorphic input labelled by the same engine (``"auto"`` picks the engine from
    isomorphism invariants, so it is one engine for isomorphic inputs). Same inputs as
    :func:`automorphism_group`.

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
    return engine_canonical_labeling(cg, check_engine(engine))


def canonical_form(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
    engine: str = "auto",
) -> bytes:
    """An exact isomorphism invariant: equal bytes if and only if the coloured graphs are isomorphic.

    The bytes hold the engine that labelled the graph, ``n``, the colour labels, and the canonically
    relabelled vertex colours and sorted arc list (not a hash, so there are no collisions). Forms from
    different engines never compare equal; compare forms made with the same ``engine`` (``"auto"``
    picks one engine for all isomorphic inputs). Same inputs as :func:`automorphism_group`.

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
    name = choose_engine(cg, check_engine(engine))
    p = engine_canonical_labeling(cg, name)
    src, dst, colour = cg.arc_arrays()
    s, t = p[src], p[dst]
    order = np.lexsort((t, s))
    vertex = np.empty((2, cg.n), dtype="<i8")
    vertex[0, p] = cg.vertex_code
    vertex[1, p] = cg.loop_code
    header = repr((cg.n, int(src.size), cg.vertex_labels, cg.colour_labels)).encode()
    body = [vertex.tobytes(), np.stack([s[order], t[order], colour[order]]).astype("<i8").tobytes()]
    tag = b"asen-canonical-1:" if name == "nauty" else f"asen-canonical-{name}-1:".encode()
    return tag + str(len(header)).encode() + b":" + header + b"".join(body)


def is_isomorphic(
    graph1: Any,
    graph2: Any,
    *,
    vertex_colors: Any = None,
    edge_colors: str | None = None,
    directed: bool | None = None,
    engine: str = "auto",
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
    engine
        ``"auto"``, ``"nauty"`` or ``"bliss"`` (:func:`canonical_form`).

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
    kw = {"edge_colors": edge_colors, "directed": directed, "engine": engine}
    return canonical_form(graph1, vertex_colors=vc1, **kw) == canonical_form(graph2, vertex_colors=vc2, **kw)
