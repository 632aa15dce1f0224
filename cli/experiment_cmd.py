"""``asen experiment NAME [--quick] [--out DIR] [--seeds ...] [--jobs J] [--device D] [--set K=V]``: run one.

NAME is a key of :data:`asen.experiments.registry.EXPERIMENTS` (``multitask``, ``transfer``,
``misspecification``, ...). ``--quick`` runs the tiny smoke setting (under a minute); the default is the
full setting behind ``docs/results.md``. Results (CSV, JSON, PNG) go to ``--out`` (default
``results/NAME``); the command prints the summary table and the paths it wrote. ``--set KEY=JSON``
replaces one entry of the setting (``--set color_init_std=0.05``; the former spelling ``colour_init_std``
is still accepted). The plots need the ``experiments`` extra (``pip install 'asen[experiments]'``):
without it the command stops before any training with a message saying so.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any



def parse_overrides(items: list[str], *, flag: str = "--set", allowed: Any = None) -> dict[str, Any]:
    """``["KEY=JSON", ...]`` -> ``{KEY: value}``; ``allowed`` (a container of keys), when given, rejects others."""
    overrides = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep:
            raise ValueError(f"{flag} takes KEY=JSON, got {item!r}")
        if allowed is not None and key not in allowed:
            raise ValueError(f"{flag} {key}: not one of {sorted(allowed)}")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{flag} {key}: value must be JSON (e.g. [25, 400]), got {value!r}") from exc
    return overrides

def register(subparsers: Any) -> None:
    from ..experiments.registry import EXPERIMENTS

    parser = subparsers.add_parser(
        "experiment",
        help="run an experiment (multitask, transfer, misspecification, ...) and write CSV/JSON/PNG results",
        description="Run a registered experiment: " + ", ".join(sorted(EXPERIMENTS)) + ".",
    )
    parser.add_argument("name", metavar="NAME", choices=sorted(EXPERIMENTS), help="experiment name")
    parser.add_argument("--quick", action="store_true", help="tiny smoke setting (under a minute)")
    parser.add_argument("-o", "--out", metavar="DIR", help="output folder (default results/NAME)")
    parser.add_argument("--seeds", metavar="S", type=int, nargs="+", help="seeds (default: the setting's)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="independent runs in parallel processes (default 1)"
    )
    parser.add_argument("--device", default="cpu", help="torch device, e.g. cpu or cuda (default cpu)")
    parser.add_argument(
        "--set",
        metavar="KEY=JSON",
        action="append",
        default=[],
        help="override one entry of the setting, e.g. --set 'sizes=[25, 400]' or --set color_init_std=0.05 "
        "(repeatable)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.add_argument(
        "--distributed", action="store_true",
        help="train with DistributedDataParallel under torchrun (gloo on CPU, nccl on CUDA; rank 0 writes)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(func=run)


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(no rows)"
    keys = list(rows[0])
    cells = [[str(r.get(k, "")) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths))
    return "\n".join([line(keys), line(["-" * w for w in widths])] + [line(c) for c in cells])


def run(args: argparse.Namespace) -> int:
    from ..experiments.extras import MissingExtraError

    try:
        return _run(args)
    except MissingExtraError as exc:
        print(f"asen experiment: error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from ..experiments.registry import resolve_experiment

    fn = resolve_experiment(args.name)
    import torch

    try:
        device = torch.device(args.device)
    except RuntimeError as exc:
        raise ValueError(f"--device: not a torch device: {args.device!r} ({exc})") from None
    backend = getattr(torch, device.type, None)
    if device.type != "cpu" and not (hasattr(backend, "is_available") and backend.is_available()):
        raise ValueError(f"--device {args.device!r}: no {device.type} device is available on this machine")
    if args.distributed:  # torchrun --nproc-per-node N $(which asen) experiment NAME --distributed
        from ..experiments.distributed import is_main_process, setup

        args.device = setup(args.device)
        if not is_main_process():
            args.no_progress = True
    overrides = parse_overrides(args.set)
    start = time.perf_counter()
    result = fn(
        quick=args.quick,
        out_dir=args.out or f"results/{args.name}",
        seeds=args.seeds,
        progress=not args.no_progress,
        jobs=args.jobs,
        device=args.device,
        **overrides,
    )
    seconds = time.perf_counter() - start
    if args.distributed:
        from ..experiments.distributed import teardown

        main_process = is_main_process()
        teardown()  # every rank has finished (rank 0 has written the files) before any process exits
        if not main_process:
            return 0  # rank 0 writes the files and prints the report; the other ranks only trained their shards
    if args.json:
        print(json.dumps({**result, "seconds": round(seconds, 1)}, indent=1, default=str))
        return 0
    print(_table(result["summary"]))
    print(f"\n{args.name}: {'quick' if args.quick else 'full'} setting in {seconds:.1f} s; wrote:")
    for path in result["files"]:
        print(f"  {path}")
    return 0
