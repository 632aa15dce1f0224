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
import pynauty

from .group import PermGroup
from .perm import inverse

__all__ = [
    "AutomorphismReport",
    "automorphism_group",
    "automorphism_report",
    "canonical_form",
    "canonical_labeling",
    "coloured_automorphisms",
    "is_isomorphic",
]

MAX_ENCODED_VERTICES = 1 << 16  # pynauty's dense nauty stores N^2 / 8 bytes: 512 MiB at this size
_EXACT_ORDER_LIMIT = 1 << 40  # below this nauty's accumulated rounding error is far below 1/2
_WALK_NONZEROS = 4_000_000  # budget of the sparse walk-count products that refine the hub cells
_WALK_MIN_VERTICES = 100  # smaller graphs are quick for nauty as they are
_WALK_STEPS = 6  # closed walks of length up to 2 * _WALK_STEPS + 2


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


# ---------------------------------------------------------------------------------- input checks
_MISSING = object()


@dataclass
class ColouredGraph:
    """Checked input: ``n`` vertices with integer colour codes and off-diagonal arcs (or a dense matrix).

    ``vertex_labels`` / ``colour_labels`` are ``None`` when the codes are the user's own non-negative
    integers, else the sorted labels that codes index (arc codes from 1). Loops live in ``loop_code``.
    """

    n: int
    vertex_code: np.ndarray
    loop_code: np.ndarray
    vertex_labels: tuple | None
    colour_labels: tuple | None
    symmetric: bool
    matrix: np.ndarray | None = None  # dense colour matrix (diagonal ignored; loops are in loop_code)
    src: np.ndarray | None = None
    dst: np.ndarray | None = None
    colour: np.ndarray | None = None
    name: str | None = None

    @property
    def vertex_key(self) -> np.ndarray:
        """Rank of each vertex's (colour, loop colour): the order of nauty's hub cells."""
        if self.n == 0:
            return np.empty(0, np.int64)
        return np.unique(np.stack([self.vertex_code, self.loop_code], 1), axis=0, return_inverse=True)[
            1
        ].ravel()

    def arc_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Off-diagonal arcs ``(src, dst, colour code)`` with nonzero colour."""
        if self.matrix is None:
            return self.src, self.dst, self.colour
        mask = self.matrix != 0
        np.fill_diagonal(mask, False)
        src, dst = np.nonzero(mask)
        return src.astype(np.int64), dst.astype(np.int64), self.matrix[src, dst].astype(np.int64)


def _codes(values: Any, what: str, *, first: int = 0) -> tuple[np.ndarray, tuple | None]:
    """Integer codes for colour labels: the integers themselves if they are all ``>= first``, else ranks."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iub":
        arr: np.ndarray | None = values.astype(np.int64).ravel()
        vals: list = []
    else:
        vals = list(values)
        ints = all(isinstance(v, (int, np.integer)) for v in vals)
        arr = np.asarray(vals, dtype=np.int64) if ints else None
    if arr is not None:
        if arr.size and arr.min() < 0:
            raise ValueError(f"{what} must be non-negative, got {int(arr.min())}")
        if not arr.size or arr.min() >= first:
            return arr, None
        vals = arr.tolist()
    try:
        labels = tuple(sorted(set(vals)))
    except TypeError as exc:
        if "unhashable" in str(exc):
            raise TypeError(f"{what} must be hashable labels: {exc}") from None
        labels = tuple(sorted(set(vals), key=lambda v: (type(v).__name__, repr(v))))
    index = {v: i + first for i, v in enumerate(labels)}
    return np.fromiter((index[v] for v in vals), np.int64, len(vals)), labels


def _vertex_codes(colors: Any, n: int, nodes: list | None = None) -> tuple[np.ndarray, tuple | None]:
    if colors is None:
        return np.zeros(n, np.int64), None
    if nodes is not None and isinstance(colors, str):
        found = [(v, d.get(colors, _MISSING)) for v, d in nodes]
        missing = [v for v, c in found if c is _MISSING]
        if missing:
            raise ValueError(f"vertex_colors: node {missing[0]!r} has no attribute {colors!r}")
        colors = [c for _, c in found]
    elif nodes is not None and isinstance(colors, dict):
        missing = [v for v, _ in nodes if v not in colors]
        if missing:
            raise ValueError(f"vertex_colors: no colour for node {missing[0]!r}")
        colors = [colors[v] for v, _ in nodes]
    elif isinstance(colors, (str, bytes)) or not hasattr(colors, "__len__"):
        raise TypeError(f"vertex_colors must be a sequence of length {n}, got {type(colors).__name__}")
    if np.ndim(colors) != 1 and not (n == 0 and np.size(colors) == 0):
        raise ValueError(f"vertex_colors must be one-dimensional, got shape {np.shape(colors)}")
    if len(colors) != n:
        raise ValueError(f"vertex_colors has length {len(colors)}, but the graph has {n} vertices")
    return _codes(colors, "vertex_colors")


def _int_array(x: Any, what: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        return arr.astype(np.uint8)
    if arr.dtype.kind == "f" and np.all(np.mod(arr, 1) == 0):
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu" and not (arr.size == 0 and arr.dtype.kind == "f"):
        raise TypeError(f"{what} must hold integers, got dtype {arr.dtype}")
    if arr.dtype.kind == "u" and arr.dtype.itemsize == 8:
        arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        raise ValueError(f"{what} must be non-negative, got {int(arr.min())}")
    return arr.astype(np.int64) if arr.dtype.kind == "f" else arr


def _from_arcs(n, vcode, vlabels, src, dst, colour, clabels, directed, name) -> ColouredGraph:
    """Drop colour-0 pairs, merge repeats (same colour only), split off loops, test symmetry."""
    src, dst, colour = (np.asarray(a, dtype=np.int64) for a in (src, dst, colour))
    for arr, what in ((src, "source"), (dst, "target")):
        if arr.size and (arr.min() < 0 or arr.max() >= n):
            bad = arr[(arr < 0) | (arr >= n)][0]
            raise ValueError(f"arcs: {what} vertex {int(bad)} is outside 0..{n - 1}")
    keep = colour != 0
    if not keep.all():
        src, dst, colour = src[keep], dst[keep], colour[keep]
    key = src * n + dst
    order = np.argsort(key)
    key, col = key[order], colour[order]
    same = key[1:] == key[:-1]
    clash = np.flatnonzero(same & (col[1:] != col[:-1]))
    if clash.size:
        u, v = divmod(int(key[clash[0]]), n)
        raise ValueError(f"arcs: the pair ({u}, {v}) is given twice with different colours")
    first = np.concatenate([[True], ~same]) if key.size else np.empty(0, bool)
    key, col = key[first], col[first]
    s, t = np.divmod(key, n) if n else (key, key)
    loops = s == t
    loop_code = np.zeros(n, np.int64)
    loop_code[s[loops]] = col[loops]
    s, t, col, key = s[~loops], t[~loops], col[~loops], key[~loops]
    reverse = t * n + s
    by_reverse = np.argsort(reverse)  # symmetric iff the reversed arcs, sorted, are the arcs themselves
    symmetric = bool(np.array_equal(reverse[by_reverse], key) and np.array_equal(col[by_reverse], col))
    if directed is False and not symmetric:
        pos = np.minimum(np.searchsorted(key, reverse), key.size - 1)
        i = int(np.flatnonzero((key[pos] != reverse) | (col[pos] != col))[0])
        raise ValueError(f"directed=False, but arc ({s[i]}, {t[i]}) has no reverse arc of the same colour")
    return ColouredGraph(n, vcode, loop_code, vlabels, clabels, symmetric, None, s, t, col, name)


def _from_matrix(a: Any, vertex_colors: Any, directed: bool | None) -> ColouredGraph:
    if hasattr(a, "tocoo") and hasattr(a, "nnz"):  # scipy sparse
        if len(a.shape) != 2 or a.shape[0] != a.shape[1]:
            raise ValueError(f"adjacency must be a square n x n matrix, got shape {a.shape}")
        coo = a.tocoo()
        data = _int_array(coo.data, "adjacency")
        vcode, vlabels = _vertex_codes(vertex_colors, a.shape[0])
        return _from_arcs(a.shape[0], vcode, vlabels, coo.row, coo.col, data, None, directed, None)
    if isinstance(a, (str, bytes)) or not hasattr(a, "__len__"):
        raise TypeError(f"adjacency must be a square matrix, got {type(a).__name__}")
    m = _int_array(a, "adjacency")
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"adjacency must be a square n x n matrix, got shape {m.shape}")
    n = m.shape[0]
    vcode, vlabels = _vertex_codes(vertex_colors, n)
    symmetric = bool(np.array_equal(m, m.T))
    if directed is False and not symmetric:
        u, v = (int(i[0]) for i in np.nonzero(m != m.T))
        raise ValueError(f"directed=False, but adjacency[{u}, {v}] != adjacency[{v}, {u}]")
    return ColouredGraph(n, vcode, np.diagonal(m).astype(np.int64), vlabels, None, symmetric, m)


def _from_networkx(g: Any, vertex_colors: Any, edge_colors: Any, directed: bool | None) -> ColouredGraph:
    if g.is_multigraph():
        raise TypeError("multigraphs are not supported: merge parallel edges into one coloured edge first")
    nodes = list(g.nodes(data=True))
    n = len(nodes)
    index = {v: i for i, (v, _) in enumerate(nodes)}
    vcode, vlabels = _vertex_codes(vertex_colors, n, nodes)
    edges = list(g.edges(data=True))
    src = np.fromiter((index[u] for u, _, _ in edges), np.int64, len(edges))
    dst = np.fromiter((index[v] for _, v, _ in edges), np.int64, len(edges))
    if edge_colors is None:
        colour, clabels = np.ones(len(edges), np.int64), None
    elif isinstance(edge_colors, str):
        values = [d.get(edge_colors, _MISSING) for _, _, d in edges]
        if any(v is _MISSING for v in values):
            u, v, _ = edges[next(i for i, c in enumerate(values) if c is _MISSING)]
            raise ValueError(f"edge_colors: edge ({u!r}, {v!r}) has no attribute {edge_colors!r}")
        colour, clabels = _codes(values, "edge_colors", first=1)
    else:
        raise TypeError(f"edge_colors must be an edge attribute name, got {type(edge_colors).__name__}")
    if not g.is_directed():
        off = src != dst
        src, dst, colour = (np.concatenate([src, dst[off]]), np.concatenate([dst, src[off]]),
                            np.concatenate([colour, colour[off]]))  # fmt: skip
    name = f"Aut({g.name})" if getattr(g, "name", "") else None
    return _from_arcs(n, vcode, vlabels, src, dst, colour, clabels, directed, name)


def coloured_graph(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: Any = None,
    directed: bool | None = None,
) -> ColouredGraph:
    """Check and normalise any accepted input (see :func:`automorphism_group`)."""
    if directed not in (None, True, False):
        raise TypeError(f"directed must be None, True or False, got {directed!r}")
    if graph is not None and hasattr(graph, "is_directed") and hasattr(graph, "nodes"):
        if adjacency is not None or arcs is not None:
            raise TypeError("give one of graph, adjacency= or arcs=, not several")
        return _from_networkx(graph, vertex_colors, edge_colors, directed)
    if edge_colors is not None:
        raise TypeError(
            "edge_colors names a networkx edge attribute; a matrix or arcs carry colours themselves"
        )
    given = [x is not None for x in (graph, adjacency, arcs)]
    if sum(given) != 1:
        raise TypeError("give exactly one of graph, adjacency= or arcs=")
    if arcs is None:
        return _from_matrix(adjacency if graph is None else graph, vertex_colors, directed)
    if not isinstance(arcs, (tuple, list)) or len(arcs) != 3:
        raise TypeError("arcs must be a tuple (src, dst, colour) of integer arrays")
    if vertex_colors is None:
        raise ValueError("arcs= needs vertex_colors (its length is the number of vertices)")
    src, dst, colour = (_int_array(x, f"arcs[{i}]") for i, x in enumerate(arcs))
    if not (src.ndim == dst.ndim == colour.ndim == 1 and src.size == dst.size == colour.size):
        raise ValueError(
            f"arcs must be three 1-d arrays of one length, got shapes {[np.shape(x) for x in arcs]}"
        )
    vcode, vlabels = _vertex_codes(
        vertex_colors, len(vertex_colors) if hasattr(vertex_colors, "__len__") else 0
    )
    return _from_arcs(len(vcode), vcode, vlabels, src, dst, colour, None, directed, None)


# ---------------------------------------------------------------------------------- encoding
@dataclass
class _Encoding:
    num_vertices: int
    adjacency: dict[int, list[int]]
    cells: list[list[int]]
    num_edges: int
    layers: int
    directed: bool


class _NautyGraph(pynauty.Graph):
    """A ``pynauty.Graph`` built without pynauty's per-vertex Python checks (ours are vectorised).

    nautywrap reads exactly these four attributes; lists are required (it uses ``PyList_GET_ITEM``).
    """

    def __init__(self, enc: _Encoding):  # deliberately not calling pynauty.Graph.__init__
        self.number_of_vertices = enc.num_vertices
        self.directed = False
        self._asen_adjacency = enc.adjacency
        self._asen_cells = enc.cells if len(enc.cells) > 1 else []

    adjacency_dict = property(lambda self: self._asen_adjacency)
    vertex_coloring = property(lambda self: self._asen_cells)


def _layered_arcs(cg: ColouredGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Off-diagonal arcs with codes ``1..k`` after giving the most frequent colour code 0."""
    n = cg.n
    if cg.matrix is not None:
        m = cg.matrix
        values, counts = _value_counts(m)
        diag_values, diag_counts = np.unique(np.diagonal(m), return_counts=True)
        counts = counts.copy()
        counts[np.searchsorted(values, diag_values)] -= diag_counts
    else:
        values, counts = np.unique(cg.colour, return_counts=True)
        values = np.concatenate([[0], values])
        counts = np.concatenate([[n * (n - 1) - cg.colour.size], counts])
    present = counts > 0
    values, counts = values[present], counts[present]
    background = values[int(np.argmax(counts))] if values.size else 0  # ties: the smaller colour value
    if cg.matrix is not None:
        mask = cg.matrix != background
        np.fill_diagonal(mask, False)
        src, dst = np.nonzero(mask)
        raw = cg.matrix[src, dst]
    elif background == 0:
        src, dst, raw = cg.src, cg.dst, cg.colour
    else:  # a colour outnumbers "no arc": materialise the complement of that colour
        full = np.zeros((n, n), dtype=np.min_scalar_type(int(cg.colour.max())))
        full[cg.src, cg.dst] = cg.colour
        mask = full != background
        np.fill_diagonal(mask, False)
        src, dst = np.nonzero(mask)
        raw = full[src, dst]
    kept = values[values != background]
    if kept.size and kept[-1] < 1 << 22:  # a lookup table beats a binary search per arc
        table = np.zeros(int(kept[-1]) + 1, np.int64)
        table[kept] = np.arange(1, kept.size + 1)
        code = table[raw]
    else:
        code = np.searchsorted(kept, raw).astype(np.int64) + 1
    return src.astype(np.int64), dst.astype(np.int64), code, int(kept.size).bit_length()


def _value_counts(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct entries of a non-negative integer matrix and their counts."""
    flat = m.ravel()
    top = int(flat.max()) if flat.size else 0
    if top >= 1 << 22:
        return np.unique(flat, return_counts=True)
    counts = np.zeros(top + 1, np.int64)
    chunk = 1 << 22  # bincount casts to intp: count in slices, not in one 8-bytes-per-entry copy
    for start in range(0, flat.size, chunk):
        counts += np.bincount(flat[start : start + chunk], minlength=top + 1)
    values = np.flatnonzero(counts)
    return values, counts[values]


def _walk_invariants(n: int, src: np.ndarray, dst: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Hub cell ids refined by closed-walk counts ``(A^j)_vv`` of the underlying undirected graph.

    Dense nauty must refine once per child of every search node it visits, ``O(N^3 / 64)`` each, so a
    rigid regular graph (every vertex alike to colour refinement) costs ``n`` full refinements.
    Closed-walk counts, which colour refinement cannot see, usually split such graphs at once. Counted
    mod ``2**64`` with sparse products (an exact, isomorphism-invariant function of the graph), and
    only while the walk matrices stay below ``_WALK_NONZEROS`` entries.
    """
    if n < _WALK_MIN_VERTICES or np.unique(key).size == n:
        return key
    max_degree = int((np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)).max(initial=0))
    if max_degree == 0 or 2 * src.size * max_degree > _WALK_NONZEROS:  # even A^2 is over budget
        return key
    import scipy.sparse as sp

    adj = sp.csr_array((np.ones(2 * src.size, np.uint64), (np.r_[src, dst], np.r_[dst, src])), shape=(n, n))
    adj.data[:] = 1  # merge u->v and v->u
    columns = [key.astype(np.uint64)]
    digest = columns[0].copy()  # a running hash, only to stop early once the vertices are told apart
    power = adj
    for _ in range(_WALK_STEPS):
        if power.nnz * max_degree > _WALK_NONZEROS:
            break
        nxt = power @ adj
        for col in (power.multiply(nxt).sum(axis=1), nxt.multiply(nxt).sum(axis=1)):  # A^(2k+1), A^(2k+2)
            columns.append(np.asarray(col).ravel().astype(np.uint64))
            digest = digest * np.uint64(0x9E3779B97F4A7C15) + columns[-1]
        power = nxt
        if np.unique(digest).size == n:
            break
    return np.unique(np.stack(columns, 1), axis=0, return_inverse=True)[1].ravel()


def _encode(cg: ColouredGraph) -> _Encoding:
    """The undirected layered graph: hubs ``0..n-1`` first, then one block of ``n`` vertices per copy.

    Symmetric colours: layer 0 on the hubs, layer ``l >= 1`` on copies ``L(l, v)`` (``n * max(d, 1)``
    vertices). Otherwise ``OUT(l, v)`` per layer and one ``IN(v)``, arcs ``OUT(l, u) -- IN(v)``
    (``n * (d + 2)`` vertices): every copy has exactly one hub neighbour, its own, so an automorphism is
    fixed by its action on the hubs, and it preserves bit ``l`` of every arc's code.
    """
    n = cg.n
    src, dst, code, layers = _layered_arcs(cg)
    parts_a: list[np.ndarray] = []
    parts_b: list[np.ndarray] = []
    hubs = np.arange(n, dtype=np.int64)
    if cg.symmetric:
        keep = src < dst
        src, dst, code = src[keep], dst[keep], code[keep]
        blocks = max(layers, 1)
        for lay in range(layers):
            on = (code >> lay) & 1 == 1
            parts_a += [lay * n + src[on]] + ([hubs] if lay else [])
            parts_b += [lay * n + dst[on]] + ([lay * n + hubs] if lay else [])
    else:
        blocks = layers + 2 if layers else 1
        in0 = (layers + 1) * n
        for lay in range(layers):
            on = (code >> lay) & 1 == 1
            parts_a += [(1 + lay) * n + src[on], hubs]
            parts_b += [in0 + dst[on], (1 + lay) * n + hubs]
        if layers:
            parts_a.append(hubs)
            parts_b.append(in0 + hubs)
    num = blocks * n
    if num > MAX_ENCODED_VERTICES:
        raise ValueError(
            f"the nauty encoding needs {num} vertices ({n} x {blocks}), more than "
            f"MAX_ENCODED_VERTICES={MAX_ENCODED_VERTICES} that dense nauty handles in reasonable memory"
        )
    a = np.concatenate(parts_a) if parts_a else np.empty(0, np.int64)
    b = np.concatenate(parts_b) if parts_b else np.empty(0, np.int64)
    order = np.argsort(b)  # group by one endpoint: pynauty adds both directions itself
    a, b = a[order], b[order]
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if b.size else np.empty(0, np.int64)
    keys, stops = b[starts], np.append(starts[1:], b.size)
    a_list = a.tolist()
    adjacency = {k: a_list[s:e] for k, s, e in zip(keys.tolist(), starts.tolist(), stops.tolist())}
    hub_cell = _walk_invariants(n, src, dst, cg.vertex_key)
    key_order = np.argsort(hub_cell, kind="stable")
    cuts = np.flatnonzero(np.diff(hub_cell[key_order])) + 1
    cells = [c.tolist() for c in np.split(key_order, cuts)]
    cells += [list(range(k * n, (k + 1) * n)) for k in range(1, blocks)]
    return _Encoding(num, adjacency, cells, int(a.size), layers, not cg.symmetric)


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
    cg = coloured_graph(
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
    nauty_graph = _NautyGraph(enc)
    t2 = time.perf_counter()
    gens, size1, size2, orbits, _ = pynauty.autgrp(nauty_graph)
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


def coloured_automorphisms(vertex_colors: Any, arcs: Any) -> PermGroup:
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
    >>> coloured_automorphisms(np.zeros(4, int), (src, dst, np.ones(4, int))).order()
    4
    """
    if isinstance(arcs, tuple):
        return automorphism_report(arcs=arcs, vertex_colors=vertex_colors).group
    return automorphism_report(adjacency=arcs, vertex_colors=vertex_colors).group


def _canonical(cg: ColouredGraph) -> np.ndarray:
    if cg.n == 0:
        return np.empty(0, np.int64)
    lab = np.asarray(pynauty.canon_label(_NautyGraph(_encode(cg))), dtype=np.int64)
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
    cg = coloured_graph(
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
    cg = coloured_graph(
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
