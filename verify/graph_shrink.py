"""Shrinking a failing graph input: fewer nodes, fewer edges, simpler features, a simpler element.

Given a graph example ``(x, edge_index, ...)`` and an element ``g`` with ``fn(g.x) != g.fn(x)``,
:func:`shrink_graph` looks for a smaller input that still fails, each step one batched evaluation of
up to ``max_candidates`` candidates (a disjoint union of graphs where the function allows it):

0. with the symmetric group, the first transposition that still fails in place of ``g``;
1. **nodes** (only when the group is the full symmetric group, so that every graph size is a valid
   question): delete unions of cycles of ``g``, delta-debugging style, with their edges; the remaining
   nodes are renumbered ``0..n'-1`` in order and ``g`` is restricted to them;
2. **edges**: delete edges (both directions of an undirected edge together, so an undirected graph
   stays undirected) with their edge attributes;
3. nodes again (edge deletion often isolates some);
4. **values** of the node features (and of edge attributes when the graph may change) with
   :func:`~asen.verify.shrink.shrink_input`; node indices are never changed as numbers;
5. **the element**: with the symmetric group, the first transposition that still fails; with a few other
   failing transpositions, node deletion once more (another pair of nodes may leave fewer of them).

When the group maps the graph onto itself (``Aut(graph)``: the graph is part of the question), steps 1,
2, 3 and the edge attributes are left out: only the node data shrinks.

Examples
--------
>>> import numpy as np
>>> from asen.verify.axes import TensorAction
>>> from asen.verify.evaluate import Evaluator
>>> from asen.verify.graph_batch import GraphEvaluator, GraphLayout
>>> from asen.verify.measure import Harness
>>> def first_neighbour(x, edge_index):            # node i takes x of its lowest-numbered in-neighbour
...     out = np.zeros_like(x)
...     for s, d in sorted(edge_index.T.tolist(), reverse=True):
...         out[d] = x[s]
...     return out
>>> acts = [TensorAction.points(0), TensorAction.indices()]
>>> layout = GraphLayout.of(["x", "edge_index"], acts, symmetric=True)
>>> ev = GraphEvaluator(first_neighbour, layout=layout, out_spec=acts[0], degree=6, backend="numpy",
...                     arg_dtypes=[np.float64, np.int64])
>>> h = Harness(ev, 6, acts, acts[0])
>>> ring = np.array([[0, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 0], [1, 2, 3, 4, 5, 0, 0, 1, 2, 3, 4, 5]])
>>> x = np.arange(6.0).reshape(6, 1)
>>> result = shrink_graph(h, layout, (x, ring), np.array([0, 5, 2, 3, 4, 1]))   # the mirror through 0
>>> result.degree, result.example[1].tolist()       # 3 nodes and 2 undirected edges are enough
(3, [[0, 2, 1, 0], [1, 0, 0, 2]])
>>> result.element.tolist()                          # node 0 sees two neighbours; swapping them fails
[0, 2, 1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..groups import cycles
from .evaluate import FunctionCallError
from .graph_batch import GraphLayout
from .measure import Harness, _diff, _scale
from .shrink import shrink_input

__all__ = ["GraphShrink", "pair_ratios", "shrink_graph"]

Example = tuple[np.ndarray, ...]
Pair = tuple[Example, np.ndarray]


@dataclass
class GraphShrink:
    """The shrunk example, its element, the harness of its degree and the batched evaluations spent."""

    example: Example
    element: np.ndarray
    harness: Harness
    calls: int

    @property
    def degree(self) -> int:
        return int(self.element.size)


def pair_ratios(h: Harness, pairs: Sequence[Pair]) -> np.ndarray:
    """Error ratio (``> 1``: fails) of each ``(example, g)``; examples may differ in size. One batched call;
    a pair on which the function raises counts as not failing."""
    if not pairs:
        return np.zeros(0)
    calls: list[Example] = []
    for ex, g in pairs:
        calls.append(ex)
        calls.append(tuple(a.apply(g, x) for a, x in zip(h.in_actions, ex)))
    try:
        with h.evaluator.session():
            outs = h.evaluator(calls)
    except FunctionCallError:
        if len(pairs) == 1:
            return np.zeros(1)
        return np.concatenate([pair_ratios(h, [p]) for p in pairs])
    tols = h.tolerances()
    acts = h.out_actions
    assert acts is not None
    out = np.zeros(len(pairs))
    for k, (_, g) in enumerate(pairs):
        ref, got = outs[2 * k], outs[2 * k + 1]
        for act, tol, a, b in zip(acts, tols, ref, got):
            try:
                expected = act.apply(g, a)
            except (ValueError, IndexError):
                out[k] = np.inf
                continue
            if b.shape != expected.shape:
                out[k] = np.inf
                continue
            e = float(_diff(b, expected).max(initial=0.0))
            out[k] = max(out[k], tol.ratio(err=e, scale=_scale(b, expected)))
    return out


def _edge_units(edge_index: np.ndarray) -> list[list[int]]:
    """Columns to delete together: ``(u, v)`` with a ``(v, u)`` when every edge has its reverse."""
    src, dst = edge_index
    pending: dict[tuple[int, int], list[int]] = {}
    for k, (u, v) in enumerate(zip(src.tolist(), dst.tolist())):
        pending.setdefault((u, v), []).append(k)
    units: list[list[int]] = []
    used: set[int] = set()
    for k, (u, v) in enumerate(zip(src.tolist(), dst.tolist())):
        if k in used:
            continue
        used.add(k)
        if u == v:
            units.append([k])
            continue
        partners = [m for m in pending.get((v, u), []) if m not in used]
        if not partners:
            return [[k] for k in range(src.size)]  # directed: single arcs
        used.add(partners[0])
        units.append([k, partners[0]])
    return units


class _Search:
    def __init__(
        self, h: Harness, layout: GraphLayout, example: Example, g: np.ndarray, max_calls: int, max_cands: int
    ):
        self.h, self.layout = h, layout
        self.ex, self.g = example, np.asarray(g, dtype=np.int64)
        self.calls_left = max_calls
        self.max_cands = max_cands
        self.edge_arg = layout.edge_arg(example)

    def first_failing(self, cands: list[Pair | None]) -> int | None:
        fresh = [(i, c) for i, c in enumerate(cands) if c is not None][: self.max_cands]
        if not fresh or self.calls_left <= 0:
            return None
        self.calls_left -= 1
        r = pair_ratios(self.h, [c for _, c in fresh])
        hits = np.flatnonzero(r > 1)
        if not hits.size:
            return None
        i, (ex, g) = fresh[int(hits[0])]
        self.ex, self.g = ex, np.asarray(g, dtype=np.int64)
        return i

    # ------------------------------------------------------------------ structure
    def can_delete_nodes(self) -> bool:
        lay = self.layout
        if lay.fixed or not lay.symmetric or "node" not in lay.roles or "dense" in lay.roles:
            return False
        index_args = [j for j, r in enumerate(lay.roles) if r == "index"]
        return index_args == ([self.edge_arg] if self.edge_arg is not None else [])

    def without_nodes(self, drop: np.ndarray) -> Pair | None:
        keep = ~drop
        if keep.sum() == 0:
            return None
        newid = np.cumsum(keep) - 1
        lay, ex = self.layout, self.ex
        aligned = lay.edge_aligned(ex)
        mask = None
        if self.edge_arg is not None:
            ei = ex[self.edge_arg]
            mask = keep[ei[0]] & keep[ei[1]] if ei.size else np.zeros(0, bool)
        out = []
        for j, (r, a) in enumerate(zip(lay.roles, ex)):
            if r == "node":
                out.append(a[keep])
            elif j == self.edge_arg:
                out.append(newid[a[:, mask]].astype(a.dtype))
            elif aligned[j] and mask is not None:
                out.append(a[mask])
            else:
                out.append(a)
        return tuple(out), newid[self.g[keep]]

    def without_edges(self, cols: Sequence[int]) -> Pair:
        ex = self.ex
        e = ex[self.edge_arg].shape[1]
        mask = np.ones(e, dtype=bool)
        mask[list(cols)] = False
        aligned = self.layout.edge_aligned(ex)
        out = []
        for j, a in enumerate(ex):
            if j == self.edge_arg:
                out.append(a[:, mask])
            elif aligned[j]:
                out.append(a[mask])
            else:
                out.append(a)
        return tuple(out), self.g

    def delete(self, units_of, make) -> None:
        """Delta debugging: delete blocks of units while the input still fails."""
        units = units_of()
        size = max(1, -(-len(units) // 2))
        while units and self.calls_left > 0:
            size = min(size, len(units))
            if -(-len(units) // size) > self.max_cands:
                size = -(-len(units) // self.max_cands)
            blocks = [units[i : i + size] for i in range(0, len(units), size)]
            cands = [make([k for u in b for k in u]) for b in blocks]
            if self.first_failing(cands) is None:
                if size == 1:
                    return
                size = max(1, size // 2)
            units = units_of()

    def nodes(self) -> None:
        if not self.can_delete_nodes():
            return

        def units() -> list[list[int]]:
            return [list(c) for c in cycles(self.g, include_fixed=True)]

        def make(points: list[int]) -> Pair | None:
            drop = np.zeros(self.g.size, dtype=bool)
            drop[points] = True
            return self.without_nodes(drop)

        self.delete(units, make)

    def edges(self) -> None:
        if self.layout.fixed or self.edge_arg is None:
            return
        self.delete(lambda: _edge_units(self.ex[self.edge_arg]), self.without_edges)

    # ------------------------------------------------------------------ values and element
    def values(self) -> None:
        lay = self.layout
        free = [
            j
            for j, (r, name) in enumerate(zip(lay.roles, lay.names))
            if (r == "node" or (r in ("edge", "other") and not lay.fixed))
            and name not in ("batch", "ptr")
            and self.ex[j].size
        ]
        if not free or self.calls_left <= 0:
            return
        base, g = self.ex, self.g

        def full(sub: Example) -> Example:
            out = list(base)
            for j, a in zip(free, sub):
                out[j] = a
            return tuple(out)

        def fails(cands: Sequence[Example]) -> np.ndarray:
            return pair_ratios(self.h, [(full(c), g) for c in cands]) > 1

        sub, used = shrink_input(
            tuple(base[j] for j in free), fails, max_calls=self.calls_left, max_candidates=self.max_cands
        )
        self.calls_left -= used
        self.ex = full(sub)

    def element(self) -> None:
        if not self.layout.symmetric or self.calls_left <= 0:
            return
        n = self.g.size
        moved = np.flatnonzero(self.g != np.arange(n)).tolist()
        if len(moved) <= 2:
            return  # the identity or already a transposition
        rest = [i for i in range(n) if i not in moved]
        order = moved + rest
        pairs = [(order[a], order[b]) for a in range(len(order)) for b in range(a + 1, len(order))]
        pairs = sorted(pairs[: self.max_cands])
        cands: list[Pair | None] = []
        for i, j in pairs:
            t = np.arange(n, dtype=np.int64)
            t[i], t[j] = j, i
            cands.append(None if np.array_equal(t, self.g) else (self.ex, t))
        self.first_failing(cands)

    def refine(self, tries: int = 3) -> None:
        """Other failing transpositions may let more nodes go: try node deletion with a few of them."""
        n = self.g.size
        if not self.can_delete_nodes() or self.calls_left <= 1 or n * (n - 1) // 2 > self.max_cands:
            return
        ts = []
        for i in range(n):
            for j in range(i + 1, n):
                t = np.arange(n, dtype=np.int64)
                t[i], t[j] = j, i
                if not np.array_equal(t, self.g):
                    ts.append(t)
        if not ts:
            return
        self.calls_left -= 1
        fails = pair_ratios(self.h, [(self.ex, t) for t in ts]) > 1
        base = (self.ex, self.g)
        best = base

        def size(p: Pair) -> tuple[int, int]:
            e = self.layout.num_edges(p[0])
            return p[1].size, 0 if e is None else e

        for t in [t for t, f in zip(ts, fails) if f][:tries]:
            self.ex, self.g = base[0], t
            self.nodes()
            if size((self.ex, self.g)) < size(best):
                best = (self.ex, self.g)
        self.ex, self.g = best


def shrink_graph(
    harness: Harness,
    layout: GraphLayout,
    example: Example,
    g: np.ndarray,
    *,
    max_calls: int = 60,
    max_candidates: int = 64,
) -> GraphShrink:
    """A smaller graph input (and element) that still fails; see the module notes for the steps.

    Parameters
    ----------
    harness
        Measures the function (the float64 twin when the failure was decided in float64).
    layout
        The roles of the arguments and what may change (:class:`~asen.verify.graph_batch.GraphLayout`).
    example, g
        The failing input and element.
    max_calls, max_candidates
        Budget of batched evaluations, and candidates per evaluation.

    Returns
    -------
    GraphShrink
        The original input and element when nothing smaller fails (or a failure does not repeat).
    """
    if harness.out_actions is None:
        harness.outputs([tuple(example)])  # learn the outputs' actions
    s = _Search(harness, layout, tuple(example), g, max_calls, max_candidates)
    start = s.ex
    n0 = s.g.size
    s.element()  # a transposition first: its fixed points are the nodes that can go one by one
    s.nodes()
    s.edges()
    if s.ex is not start:
        s.nodes()
    s.values()
    s.element()
    s.refine()
    used = max_calls - s.calls_left
    h = harness
    if s.g.size != n0:
        h = Harness(
            harness.evaluator, s.g.size, harness.in_actions, harness._out_spec,
            rtol=harness.rtol, atol=harness.atol, confirm=False,
        )  # fmt: skip
        h.out_actions = harness.out_actions
    if s.ex is not start and not (pair_ratios(h, [(s.ex, s.g)]) > 1).all():
        return GraphShrink(tuple(example), np.asarray(g, dtype=np.int64), harness, used + 1)
    return GraphShrink(s.ex, s.g, h, used)
