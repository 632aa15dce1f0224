"""Benchmark of certified symmetry-breaking inputs (issue 3): orbitals and certification, p4m on m x m tori.

Two tables, all numbers from one run of this script. Times are CPU seconds of the measuring process
(``time.process_time``; everything measured is single-threaded), which match wall time on an idle core and
stay meaningful on a shared machine; limits are CPU limits (``RLIMIT_CPU``) for the same reason.

1. ``orbitals(G)`` (the ``n x n`` orbital-id matrix, ``n = m^2``) against

   * the *reference*: lift the generators to the ``n^2`` ordered pairs and ask sympy for the orbits
     (``PermutationGroup(...).orbits()``; lifting is inside the timing), run in a subprocess with a CPU
     limit (``--reference-timeout``) and a memory limit, reported as ``>= T`` when it runs out;
   * the *floor*: a plain numpy gather of the same size, ``table[rows[:, None], idx]`` with ``table``
     and ``idx`` two ``n x n`` int arrays (prepared outside the timing).

   "cold" builds a fresh ``p4m(m)`` inside the timing (stabiliser chain from the catalogue's order
   hint); "warm" asks again for the orbitals of the same group object. The reference's orbit count is
   checked against the number of orbital ids.
2. Certification: ``symmetry_breaking_input(G, mode="sparse")`` (search + its own certificate, engine
   ``auto``) and independent certificates ``certify(inp, engines="bliss")`` and ``certify(inp,
   engines="nauty")``, each size in a subprocess limited to ``--certify-limit`` CPU seconds (plus
   start-up; nauty in a process of its own), and the largest ``n`` certified within that limit. Sizes
   above one that ran out of time are not run. Beside them, the floor: asen's bliss engine
   (``run_engine(cg, "bliss")``) on the input's coloured graph against igraph itself on the very graph
   asen hands to bliss (``Graph(n, edges)``, ``automorphism_group``, ``count_automorphisms``), and
   ``bliss / raw``, the overhead (target: within 3x).
3. Whole commands, wall clock: ``asen break SPEC --mode sparse --json`` for the issue-13 targets
   (``p4m(64)`` and ``torus_translations(64,64)`` <= 2 s, ``p4m(128)`` <= 20 s).

Run from the repository root::

    .venv/bin/python benchmarks/bench_breaking.py                  # print the tables
    .venv/bin/python benchmarks/bench_breaking.py --update-readme  # also rewrite its section of the README
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from asen.breaking import certify, orbitals, symmetry_breaking_input
from asen.groups import as_group, p4m

README = Path(__file__).with_name("README.md")
START, END = "<!-- bench_breaking:start -->", "<!-- bench_breaking:end -->"
SIZES = (8, 16, 32, 64)
CERTIFY_SIZES = (8, 16, 32, 64, 96, 128)
COMMAND_TARGETS = (("p4m(64)", 2.0), ("torus_translations(64,64)", 2.0), ("p4m(128)", 20.0))
STARTUP_SLACK = 10.0  # CPU seconds a worker may spend starting Python and importing asen
WALL_FACTOR = 6  # wall-clock guard on a worker: this many times its CPU allowance
REFERENCE_MEMORY = 6 << 30  # address-space limit of a sympy worker (bytes)
ORBITALS_HEADER = (
    "| torus | n | pairs n² | orbitals | orbitals, cold (s) | orbitals, warm (s) | numpy gather floor (s) "
    "| cold / floor | lift + sympy (s) | sympy / cold |"
)
CERTIFY_HEADER = (
    "| torus | n | sparse input + certificate, auto (s) | engine | certify, bliss (s) | certify, nauty (s) "
    "| bliss in asen (s) | raw igraph (s) | bliss / raw | exact | aux | arc colours | arcs | within limit |"
)
CERTIFY_RULE = "|---|---:|---:|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|:---:|"


# ----------------------------------------------------------------------------- orbitals (in process)
HEADING = "## bench_breaking.py: orbitals and certified symmetry-breaking inputs (issue 3)"
INTRO = """\
Command (about 5 minutes of CPU, most of it sympy and the runs stopped at their limit):

```
.venv/bin/python benchmarks/bench_breaking.py --update-readme
```

What it measures, p4m on m x m tori (n = m² points, m = 8, 16, 32, 64; certification up to 128), all in
the same run:

* **`orbitals(G)`**, the n x n orbital-id matrix, "cold" (a fresh group: the stabiliser chain is built
  inside the timing) and "warm", against the **lift-and-sympy reference** (the generators lifted to the
  n² ordered pairs, `PermutationGroup(...).orbits()`, in a subprocess stopped at 60 s of CPU or 6 GiB;
  its orbit count is checked against ours) and a **numpy gather floor** of the same size
  (`table[rows[:, None], idx]` on two n x n int arrays). Target: n = 4096 in under 0.5 s.
* **certification**: `symmetry_breaking_input(G, mode="sparse")` (greedy arc classes, certified with
  the `auto` engine) plus independent certificates with bliss and with nauty, one process per size
  (m up to 128), stopped at 60 s of CPU; sizes above one that ran out are not run. Reported: the
  largest n certified in 60 s, and asen's bliss engine against the raw igraph call on the same graph.
* **whole commands**: `asen break SPEC --mode sparse --json`, wall clock, for the issue-13 targets.

Times are CPU seconds of the measuring process (`time.process_time`; everything timed is
single-threaded): on an idle core they equal wall time, and they stay meaningful on the shared
development machine (load average 5 to 13 on 2 cores while these numbers were taken)."""


def time_orbitals(m: int, repeats: int) -> dict:
    """Median cold / warm ``orbitals`` and numpy-floor times, and the number of orbitals."""
    n = m * m
    rng = np.random.default_rng(m)
    table = rng.integers(0, 2**31 - 1, size=(n, n), dtype=np.int32)
    rows = rng.permutation(n)
    idx = (np.arange(n)[None, :] + rng.integers(0, n, size=(n, 1))) % n
    orbitals(p4m(m))  # warm-up: imports, allocator
    table[rows[:, None], idx]
    cold, warm, floor = [], [], []
    for _ in range(repeats):
        t0 = clock()
        G = p4m(m)
        mat = orbitals(G)
        t1 = clock()
        orbitals(G)
        t2 = clock()
        cold.append(t1 - t0)
        warm.append(t2 - t1)
        floor.append(_per_call(lambda: table[rows[:, None], idx]))
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "floor": statistics.median(floor),
        "orbitals": int(mat.max()) + 1,
    }


def _per_call(fn: Callable[[], object], *, min_seconds: float = 0.05) -> float:
    """Seconds per call of ``fn``, averaged over enough calls to fill ``min_seconds`` (timer resolution)."""
    calls, total = 0, 0.0
    while total < min_seconds:
        t0 = clock()
        fn()
        total += clock() - t0
        calls += 1
    return total / calls


# ----------------------------------------------------------------------------- workers (subprocesses)
def reference_worker(m: int) -> None:
    """Lift-and-sympy: orbits of ``G`` acting on the ``n^2`` pairs; prints one JSON line."""
    resource.setrlimit(resource.RLIMIT_AS, (REFERENCE_MEMORY, REFERENCE_MEMORY))
    from sympy.combinatorics import Permutation, PermutationGroup

    gens = p4m(m).generators
    n = gens.shape[1]
    t0 = clock()
    lifted = [(g[:, None] * n + g[None, :]).ravel().tolist() for g in gens]  # (i, j) -> (g[i], g[j])
    S = PermutationGroup([Permutation(p) for p in lifted])
    count = len(S.orbits())
    print(json.dumps({"seconds": clock() - t0, "orbits": count}))


def certify_worker(m: int) -> None:
    """Sparse certified input, an independent bliss certificate and the raw floor; prints one JSON line."""
    from bench_automorphisms import raw_bliss

    from asen.groups.bliss_encoding import bliss_encoding
    from asen.groups.colored_graph import colored_graph
    from asen.groups.engines import run_engine

    G = p4m(m)
    G.order()
    t0 = clock()
    inp = symmetry_breaking_input(G, mode="sparse")
    t1 = clock()
    cert = certify(inp, engines="bliss")
    t2 = clock()
    cg = colored_graph(arcs=inp.arc_arrays(), vertex_colors=inp.vertex_colors)
    runs = [run_engine(cg, "bliss") for _ in range(3)]
    ours = min(r.encode_seconds + r.search_seconds for r in runs)  # wall seconds, like the floor
    floor = min(raw_bliss(bliss_encoding(cg))[0] for _ in range(3))
    print(
        json.dumps(
            {
                "build": t1 - t0,
                "certify": t2 - t1,
                "engine": ",".join(inp.certificate.engines),
                "exact": bool(cert.exact and inp.exact),
                "aut_order": str(cert.achieved_order),
                "aux": inp.num_aux,
                "colours": int(np.unique(inp.edge_colors).size),
                "edges": inp.num_edges,
                "bliss_engine": ours,
                "raw_bliss": floor,
            }
        )
    )


def certify_nauty_worker(m: int) -> None:
    """The same sparse input, then an independent certificate with nauty; prints one JSON line."""
    inp = symmetry_breaking_input(p4m(m), mode="sparse")
    t0 = clock()
    cert = certify(inp, engines="nauty")
    print(json.dumps({"certify": clock() - t0, "exact": bool(cert.exact)}))


def command_seconds(spec: str) -> tuple[float, bool]:
    """Wall seconds of ``asen break SPEC --mode sparse --json`` (the whole command) and whether it was exact."""
    asen = Path(sys.executable).with_name("asen")
    t0 = time.perf_counter()
    done = subprocess.run([str(asen), "break", spec, "--mode", "sparse", "--json"], capture_output=True,
                          text=True, timeout=600, check=True)  # fmt: skip
    seconds = time.perf_counter() - t0
    return seconds, bool(json.loads(done.stdout.splitlines()[0])["exact"])


def run_worker(kind: str, m: int, cpu_limit: float) -> dict:
    """The worker's JSON; ``{"timeout": True}`` or ``{"error": ...}`` when it did not finish.

    The worker may use ``cpu_limit`` CPU seconds plus start-up, read from ``/proc/<pid>/stat`` twice a
    second (an ``RLIMIT_CPU`` would coarsen the worker's own ``process_time`` to scheduler ticks), and, for
    the sympy reference, ``REFERENCE_MEMORY`` bytes of address space; a wall-clock guard of
    ``WALL_FACTOR`` times the CPU allowance catches a worker starved by other processes.
    """
    allowance = cpu_limit + STARTUP_SLACK
    cmd = [sys.executable, __file__, "--worker", kind, str(m)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.perf_counter()
    while True:
        try:
            out, err = proc.communicate(timeout=0.5)
            break
        except subprocess.TimeoutExpired:
            over_cpu = _cpu_seconds(proc.pid) > allowance
            if over_cpu or time.perf_counter() - started > WALL_FACTOR * allowance:
                proc.kill()
                proc.communicate()
                return {"timeout": True, "wall": not over_cpu}
    if proc.returncode != 0:
        last = (err.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        return {"error": last}
    return json.loads(out.strip().splitlines()[-1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


# ----------------------------------------------------------------------------- report
def fmt(seconds: float) -> str:
    return f"{seconds:.3g}" if seconds < 10 else f"{seconds:.1f}"


def orbitals_table(sizes, repeats: int, timeout: float, log: Callable[[str], None]) -> tuple[list[str], list]:
    rows = [ORBITALS_HEADER, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    raw = []
    for m in sizes:
        n = m * m
        log(f"orbitals: p4m({m}), n = {n} ...")
        ours = time_orbitals(m, repeats)
        log(f"reference: p4m({m}) lifted to {n * n:,} pairs (limit {timeout:.0f} s) ...")
        ref = run_worker("reference", m, timeout)
        if "seconds" in ref:
            assert ref["orbits"] == ours["orbitals"], (m, ref, ours)
            ref_s, ratio = fmt(ref["seconds"]), f"{ref['seconds'] / ours['cold']:,.0f}x"
        elif ref.get("timeout"):
            ref_s, ratio = f">= {timeout:.0f} (stopped)", f">= {timeout / ours['cold']:,.0f}x"
        else:
            ref_s, ratio = f"failed: {ref['error'][:60]}", "-"
        rows.append(
            f"| {m}x{m} | {n} | {n * n:,} | {ours['orbitals']} | {fmt(ours['cold'])} | {fmt(ours['warm'])} "
            f"| {fmt(ours['floor'])} | {ours['cold'] / ours['floor']:.1f}x | {ref_s} | {ratio} |"
        )
        raw.append({"m": m, "n": n, **ours, "reference": ref})
    return rows, raw


def certify_table(sizes, limit: float, log: Callable[[str], None]) -> tuple[list[str], list, int | None]:
    rows = [CERTIFY_HEADER, CERTIFY_RULE]
    raw, largest, exceeded = [], None, None
    dashes = " - |" * 11
    for m in sorted(sizes):
        n = m * m
        if exceeded is not None:
            rows.append(
                f"| {m}x{m} | {n} | not run: n = {exceeded} already exceeded the limit |{dashes} **no** |"
            )
            raw.append({"m": m, "n": n, "skipped": True})
            continue
        log(f"certify: p4m({m}), n = {n} (limit {limit:.0f} s) ...")
        r = run_worker("certify", m, limit)
        if "build" in r:
            log(f"certify with nauty: p4m({m}), n = {n} (limit {limit:.0f} s) ...")
            nauty = run_worker("certify-nauty", m, limit)
            r["nauty"] = nauty
            if "certify" in nauty:
                nauty_s = fmt(nauty["certify"]) + ("" if nauty["exact"] == r["exact"] else " (**differs**)")
            else:
                nauty_s = (
                    f">= {limit:.0f} (stopped)" if nauty.get("timeout") else f"failed: {nauty['error'][:40]}"
                )
            total = r["build"] + r["certify"]
            ok = r["exact"] and total <= limit
            if ok:
                largest = n if largest is None else max(largest, n)
            rows.append(
                f"| {m}x{m} | {n} | {fmt(r['build'])} | {r['engine']} | {fmt(r['certify'])} | {nauty_s} "
                f"| {fmt(r['bliss_engine'])} | {fmt(r['raw_bliss'])} | {r['bliss_engine'] / r['raw_bliss']:.2f}x "
                f"| {'yes' if r['exact'] else '**no**'} | {r['aux']} | {r['colours']} | {r['edges']:,} "
                f"| {'yes' if ok else '**no**'} |"
            )
            if total > limit:
                exceeded = n
        else:
            what = f">= {limit:.0f} (stopped)" if r.get("timeout") else f"failed: {r['error'][:60]}"
            rows.append(f"| {m}x{m} | {n} | {what} |{dashes} **no** |")
            exceeded = n if r.get("timeout") else exceeded
        raw.append({"m": m, "n": n, **r})
    return rows, raw, largest


def command_table(log: Callable[[str], None]) -> tuple[list[str], list]:
    rows = [
        "| command | n | whole command, wall (s) | target (s) | exact | met |",
        "|---|---:|---:|---:|:---:|:---:|",
    ]
    raw = []
    for spec, target in COMMAND_TARGETS:
        log(f"command: asen break {spec!r} --mode sparse --json ...")
        seconds, exact = command_seconds(spec)
        n = as_group(spec).degree
        ok = seconds <= target and exact
        rows.append(
            f'| `asen break "{spec}" --mode sparse --json` | {n:,} | {fmt(seconds)} | {target:g} | {"yes" if exact else "**no**"} | {"yes" if ok else "**no**"} |'
        )
        raw.append({"spec": spec, "n": n, "seconds": seconds, "target": target, "exact": exact})
    return rows, raw


def summary(orb_raw: list, timeout: float) -> str:
    """One sentence per size range: orbitals against the floor and the reference (the closing note)."""
    parts = []
    for r in orb_raw:
        ref = r["reference"]
        if "seconds" in ref:
            versus = f"lift-and-sympy {ref['seconds'] / r['cold']:,.0f}x slower"
        elif ref.get("timeout"):
            versus = f"lift-and-sympy >= {timeout / r['cold']:,.0f}x slower (stopped at {timeout:.0f} s)"
        else:
            versus = "lift-and-sympy failed"
        parts.append(
            f"n = {r['n']}: {fmt(r['cold'])} s cold, {r['cold'] / r['floor']:.1f}x the numpy floor, {versus}"
        )
    return "Orbitals, in short: " + "; ".join(parts) + "."


def clock() -> float:
    """CPU seconds of this process: close to wall time on an idle core, and robust on a shared machine."""
    return time.process_time()


def machine_line() -> str:
    import sympy

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Python {platform.python_version()}, numpy {np.__version__}, sympy {sympy.__version__}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}), load average {load:.1f} at the start"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="torus sides m (n = m^2)")
    parser.add_argument(
        "--certify-sizes", type=int, nargs="+", default=list(CERTIFY_SIZES), help="torus sides for table 2"
    )
    parser.add_argument("--repeats", type=int, default=5, help="orbitals runs per size (median reported)")
    parser.add_argument(
        "--reference-timeout", type=float, default=60.0, help="seconds per lift-and-sympy run"
    )
    parser.add_argument("--certify-limit", type=float, default=60.0, help="seconds allowed per certification")
    parser.add_argument("--json", metavar="PATH", help="also write the raw numbers as JSON")
    parser.add_argument(
        "--update-readme", action="store_true", help=f"rewrite this script's section of {README}"
    )
    parser.add_argument("--worker", nargs=2, metavar=("KIND", "M"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        workers = {
            "reference": reference_worker,
            "certify": certify_worker,
            "certify-nauty": certify_nauty_worker,
        }
        workers[args.worker[0]](int(args.worker[1]))
        return 0

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    machine = machine_line()
    started = time.perf_counter()
    orb_rows, orb_raw = orbitals_table(args.sizes, args.repeats, args.reference_timeout, log)
    cert_sizes = sorted(args.certify_sizes)
    cert_rows, cert_raw, largest = certify_table(cert_sizes, args.certify_limit, log)
    cmd_rows, cmd_raw = command_table(log)
    tried = ", ".join(str(m * m) for m in cert_sizes)
    shown = largest if largest is not None else "none"
    largest_line = (
        f"Largest n certified (sparse input, exact, plus an independent certificate) within "
        f"{args.certify_limit:.0f} s: **{shown}** (sizes tried: {tried})."
    )
    command = " ".join(
        [".venv/bin/python benchmarks/bench_breaking.py", *(sys.argv[1:] if argv is None else argv)]
    )
    reference_limit = f"at most {args.reference_timeout:.0f} s and {REFERENCE_MEMORY >> 30} GiB"
    wall = time.perf_counter() - started
    text = "\n".join(
        [
            f"Machine: {machine}. Command: `{command}`.",
            "",
            f"Orbitals of p4m on an m x m torus (median of {args.repeats}; reference: {reference_limit}):",
            "",
            *orb_rows,
            "",
            "Certification (one run per size, each in its own process; the floor columns are wall seconds, best of 3):",
            "",
            *cert_rows,
            "",
            "Whole commands (wall clock, including Python start-up and imports):",
            "",
            *cmd_rows,
            "",
            summary(orb_raw, args.reference_timeout),
            "",
            largest_line,
            "",
            f"Times are CPU seconds (`time.process_time`); whole run {wall:.0f} s wall.",
        ]
    )
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "orbitals": orb_raw, "certify": cert_raw,
                                               "commands": cmd_raw, "largest_certified": largest}, indent=2))  # fmt: skip
    if args.update_readme:
        current = README.read_text() if README.exists() else ""
        if START in current and END in current:
            head, rest = current.split(START, 1)
            _, tail = rest.split(END, 1)
            README.write_text(f"{head}{START}\n{text}\n{END}{tail}")
        else:
            section = f"{HEADING}\n\n{INTRO}\n\n{START}\n{text}\n{END}\n"
            README.write_text(f"{current.rstrip()}\n\n{section}".lstrip())
        log(f"updated {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
