"""The exact search on large groups: vectorised orbits of k-subsets, and the kinds past the first pass.

Part 1 times :func:`asen.breaking.tuple_orbits` (every object enumerated, orbits as the connected components
of the generators' arcs) against a breadth-first reference (the orbit of each unvisited object in Python
sets, asen's implementation until session 20) on the same objects, in one run; both must give the same
orbit sizes. Part 2 runs :func:`asen.breaking.exact_input` with the defaults and with the first pass alone
(``max_objects`` at the first pass's cap, ``min(200,000, 50 x budget)``: the search before session 20),
reporting the input each finds and its wall time::

    .venv/bin/python benchmarks/bench_search.py [--update-readme]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np

from asen.breaking import DEFAULT_BUDGET, exact_input, tuple_orbits
from asen.breaking.auxiliary import FIRST_PASS_OBJECTS
from asen.breaking.gsets import _orbit_of
from asen.groups import PermGroup, spec

README = Path(__file__).with_name("README.md")
START, END = "<!-- bench_search:start -->", "<!-- bench_search:end -->"
#: (group spec, k, kind) of part 1
ORBIT_CASES = [
    ("mathieu(11)", 5, "subsets"),
    ("mathieu(22)", 7, "subsets"),
    ("mathieu(23)", 7, "subsets"),
    ("alternating(12)", 6, "oriented"),
    ("mathieu(24)", 8, "subsets"),
]
SEARCH_CASES = ["mathieu(11)", "mathieu(12)", "mathieu(22)", "mathieu(23)", "mathieu(24)", "psl2(19)",
                "psl2(23)", "affine_line(23)"]  # fmt: skip


def breadth_first_orbits(group: PermGroup, k: int, kind: str) -> list[int]:
    """Orbit sizes by the previous algorithm: a set of every object, then the breadth-first orbit of the
    smallest unvisited one."""
    from itertools import combinations

    n = group.degree
    source = combinations(range(n), k)
    remaining = {t + (o,) for t in source for o in (0, 1)} if kind == "oriented" else set(source)
    sizes = []
    for t in sorted(remaining):
        if t not in remaining:
            continue
        members = _orbit_of(group, np.array(t), kind)
        remaining.difference_update(map(tuple, members.tolist()))
        sizes.append(len(members))
    return sorted(sizes)


def orbit_rows() -> list[str]:
    rows = []
    for name, k, kind in ORBIT_CASES:
        G = spec.parse(name)
        t0 = time.perf_counter()
        fast = tuple_orbits(G, k, kind=kind, max_objects=10**6)
        t1 = time.perf_counter()
        ref = breadth_first_orbits(G, k, kind)
        t2 = time.perf_counter()
        sizes = sorted(o.size for o in fast)
        if sizes != ref:
            raise SystemExit(f"{name}: the two algorithms disagree on the orbits of {kind} of size {k}")
        noun = f"oriented {k}-subsets" if kind == "oriented" else f"{k}-subsets"
        rows.append(f"| `{name}` | {noun} | {sum(sizes):,} | {len(sizes)} | {sizes[0]:,} | {t1 - t0:.3f} | "
                    f"{t2 - t1:.2f} | {(t2 - t1) / (t1 - t0):.1f}x |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


def search_rows() -> list[str]:
    rows = []
    for name in SEARCH_CASES:
        G = spec.parse(name)
        out = []
        for max_objects in (min(FIRST_PASS_OBJECTS, 50 * DEFAULT_BUDGET), None):
            t0 = time.perf_counter()
            inp = exact_input(G) if max_objects is None else exact_input(G, max_objects=max_objects)
            out.append((inp, time.perf_counter() - t0))
        (first, t_first), (full, t_full) = out
        exact = "yes" if full.exact else "no"
        rows.append(f"| `{name}` | {G.degree} | {first.num_aux:,} ({first.aux_description}) | {t_first:.1f} | "
                    f"{full.num_aux:,} ({full.aux_description}) | {t_full:.1f} | {exact} |")  # fmt: skip
        print(rows[-1], flush=True)
    return rows


def report() -> str:
    start = time.perf_counter()
    machine = (f"Machine: Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
               f"load average {os.getloadavg()[0]:.1f} at the start. Wall seconds, one process.")  # fmt: skip
    orbits = orbit_rows()
    search = search_rows()
    return "\n".join([
        machine, "",
        "| group | objects | count | orbits | smallest orbit | vectorised (s) | breadth-first (s) | ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|", *orbits, "",
        "| group | n | first pass alone: input | s | default: input | s | exact |",
        "|---|---:|---|---:|---|---:|:---:|", *search, "",
        f"Whole run {time.perf_counter() - start:.0f} s.",
    ])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update-readme", action="store_true",
                        help=f"rewrite this script's block of {README}")  # fmt: skip
    args = parser.parse_args()
    text = report()
    print(text)
    if args.update_readme:
        current = README.read_text()
        if START not in current or END not in current:
            raise SystemExit(f"{README} has no {START} ... {END} block to rewrite")
        head, rest = current.split(START, 1)
        README.write_text(f"{head}{START}\n{text}\n{END}{rest.split(END, 1)[1]}")


if __name__ == "__main__":
    main()
