"""Automorphism engines behind one call: nauty (pynauty, dense) and bliss (igraph), or ``"auto"``.

``run_engine(cg, engine)`` returns generators of ``Aut`` of a checked coloured digraph (a
:class:`~asen.groups.colored_graph.ColoredGraph`) on its ``n`` vertices, with the engine's group order;
``engine_canonical_labeling`` a canonical relabelling. The encodings are in
:mod:`~asen.groups.nauty_encoding` (an undirected layered graph: pynauty has no usable digraph mode) and
:mod:`~asen.groups.bliss_encoding` (bliss takes digraphs; arc colours by subdivision or layers).

* ``"nauty"``: the reference the tests trust; dense nauty stores ``N^2 / 8`` bytes and refines in
  ``O(N^2)``, so it is the fast choice up to a few thousand encoded vertices.
* ``"bliss"``: sparse data structures, the fast choice for image-scale inputs (``n`` in the thousands,
  a few arcs per vertex) and for digraphs; its group order is an exact integer.
* ``"auto"``: nauty while its encoding has at most :data:`AUTO_NAUTY_MAX_VERTICES` vertices and the
  graph is small (under :data:`AUTO_SPARSE_MIN_VERTICES` vertices) or dense (arcs of non-background
  colour on at least 1/8 of the ordered pairs); bliss otherwise (or whichever of the two is installed).
  Measured on one core: nauty is 1-4x faster on dense orbital colourings up to n = 64, bliss 3-6x
  faster on sparse graphs from n = 144 (tori, random cubic graphs) and 25-100x on directed tori from
  n = 576. The rule reads only ``n``, the number of arcs and arc colours and whether the colours are
  symmetric, so it picks the same engine for isomorphic graphs.

Vertices with no arc of non-background colour ("isolated") are split off before either engine runs:
any permutation of isolated vertices of one colour is an automorphism and none maps an isolated vertex
to another one, so ``Aut = Aut(rest) x prod_cells Sym(cell)``, with a transposition and a cycle per
cell as generators and ``prod |cell|!`` as the factor of the order. Both engines search the whole
symmetric group otherwise (nauty took 160 s on 4096 isolated vertices, bliss 16 s on 3000).
"""

from __future__ import annotations

import functools
import math
import sys
import time
from dataclasses import dataclass

import numpy as np

from .bliss_encoding import bliss_encoding
from .colored_graph import ColoredGraph, coded_arcs
from .nauty_encoding import _encode, nauty_graph
from .orbits import orbit_ids
from .perm import inverse

__all__ = [
    "AUTO_NAUTY_MAX_VERTICES",
    "AUTO_SPARSE_FRACTION",
    "AUTO_SPARSE_MIN_VERTICES",
    "ENGINES",
    "ENGINE_CHOICES",
    "EngineRun",
    "check_engine",
    "choose_engine",
    "engine_canonical_labeling",
    "run_engine",
]

ENGINES = ("nauty", "bliss")
ENGINE_CHOICES = ("auto", *ENGINES)
AUTO_NAUTY_MAX_VERTICES = 1024  # auto keeps nauty while its encoding has at most this many vertices
AUTO_SPARSE_MIN_VERTICES = 100  # ... unless the graph has this many vertices and is sparse:
AUTO_SPARSE_FRACTION = 8  # fewer arcs than 1/8 of the ordered pairs
_EXACT_ORDER_LIMIT = 1 << 40  # below this nauty's accumulated rounding error is far below 1/2
_SPLITTING = "fl"  # bliss's splitting heuristic: first largest non-singleton cell (igraph's default)


@dataclass
class EngineRun:
    """What one engine said about ``Aut`` of a coloured digraph on ``n`` vertices.

    Attributes
    ----------
    engine
        ``"nauty"`` or ``"bliss"``.
    generators
        ``(m, n)`` int64 generators of ``Aut`` (restricted from the encoding).
    order, log10_order
        The engine's ``|Aut|`` as a float (``inf`` past ``1e308``) and its ``log10``.
    exact_order
        ``|Aut|`` as an exact integer when the engine gives one (bliss always; nauty when its double is
        below ``2**40`` and within ``1e-3`` of an integer), else None. Used as an order hint that
        Schreier--Sims verifies.
    orbits
        ``(n,)`` smallest vertex of each vertex's orbit.
    encoded_vertices, encoded_edges, encoding, layers, directed_encoding
        Size and kind of the graph the engine saw (``encoding``: ``"layers"`` for nauty, the bliss
        method), bit-layers, and whether it was directed (nauty: IN/OUT copies; bliss: a digraph).
    encode_seconds, search_seconds
        Building the encoding (and the engine's graph object); the engine call(s).
    isolated
        Vertices split off before the engine ran (see the module notes).
    """

    engine: str
    generators: np.ndarray
    order: float
    log10_order: float
    exact_order: int | None
    orbits: np.ndarray
    encoded_vertices: int
    encoded_edges: int
    encoding: str
    layers: int
    directed_encoding: bool
    encode_seconds: float
    search_seconds: float
    isolated: int = 0


# ------------------------------------------------------------------------------- choice
def check_engine(engine: str) -> str:
    """``engine`` itself when it is one of :data:`ENGINE_CHOICES`, else ``ValueError``."""
    if engine not in ENGINE_CHOICES:
        raise ValueError(f"engine must be one of {ENGINE_CHOICES}, got {engine!r}")
    return engine


def _installed(engine: str) -> bool:
    import importlib.util

    return importlib.util.find_spec("pynauty" if engine == "nauty" else "igraph") is not None


def choose_engine(cg: ColoredGraph, engine: str = "auto") -> str:
    """The engine ``run_engine`` uses for ``cg``: ``engine`` itself unless it is ``"auto"``.

    Examples
    --------
    >>> import numpy as np
    >>> from asen.groups.colored_graph import colored_graph
    >>> src = np.arange(4096); dst = (src + 1) % 4096
    >>> choose_engine(colored_graph(arcs=(src, dst, np.ones(4096, int)), vertex_colors=np.zeros(4096, int)))
    'bliss'
    """
    if check_engine(engine) != "auto":
        return engine
    src, _, _, k = coded_arcs(cg)
    n, layers = cg.n, k.bit_length()
    blocks = max(layers, 1) if cg.symmetric else (layers + 2 if layers else 1)
    sparse = n >= AUTO_SPARSE_MIN_VERTICES and src.size * AUTO_SPARSE_FRACTION < n * n
    preferred = "nauty" if n * blocks <= AUTO_NAUTY_MAX_VERTICES and not sparse else "bliss"
    other = "bliss" if preferred == "nauty" else "nauty"
    return preferred if _installed(preferred) or not _installed(other) else other


# ------------------------------------------------------------------------------- automorphisms
def run_engine(cg: ColoredGraph, engine: str = "auto") -> EngineRun:
    """Generators and order of ``Aut(cg)`` from one engine (``"nauty"``, ``"bliss"`` or ``"auto"``).

    Examples
    --------
    >>> import networkx as nx
    >>> from asen.groups.colored_graph import colored_graph
    >>> cg = colored_graph(nx.petersen_graph())
    >>> [(r.engine, r.exact_order) for r in (run_engine(cg, "nauty"), run_engine(cg, "bliss"))]
    [('nauty', 120), ('bliss', 120)]
    """
    name = choose_engine(cg, engine)
    if cg.n == 0:
        return _empty_run(name)
    core, cells = _split_isolated(cg)
    if core is None:
        return (_run_nauty if name == "nauty" else _run_bliss)(cg)
    if core.size:
        inner = (_run_nauty if name == "nauty" else _run_bliss)(_induced(cg, core))
    else:
        inner = _empty_run(name)
    return _with_isolated(inner, cg.n, core, cells)


def _empty_run(name: str) -> EngineRun:
    """The run on no vertices: the trivial group, without calling the engine."""
    empty = np.empty(0, np.int64)
    return EngineRun(name, empty.reshape(0, 0), 1.0, 0.0, 1, empty, 0, 0, "none", 0, False, 0.0, 0.0)


def _split_isolated(cg: ColoredGraph) -> tuple[np.ndarray | None, list[np.ndarray]]:
    """``(core vertices, isolated cells of size >= 2)``, or ``(None, [])`` when nothing is split off.

    Only cells of at least two isolated vertices matter; a lone isolated vertex stays with the rest.
    """
    src, dst, _, _ = coded_arcs(cg)
    touched = np.zeros(cg.n, bool)
    touched[src] = True
    touched[dst] = True
    if touched.all():
        return None, []
    key = cg.vertex_key
    loose = np.flatnonzero(~touched)
    order = np.argsort(key[loose], kind="stable")
    loose = loose[order]
    cuts = np.flatnonzero(np.diff(key[loose])) + 1
    cells = [c for c in np.split(loose, cuts) if c.size >= 2]
    if not cells:
        return None, []
    split = np.zeros(cg.n, bool)
    split[np.concatenate(cells)] = True
    return np.flatnonzero(~split), cells


def _induced(cg: ColoredGraph, core: np.ndarray) -> ColoredGraph:
    """The coloured digraph on ``core`` (its arcs, coded; every removed vertex was isolated)."""
    src, dst, code, _ = coded_arcs(cg)
    relabel = np.full(cg.n, -1, np.int64)
    relabel[core] = np.arange(core.size)
    return ColoredGraph(int(core.size), cg.vertex_code[core], cg.loop_code[core], None, None, cg.symmetric,
                        None, relabel[src], relabel[dst], code, cg.name)  # fmt: skip


def _with_isolated(run: EngineRun, n: int, core: np.ndarray, cells: list[np.ndarray]) -> EngineRun:
    """``run`` (on ``core``) lifted to all ``n`` vertices, times the symmetric groups of the cells."""
    gens = [np.broadcast_to(np.arange(n), (len(run.generators), n)).copy()]
    gens[0][:, core] = core[run.generators]
    orbits = np.arange(n)
    if core.size:
        orbits[core] = core[run.orbits]
    log10_factor, factor = 0.0, 1
    for cell in cells:
        s = int(cell.size)
        swap, cycle = np.arange(n), np.arange(n)
        swap[cell[:2]] = cell[1::-1]
        cycle[cell] = np.roll(cell, -1)
        gens.append(swap[None] if s == 2 else np.stack([swap, cycle]))
        orbits[cell] = cell.min()
        log10_factor += math.lgamma(s + 1) / math.log(10)
        factor *= math.factorial(s)
    log10_order = run.log10_order + log10_factor
    exact = None if run.exact_order is None else run.exact_order * factor
    if log10_order >= 308:
        order = math.inf
    else:
        order = float(exact) if exact is not None else run.order * factor
    return EngineRun(run.engine, np.concatenate(gens).astype(np.int64), order, log10_order, exact, orbits,
                     run.encoded_vertices, run.encoded_edges, run.encoding, run.layers, run.directed_encoding,
                     run.encode_seconds, run.search_seconds, n - int(core.size))  # fmt: skip


def _run_nauty(cg: ColoredGraph) -> EngineRun:
    t0 = time.perf_counter()
    enc = _encode(cg)
    import pynauty  # imported on first use: asen.groups works without nauty, minus the nauty engine

    graph = nauty_graph(enc)
    t1 = time.perf_counter()
    gens, size1, size2, orbits, _ = pynauty.autgrp(graph)
    t2 = time.perf_counter()
    n = cg.n
    hub_gens = np.asarray(gens, dtype=np.int64).reshape(-1, enc.num_vertices)[:, :n]
    log10_order = math.log10(float(size1)) + int(size2)
    order = 10.0**log10_order if log10_order < 308 else math.inf  # the double overflows past 1e308
    rounded = round(order) if order < _EXACT_ORDER_LIMIT else 0
    exact = rounded if rounded >= 1 and abs(order - rounded) < 1e-3 else None  # nauty's double is inexact
    return EngineRun("nauty", hub_gens, order, log10_order, exact, np.asarray(orbits[:n], dtype=np.int64),
                     enc.num_vertices, enc.num_edges, "layers", enc.layers, enc.directed, t1 - t0, t2 - t1)  # fmt: skip


class _NoStrDigitLimit:
    """igraph hands bliss's group size over as a decimal string: lift Python's 4300-digit limit meanwhile."""

    def __enter__(self) -> None:
        self.old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
        if self.old is not None:
            sys.set_int_max_str_digits(0)

    def __exit__(self, *exc: object) -> None:
        if self.old is not None:
            sys.set_int_max_str_digits(self.old)


def _bliss_graph(cg: ColoredGraph):
    from .igraph_core import igraph_core

    enc = bliss_encoding(cg)
    graph = igraph_core().GraphBase(enc.num_vertices, enc.edges, enc.directed)
    return enc, graph, enc.colors.tolist()


def _run_bliss(cg: ColoredGraph) -> EngineRun:
    t0 = time.perf_counter()
    enc, graph, colors = _bliss_graph(cg)
    t1 = time.perf_counter()
    gens = graph.automorphism_group(sh=_SPLITTING, color=colors)
    with _NoStrDigitLimit():
        count = int(graph.count_automorphisms(sh=_SPLITTING, color=colors))
    t2 = time.perf_counter()
    n = cg.n
    hub_gens = np.asarray(gens, dtype=np.int64).reshape(-1, enc.num_vertices)[:, :n]
    log10_order = _log10(count)
    order = float(count) if log10_order < 308 else math.inf
    return EngineRun("bliss", hub_gens, order, log10_order, count, orbit_ids(hub_gens),
                     enc.num_vertices, enc.num_edges, enc.method, enc.codes.bit_length(), enc.directed,
                     t1 - t0, t2 - t1)  # fmt: skip


def _log10(x: int) -> float:
    """``log10`` of a positive integer of any size."""
    if x < 1 << 1000:
        return math.log10(x)
    shift = x.bit_length() - 64
    return math.log10(x >> shift) + shift * math.log10(2)


# ------------------------------------------------------------------------------- canonical labelling
def engine_canonical_labeling(cg: ColoredGraph, engine: str = "auto") -> np.ndarray:
    """A canonical relabelling ``p`` (vertex ``i`` becomes ``p[i]``) computed by one engine.

    Canonical for that engine (and encoding): two labellings from different engines need not agree.
    """
    if cg.n == 0:
        return np.empty(0, np.int64)
    if choose_engine(cg, engine) == "nauty":
        import pynauty

        lab = np.asarray(pynauty.canon_label(nauty_graph(_encode(cg))), dtype=np.int64)
        return inverse(lab[lab < cg.n])  # hub cells come first, so this is the canonical order of vertices
    _, graph, colors = _bliss_graph(cg)
    perm = np.asarray(graph.canonical_permutation(sh=_SPLITTING, color=colors), dtype=np.int64)
    image = perm if _bliss_permutation_maps_old_to_new() else inverse(perm)
    return np.argsort(np.argsort(image[: cg.n]))  # the originals, in the order of their canonical positions


@functools.cache
def _bliss_permutation_maps_old_to_new() -> bool:
    """Whether igraph's ``canonical_permutation`` lists new ids by old vertex (its documentation) or the inverse.

    Probed once on three isolated vertices, one of them coloured: a canonical labelling must put that vertex
    at the same position whichever vertex it is (igraph 1.0 returns the inverse of what it documents).
    """
    from .igraph_core import igraph_core

    graph = igraph_core().GraphBase(3, [], False)
    positions = set()
    for colored in range(3):
        colors = [int(i == colored) for i in range(3)]
        perm = graph.canonical_permutation(sh=_SPLITTING, color=colors)
        positions.add(perm[colored])
    return len(positions) == 1
