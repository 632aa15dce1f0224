r"""Checking graph models: ``fn(x, edge_index)`` (PyG layers, numpy/scipy message passing) and ``fn(data)``.

A graph function takes node features ``x`` ``(n, F)`` and an edge list ``edge_index`` ``(2, E)`` whose
entries are node indices (PyTorch Geometric's layout), maybe edge attributes ``(E, D)``. A permutation
``g`` of the nodes moves the node data, ``(g.x)[g[i]] = x[i]``, and relabels the edges,
``g.edge_index = g[edge_index]`` (edge order, so every edge attribute, unchanged): in ``in_axes`` terms
``[0, "index", "none"]``. Two questions fit graphs:

* **relabelling** (``group="symmetric"``, the default): ``fn(g.x, g[E]) == g.fn(x, E)`` for all of
  ``S_n``, on random graphs or on the graphs given; this is "is my GNN layer permutation equivariant?".
* **the graph's own symmetry** (``group="automorphisms"``): for ``g`` in ``Aut(graph)`` (nauty, edge
  attributes as edge colours, see :func:`graph_group`) the graph stays as it is and only the node data
  moves, ``fn(g.x, E) == g.fn(x, E)``: "my model on this molecule respects its symmetry", which also
  holds for models that see the graph in a fixed numbering (positional features shared within orbits).

Default inputs cycle through graph families (below) and the node-feature families of
:mod:`asen.verify.inputs`; many graphs go through ``fn`` as one disjoint union (see
:mod:`asen.verify.graph_batch`) and a failure is shrunk to few nodes and edges
(:mod:`asen.verify.graph_shrink`).

=================  ==============================================================================
graph family       edges (undirected unless ``directed=True``)
=================  ==============================================================================
``random``         each pair with probability ``3 / (n - 1)`` (mean degree 3)
``cycle``          the ring ``0-1-...-(n-1)-0``: every node alike (exposes index tie-breaks)
``star``           node 0 joined to every other node
``components``     two disjoint parts: a random graph and a ring
``tree``           a random recursive tree
``complete``       every pair (``n <= 16``; a dense random graph beyond)
``empty``          no edges: only the self-contribution of each node
=================  ==============================================================================

Examples
--------
>>> import numpy as np
>>> import scipy.sparse as sp
>>> def propagate(x, edge_index):                   # mean over in-neighbours, numpy and scipy.sparse
...     n = x.shape[0]
...     A = sp.coo_matrix((np.ones(edge_index.shape[1]), (edge_index[1], edge_index[0])), shape=(n, n))
...     deg = np.maximum(np.asarray(A.sum(1)).ravel(), 1)
...     return x + (A @ x) / deg[:, None]
>>> check_graph_equivariance(propagate, num_nodes=12).passed
True
>>> marked = lambda x, edge_index: propagate(x, edge_index) + np.arange(x.shape[0])[:, None]   # node ids
>>> report = check_graph_equivariance(marked, num_nodes=12)
>>> report.passed, len(report.counterexample.element)     # shrunk to a graph on 2 nodes
(False, 2)
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng
from ..groups.spec import as_group
from .axes import TensorAction
from .evaluate import is_torch_module, is_torch_tensor
from .graph_batch import graph_respects, is_pyg_data
from .inputs import FAMILIES as FEATURE_FAMILIES
from .inputs import _draw, _repeat_classes
from .report import EquivarianceReport

__all__ = [
    "GRAPH_FAMILIES",
    "Graph",
    "as_graph",
    "assert_graph_equivariant",
    "check_graph_equivariance",
    "graph_group",
    "random_graph",
]

#: the graph families default inputs cycle through (paired with the node-feature families in order)
GRAPH_FAMILIES: tuple[str, ...] = (
    "random",
    "cycle",
    "random",
    "star",
    "components",
    "tree",
    "complete",
    "empty",
)

PYG_INSTALL_HINT = "pip install torch_geometric (pure Python; it uses the torch you have)"

_CALL_NAMES = ("x", "pos", "edge_index", "edge_attr", "edge_weight", "batch")
_NODE_NAMES = ("x", "pos", "batch")
_EDGE_NAMES = ("edge_attr", "edge_weight")


@dataclass
class Graph:
    """A graph as numpy arrays: ``edge_index`` ``(2, E)`` int64, optional node and edge data."""

    num_nodes: int
    edge_index: np.ndarray
    x: np.ndarray | None = None
    pos: np.ndarray | None = None
    edge_attr: np.ndarray | None = None
    edge_weight: np.ndarray | None = None

    @property
    def num_edges(self) -> int:
        return int(self.edge_index.shape[1])

    def edge_data(self) -> list[np.ndarray]:
        return [a for a in (self.edge_attr, self.edge_weight) if a is not None]


def _np(a: Any) -> np.ndarray:
    if is_torch_tensor(a):
        return a.detach().cpu().numpy()
    return np.asarray(a)


def _edge_index(a: Any, what: str) -> np.ndarray:
    ei = _np(a)
    if ei.ndim != 2 or ei.shape[0] != 2 or (ei.size and ei.dtype.kind not in "iu"):
        raise ValueError(
            f"{what}: an edge_index must be an integer array of shape (2, E), got {ei.dtype} {ei.shape}"
        )
    return ei.astype(np.int64).reshape(2, -1)


def as_graph(graph: Any, num_nodes: int | None = None) -> Graph:
    """Read a graph: a PyG ``Data``, an ``edge_index`` ``(2, E)``, ``(x, edge_index[, edge_attr])``, a
    networkx graph, a scipy sparse or dense adjacency matrix (non-zero entries are arcs ``i -> j``).

    ``num_nodes`` sets the node count where the input does not show it (an edge list with isolated
    nodes at the end).

    Examples
    --------
    >>> g = as_graph([[0, 1], [1, 2]], num_nodes=4)
    >>> g.num_nodes, g.num_edges
    (4, 2)
    """
    if isinstance(graph, Graph):
        return graph
    if is_pyg_data(graph):
        get = lambda k: None if graph.get(k) is None else _np(graph[k])
        return Graph(
            int(graph.num_nodes), _edge_index(graph.edge_index, "data.edge_index"),
            get("x"), get("pos"), get("edge_attr"), get("edge_weight"),
        )  # fmt: skip
    if type(graph).__module__.startswith("networkx"):
        nodes = list(graph.nodes)
        ids = {v: i for i, v in enumerate(nodes)}
        pairs = [(ids[u], ids[v]) for u, v in graph.edges]
        if not graph.is_directed():
            pairs += [(v, u) for u, v in pairs if u != v]
        ei = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2).T
        return Graph(len(nodes), ei)
    if type(graph).__module__.startswith("scipy.sparse") or hasattr(graph, "tocoo"):
        coo = graph.tocoo()
        keep = coo.data != 0
        ei = np.stack([coo.row[keep], coo.col[keep]]).astype(np.int64)
        w = np.asarray(coo.data[keep], dtype=np.float64)
        return Graph(int(coo.shape[0]), ei, edge_weight=None if np.all(w == 1) else w)
    if isinstance(graph, tuple) and len(graph) in (2, 3):
        x = _np(graph[0])
        ei = _edge_index(graph[1], "graph[1]")
        attr = None if len(graph) < 3 else _np(graph[2])
        return Graph(int(x.shape[0]), ei, x=x, edge_attr=attr)
    arr = _np(graph)
    if (
        arr.ndim == 2
        and arr.shape[0] == 2
        and arr.dtype.kind in "iu"
        and not (arr.shape[1] == 2 and num_nodes == 2)
    ):
        ei = _edge_index(arr, "graph")
        n = int(ei.max()) + 1 if ei.size else 0
        if num_nodes is not None:
            if num_nodes < n:
                raise ValueError(f"the edge_index names node {n - 1}, but num_nodes={num_nodes}")
            n = int(num_nodes)
        return Graph(n, ei)
    if arr.ndim == 2 and arr.shape[0] == arr.shape[1]:
        rows, cols = np.nonzero(arr)
        w = arr[rows, cols].astype(np.float64)
        return Graph(int(arr.shape[0]), np.stack([rows, cols]).astype(np.int64),
                     edge_weight=None if np.all(w == 1) else w)  # fmt: skip
    raise TypeError(
        f"cannot read a graph from {type(graph).__name__} {getattr(arr, 'shape', '')}: give a PyG Data, an "
        "edge_index of shape (2, E), (x, edge_index), a networkx graph or an adjacency matrix"
    )


def random_graph(
    num_nodes: int,
    family: str = "random",
    *,
    seed: int | np.random.Generator | None = None,
    directed: bool = False,
) -> np.ndarray:
    """An ``edge_index`` ``(2, E)`` of one of :data:`GRAPH_FAMILIES`, columns sorted; an undirected graph
    stores both directions of every edge, like PyG's ``to_undirected``.

    Examples
    --------
    >>> random_graph(4, "cycle").tolist()
    [[0, 0, 1, 1, 2, 2, 3, 3], [1, 3, 0, 2, 1, 3, 0, 2]]
    """
    n = int(num_nodes)
    rng = as_rng(seed)
    pairs: list[tuple[int, int]] = []

    def gnp(nodes: Sequence[int], p: float) -> None:
        nodes = list(nodes)
        for a in range(len(nodes)):
            for b in range(len(nodes)):
                if a != b and (directed or a < b) and rng.random() < p:
                    pairs.append((nodes[a], nodes[b]))

    def ring(nodes: Sequence[int]) -> None:
        nodes = list(nodes)
        m = len(nodes)
        if m == 2:
            pairs.append((nodes[0], nodes[1]))
        elif m > 2:
            pairs.extend((nodes[i], nodes[(i + 1) % m]) for i in range(m))

    if family == "random":
        gnp(range(n), min(1.0, 3.0 / max(n - 1, 1)))
    elif family == "cycle":
        ring(range(n))
    elif family == "star":
        pairs.extend((0, i) for i in range(1, n))
    elif family == "components":
        order = rng.permutation(n).tolist()
        half = n // 2
        gnp(sorted(order[:half]), min(1.0, 3.0 / max(half - 1, 1)))
        ring(sorted(order[half:]))
    elif family == "tree":
        pairs.extend((int(rng.integers(0, i)), i) for i in range(1, n))
    elif family == "complete":
        gnp(range(n), 1.0 if n <= 16 else 0.5)
    elif family == "empty":
        pass
    else:
        raise ValueError(f"unknown graph family {family!r}; known: {sorted(set(GRAPH_FAMILIES))}")
    if not directed:
        pairs = [(min(u, v), max(u, v)) for u, v in pairs]
        pairs = sorted(set(pairs))
        pairs = pairs + [(v, u) for u, v in pairs]
    pairs = sorted(set(pairs)) if not directed else sorted(pairs)
    return np.array(pairs, dtype=np.int64).reshape(-1, 2).T.copy()


def graph_group(
    graph: Any, which: str = "automorphisms", *, node_colors: Any = None, num_nodes: int | None = None
) -> PermGroup:
    """The group a graph question is about: ``"symmetric"`` (all relabellings, ``S_n``) or
    ``"automorphisms"``: ``Aut(graph)`` by nauty, with the edge attributes (and edge weights) of each arc as
    its colour and ``node_colors`` (atom types, say) as vertex colours.

    Examples
    --------
    >>> graph_group(random_graph(6, "cycle")).order()                  # the hexagon: D_6
    12
    >>> graph_group(random_graph(6, "cycle"), node_colors=[0, 1, 0, 1, 0, 1]).order()
    6
    """
    g = as_graph(graph, num_nodes)
    n = g.num_nodes
    if which in ("symmetric", "relabel", "all"):
        from ..groups.catalogue import symmetric

        return symmetric(n)
    if which not in ("automorphisms", "aut"):
        raise ValueError(f"which must be 'symmetric' or 'automorphisms', got {which!r}")
    from ..groups import colored_automorphisms

    src, dst = g.edge_index
    keys: dict[tuple[int, int], list[bytes]] = {}
    data = [np.ascontiguousarray(a.reshape(a.shape[0], -1)) for a in g.edge_data()]
    for k, (u, v) in enumerate(zip(src.tolist(), dst.tolist())):
        keys.setdefault((u, v), []).append(b"".join(d[k].tobytes() for d in data))
    colour_of: dict[tuple[bytes, ...], int] = {}
    arcs_u, arcs_v, arcs_c = [], [], []
    for (u, v), rows in keys.items():
        c = colour_of.setdefault(tuple(sorted(rows)), len(colour_of) + 1)
        arcs_u.append(u)
        arcs_v.append(v)
        arcs_c.append(c)
    if node_colors is None:
        colors = np.zeros(n, dtype=np.int64)
    else:
        raw = _np(node_colors)
        if raw.ndim == 2:  # one-hot or feature rows: one colour per distinct row
            raw = np.unique(raw, axis=0, return_inverse=True)[1].reshape(-1)
        else:
            raw = np.unique(raw, return_inverse=True)[1].reshape(-1)
        if raw.size != n:
            raise ValueError(f"node_colors has {raw.size} entries for {n} nodes")
        colors = raw.astype(np.int64)
    arcs = tuple(np.asarray(a, dtype=np.int64) for a in (arcs_u, arcs_v, arcs_c))
    G = colored_automorphisms(colors, arcs)
    G.name = G.name or f"Aut(graph on {n} nodes)"
    return G


def _required_args(fn: Any) -> list[str] | None:
    """The required positional parameters of ``fn`` (a module's ``forward``) when they are all call names."""
    import inspect

    target = getattr(fn, "forward", fn) if is_torch_module(fn) else fn
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = [q.name for q in params if q.kind in kinds and q.default is inspect.Parameter.empty]
    if "edge_index" in names and all(nm in _CALL_NAMES for nm in names):
        return names
    return None


def _parse_call(call: Any, has_edge_attr: bool, has_edge_weight: bool, fn: Any = None) -> list[str] | str:
    if call is None:
        required = _required_args(fn)
        if required is not None and len(required) > 2:
            return required  # forward(x, edge_index, edge_attr) and the like
        names = ["x", "edge_index"]
        if has_edge_attr:
            names.append("edge_attr")
        elif has_edge_weight:
            names.append("edge_weight")
        return names
    if isinstance(call, str) and call.strip().lower() == "data":
        return "data"
    names = [c.strip() for c in call.split(",")] if isinstance(call, str) else [str(c) for c in call]
    bad = [c for c in names if c not in _CALL_NAMES]
    if bad or "edge_index" not in names:
        raise ValueError(
            f"call={call!r}: list the arguments of fn from {list(_CALL_NAMES)} (edge_index among them), or 'data'"
        )
    return names


def _guess(fn: Any, attrs: Sequence[str]) -> int | None:
    if is_torch_module(fn):
        for m in fn.modules():
            for attr in attrs:
                v = getattr(m, attr, None)
                if isinstance(v, int) and not isinstance(v, bool) and v > 0:
                    return v
    return None


@functools.lru_cache(maxsize=16)
def _symmetric(n: int) -> PermGroup:
    """``S_n``, kept: its stabiliser chain (for random elements) is built once per degree."""
    from ..groups.catalogue import symmetric

    return symmetric(n)


def _group_for(group: Any, graphs: list[Graph] | None, n: int, node_colors: Any) -> PermGroup:
    if isinstance(group, str) and group.strip().lower() in ("symmetric", "relabel", "all"):
        return _symmetric(n)
    if isinstance(group, str) and group.strip().lower() in ("automorphisms", "aut"):
        if not graphs:
            raise ValueError("group='automorphisms' needs the graph: pass graph=")
        G = graph_group(graphs[0], "automorphisms", node_colors=node_colors)
        for k, gr in enumerate(graphs[1:], 1):
            if not graph_respects(G.generators, gr.edge_index, gr.edge_data()).all():
                raise ValueError(
                    f"graph {k} is not invariant under Aut(graph 0): give one graph for automorphisms"
                )
        return G
    G = as_group(group)
    if G.degree != n:
        raise ValueError(f"the group has degree {G.degree}, but the graphs have {n} nodes")
    return G


def _graph_inputs(
    graphs: list[Graph] | None,
    names: list[str],
    n: int,
    *,
    num_inputs: int,
    features: int,
    edge_features: int,
    fixed: bool,
    directed: bool,
    float_dtype: np.dtype,
    seed: Any,
) -> tuple[list[tuple[np.ndarray, ...]], list[str]]:
    rng = as_rng(seed)
    examples, families = [], []
    node_action = TensorAction.points(0)
    for i in range(num_inputs):
        feat = FEATURE_FAMILIES[i % len(FEATURE_FAMILIES)]
        if graphs:
            gr = graphs[i % len(graphs)]
            structure = "given graph" if len(graphs) == 1 else f"graph {i % len(graphs)}"
        else:
            fam = GRAPH_FAMILIES[i % len(GRAPH_FAMILIES)]
            gr = Graph(n, random_graph(n, fam, seed=rng, directed=directed))
            structure = f"{fam} graph"
        e = gr.num_edges
        own_x = i == 0 and gr.x is not None and gr.x.ndim == 2 and gr.x.shape[1] == features
        family = f"{structure}, {'its own x' if own_x else feat}"
        args = []
        for name in names:
            if name in ("x", "pos"):
                width = features if name == "x" else 3
                if name == "x" and own_x:
                    v = gr.x
                elif name == "pos" and i == 0 and gr.pos is not None:
                    v = gr.pos
                else:
                    v = _draw(feat, (n, width), rng)
                    if feat == "repeated":
                        v = _repeat_classes(v, node_action, n, rng)
                args.append(np.ascontiguousarray(np.asarray(v).astype(float_dtype)))
            elif name == "batch":
                args.append(np.zeros(n, dtype=np.int64))
            elif name == "edge_index":
                args.append(gr.edge_index.astype(np.int64))
            elif name == "edge_attr":
                if gr.edge_attr is not None:
                    v = gr.edge_attr
                elif fixed:
                    v = np.ones(
                        (e, edge_features)
                    )  # the graph stays as it is: edge data must be symmetric too
                else:
                    v = _draw(feat, (e, edge_features), rng)
                args.append(np.ascontiguousarray(np.asarray(v).astype(float_dtype)))
            elif name == "edge_weight":
                if gr.edge_weight is not None:
                    v = gr.edge_weight
                elif fixed:
                    v = np.ones(e)
                else:
                    v = 0.5 + rng.random(e)  # positive: degree normalisations stay finite
                args.append(np.ascontiguousarray(np.asarray(v).astype(float_dtype)))
        examples.append(tuple(args))
        families.append(family)
    return examples, families


def _to_data(examples: list[tuple[np.ndarray, ...]], names: list[str]) -> list[Any]:
    try:
        import torch
        from torch_geometric.data import Data
    except ImportError as exc:
        raise ImportError(
            f"call='data' needs PyTorch Geometric, which is not installed: {PYG_INSTALL_HINT}"
        ) from exc
    return [
        Data(**{k: torch.from_numpy(np.ascontiguousarray(a)) for k, a in zip(names, ex)}) for ex in examples
    ]


def check_graph_equivariance(
    fn: Callable[..., Any],
    graph: Any = None,
    *,
    group: PermGroup | str = "symmetric",
    call: str | Sequence[str] | None = None,
    num_nodes: int | None = None,
    features: int | None = None,
    edge_features: int | None = None,
    directed: bool = False,
    node_colors: Any = None,
    out_axes: Any = None,
    num_inputs: int = 8,
    num_elements: int = 16,
    shrink: bool = True,
    seed: int | np.random.Generator | None = 0,
    **options: Any,
) -> EquivarianceReport:
    """Check a graph function: ``fn(g.x, g[edge_index]) == g.fn(x, edge_index)`` (see the module notes).

    Parameters
    ----------
    fn
        A PyG layer or model, a torch module, or a numpy/scipy function, called as ``call`` says.
    graph
        None: draw graphs of :data:`GRAPH_FAMILIES` on ``num_nodes`` nodes. Otherwise one graph (anything
        :func:`as_graph` reads: PyG ``Data``, ``edge_index``, networkx, adjacency) or a list of graphs with
        the same node count; node features are drawn for them (a ``Data``'s own ``x`` is the first input).
    group
        ``"symmetric"`` (relabel the nodes: every permutation, the graph moves with them),
        ``"automorphisms"`` (``Aut(graph)``, :func:`graph_group`: the graph stays, the node data moves), or
        any :class:`~asen.groups.PermGroup`/spec of degree ``n`` (the graph stays when the group maps every
        graph onto itself, else it moves).
    call
        How ``fn`` is called: argument names from ``x, pos, edge_index, edge_attr, edge_weight, batch``
        (default: the required parameters of ``fn`` when they are such names, else ``"x, edge_index"``
        plus ``edge_attr``/``edge_weight`` when the graph has them, when ``edge_features`` is set or the
        module has an ``edge_dim``), or ``"data"``: ``fn(Data(x=..., edge_index=..., ...))`` (PyG).
    num_nodes
        Nodes of drawn graphs (default: the group's degree, else 10).
    features, edge_features
        Widths of ``x`` and ``edge_attr`` (default: the module's ``in_channels``/``edge_dim``, else 4). An
        ``edge_features`` set for a ``call`` without ``edge_attr`` adds it to the call.
    directed
        Draw directed graphs (default: undirected, both directions stored).
    node_colors
        Vertex colours for ``group="automorphisms"`` (atom types; rows of a one-hot matrix are read too).
    out_axes
        Actions of the outputs (default: node-level, ``0``; ``"none"`` for a graph-level readout).
    num_inputs, num_elements, shrink, seed
        As for :func:`~asen.verify.check_equivariance`.
    **options
        ``float64``, ``train``, ``rtol``, ``atol``, ``confirm``, ``backend``, ``dtype`` and ``batch_axis``
        (``"auto"``, ``"graph"`` or None) of :func:`~asen.verify.check_equivariance`.

    Returns
    -------
    EquivarianceReport
        Its counterexample shows the (shrunk) graph as an edge list.

    Raises
    ------
    ValueError, TypeError
        On unreadable graphs, graphs of different sizes, a group of the wrong degree or a bad ``call``.
    ImportError
        ``call="data"`` without PyTorch Geometric.
    """
    from .check import finish_report
    from .prepare import _default_dtype, prepare_check, sample_elements

    start = time.perf_counter()
    if graph is None:
        graphs = None
    elif isinstance(graph, list):
        graphs = [as_graph(g, num_nodes) for g in graph]
    else:
        graphs = [as_graph(graph, num_nodes)]
    if graphs:
        sizes = sorted({g.num_nodes for g in graphs})
        if len(sizes) > 1:
            raise ValueError(f"the graphs have {sizes} nodes: a group acts on one node count")
        n = sizes[0]
    elif num_nodes is not None:
        n = int(num_nodes)
    elif not (
        isinstance(group, str)
        and group.strip().lower() in ("symmetric", "relabel", "all", "automorphisms", "aut")
    ):
        n = as_group(group).degree
    else:
        n = 10
    G = _group_for(group, graphs, n, node_colors)
    has_attr = bool(graphs) and all(g.edge_attr is not None for g in graphs)
    has_weight = bool(graphs) and all(g.edge_weight is not None for g in graphs)
    wants_attr = has_attr or edge_features is not None or _guess(fn, ("edge_dim",)) is not None
    names = _parse_call(call, wants_attr, has_weight, fn)
    data_mode = names == "data"
    if data_mode:
        names = ["x", "edge_index"] + (["edge_attr"] if wants_attr else [])
        names += ["edge_weight"] if has_weight and not has_attr else []
    elif edge_features is not None and "edge_attr" not in names:
        names = list(names) + ["edge_attr"]
    if features is None:
        given_x = graphs[0].x if graphs and graphs[0].x is not None else None
        features = int(given_x.shape[1]) if given_x is not None and given_x.ndim == 2 else (
            _guess(fn, ("in_channels", "in_features")) or 4
        )  # fmt: skip
    if edge_features is None:
        given_attr = graphs[0].edge_attr if graphs and graphs[0].edge_attr is not None else None
        edge_features = int(given_attr.shape[1]) if given_attr is not None and given_attr.ndim == 2 else (
            _guess(fn, ("edge_dim",)) or 4
        )  # fmt: skip
    fixed = bool(graphs) and all(
        graph_respects(G.generators, g.edge_index, g.edge_data()).all() for g in graphs
    )
    backend = options.pop("backend", None) or ("torch" if is_torch_module(fn) or data_mode else "numpy")
    dtype = options.pop("dtype", None)
    float_dtype = np.dtype(dtype) if dtype is not None else _default_dtype(fn, backend)
    examples, families = _graph_inputs(
        graphs, list(names), n, num_inputs=int(num_inputs), features=int(features),
        edge_features=int(edge_features), fixed=fixed, directed=directed, float_dtype=float_dtype, seed=seed,
    )  # fmt: skip
    if data_mode:
        inputs: Any = _to_data(examples, list(names))
        in_axes: Any = {"edge_index": "none"} if fixed else None
    else:
        inputs = examples
        in_axes = [
            0 if nm in _NODE_NAMES else ("none" if fixed else "index") if nm == "edge_index" else "none"
            for nm in names
        ]
    prep = prepare_check(
        fn, G, inputs, in_axes=in_axes, out_axes=0 if out_axes is None else out_axes, num_inputs=int(num_inputs),
        backend=backend, seed=seed, arg_names=None if data_mode else list(names), **options,
    )  # fmt: skip
    prep.families = families
    perms = sample_elements(G, int(num_elements), seed=as_rng(seed))
    meas = prep.harness.measure(prep.examples, perms)
    return finish_report(prep, perms, meas, start=start, shrink=shrink)


def assert_graph_equivariant(fn: Callable[..., Any], graph: Any = None, **options: Any) -> EquivarianceReport:
    """:func:`check_graph_equivariance`, raising ``AssertionError(str(report))`` when it fails."""
    __tracebackhide__ = True
    report = check_graph_equivariance(fn, graph, **options)
    if not report.passed:
        raise AssertionError(str(report))
    return report
