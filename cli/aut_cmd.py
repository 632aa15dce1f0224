"""``asen aut FILE [--json] [--format F] [--directed] [--engine E]``: the automorphism group of a graph file.

The file is an edge list (``u v [colour]``), GraphML or graph6 (:mod:`asen.groups.graphio`). Vertex
``i`` is the ``i``-th node as read (integer labels sorted). The ``"color"`` node and edge attributes
colour the graph when present (``--vertex-color``/``--edge-color`` name others, ``--no-colors``
ignores them).

``--engine`` picks the automorphism engine (:mod:`asen.groups.engines`): ``auto`` (default: nauty for
small or dense graphs, bliss for large sparse ones), ``nauty``, ``bliss``, or ``both``: each engine
computes the group and the command exits 1 (``engines_agree`` false, a message on stderr) unless the two
groups are equal (same exact order, and one's generators lie in the other).

``--json`` prints one object: ``file``, ``format``, ``nodes`` (labels in vertex order), ``degree``,
``num_edges``, ``directed``, ``order`` (exact integer), ``engines`` (the engines that ran, ``auto``
resolved), ``engines_agree`` and ``disagreement`` (null unless ``both``; then a bool and null or the reason), ``engine_order`` (the first engine's order as a
float), ``nauty_order`` (nauty's float, null when nauty did not run), ``num_generators``, ``orbits``
(count), ``orbit_sizes``, ``transitive``, ``generators`` (0-based image lists, from the first engine) and
``seconds`` (``encode``, ``engine`` and ``order`` for the first engine, plus each engine's search time under its name).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from ..groups.automorphisms import AutomorphismReport, automorphism_report
from ..groups.engines import ENGINE_CHOICES, ENGINES
from ..groups.graphio import COLOR_ATTRIBUTE, GRAPH_FORMATS, guess_format, read_graph
from ..groups.perm import cycle_notation

_SHOW_GENERATORS = 10  # human output lists at most this many generators


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "aut",
        help="automorphism group of a graph file (nauty or bliss): exact order, orbits, generators",
        description=(
            "Compute the automorphism group of a (coloured, possibly directed) graph with nauty or bliss. "
            "FILE is an edge list ('u v [colour]' per line, '#' comments), GraphML or graph6. "
            "Exit status: 0, or 1 when --engine both finds the engines disagree, 2 on bad input."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="graph file")
    parser.add_argument(
        "--format", choices=GRAPH_FORMATS, help="file format (default: from extension/content)"
    )
    parser.add_argument("--directed", action="store_true", help="edge list lines 'u v' are arcs u -> v")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--vertex-color",
        metavar="ATTR",
        help=f"node attribute holding vertex colours (default: {COLOR_ATTRIBUTE!r} if present)",
    )
    parser.add_argument(
        "--edge-color",
        metavar="ATTR",
        help=f"edge attribute holding edge colours (default: {COLOR_ATTRIBUTE!r} if present)",
    )
    parser.add_argument("--no-colors", action="store_true", help="ignore vertex and edge colours")
    parser.add_argument(
        "--engine", choices=(*ENGINE_CHOICES, "both"), default="auto",
        help="automorphism engine: auto (nauty for small or dense graphs, bliss for large sparse ones), "
        "nauty, bliss, or both (exit 1 unless they give the same group)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def _color_attributes(G: Any, args: argparse.Namespace) -> tuple[str | None, str | None]:
    if args.no_colors:
        return None, None
    vertex = args.vertex_color
    if vertex is None and any(COLOR_ATTRIBUTE in d for _, d in G.nodes(data=True)):
        vertex = COLOR_ATTRIBUTE
    edge = args.edge_color
    if edge is None and any(COLOR_ATTRIBUTE in d for _, _, d in G.edges(data=True)):
        edge = COLOR_ATTRIBUTE
    return vertex, edge


def disagreement(first: AutomorphismReport, second: AutomorphismReport) -> str | None:
    """Why two engines' groups differ (orders, or a generator of one outside the other), or None if equal."""
    A, B = first.group, second.group
    if A.degree != B.degree:
        return f"{first.engine} and {second.engine} work on {A.degree} and {B.degree} vertices"
    if A.order() != B.order():
        return f"{first.engine} and {second.engine} disagree on |Aut|: {A.order()} against {B.order()}"
    if not B.is_subgroup(A):
        return f"{first.engine} and {second.engine} give different groups of order {A.order()}"
    return None


def summary(
    path: str,
    fmt: str | None,
    G: Any,
    vertex_attr: str | None,
    edge_attr: str | None,
    engine: str = "auto",
) -> dict[str, Any]:
    """What ``asen aut --json`` prints for the graph ``G`` read from ``path`` (``engine``: see ``--engine``)."""
    if engine not in (*ENGINE_CHOICES, "both"):
        raise ValueError(f"engine must be one of {(*ENGINE_CHOICES, 'both')}, got {engine!r}")
    names = ENGINES if engine == "both" else (engine,)
    reports = [
        automorphism_report(G, vertex_colors=vertex_attr, edge_colors=edge_attr, engine=e) for e in names
    ]
    rep = reports[0]
    group = rep.group
    t0 = time.perf_counter()
    order = group.order()
    order_seconds = time.perf_counter() - t0
    orbits = group.orbits()
    why = disagreement(*reports) if len(reports) == 2 else None
    seconds = {"encode": rep.prepare_seconds + rep.encode_seconds, "engine": rep.engine_seconds,
               "order": order_seconds}  # fmt: skip
    seconds.update({r.engine: r.engine_seconds for r in reports})  # each engine's search
    nauty = [r for r in reports if r.engine == "nauty"]
    return {
        "file": path,
        "format": fmt,
        "nodes": [n if isinstance(n, (int, str)) else str(n) for n in G.nodes],
        "degree": group.degree,
        "num_edges": G.number_of_edges(),
        "directed": G.is_directed(),
        "vertex_colors": vertex_attr,
        "edge_colors": edge_attr,
        "order": order,
        "engines": [r.engine for r in reports],
        "engines_agree": None if len(reports) == 1 else why is None,
        "disagreement": why,
        "engine_order": rep.engine_order,
        "nauty_order": nauty[0].engine_order if nauty else None,
        "num_generators": len(group.generators),
        "orbits": len(orbits),
        "orbit_sizes": [len(o) for o in orbits],
        "transitive": group.is_transitive(),
        "generators": group.generators.tolist(),
        "seconds": seconds,
    }


def _human(info: dict[str, Any]) -> str:
    kind = "directed" if info["directed"] else "undirected"
    colours = [f"{what} colours from {attr!r}" for what, attr in (("vertex", info["vertex_colors"]),
                                                                 ("edge", info["edge_colors"])) if attr]  # fmt: skip
    sizes = info["orbit_sizes"]
    shown = sizes if len(sizes) <= 12 else sizes[:12] + ["..."]
    lines = [
        f"graph       {info['file']} ({info['degree']} vertices, {info['num_edges']} {kind} edges"
        + (", " + ", ".join(colours) if colours else "")
        + ")",
        f"order       {info['order']}",
        f"engine      {' and '.join(info['engines'])}"
        + (" (agree)" if info["engines_agree"] else " (DISAGREE)" if info["engines_agree"] is False else ""),
        f"orbits      {info['orbits']} ({'transitive' if info['transitive'] else 'intransitive'}; sizes {shown})",
        f"generators  {info['num_generators']} (GAP notation, vertex i is point i+1)",
    ]
    gens = info["generators"]
    lines += [f"  {cycle_notation(g)}" for g in gens[:_SHOW_GENERATORS]]
    if len(gens) > _SHOW_GENERATORS:
        lines.append(f"  ... {len(gens) - _SHOW_GENERATORS} more (use --json)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if os.path.isdir(args.file):
        raise ValueError(f"{args.file} is a directory, not a graph file")
    fmt = args.format or guess_format(args.file)
    G = read_graph(args.file, fmt, directed=args.directed)
    vertex_attr, edge_attr = _color_attributes(G, args)
    info = summary(os.fspath(args.file), fmt, G, vertex_attr, edge_attr, engine=args.engine)
    print(json.dumps(info) if args.json else _human(info))
    if info["engines_agree"] is False:
        print(f"asen aut: engines disagree: {info['disagreement']}", file=sys.stderr)
        return 1
    return 0
