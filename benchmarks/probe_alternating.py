"""Which default costs ``max_alternating_sum``? The init-option probe of docs/results.md (issue 12).

Trains the misspecification experiment's true-group model (``cyclic(10)``, the FULL setting: width 64,
3 layers, 4 heads, 300 steps, Adam lr 1e-3, batch 32, 500 held-out sequences) with the
:data:`~asen.models.DEFAULT_INIT` options overridden by ``--set KEY=JSON``, one line per seed:

    .venv/bin/python benchmarks/probe_alternating.py --size 100 --seeds 0,1,2 \\
        [--set orbital_rank=null] [--set 'encoder_norm="none"'] [--set color_init_std=1.0] [--cfg steps=900]

``--cfg KEY=JSON`` overrides one setting of the experiment itself (``steps``, ``lr``, ``batch``, ...).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from asen.cli.experiment_cmd import parse_overrides
from asen.experiments import misspecification
from asen.models import DEFAULT_INIT


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100, help="training sequences (100 or 400 in the experiment)")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--task", default="max_alternating_sum", choices=sorted(misspecification.CASES))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON", help="one DEFAULT_INIT option")
    ap.add_argument("--cfg", action="append", default=[], metavar="KEY=JSON", help="one experiment setting (steps, lr)")
    args = ap.parse_args()
    try:
        options = {**DEFAULT_INIT, **parse_overrides(args.set, allowed=DEFAULT_INIT)}
        settings = parse_overrides(args.cfg, flag="--cfg", allowed=misspecification.FULL)
    except ValueError as exc:
        ap.error(str(exc))
    variant, symmetry = misspecification.CASES[args.task][0]  # the true group
    cfg = {**misspecification.FULL, **options, "sizes": sorted({args.size, *misspecification.FULL["sizes"]})}
    cfg.update(settings)
    accs = []
    for seed in (int(s) for s in args.seeds.split(",")):
        start = time.perf_counter()
        row = misspecification.unit(
            task=args.task, variant=variant, symmetry=symmetry, size=args.size, seed=seed, cfg=cfg
        )[0]
        accs.append(row["accuracy"])
        print(json.dumps({**options, "seed": seed, "accuracy": round(row["accuracy"], 3),
                          "seconds": round(time.perf_counter() - start, 1)}), flush=True)  # fmt: skip
    print(f"mean {statistics.mean(accs):.3f} ± {statistics.pstdev(accs):.3f} over {len(accs)} seeds")


if __name__ == "__main__":
    main()
