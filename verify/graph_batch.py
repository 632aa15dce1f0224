"""Graph inputs for the checks: PyTorch Geometric ``Data`` objects, argument roles, disjoint-union batching.

A graph example is a tuple of numpy arrays like any other, one per argument of ``fn`` (or one per
attribute of a PyG ``Data``), and a :class:`GraphLayout` says what each one is:

=========  =============================================  ====================  ======================
role       what                                           action                in a disjoint union
=========  =============================================  ====================  ======================
``node``   node-level data, nodes on axis 0 (``x``)       ``"0"``               concatenated on axis 0
``index``  node indices (``edge_index`` ``(2, E)``)       ``"index"``           offset, then joined
``edge``   edge-level data, edges on axis 0 (edge_attr)   ``"none"``            concatenated on axis 0
``other``  anything else the group does not move          ``"none"``            edge-level if it has E
                                                                                rows, else no union
``dense``  other point layouts (pair features ...)        ``"1,2"`` ...         no union
=========  =============================================  ====================  ======================

:class:`GraphEvaluator` calls ``fn`` on many graphs at once by joining them into one disjoint union (for
PyG, ``Batch.from_data_list``) and splitting the outputs back: node-level outputs by node counts,
edge-level ones by edge counts, graph-level ones (PyG with a batch vector) one row per graph. Whatever
cannot be split that way, and any function that rejects a union, is called one graph at a time.

torch_geometric is imported only when an example is a PyG object.

Examples
--------
>>> import numpy as np
>>> from asen.verify.axes import TensorAction
>>> layout = GraphLayout.of(["x", "edge_index"], [TensorAction.points(0), TensorAction.indices()])
>>> layout.roles
('node', 'index')
>>> ex = (np.ones((3, 2)), np.array([[0, 1], [1, 2]]))
>>> layout.num_nodes(ex), layout.num_edges(ex)
(3, 2)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .axes import TensorAction
from .evaluate import Evaluator, FunctionCallError

__all__ = [
    "GraphEvaluator",
    "GraphLayout",
    "data_roles",
    "graph_respects",
    "is_pyg_data",
    "pyg_example",
]

Example = tuple[np.ndarray, ...]

#: Data attributes that are bookkeeping of a batch, not data of the graph
_BATCH_KEYS = ("ptr",)
_FRONT = ("x", "pos", "edge_index", "edge_attr", "edge_weight", "batch")


def is_pyg_data(obj: Any) -> bool:
    """True for a PyTorch Geometric ``Data``/``Batch`` (without importing torch_geometric)."""
    if "torch_geometric" not in sys.modules:
        return False
    from torch_geometric.data import Data

    return isinstance(obj, Data)


def _ordered_keys(data: Any) -> list[str]:
    keys = [k for k in data.keys() if k not in _BATCH_KEYS]  # noqa: SIM118 - Data.keys() is a method
    front = [k for k in _FRONT if k in keys]
    return front + sorted(k for k in keys if k not in front)


def _is_index_key(key: str) -> bool:
    return key == "edge_index" or key.endswith("_index") or key == "face"


def data_roles(data: Any, keys: Sequence[str]) -> list[str]:
    """The role of each tensor attribute of a PyG ``Data`` (see the module notes)."""
    roles = []
    for k in keys:
        v = data[k]
        if _is_index_key(k) and not v.is_floating_point():
            roles.append("index")
        elif data.is_node_attr(k):
            roles.append("node")
        elif data.is_edge_attr(k):
            roles.append("edge")
        else:
            roles.append("other")
    return roles


def pyg_example(data: Any, keys: Sequence[str] | None = None) -> tuple[Example, list[Any], list[str], dict]:
    """A PyG ``Data`` as ``(arrays, torch dtypes, keys, extras)``; ``extras`` are its non-tensor attributes.

    Raises
    ------
    ValueError
        If ``keys`` are given and the tensor attributes of ``data`` differ from them.
    """
    import torch

    tensor_keys = [k for k in _ordered_keys(data) if isinstance(data[k], torch.Tensor)]
    extras = {k: data[k] for k in _ordered_keys(data) if not isinstance(data[k], torch.Tensor)}
    extras.pop("num_nodes", None)  # set per call from the node-level arrays
    if keys is not None and list(keys) != tensor_keys:
        raise ValueError(
            f"every Data example needs the same tensor attributes: {list(keys)} first, then {tensor_keys}"
        )
    arrays, dtypes = [], []
    for k in tensor_keys:
        t = data[k].detach().cpu()
        dtypes.append(t.dtype)
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()
        arrays.append(t.numpy().copy())
    return tuple(arrays), dtypes, tensor_keys, extras


@dataclass
class GraphLayout:
    """What the arguments of a graph function are, and how the check may change them.

    Parameters
    ----------
    names
        One name per argument (PyG: the ``Data`` attribute).
    roles
        One role per argument: ``node``, ``index``, ``edge``, ``other`` or ``dense``.
    pyg
        None: ``fn(*arrays)``; ``"data"``: ``fn(Data(...))``; ``"batch"``: ``fn(Batch(...))`` (the input was a
        ``Batch`` whose ``batch`` vector is a node attribute).
    batching
        ``"auto"`` (disjoint unions, one graph per call when ``fn(x)`` changes inside a union), ``"graph"``
        (disjoint unions; a change is a failure) or ``"none"`` (one graph per call).
    fixed
        The group maps every example's graph onto itself (``G <= Aut(graph)``): shrinking keeps the graph.
    symmetric
        The group is the full symmetric group: shrinking may delete nodes.
    """

    names: tuple[str, ...]
    roles: tuple[str, ...]
    pyg: str | None = None
    batching: str = "auto"
    fixed: bool = False
    symmetric: bool = False
    data_cls: Any = None
    extras: dict = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        names: Sequence[str],
        actions: Sequence[TensorAction],
        *,
        roles: Sequence[str] | None = None,
        **kw: Any,
    ) -> GraphLayout:
        """A layout from normalised actions (roles follow them unless given)."""
        given = list(roles) if roles is not None else [None] * len(names)
        out = []
        for name, a, r in zip(names, actions, given):
            if a.index or (a.is_invariant and (r == "index" or (r is None and _is_index_key(name)))):
                out.append("index")  # an index tensor the group does not move is a fixed graph
            elif a.slots == ((0,),):
                out.append("node")
            elif not a.is_invariant:
                out.append("dense")
            elif r in ("edge", "other"):
                out.append(r)
            else:
                out.append("edge" if "edge" in name else "other")
        roles = out
        return cls(tuple(names), tuple(roles), **kw)

    # ------------------------------------------------------------------ queries
    def edge_arg(self, example: Example) -> int | None:
        """Position of the edge list (the first ``(2, E)`` index argument), or None."""
        for j, (r, a) in enumerate(zip(self.roles, example)):
            if r == "index" and a.ndim == 2 and a.shape[0] == 2:
                return j
        return None

    def num_nodes(self, example: Example, default: int | None = None) -> int | None:
        """Nodes of an example: the length of its first node-level argument (else ``default``)."""
        for r, a in zip(self.roles, example):
            if r == "node":
                return int(a.shape[0])
        return default

    def num_edges(self, example: Example) -> int | None:
        j = self.edge_arg(example)
        return None if j is None else int(example[j].shape[1])

    def edge_aligned(self, example: Example) -> list[bool]:
        """Per argument: edge-level data (role ``edge``, or ``other`` with one row per edge)."""
        e = self.num_edges(example)
        return [
            r in ("edge", "other") and e is not None and a.ndim >= 1 and a.shape[0] == e
            for r, a in zip(self.roles, example)
        ]

    def graph_of(self, example: Example) -> tuple[np.ndarray, list[np.ndarray]] | None:
        """The edge list and the edge-level arrays of an example, or None without an edge list."""
        j = self.edge_arg(example)
        if j is None:
            return None
        aligned = self.edge_aligned(example)
        return example[j], [a for a, al in zip(example, aligned) if al]


def graph_respects(
    perms: np.ndarray, edge_index: np.ndarray, edge_data: Sequence[np.ndarray] = ()
) -> np.ndarray:
    """Per permutation: does it map the multiset of (coloured) edges onto itself (an automorphism)?

    Examples
    --------
    >>> import numpy as np
    >>> ring = np.array([[0, 1, 2, 3], [1, 2, 3, 0]])                  # the directed 4-cycle
    >>> graph_respects(np.array([[1, 2, 3, 0], [1, 0, 2, 3]]), ring).tolist()
    [True, False]
    """
    perms = np.atleast_2d(np.asarray(perms, dtype=np.int64))
    ei = np.asarray(edge_index, dtype=np.int64)
    if ei.size == 0:
        return np.ones(len(perms), dtype=bool)
    cols = [ei.T]
    for a in edge_data:
        flat = np.asarray(a).reshape(a.shape[0], -1)
        _, ids = np.unique(flat, axis=0, return_inverse=True)
        cols.append(ids.reshape(-1, 1).astype(np.int64))
    base = np.concatenate(cols, axis=1)
    ref = base[np.lexsort(base.T[::-1])]
    out = np.zeros(len(perms), dtype=bool)
    for k, g in enumerate(perms):
        moved = base.copy()
        moved[:, :2] = g[ei.T]
        moved = moved[np.lexsort(moved.T[::-1])]
        out[k] = np.array_equal(moved, ref)
    return out


class _Unbatchable(Exception):
    """The outputs of a disjoint union cannot be split per graph."""


class GraphEvaluator(Evaluator):
    """:class:`~asen.verify.evaluate.Evaluator` for graph examples: disjoint unions instead of a batch axis.

    ``batch_axis`` is ``"graph"`` while unions are used and None once the evaluator has gone over to one
    graph per call (:meth:`stop_batching`).
    """

    def __init__(
        self,
        fn: Any,
        *,
        layout: GraphLayout,
        out_spec: Any,
        degree: int,
        batch_axis: Any = "graph",
        **kw: Any,
    ):
        super().__init__(fn, batch_axis=None, **kw)
        self.layout = layout
        self.out_spec = out_spec
        self.degree = degree
        self.batching = batch_axis == "graph" and layout.batching != "none" and layout.pyg != "batch"
        if "dense" in layout.roles:
            self.batching = False
        self.batch_axis = "graph" if self.batching else None
        self.why_unbatched: str | None = None

    def sibling(self, fn: Any, **changes: Any) -> GraphEvaluator:
        return GraphEvaluator(fn, layout=self.layout, out_spec=self.out_spec, degree=self.degree,
                              **{**self.settings(), **changes})  # fmt: skip

    def stop_batching(self, why: str | None = None) -> None:
        """Call ``fn`` on one graph at a time from now on."""
        self.batching = False
        self.batch_axis = None
        self.why_unbatched = self.why_unbatched or why

    # ------------------------------------------------------------------ calling
    def __call__(self, examples: Sequence[Example]) -> list[tuple[np.ndarray, ...]]:
        out: list[tuple[np.ndarray, ...]] = []
        for chunk in self._graph_chunks(examples):
            if len(chunk) == 1 or not self.batching:
                out.extend(self._call_one(ex) for ex in chunk)
                continue
            try:
                out.extend(self._call_union(chunk))
            except _Unbatchable as exc:
                if self.layout.batching == "graph":
                    raise FunctionCallError(
                        f"batch_axis='graph': on a disjoint union of {len(chunk)} graphs {exc} (one row per node, "
                        "edge or graph expected; does fn ignore data.batch?). Use batch_axis='auto' or None to "
                        "evaluate one graph per call"
                    ) from exc
                self.stop_batching(str(exc))
                out.extend(self._call_one(ex) for ex in chunk)
            except FunctionCallError as exc:
                singles = [self._call_one(ex) for ex in chunk]  # raises when a graph alone fails too
                self.stop_batching(f"{self.name} rejects a disjoint union of graphs ({exc.__cause__!r})")
                out.extend(singles)
        return out

    def _graph_chunks(self, examples: Sequence[Example]) -> list[list[Example]]:
        if not self.batching:
            return [[ex] for ex in examples]
        chunks: list[list[Example]] = []
        chunk: list[Example] = []
        entries = 0
        for ex in examples:
            size = sum(a.size for a in ex)
            if chunk and entries + size > self.max_entries:
                chunks.append(chunk)
                chunk, entries = [], 0
            chunk.append(ex)
            entries += size
        if chunk:
            chunks.append(chunk)
        return chunks

    def _invoke(self, args: list[Any], shapes: str) -> tuple[np.ndarray, ...]:
        try:
            raw = self._callable()(*args)
        except Exception as exc:
            raise FunctionCallError(
                f"calling {self.name} on {shapes} raised {type(exc).__name__}: {exc} "
                "(check in_axes=, the feature widths (features=, edge_features=), the graph's node count and the group's degree)"
            ) from exc
        return self._convert_out(raw)

    def _describe(self, arrays: Sequence[np.ndarray]) -> str:
        return ", ".join(f"{n} {tuple(a.shape)}" for n, a in zip(self.layout.names, arrays))

    def _pack(self, fed: list[Any], num_nodes: int | None) -> list[Any]:
        lay = self.layout
        if lay.pyg is None:
            return fed
        kw = dict(lay.extras)
        kw.update(zip(lay.names, fed))
        if lay.pyg == "batch":
            from torch_geometric.data import Batch

            obj = Batch(**kw)
        else:
            obj = (lay.data_cls or _data_cls())(**kw)
        if num_nodes is not None and "node" not in lay.roles:
            obj.num_nodes = num_nodes
        return [obj]

    def _call_one(self, ex: Example) -> tuple[np.ndarray, ...]:
        fed = self._convert_in(list(ex))
        return self._invoke(self._pack(fed, self.layout.num_nodes(ex, self.degree)), self._describe(ex))

    def _call_union(self, chunk: list[Example]) -> list[tuple[np.ndarray, ...]]:
        lay = self.layout
        ns = [lay.num_nodes(ex, self.degree) for ex in chunk]
        es = [lay.num_edges(ex) for ex in chunk]
        if lay.pyg is not None:
            from torch_geometric.data import Batch

            datas = [self._pack(self._convert_in(list(ex)), n)[0] for ex, n in zip(chunk, ns)]
            outputs = self._invoke([Batch.from_data_list(datas)], f"a Batch of {len(chunk)} graphs")
        else:
            args = self._union_args(chunk, ns)
            outputs = self._invoke(
                self._convert_in(args), f"a disjoint union of {len(chunk)} graphs, " + self._describe(args)
            )
        return self._split(outputs, ns, es, len(chunk))

    def _union_args(self, chunk: list[Example], ns: list[int]) -> list[np.ndarray]:
        lay = self.layout
        offsets = np.concatenate([[0], np.cumsum(ns)[:-1]]).astype(np.int64)
        aligned = [lay.edge_aligned(ex) for ex in chunk]
        args = []
        for j, role in enumerate(lay.roles):
            parts = [ex[j] for ex in chunk]
            if role == "node":
                args.append(np.concatenate(parts, axis=0))
            elif role == "index":
                axis = parts[0].ndim - 1
                args.append(
                    np.concatenate([p + o.astype(p.dtype) for p, o in zip(parts, offsets)], axis=axis)
                )
            elif all(al[j] for al in aligned):
                args.append(np.concatenate(parts, axis=0))
            else:
                raise _Unbatchable(f"argument {lay.names[j]} is neither node- nor edge-level")
        return args

    def _out_actions(self, count: int) -> list[TensorAction]:
        spec = self.out_spec
        if isinstance(spec, TensorAction):
            return [spec] * count
        spec = list(spec)
        if len(spec) != count:
            raise _Unbatchable("out_axes do not match the outputs")
        return spec

    def _split(
        self, outputs: tuple[np.ndarray, ...], ns: list[int], es: list[int | None], k: int
    ) -> list[tuple[np.ndarray, ...]]:
        total_n = sum(ns)
        total_e = sum(e for e in es if e is not None) if all(e is not None for e in es) else None
        parts = []
        for j, (y, a) in enumerate(zip(outputs, self._out_actions(len(outputs)))):
            node_level = a.slots and y.ndim and tuple(ax % y.ndim for ax in a.slots[0]) == (0,)
            if node_level and len(a.slots) == 1 and y.shape[0] == total_n:
                sizes = ns
            elif a.is_invariant and self.layout.pyg is not None and y.ndim and y.shape[0] == k:
                sizes = [1] * k  # graph-level: one row per graph
            elif a.is_invariant and total_e is not None and y.ndim and y.shape[0] == total_e:
                sizes = es  # type: ignore[assignment]
            else:
                raise _Unbatchable(f"output {j} of shape {y.shape} cannot be split per graph")
            parts.append(np.split(y, np.cumsum(sizes)[:-1], axis=0))
        return [tuple(p[i] for p in parts) for i in range(k)]


def _data_cls() -> Any:
    from torch_geometric.data import Data

    return Data
