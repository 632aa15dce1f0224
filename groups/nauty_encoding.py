"""The undirected vertex-coloured graph handed to nauty for a coloured digraph (hub/OUT/IN layers).

See :mod:`asen.groups.automorphisms` for the construction; this module builds it with numpy and wraps it
as a ``pynauty.Graph`` without pynauty's per-vertex Python checks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from .colored_graph import ColoredGraph, coded_arcs
from .walk_invariants import walk_refined_colors

MAX_ENCODED_VERTICES = 1 << 16  # pynauty's dense nauty stores N^2 / 8 bytes: 512 MiB at this size


@dataclass
class _Encoding:
    num_vertices: int
    adjacency: dict[int, list[int]]
    cells: list[list[int]]
    num_edges: int
    layers: int
    directed: bool


@functools.cache
def _graph_class() -> type:
    """``pynauty.Graph`` subclass, defined on first use so ``import asen.groups`` works without pynauty."""
    import pynauty

    class NautyGraph(pynauty.Graph):
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

    return NautyGraph


def nauty_graph(enc: _Encoding) -> Any:
    """The encoding as a graph pynauty's ``autgrp`` / ``canon_label`` accept."""
    return _graph_class()(enc)


def _encode(cg: ColoredGraph) -> _Encoding:
    """The undirected layered graph: hubs ``0..n-1`` first, then one block of ``n`` vertices per copy.

    Symmetric colours: layer 0 on the hubs, layer ``l >= 1`` on copies ``L(l, v)`` (``n * max(d, 1)``
    vertices). Otherwise ``OUT(l, v)`` per layer and one ``IN(v)``, arcs ``OUT(l, u) -- IN(v)``
    (``n * (d + 2)`` vertices): every copy has exactly one hub neighbour, its own, so an automorphism is
    fixed by its action on the hubs, and it preserves bit ``l`` of every arc's code.
    """
    n = cg.n
    src, dst, code, num_codes = coded_arcs(cg)
    layers = num_codes.bit_length()
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
    hub_cell = walk_refined_colors(n, src, dst, cg.vertex_key)
    key_order = np.argsort(hub_cell, kind="stable")
    cuts = np.flatnonzero(np.diff(hub_cell[key_order])) + 1
    cells = [c.tolist() for c in np.split(key_order, cuts)]
    cells += [list(range(k * n, (k + 1) * n)) for k in range(1, blocks)]
    return _Encoding(num, adjacency, cells, int(a.size), layers, not cg.symmetric)
