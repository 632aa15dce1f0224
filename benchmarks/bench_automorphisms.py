"""Benchmark automorphism groups (asen.groups.automorphisms): nauty, bliss, the raw igraph call, networkx's VF2.

Part 1: for each family and size, seconds spent in input checks + encoding (including the closed-walk
hub invariants), in nauty, and in Schreier--Sims for the exact order. Families: ``grid`` (P_m x P_m),
``torus`` (C_m x C_m), ``cubic`` (random 3-regular graph, networkx, fixed seed) and ``dtorus`` (the
Cayley digraph of Z_m x Z_m with arcs +e1, +e2: the directed encoding, 3n vertices for nauty).

Part 2: small graphs, our automorphism group and exact order against counting automorphisms with
``GraphMatcher(G, G).isomorphisms_iter()``; the ratio is networkx time / our time, from one run.

Part 3 (``--engines``): both engines on the same coloured graphs, with the raw igraph call as the floor,
all in one run. Per graph: ``nauty`` and ``bliss`` are :func:`asen.groups.engines.run_engine` (encoding,
the engine's graph object, the search; bliss: ``automorphism_group`` and ``count_automorphisms``), ``raw``
is igraph itself on the very vertex-coloured graph asen hands to bliss (``igraph.Graph(n, edges,
directed)``, ``automorphism_group(color=...)`` and ``count_automorphisms(color=...)``): what any bliss
user pays, so ``bliss / raw`` is asen's overhead (target: within 3x). Graphs: the families above at
``--engine-sizes``, the sparse certified inputs of ``p4m(m)`` and ``torus_translations(m, m)``, a
crossover sweep (tori and random cubic graphs from n = 36, and the dense orbital colourings of p4m on
small tori, where nauty wins) and the ``auto`` choice for each. Best of ``--repeat`` runs (bliss and raw
interleaved; one run where a call takes over 1 s), nauty skipped where its encoding has more than
``--nauty-max`` vertices.
``--update-readme`` rewrites this part's block of ``benchmarks/README.md``.

Run: ``.venv/bin/python benchmarks/bench_automorphisms.py [--sizes 1024 2304 4096] [--families ...]``,
``.venv/bin/python benchmarks/bench_automorphisms.py --engines --skip-large --skip-small --update-readme``
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
from networkx.algorithms.isomorphism import DiGraphMatcher, GraphMatcher

from asen.groups import bliss_encoding, walk_invariants
from asen.groups.automorphisms import automorphism_group, automorphism_report

FAMILIES = ("grid", "torus", "cubic", "dtorus")
README = Path(__file__).with_name("README.md")
START, END = "<!-- bench_automorphisms:engines:start -->", "<!-- bench_automorphisms:engines:end -->"


def make_graph(family: str, n: int, seed: int) -> nx.Graph:
    m = max(2, round(math.sqrt(n)))
    if family == "grid":
        return nx.convert_node_labels_to_integers(nx.grid_2d_graph(m, m))
    if family == "torus":
        return nx.convert_node_labels_to_integers(nx.grid_2d_graph(m, m, periodic=True))
    if family == "cubic":
        return nx.random_regular_graph(3, n + (n % 2), seed=seed)
    if family == "dtorus":
        g = nx.DiGraph()
        g.add_edges_from(((r, c), ((r + 1) % m, c)) for r in range(m) for c in range(m))
        g.add_edges_from(((r, c), (r, (c + 1) % m)) for r in range(m) for c in range(m))
        return nx.convert_node_labels_to_integers(g)
    raise ValueError(f"unknown family {family!r}; expected one of {FAMILIES}")


def large_rows(families: list[str], sizes: list[int], seed: int) -> list[dict]:
    rows = []
    for family in families:
        for n in sizes:
            g = make_graph(family, n, seed)
            t0 = time.perf_counter()
            rep = automorphism_report(g, engine="nauty")  # part 1 is nauty's table (issue 2)
            t1 = time.perf_counter()
            order = rep.group.order()
            t2 = time.perf_counter()
            rows.append(
                {
                    "family": family,
                    "n": g.number_of_nodes(),
                    "edges": g.number_of_edges(),
                    "nauty_vertices": rep.encoded_vertices,
                    "encode_s": rep.prepare_seconds + rep.encode_seconds,
                    "nauty_s": rep.nauty_seconds,
                    "order_s": t2 - t1,
                    "total_s": t2 - t0,
                    "order": order,
                }
            )
            print(_fmt_large(rows[-1]), flush=True)
    return rows


def _fmt_large(r: dict) -> str:
    return (
        f"{r['family']:<7} {r['n']:>6} {r['edges']:>7} {r['nauty_vertices']:>8} {r['encode_s']:>9.3f} "
        f"{r['nauty_s']:>9.3f} {r['order_s']:>9.3f} {r['total_s']:>9.3f}  {r['order']}"
    )


SMALL = {
    "C_10": lambda: nx.cycle_graph(10),
    "Petersen": nx.petersen_graph,
    "Q_3": lambda: nx.hypercube_graph(3),
    "Q_4": lambda: nx.hypercube_graph(4),
    "directed C_10": lambda: nx.cycle_graph(10, create_using=nx.DiGraph),
}


def _best_of(fn, repeat: int) -> tuple[float, object]:
    best, value = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def small_rows(repeat: int) -> list[dict]:
    rows = []
    for name, make in SMALL.items():
        g = make()
        ours_s, ours = _best_of(lambda g=g: automorphism_group(g).order(), repeat)
        matcher = DiGraphMatcher if g.is_directed() else GraphMatcher
        nx_s, count = _best_of(lambda g=g, m=matcher: sum(1 for _ in m(g, g).isomorphisms_iter()), repeat)
        assert ours == count, (name, ours, count)
        rows.append(
            {"graph": name, "n": g.number_of_nodes(), "order": ours, "asen_s": ours_s, "networkx_s": nx_s}
        )
        r = rows[-1]
        print(
            f"{name:<14} {r['n']:>4} {r['order']:>6} {ours_s * 1e3:>10.2f} {nx_s * 1e3:>12.2f} {nx_s / ours_s:>8.1f}x",
            flush=True,
        )
    return rows


# ----------------------------------------------------------------------------- part 3: both engines
def raw_bliss(enc) -> tuple[float, int]:
    """Seconds and count of igraph itself on a bliss encoding: build, ``automorphism_group``, count.
    Given the encoding without asen's closed-walk colours, this is the call a user would make."""
    import igraph

    edges, colors = enc.edges.tolist(), enc.colors.tolist()
    t0 = time.perf_counter()
    graph = igraph.Graph(n=enc.num_vertices, edges=edges, directed=enc.directed)
    graph.automorphism_group(color=colors)
    count = int(graph.count_automorphisms(color=colors))
    return time.perf_counter() - t0, count


def _engine_graphs(sizes: list[int], seed: int):
    """``(family, coloured graph)`` pairs: the families, sparse certified inputs, the crossover sweep."""
    from asen.breaking import orbitals, symmetry_breaking_input
    from asen.groups import p4m, torus_translations
    from asen.groups.colored_graph import colored_graph

    for family in FAMILIES:
        for n in sizes:
            yield family, colored_graph(make_graph(family, n, seed))
    for name, make in (
        ("p4m sparse input", p4m),
        ("translations sparse input", lambda m: torus_translations(m, m)),
    ):
        for n in sizes:
            inp = symmetry_breaking_input(make(round(math.sqrt(n))), mode="sparse")
            yield name, colored_graph(arcs=inp.arc_arrays(), vertex_colors=inp.vertex_colors)
    for n in (36, 64, 100, 144, 256):
        for family in ("torus", "cubic"):
            yield f"{family} (crossover)", colored_graph(make_graph(family, n, seed))
    for m in (4, 6, 8):
        pc = orbitals(p4m(m)) + 1  # every ordered pair coloured: the paper's dense input
        yield "p4m orbital colouring", colored_graph(adjacency=pc, vertex_colors=np.zeros(m * m, int))


def engine_rows(sizes: list[int], seed: int, repeat: int, nauty_max: int) -> list[dict]:
    from asen.groups.bliss_encoding import bliss_encoding
    from asen.groups.engines import choose_engine, run_engine
    from asen.groups.nauty_encoding import _encode

    rows = []
    for family, cg in _engine_graphs(sizes, seed):
        row = {"family": family, "n": cg.n, "arcs": int(cg.arc_arrays()[0].size), "auto": choose_engine(cg)}
        enc = bliss_encoding(cg, walk_colors=False)  # the floor: igraph on the graph as a user has it
        bliss, raw = [], []
        for _ in range(repeat):  # interleaved, so that load on a shared machine hits both alike
            bliss.append(run_engine(cg, "bliss"))
            raw.append(raw_bliss(enc))
            if raw[0][0] > 1.0:
                break  # one run each past a second
        best = min(bliss, key=lambda r: r.encode_seconds + r.search_seconds)
        row.update(order=best.exact_order, bliss_s=best.encode_seconds + best.search_seconds,
                   bliss_encoding=best.encoding, bliss_vertices=best.encoded_vertices)  # fmt: skip
        row["raw_s"] = min(t for t, _ in raw)
        assert raw[0][1] == best.exact_order or best.isolated, (family, cg.n, raw[0][1], best.exact_order)
        row["nauty_vertices"] = nauty_vertices = _encode(cg).num_vertices
        if nauty_vertices <= nauty_max:
            runs = [run_engine(cg, "nauty")]
            while len(runs) < repeat and runs[0].encode_seconds + runs[0].search_seconds < 1.0:
                runs.append(run_engine(cg, "nauty"))  # best of repeat below 1 s, else one run
            run = min(runs, key=lambda r: r.encode_seconds + r.search_seconds)
            row["nauty_s"] = run.encode_seconds + run.search_seconds
            assert abs(run.log10_order - best.log10_order) < 1e-6, (family, cg.n)
        else:
            row["nauty_s"] = None
        rows.append(row)
        print(_fmt_engine(row), flush=True)
    return rows


ENGINE_HEADER = (
    "| graph | n | arcs | \\|Aut\\| | auto picks | nauty s | bliss s (asen) | raw igraph s | bliss / raw "
    "| nauty / bliss |"
)


def _fmt_engine(r: dict) -> str:
    nauty = "-" if r["nauty_s"] is None else f"{r['nauty_s']:.4g}"
    speed = "-" if r["nauty_s"] is None else f"{r['nauty_s'] / r['bliss_s']:.2g}x"
    skipped = "" if r["nauty_s"] is not None else f" (not run: {r['nauty_vertices']:,} encoded vertices)"
    order = r["order"] if r["order"] < 10**12 else f"~1e{math.log10(r['order']):.0f}"
    return (
        f"| {r['family']} | {r['n']:,} | {r['arcs']:,} | {order} | {r['auto']} | {nauty}{skipped} "
        f"| {r['bliss_s']:.4g} | {r['raw_s']:.4g} | {r['bliss_s'] / r['raw_s']:.2f}x | {speed} |"
    )


def engine_text(rows: list[dict], command: str, wall: float, nauty_max: int, repeat: int) -> str:
    import igraph

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    ratios = [r["bliss_s"] / r["raw_s"] for r in rows]
    worst = max(rows, key=lambda r: r["bliss_s"] / r["raw_s"])
    big = [r for r in rows if r["n"] >= 1000]
    worst_big = max(big, key=lambda r: r["bliss_s"] / r["raw_s"]) if big else worst
    machine = (
        f"Machine: Python {platform.python_version()}, igraph {igraph.__version__}, {os.cpu_count()} CPUs "
        f"({platform.machine()}), load average {load:.1f} at the start. Command: `{command}`. Seconds, "
        f"wall clock, best of {repeat} (bliss and raw interleaved; one run of an engine where it takes over 1 s; nauty "
        f"not run past {nauty_max:,} encoded vertices)."
    )
    big_ratio = worst_big["bliss_s"] / worst_big["raw_s"]
    closing = (
        f"asen's bliss against the raw igraph call: {min(ratios):.2f}x to {max(ratios):.2f}x (worst: "
        f"{worst['family']}, n = {worst['n']:,}; from n = 1000 at most {big_ratio:.2f}x). Whole run {wall:.0f} s."
    )
    table = [ENGINE_HEADER, "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|", *map(_fmt_engine, rows)]
    return "\n".join([machine, "", *table, "", closing])


def update_readme(text: str) -> None:
    current = README.read_text()
    if START not in current or END not in current:
        raise SystemExit(f"{README} has no {START} ... {END} block to rewrite")
    head, rest = current.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    print(f"updated {README}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1024, 2304, 4096], help="vertex counts (squares for grids)"
    )
    parser.add_argument("--families", nargs="+", default=["grid", "torus", "cubic"], choices=FAMILIES)
    parser.add_argument("--seed", type=int, default=0, help="seed of the random cubic graphs")
    parser.add_argument("--repeat", type=int, default=5, help="best of this many runs for the small graphs")
    parser.add_argument("--skip-small", action="store_true", help="skip the networkx comparison")
    parser.add_argument("--skip-large", action="store_true", help="skip part 1 (nauty on the families)")
    parser.add_argument(
        "--engines", action="store_true", help="part 3: nauty, bliss and the raw igraph floor"
    )
    parser.add_argument(
        "--engine-sizes", type=int, nargs="+", default=[1024, 4096, 16384], help="part 3 sizes"
    )
    parser.add_argument(
        "--nauty-max", type=int, default=8192, help="part 3: skip nauty past this many encoded vertices"
    )
    parser.add_argument("--update-readme", action="store_true", help="rewrite part 3's block of the README")
    parser.add_argument(
        "--no-invariants",
        action="store_true",
        help="switch off the closed-walk vertex invariants of both engines (to see what they save)",
    )
    args = parser.parse_args(argv)
    if args.no_invariants:
        walk_invariants.WALK_MIN_VERTICES = bliss_encoding.WALK_MIN_VERTICES = 1 << 62
    started = time.perf_counter()
    import scipy.sparse  # noqa: F401  (the walk counts' import stays out of the timings)

    automorphism_report(nx.cycle_graph(200))  # warm-up: the engines' imports stay out of the timings
    if not args.skip_large:
        print("nauty automorphism groups (seconds; encode = checks + encoding + hub invariants)")
        print(
            f"{'family':<7} {'n':>6} {'edges':>7} {'nauty_N':>8} {'encode':>9} {'nauty':>9} {'order()':>9} {'total':>9}  |Aut|"
        )
        large_rows(args.families, args.sizes, args.seed)
    if not args.skip_small:
        print(
            f"\nsmall graphs: asen (nauty + exact order) vs networkx GraphMatcher counting automorphisms, best of {args.repeat}"
        )
        print(f"{'graph':<14} {'n':>4} {'|Aut|':>6} {'asen ms':>10} {'networkx ms':>12} {'ratio':>9}")
        small_rows(args.repeat)
    if args.engines:
        automorphism_report(nx.cycle_graph(200), engine="bliss")  # warm-up: igraph's core
        import igraph  # the raw floor's import stays out of its timings

        print(f"\nboth engines and the raw igraph call (igraph {igraph.__version__})")
        print(ENGINE_HEADER)
        rows = engine_rows(args.engine_sizes, args.seed, max(1, args.repeat), args.nauty_max)
        command = " ".join(
            [".venv/bin/python benchmarks/bench_automorphisms.py", *(sys.argv[1:] if argv is None else argv)]
        )
        text = engine_text(rows, command, time.perf_counter() - started, args.nauty_max, max(1, args.repeat))
        print(text)
        if args.update_readme:
            update_readme(text)


if __name__ == "__main__":
    main()
