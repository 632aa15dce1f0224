"""Past one machine: batch certification on 1 vs 2 Dask workers, and DDP samples/s on 1 vs 2 processes.

1. GAP's transitive groups (``tests/data/transitive_groups.json``, 474 of degree <= 12) in exact mode
   through :func:`asen.breaking.certify_batch` on a Dask ``LocalCluster`` of 1 and then 2 worker
   processes (one thread each), each into a fresh folder; wall times, their ratio (target <= 0.6), and
   whether every certified file holds the same input and certificate in both runs.
   The certified files also give the census of the *default* inputs (visible search, ``max_growth=2``):
   per degree, how many are exact, visible and after how many colour-refinement rounds (read from each
   file's certificate, nothing recomputed).
2. ``experiments/distributed_example.py`` under ``torchrun`` with 1 and 2 gloo processes: samples/s.

    .venv/bin/python benchmarks/bench_batch.py [--max-degree 12] [--limit N] [--steps 20] [--skip-ddp]
        [--keep DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from asen.breaking import certify_batch, load

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "transitive_groups.json"


def groups(max_degree: int, limit: int | None) -> list[dict]:
    entries = [e for e in json.loads(DATA.read_text()) if e["degree"] <= max_degree]
    entries = entries[:limit] if limit else entries
    return [{"name": f"T{e['degree']}_{e['index']}", "degree": e["degree"],
             "generators": [[p - 1 for p in g] for g in e["generators"]]} for e in entries]  # fmt: skip


def dask_run(jobs: list[dict], workers: int, out: Path) -> tuple[float, object]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, Client(cluster) as client:
        client.run(lambda: __import__("asen.breaking.realise"))  # imports before the clock
        start = time.perf_counter()
        summary = certify_batch(jobs, out, client=client)
        return time.perf_counter() - start, summary


def same_files(a: Path, b: Path, names: list[str]) -> int:
    """How many groups differ between the two folders (arrays and certificate)."""
    bad = 0
    for name in names:
        x, y = load(a / f"{name}.npz"), load(b / f"{name}.npz")
        same = (np.array_equal(x.vertex_colors, y.vertex_colors) and np.array_equal(x.edge_index, y.edge_index)
                and np.array_equal(x.edge_colors, y.edge_colors)
                and x.certificate.achieved_order == y.certificate.achieved_order
                and x.certificate.exact == y.certificate.exact)  # fmt: skip
        bad += not same
    return bad


def census(folder: Path, summary) -> list[str]:
    """Markdown rows per degree: groups, exact, not 2-closed (aux vertices > 0), visible, rounds, largest |Y|."""
    by_degree: dict[int, Counter] = defaultdict(Counter)
    rounds: dict[int, Counter] = defaultdict(Counter)
    largest: dict[int, int] = defaultdict(int)
    for row in summary.rows:
        c, d = by_degree[row["degree"]], row["degree"]
        c["groups"] += 1
        if not row["file"]:
            continue
        inp = load(folder / row["file"])
        c["exact"] += bool(inp.exact)
        if inp.num_aux:
            c["aux"] += 1
            largest[d] = max(largest[d], inp.num_aux)
            vis = inp.certificate.visibility
            c["visible"] += bool(vis is not None and vis.visible)
            rounds[d]["never" if vis is None or not vis.visible else vis.worst_point] += 1
    lines = ["| degree | groups | exact | with auxiliary vertices | of those visible | point rounds needed | largest \\|Y\\| |",
             "|---:|---:|---:|---:|---:|---|---:|"]  # fmt: skip
    for d in sorted(by_degree):
        c = by_degree[d]
        r = ", ".join(f"{k}: {v}" for k, v in sorted(rounds[d].items(), key=lambda kv: (kv[0] == "never", str(kv[0]))))
        lines.append(f"| {d} | {c['groups']} | {c['exact']} | {c['aux']} | {c['visible']} | {r} | {largest[d]} |")
    return lines


def ddp(procs: int, steps: int) -> dict:
    script = ROOT / "experiments" / "distributed_example.py"
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(procs), "--master-port",
           str(29500 + procs), str(script), "--distributed", "--steps", str(steps), "--json"]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-degree", type=int, default=12)
    parser.add_argument("--limit", type=int, default=None, help="only the first N groups")
    parser.add_argument("--steps", type=int, default=20, help="DDP steps (after one warm-up step)")
    parser.add_argument("--skip-ddp", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="write the two runs' folders under DIR (w1, w2)")
    parser.add_argument("--json", type=Path, default=None, help="also write both runs' rows and times as JSON")
    parser.add_argument("--one-worker-from", type=Path, default=None, metavar="DIR",
                        help="take the 1-worker run from a folder a previous --keep run wrote (DIR/w1), run 2 only")
    args = parser.parse_args()
    if args.keep and any((args.keep / w).exists() for w in ("w1", "w2")):
        parser.error(f"--keep {args.keep}: w1/ or w2/ already exists there (the runs would resume, not redo)")
    print(
        f"Machine: Python {platform.python_version()}, {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}"
    )
    if not args.skip_batch:
        jobs = groups(args.max_degree, args.limit)
        with tempfile.TemporaryDirectory() as scratch:
            tmp = args.keep or Path(scratch)
            if args.one_worker_from:  # its batch_summary.json: the wall time of certify_batch and the rows
                one = args.one_worker_from / "w1"
                stored = json.loads((one / "batch_summary.json").read_text())
                if [r["name"] for r in stored["rows"]] != [j["name"] for j in jobs]:
                    parser.error(f"--one-worker-from {one}: it holds other groups than this run")
                t1, s1 = stored["seconds"], SimpleNamespace(rows=stored["rows"], counts=stored["counts"])
            else:
                one = tmp / "w1"
                t1, s1 = dask_run(jobs, 1, one)
            t2, s2 = dask_run(jobs, 2, tmp / "w2")
            names = [r["name"] for r in s1.rows if r["file"] and s2.rows[s1.rows.index(r)]["file"]]
            bad = same_files(one, tmp / "w2", names)
            table = census(tmp / "w2", s2)
        if args.json:
            args.json.write_text(json.dumps({"wall_s": [t1, t2], "rows_1": s1.rows, "rows_2": s2.rows}, indent=1))
        print(
            f"\nbatch certification, exact mode, {len(jobs)} transitive groups of degree <= {args.max_degree}\n"
        )
        print("| Dask workers | wall s | exact | overgroup | over budget | failed | timeout |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for w, t, s in ((1, t1, s1), (2, t2, s2)):
            c = s.counts
            print(
                f"| {w} | {t:.1f} | {c['exact']} | {c['overgroup']} | {c['over budget']} | {c['failed']} | {c['timeout']} |"
            )
        slowest = max(s1.rows, key=lambda r: r["seconds"] or 0)
        print(f"\n2 workers / 1 worker = {t2 / t1:.2f} (target <= 0.6); certificates differing between the runs: "
              f"{bad} of {len(names)}; slowest group {slowest['name']} {slowest['seconds']:.1f} s")  # fmt: skip
        print("\ndefault inputs (visible search, max_growth=2), from the certificates of the 2-worker run\n")
        print("\n".join(table))
    if not args.skip_ddp:
        print("\nDDP (gloo, CPU), experiments/distributed_example.py, global batch 64, width 64\n")
        print("| processes | samples/s | first loss | last loss |")
        print("|---:|---:|---:|---:|")
        for procs in (1, 2):
            r = ddp(procs, args.steps)
            print(f"| {procs} | {r['samples_per_s']} | {r['first_loss']} | {r['last_loss']} |")


if __name__ == "__main__":
    main()
