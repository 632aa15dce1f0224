"""Checked input for nauty: a coloured (di)graph as vertex colour codes and off-diagonal arc codes.

``colored_graph`` normalises every accepted input (a networkx ``Graph``/``DiGraph``, an ``n x n`` colour
matrix, or ``(src, dst, colour)`` arcs with ``vertex_colors``) into a :class:`ColoredGraph`, with clear
errors for bad shapes, dtypes, negative colours and colour lists of the wrong length. ``coded_arcs``
gives every engine encoding (:mod:`~asen.groups.nauty_encoding`, :mod:`~asen.groups.bliss_encoding`) the
same arc codes: the most frequent off-diagonal colour becomes the background (no arc), the others
``1..k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["ColoredGraph", "coded_arcs", "colored_graph"]

_MISSING = object()


@dataclass
class ColoredGraph:
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


def coded_arcs(cg: ColoredGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Off-diagonal arcs ``(src, dst, code)`` with codes ``1..k``, and ``k``, after the background gets code 0.

    The background is the most frequent off-diagonal colour (ties: the smaller colour value), "no arc"
    included, so the arc list is never longer than half the ordered pairs. Codes follow the colour
    values, so the coding is a function of the coloured graph, not of its vertex numbering. Computed once
    per :class:`ColoredGraph` (the engines and their choice all ask).
    """
    cached = cg.__dict__.get("_coded_arcs")
    if cached is not None:
        return cached
    cg.__dict__["_coded_arcs"] = result = _code_arcs(cg)
    return result


def _code_arcs(cg: ColoredGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
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
    return src.astype(np.int64), dst.astype(np.int64), code, int(kept.size)


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


def _from_arcs(n, vcode, vlabels, src, dst, colour, clabels, directed, name) -> ColoredGraph:
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
    return ColoredGraph(n, vcode, loop_code, vlabels, clabels, symmetric, None, s, t, col, name)


def _from_matrix(a: Any, vertex_colors: Any, directed: bool | None) -> ColoredGraph:
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
    return ColoredGraph(n, vcode, np.diagonal(m).astype(np.int64), vlabels, None, symmetric, m)


def _from_networkx(g: Any, vertex_colors: Any, edge_colors: Any, directed: bool | None) -> ColoredGraph:
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


def colored_graph(
    graph: Any = None,
    *,
    adjacency: Any = None,
    arcs: Any = None,
    vertex_colors: Any = None,
    edge_colors: Any = None,
    directed: bool | None = None,
) -> ColoredGraph:
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
