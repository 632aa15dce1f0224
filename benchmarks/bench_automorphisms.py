"""Benchmark nauty automorphism groups (asen.groups.automorphisms) and compare with networkx's VF2.

Part 1: for each family and size, seconds spent in input checks + encoding (including the closed-walk
hub invariants), in nauty, and in Schreier--Sims for the exact order. Families: ``grid`` (P_m x P_m),
``torus`` (C_m x C_m), ``cubic`` (random 3-regular graph, networkx, fixed seed) and ``dtorus`` (the
Cayley digraph of Z_m x Z_m with arcs +e1, +e2: the directed encoding, 3n vertices for nauty).

Part 2: small graphs, our automorphism group and exact order against counting automorphisms with
``GraphMatcher(G, G).isomorphisms_iter()``; the ratio is networkx time / our time, from one run.

Run: ``.venv/bin/python benchmarks/bench_automorphisms.py [--sizes 1024 2304 4096] [--families ...]``
"""

from __future__ import annotations

import argparse
import math
import time

import networkx as nx
from networkx.algorithms.isomorphism import DiGraphMatcher, GraphMatcher

from asen.groups import nauty_encoding
from asen.groups.automorphisms import automorphism_group, automorphism_report

FAMILIES = ("grid", "torus", "cubic", "dtorus")


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
            rep = automorphism_report(g)
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1024, 2304, 4096], help="vertex counts (squares for grids)"
    )
    parser.add_argument("--families", nargs="+", default=["grid", "torus", "cubic"], choices=FAMILIES)
    parser.add_argument("--seed", type=int, default=0, help="seed of the random cubic graphs")
    parser.add_argument("--repeat", type=int, default=5, help="best of this many runs for the small graphs")
    parser.add_argument("--skip-small", action="store_true", help="skip the networkx comparison")
    parser.add_argument(
        "--no-invariants",
        action="store_true",
        help="switch off the closed-walk hub invariants (to see what they save)",
    )
    args = parser.parse_args(argv)
    if args.no_invariants:
        nauty_encoding._WALK_MIN_VERTICES = 1 << 62
    automorphism_report(nx.cycle_graph(200))  # warm-up: imports (scipy.sparse) stay out of the timings
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


if __name__ == "__main__":
    main()
