"""Exact mode on every non-2-closed transitive group of degree <= 12 (GAP's library, 343 groups).

Reads tests/data/transitive_groups.json (written by benchmarks/gap_transitive_census.g), runs
``symmetry_breaking_input(G, mode="exact")`` with the default budget and prints, per group, whether the
certificate is exact, the auxiliary G-set used and the time; then a summary per degree. ``--mode sparse``
certifies the pruned inputs instead (frames up to ``DEFAULT_SPARSE_FRAMES`` elements) and also reports
their arcs and point rounds; ``--min-order``/``--max-order`` select groups by order.

    .venv/bin/python benchmarks/exact_census.py [--max-degree 12] [--mode sparse --min-order 65 --max-order 720]
        [--csv results/exact_census.csv]
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from asen.breaking import symmetry_breaking_input
from asen.groups import PermGroup

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "transitive_groups.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-degree", type=int, default=2)
    parser.add_argument("--max-degree", type=int, default=12)
    parser.add_argument("--mode", choices=("exact", "sparse"), default="exact")
    parser.add_argument("--min-order", type=int, default=1)
    parser.add_argument("--max-order", type=int, default=None)
    parser.add_argument("--csv", type=Path, default=None)
    args = parser.parse_args()
    rows = []
    for entry in json.loads(DATA.read_text()):
        d = entry["degree"]
        if not args.min_degree <= d <= args.max_degree or entry["order"] == entry["closure_order"]:
            continue
        if entry["order"] < args.min_order or (args.max_order is not None and entry["order"] > args.max_order):
            continue
        G = PermGroup([np.array(g) - 1 for g in entry["generators"]], d)
        start = time.perf_counter()
        inp = symmetry_breaking_input(G, mode=args.mode)
        seconds = time.perf_counter() - start
        row = {
            "group": f"T{d}_{entry['index']}",
            "degree": d,
            "order": entry["order"],
            "closure_order": entry["closure_order"],
            "exact": inp.exact,
            "achieved_order": inp.certificate.achieved_order,
            "aux_vertices": inp.num_aux,
            "aux": inp.aux_description,
            "arcs": inp.num_edges,
            "point_rounds": inp.certificate.visibility.worst_point,
            "seconds": round(seconds, 3),
        }
        rows.append(row)
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    by_degree: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_degree[r["degree"]].append(r)
    print("\n| degree | non-2-closed | realised exactly | largest |Y| | median s | max s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for d, rs in sorted(by_degree.items()):
        secs = sorted(r["seconds"] for r in rs)
        print(f"| {d} | {len(rs)} | {sum(r['exact'] for r in rs)} | {max(r['aux_vertices'] for r in rs)} | "
              f"{secs[len(secs) // 2]:.2f} | {secs[-1]:.1f} |")
    rounds = defaultdict(int)
    for r in rows:
        rounds[r["point_rounds"] if r["point_rounds"] is not None else "never"] += 1
    print(f"\nexact {sum(r['exact'] for r in rows)} of {len(rows)}; point rounds {dict(rounds)}; "
          f"frames {sum('frames' in r['aux'] for r in rows)}; total {sum(r['seconds'] for r in rows):.0f} s")
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        with args.csv.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
