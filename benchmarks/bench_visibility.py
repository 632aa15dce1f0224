"""Visibility census: exact inputs of the non-2-closed transitive groups of degree <= 12 and colour refinement.

For every non-2-closed transitive group in ``tests/data/transitive_groups.json`` (GAP's library; 343 groups
up to degree 12) this script

1. builds the smallest exact input (``exact_input(G, visible=False)``, the search before visibility) and
   times it (``build_s``);
2. times :func:`asen.breaking.visibility` on it alone (``vis_s``; the target: all 343 in under a minute);
3. when that input is invisible, runs the default visible search (``exact_input(G)``) and records what it
   returns (``new_aux``, ``new_worst``; ``new_build_s``).

Building the inputs is nauty-bound and slow for a few degree-12 groups (A_12: 1848 oriented 6-subsets);
``--group-timeout`` skips a group whose build runs past it (reported, not hidden). Prints one line per
group, a census table, and with ``--update-readme`` rewrites its section of ``benchmarks/README.md``.

    .venv/bin/python benchmarks/bench_visibility.py [--max-degree 12] [--group-timeout 120] [--jobs 1]
        [--csv results/visibility_census.csv] [--update-readme]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "transitive_groups.json"
README = Path(__file__).with_name("README.md")
START, END = "<!-- bench_visibility:start -->", "<!-- bench_visibility:end -->"
HEADING = "## bench_visibility.py: can a colour-refinement model use the exact inputs? (visibility census)"
INTRO = """Command: `.venv/bin/python benchmarks/bench_visibility.py --update-readme` (options below). For every
non-2-closed transitive group of degree <= 12 (GAP's library, `tests/data/transitive_groups.json`) it
builds the smallest exact input (`exact_input(G, visible=False)`, the search before visibility), times
`asen.breaking.visibility` on it (probes: the generators of `G^(2)` outside `G` and 4 random elements of
`G^(2) \\ G`), and for the invisible ones runs the visible default search (`exact_input(G)`). "rounds" is
the first colour-refinement round after which `(v, x)` and `(v, h.x)` differ for every probe `h`;
"never" means the refinement became stable with some probe's copies equal. Target: the visibility
computation for all 343 groups in under a minute in total (building the inputs is timed separately)."""


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout


def run_group(entry: dict, timeout: float) -> dict:
    from asen.breaking import exact_input
    from asen.breaking.visibility import visibility
    from asen.groups import PermGroup

    d = entry["degree"]
    G = PermGroup([np.array(g) - 1 for g in entry["generators"]], d, name=f"T{d}_{entry['index']}")
    row = {"group": G.name, "degree": d, "order": entry["order"], "closure_order": entry["closure_order"]}
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        start = time.perf_counter()
        old = exact_input(G, visible=False)
        row["build_s"] = round(time.perf_counter() - start, 3)
        signal.setitimer(signal.ITIMER_REAL, 0)
        start = time.perf_counter()
        vis = visibility(old)
        row["vis_s"] = round(time.perf_counter() - start, 4)
        row.update(
            exact=old.exact, aux=old.num_aux, aux_description=old.aux_description, probes=vis.num_probes,
            worst=vis.worst, worst_point=vis.worst_point, decided=vis.decided,
            new_aux=old.num_aux, new_description=old.aux_description, new_worst=vis.worst, new_build_s=0.0,
        )  # fmt: skip
        if not vis.visible:
            signal.setitimer(signal.ITIMER_REAL, timeout)
            start = time.perf_counter()
            new = exact_input(G)
            row["new_build_s"] = round(time.perf_counter() - start, 3)
            signal.setitimer(signal.ITIMER_REAL, 0)
            nv = new.certificate.visibility
            row.update(new_aux=new.num_aux, new_description=new.aux_description, new_worst=nv.worst,
                       new_exact=new.exact)  # fmt: skip
        row["timed_out"] = False
    except Timeout:
        row["timed_out"] = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return row


def _fmt(x) -> str:
    return "never" if x is None else str(x)


def report(rows: list[dict], *, args: argparse.Namespace, wall: float) -> str:
    skipped = [r for r in rows if r["timed_out"] and "vis_s" not in r]
    lines = [
        (
            f"Machine: Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs "
            f"({platform.machine()}); {args.jobs} worker(s), "
            f"group timeout {args.group_timeout:g} s, degrees {args.min_degree}..{args.max_degree}."
        ),
        "",
        "Smallest exact input per group (the search before visibility) and its visibility:",
        "",
        (
            "| degree | groups | inputs built | visible | never | rounds 0 / 1 / 2 / 3 / 4+ | visibility s (total) | "
            "visibility s (max) | build s (total) |"
        ),
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    by_degree: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_degree[r["degree"]].append(r)
    for d, rs in sorted(by_degree.items()):
        ok = [r for r in rs if "vis_s" in r]
        hist = Counter(min(r["worst"], 4) for r in ok if r["worst"] is not None)
        lines.append(
            f"| {d} | {len(rs)} | {len(ok)} | {sum(r['worst'] is not None for r in ok)} | "
            f"{sum(r['worst'] is None for r in ok)} | {' / '.join(str(hist.get(k, 0)) for k in range(5))} | "
            f"{sum(r['vis_s'] for r in ok):.2f} | {max((r['vis_s'] for r in ok), default=0):.3f} | "
            f"{sum(r['build_s'] for r in ok):.0f} |"
        )
    built = [r for r in rows if "vis_s" in r]
    hist = Counter(r["worst"] if r["worst"] is None else min(r["worst"], 4) for r in built)
    lines += [
        "",
        f"**Total**: {len(built)} of {len(rows)} groups built; {sum(r['worst'] is not None for r in built)} "
        f"visible, {hist.get(None, 0)} never; rounds needed: "
        + ", ".join(f"{k if k != 4 else '4+'}: {hist.get(k, 0)}" for k in range(5))
        + f". Visibility time {sum(r['vis_s'] for r in built):.2f} s in total "
        f"(max {max((r['vis_s'] for r in built), default=0):.3f} s), building the inputs "
        f"{sum(r['build_s'] for r in built):.0f} s; whole run {wall:.0f} s wall.",
    ]
    invisible = [r for r in built if r["worst"] is None]
    if invisible:
        lines += [
            "",
            "Invisible smallest exact inputs and what the visible default (`exact_input(G)`) returns instead:",
            "",
            "| group | order | smallest exact (visible=False) | default (visible search) | rounds | search s |",
            "|---|---:|---|---|---:|---:|",
        ]
        for r in invisible:
            if r["timed_out"]:
                new, rounds = "(not finished within the timeout)", "-"
            else:
                new, rounds = f"{r['new_aux']}: {r['new_description']}", _fmt(r["new_worst"])
            lines.append(
                f"| {r['group']} | {r['order']} | {r['aux']}: {r['aux_description']} | {new} | {rounds} | "
                f"{r['new_build_s']:.1f} |"
            )
    if skipped:
        lines += ["", f"Not built within {args.group_timeout:g} s (skipped): "
                  + ", ".join(f"{r['group']} (order {r['order']})" for r in skipped) + "."]  # fmt: skip
    return "\n".join(lines)


def update_readme(text: str) -> None:
    current = README.read_text() if README.exists() else ""
    if START in current and END in current:
        head, rest = current.split(START, 1)
        _, tail = rest.split(END, 1)
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}")
    else:
        section = f"{HEADING}\n\n{INTRO}\n\n{START}\n{text}\n{END}\n"
        README.write_text(f"{current.rstrip()}\n\n{section}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-degree", type=int, default=2)
    parser.add_argument("--max-degree", type=int, default=12)
    parser.add_argument("--group-timeout", type=float, default=120.0, help="seconds per search (default 120)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--csv", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows (and wall time) as JSON")
    parser.add_argument(
        "--from-json", type=Path, default=None, metavar="PATH",
        help="rebuild the tables (and the README section) from a --json file of an earlier run, computing nothing",
    )  # fmt: skip
    parser.add_argument(
        "--update-readme", action="store_true", help=f"rewrite this script's section of {README}"
    )
    args = parser.parse_args()
    entries = [
        e for e in json.loads(DATA.read_text())
        if args.min_degree <= e["degree"] <= args.max_degree and e["order"] != e["closure_order"]
    ]  # fmt: skip
    if args.from_json:
        saved = json.loads(args.from_json.read_text())
        rows, wall = saved["rows"], saved["wall"]
        for key in ("jobs", "group_timeout", "min_degree", "max_degree"):
            setattr(args, key, saved["args"][key])
    else:
        start = time.perf_counter()
        rows = []
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            for row in pool.map(run_group, entries, [args.group_timeout] * len(entries)):
                rows.append(row)
                print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        wall = time.perf_counter() - start
    text = report(rows, args=args, wall=wall)
    print("\n" + text)
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted({k for r in rows for k in r})
        with args.csv.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=keys)
            writer.writeheader()
            writer.writerows(rows)
    if args.json:
        keep = {k: getattr(args, k) for k in ("jobs", "group_timeout", "min_degree", "max_degree")}
        args.json.write_text(json.dumps({"rows": rows, "wall": wall, "args": keep}, indent=1))
    if args.update_readme:
        update_readme(text)


if __name__ == "__main__":
    main()
