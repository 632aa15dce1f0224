"""One beyond-closure cell over several seeds: the seed and setting probes of docs/results.md ("Session 18").

Trains one model of :mod:`asen.experiments.beyond_closure` on one task with the experiment's own ``unit``
(the FULL setting: 1,000 training / 500 held-out samples, Adam lr 3e-3, batch 32, 600 steps, width 32), one
line per seed:

    .venv/bin/python benchmarks/probe_beyond.py --task ratio --n 11 --seeds 0,5,6 \\
        [--model default-exact] [--cfg steps=1500] [--cfg lr=0.001] [--cfg 'default_options={"block_norm": "none"}']

``--task`` is a task of :data:`asen.experiments.closure_data.CLOSURE_TASKS` (``chirality`` also takes
``--chiral O|T|O-faces|I``, ``orbit`` takes ``--group SPEC``), ``--n`` its number of points (not for
``orbit``), ``--cfg KEY=JSON`` one setting of the experiment (``--model default-frames --cfg
sparse_frames=8000``: M_11's 7,920 frames, about 15 s a training step on two cores).
"""

from __future__ import annotations

import argparse
import json
import time

from asen.cli.experiment_cmd import parse_overrides
from asen.experiments import beyond_closure
from asen.experiments.closure_data import CHIRAL_SOLIDS, CLOSURE_TASKS, orbit_split


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--task", required=True, choices=sorted(CLOSURE_TASKS))
    ap.add_argument("--n", type=int, default=8, help="points (sign: n; handedness: p + 1; ratio: p)")
    ap.add_argument("--chiral", choices=sorted(CHIRAL_SOLIDS), default=None, help="the solid of a chirality task")
    ap.add_argument("--group", default=None, help="the group spec of an orbit task, e.g. 'psl2(5)'")
    ap.add_argument("--model", default="default-exact", choices=sorted(beyond_closure.MODELS))
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--cfg", action="append", default=[], metavar="KEY=JSON", help="one experiment setting")
    args = ap.parse_args()
    try:
        cfg = {**beyond_closure.FULL, **parse_overrides(args.cfg, flag="--cfg", allowed=beyond_closure.FULL)}
    except ValueError as exc:
        ap.error(str(exc))
    variant = args.group if args.task == "orbit" else args.chiral
    n = orbit_split(args.group)[0].degree if args.task == "orbit" else args.n
    for seed in (int(s) for s in args.seeds.split(",")):
        start = time.perf_counter()
        row = beyond_closure.unit(label=f"{args.task}-{n}", kind=args.task, n=n, seed=seed, model=args.model,
                                  verify=False, cfg=cfg, chiral=variant)[0]  # fmt: skip
        print(json.dumps({"task": args.task, "n": n, "variant": variant, "model": args.model, "seed": seed,
                          "accuracy": row["accuracy"], "train_accuracy": row["train_accuracy"],
                          "seconds": round(time.perf_counter() - start, 1)}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
