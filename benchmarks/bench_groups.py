"""Benchmark of the group core (issue 8): asen's stabiliser chain against sympy, in the same run.

Two tables:

1. ``order() + 1,000 uniform random elements + 1,000 membership tests`` for p4m on a 64 x 64 torus,
   ``S_100``, ``A_100`` and ``S_10 wr S_10``, each built twice: from the catalogue *with* its known
   order (``order=``: completeness proved by counting) and from the *bare* generators (no hint: the
   chain proves itself by the ``n!`` bound, a structural block bound, or Schreier generators).
   Target: under 1 s each.
2. ``orbits()`` and point stabilisers of degree-4096 groups (p4m, p4, translations of the 64 x 64
   torus). "cold" starts from a fresh group (the stabiliser chain is built inside the timing), "warm"
   asks for a second stabiliser of the same group. Target: under 0.2 s each.

sympy runs in a subprocess with a time limit (``--sympy-timeout``); a timed-out run is reported as
``>= T s``. Each asen number is the median of ``--repeats`` runs on fresh groups.

Run from the repository root::

    .venv/bin/python benchmarks/bench_groups.py                  # print the tables
    .venv/bin/python benchmarks/bench_groups.py --update-readme  # also rewrite its section of benchmarks/README.md
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from asen.groups import PermGroup
from asen.groups.catalogue import alternating, symmetric
from asen.groups.geometric import p4, p4m, torus_translations
from asen.groups.products import wreath

README = Path(__file__).with_name("README.md")
START, END = "<!-- bench_groups:start -->", "<!-- bench_groups:end -->"
PROBES = 1000
STAB_POINTS = (2080, 1234)  # pixel (32, 32) of the 64 x 64 torus, then another point

# name -> (catalogue constructor, known order)
ORDER_CASES: dict[str, tuple[Callable[[], PermGroup], int]] = {
    "p4m 64x64 torus": (lambda: p4m(64), 8 * 64 * 64),
    "S_100": (lambda: symmetric(100), math.factorial(100)),
    "A_100": (lambda: alternating(100), math.factorial(100) // 2),
    "S_10 wr S_10": (lambda: wreath(symmetric(10), symmetric(10)), math.factorial(10) ** 11),
}
LARGE_CASES: dict[str, tuple[Callable[[], PermGroup], int]] = {
    "p4m 64x64 torus": (lambda: p4m(64), 8 * 64 * 64),
    "p4 64x64 torus": (lambda: p4(64), 4 * 64 * 64),
    "translations 64x64": (lambda: torus_translations(64, 64), 64 * 64),
}


def membership_probes(group: PermGroup) -> np.ndarray:
    """500 members (uniform random elements) and 500 random permutations of the points (mostly not)."""
    rng = np.random.default_rng(12345)
    members = group.random_elements(PROBES // 2, seed=rng)
    others = np.stack([rng.permutation(group.degree) for _ in range(PROBES - PROBES // 2)])
    return np.concatenate([members, others])


# ----------------------------------------------------------------------------- asen side
def time_order_case(name: str, hint: bool, repeats: int) -> dict:
    make, known = ORDER_CASES[name]
    gens = make().generators.copy()
    probes = membership_probes(make())
    runs = []
    for rep in range(repeats):
        t0 = time.perf_counter()
        G = PermGroup(gens, order=known if hint else None)
        order = G.order()
        t1 = time.perf_counter()
        R = G.random_elements(PROBES, seed=rep)
        t2 = time.perf_counter()
        inside = G.contains_many(probes)
        t3 = time.perf_counter()
        assert order == known, (name, order, known)
        assert inside[: PROBES // 2].all() and G.contains_many(R[:10]).all()
        runs.append((t1 - t0, t2 - t1, t3 - t2, t3 - t0))
    med = [statistics.median(col) for col in zip(*runs)]
    return {"order": med[0], "random": med[1], "contains": med[2], "total": med[3]}


def time_large_case(name: str, hint: bool, repeats: int) -> dict:
    make, known = LARGE_CASES[name]
    gens = make().generators.copy()
    x, y = STAB_POINTS
    runs = []
    for _ in range(repeats):
        G = PermGroup(gens, order=known if hint else None)
        t0 = time.perf_counter()
        G.orbits()
        t1 = time.perf_counter()
        G = PermGroup(gens, order=known if hint else None)
        t2 = time.perf_counter()
        sx = G.stabilizer(x).order()
        t3 = time.perf_counter()
        sy = G.stabilizer(y).order()
        t4 = time.perf_counter()
        assert sx * G.orbit(x).size == known and sy * G.orbit(y).size == known
        runs.append((t1 - t0, t3 - t2, t4 - t3))
    med = [statistics.median(col) for col in zip(*runs)]
    return {"orbits": med[0], "stab_cold": med[1], "stab_warm": med[2]}


# ----------------------------------------------------------------------------- sympy side
def sympy_worker(table: str, name: str) -> None:
    """Runs in a subprocess: times sympy on one case and prints one JSON line."""
    from sympy.combinatorics import Permutation, PermutationGroup

    cases = ORDER_CASES if table == "order" else LARGE_CASES
    group = cases[name][0]()
    S = PermutationGroup([Permutation(g.tolist()) for g in group.generators])
    out: dict = {}
    if table == "order":
        probes = [Permutation(p.tolist()) for p in membership_probes(group)]
        t0 = time.perf_counter()
        out["order"] = int(S.order())
        for _ in range(PROBES):
            S.random()
        inside = [S.contains(p) for p in probes]
        out["total"] = time.perf_counter() - t0
        out["members_ok"] = all(inside[: PROBES // 2])
    else:
        t0 = time.perf_counter()
        S.orbits()
        out["orbits"] = time.perf_counter() - t0
        S = PermutationGroup([Permutation(g.tolist()) for g in group.generators])
        t0 = time.perf_counter()
        out["stab_order"] = int(S.stabilizer(STAB_POINTS[0]).order())
        out["stab_cold"] = time.perf_counter() - t0
    print(json.dumps(out))


def run_sympy(table: str, name: str, timeout: float) -> dict | None:
    """The worker's JSON, or None when it ran out of time."""
    cmd = [sys.executable, __file__, "--sympy-worker", table, name]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- report
def fmt(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


def vs(sympy_seconds: float | None, ours: float, timeout: float) -> tuple[str, str]:
    if sympy_seconds is None:
        return f">= {timeout:.0f} (timed out)", f">= {timeout / ours:,.0f}x"
    return fmt(sympy_seconds), f"{sympy_seconds / ours:,.0f}x"


def order_table(repeats: int, timeout: float, log: Callable[[str], None]) -> list[str]:
    rows = [
        "| group | path | order (s) | 1,000 random (s) | 1,000 contains (s) | **total (s)** | sympy total (s) "
        "| sympy / asen | < 1 s |",
        "|---|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for name in ORDER_CASES:
        log(f"sympy: {name} ...")
        sym = run_sympy("order", name, timeout)
        if sym is not None:
            assert sym["order"] == ORDER_CASES[name][1] and sym["members_ok"], (name, sym)
        for hint in (True, False):
            log(f"asen: {name} ({'hint' if hint else 'bare'}) ...")
            r = time_order_case(name, hint, repeats)
            sym_s, ratio = vs(None if sym is None else sym["total"], r["total"], timeout)
            path = "catalogue, `order=` hint" if hint else "bare generators"
            ok = "yes" if r["total"] < 1.0 else "**no**"
            rows.append(
                f"| {name} | {path} | {fmt(r['order'])} | {fmt(r['random'])} | {fmt(r['contains'])} "
                f"| **{fmt(r['total'])}** | {sym_s} | {ratio} | {ok} |"
            )
    return rows


def large_table(repeats: int, timeout: float, log: Callable[[str], None]) -> list[str]:
    rows = [
        "| group (degree 4096) | path | orbits() (s) | stabilizer, cold (s) | stabilizer, warm (s) "
        "| sympy orbits (s) | sympy stabilizer (s) | sympy / asen (stabilizer, cold) | < 0.2 s |",
        "|---|---|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for name in LARGE_CASES:
        log(f"sympy: {name} ...")
        sym = run_sympy("large", name, timeout)
        for hint in (True, False):
            log(f"asen: {name} ({'hint' if hint else 'bare'}) ...")
            r = time_large_case(name, hint, repeats)
            orb_s = ">= timeout" if sym is None else fmt(sym["orbits"])
            stab_s, ratio = vs(None if sym is None else sym["stab_cold"], r["stab_cold"], timeout)
            path = "catalogue, `order=` hint" if hint else "bare generators"
            ok = "yes" if max(r["orbits"], r["stab_cold"], r["stab_warm"]) < 0.2 else "**no**"
            rows.append(
                f"| {name} | {path} | {fmt(r['orbits'])} | {fmt(r['stab_cold'])} | {fmt(r['stab_warm'])} "
                f"| {orb_s} | {stab_s} | {ratio} | {ok} |"
            )
    return rows


def machine_line() -> str:
    import sympy

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Python {platform.python_version()}, numpy {np.__version__}, sympy {sympy.__version__}, "
        f"{os.cpu_count()} CPUs ({platform.machine()}), load average {load:.1f} at the start"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="asen runs per case (median reported)")
    parser.add_argument("--sympy-timeout", type=float, default=30.0, help="seconds per sympy case")
    parser.add_argument("--update-readme", action="store_true", help=f"rewrite this script's section of {README}")
    parser.add_argument("--sympy-worker", nargs=2, metavar=("TABLE", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sympy_worker:
        sympy_worker(*args.sympy_worker)
        return 0

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    machine = machine_line()
    started = time.perf_counter()
    lines = [
        f"Machine: {machine}.",
        "",
        "**Order, 1,000 uniform random elements and 1,000 membership tests** (500 members, 500 random "
        "permutations); asen: median of "
        f"{args.repeats} runs on fresh groups; sympy: one run, limit {args.sympy_timeout:.0f} s.",
        "",
        *order_table(args.repeats, args.sympy_timeout, log),
        "",
        "**Orbits and point stabilisers at degree 4096** (stabiliser of pixel (32, 32), then of another "
        "point; each stabiliser's order is computed).",
        "",
        *large_table(args.repeats, args.sympy_timeout, log),
    ]
    lines += ["", f"Whole benchmark: {time.perf_counter() - started:.0f} s."]
    text = "\n".join(lines)
    print(text)
    if args.update_readme:
        current = README.read_text() if README.exists() else ""
        if START in current and END in current:
            head, rest = current.split(START, 1)
            _, tail = rest.split(END, 1)
            README.write_text(f"{head}{START}\n{text}\n{END}{tail}")
        else:
            section = f"## bench_groups.py: the group core at image scale (issue 8)\n\n{START}\n{text}\n{END}\n"
            README.write_text(f"{current.rstrip()}\n\n{section}".lstrip())
        log(f"updated {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
