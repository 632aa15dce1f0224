"""``asen demo``: the library end to end in a few minutes (what ``make demo`` runs).

Certifies symmetry-breaking inputs for a handful of groups (``A_8`` exactly, with auxiliary vertices),
trains one ASEN on two sequence tasks with different symmetries, verifies it with ``asen.verify`` and
prints a compact table plus the path of the saved plot. See :func:`asen.experiments.demo.run_demo`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="certify inputs, train one ASEN on two tasks, verify it (a few minutes on 2 cores)",
        description="End-to-end demo: certified symmetry inputs, one ASEN trained on two tasks with different "
        "symmetries, verification of its equivariance and exactness.",
    )
    parser.add_argument("--steps", type=int, default=250, help="training steps (default 250)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    parser.add_argument("-o", "--out", metavar="DIR", default="results/demo", help="where the plot goes")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run)


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def _table(rows: list[dict[str, Any]], keys: list[str], heads: list[str]) -> str:
    cells = [[_fmt(r[k]) for k in keys] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths))
    return "\n".join([line(heads), line(["-" * w for w in widths])] + [line(c) for c in cells])


def run(args: argparse.Namespace) -> int:
    from ..experiments.extras import MissingExtraError

    try:
        return _run(args)
    except MissingExtraError as exc:  # the plot needs matplotlib: pip install 'asen[experiments]'
        print(f"asen demo: error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ..experiments.demo import run_demo

    print(
        "asen demo: certifying symmetry inputs, training one ASEN on two tasks, verifying it ...", flush=True
    )
    result = run_demo(steps=args.steps, seed=args.seed, out_dir=args.out, progress=not args.no_progress)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
        return 0
    print("\n1. certified symmetry-breaking inputs (nauty)")
    print(
        _table(
            result["groups"],
            ["group", "order", "2-closed", "input", "aux", "aut_order", "exact", "visible"],
            ["group", "|G|", "2-closed", "input", "aux", "|Aut(v)|Omega|", "exact?", "visible to 1-WL"],
        )
    )
    print(
        "\nA_8 is realised exactly by 140 oriented 4-subsets ('smallest'), but colour refinement never sees their"
    )
    print(
        "orientation, so any message-passing body stays S_8-invariant; the default exact input is visible to it."
    )
    print("\n2-4. one ASEN trained on two tasks, and cube chirality (closure vs exact input),")
    print("     each checked by asen.verify.check_exact_symmetry")
    print(
        _table(
            result["tasks"],
            ["group", "order", "exact", "task", "accuracy", "verdict"],
            ["group", "|G|", "exact?", "task", "accuracy", "verifier verdict"],
        )
    )
    print("\nThe trained rows read 'exact' except the chirality closure row.")
    print(
        "Cube chirality (rotations O, not 2-closed): the paper's orbital input makes the model O_h-invariant (chance);"
    )
    print("the default exact input (its 24 frames, the regular orbit, as auxiliary vertices) lets the same default ASEN")
    print("learn it and stay O-exact.")
    print(f"\nplot: {result['plot']}   ({result['seconds']} s)")
    trained = [t for t in result["tasks"] if t["accuracy"] is not None and not t["group"].endswith("[closure]")]
    return 0 if all(t["passed"] for t in trained) else 1
