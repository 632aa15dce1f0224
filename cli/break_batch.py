"""``asen break --batch groups.jsonl --out-dir DIR [--scheduler tcp://...|local:N] [--workers N] [--timeout S]``.

The batch form of ``asen break`` (:func:`asen.breaking.certify_batch`): every group of ``groups.jsonl``
(one JSON value a line: a spec string such as ``"dihedral(8)"``, or an object ``{"name", "spec"}`` or
``{"name", "degree", "generators"}`` with 0-based generators) is certified into ``DIR/<name>.npz`` (+
``.npz.json``); ``DIR/batch_summary.json`` and the printed table give each group's status (``exact``,
``overgroup``, ``over budget``, ``failed``, ``timeout``). Rerunning the command resumes: files already in
DIR are checked (digest and group; ``--verify certify`` also re-derives them with nauty) and kept.

Where it runs: a local process pool of ``--workers`` processes (default: the CPU count), a Dask cluster
at ``--scheduler tcp://host:8786``, or ``--scheduler local:N`` (a Dask ``LocalCluster`` of N worker
processes on this machine). Dask needs ``pip install 'asen[dask]'``.

The exit status is 0 when every group got a certified file, 1 when some failed or timed out (or, with
``--require-exact``, when some certificate is only an overgroup), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from contextlib import ExitStack
from typing import Any


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``--batch`` options of ``asen break``."""
    group = parser.add_argument_group("batch certification (instead of SPEC)")
    group.add_argument("--batch", metavar="FILE", help="certify every group of FILE (.jsonl, one a line)")
    group.add_argument("--out-dir", metavar="DIR", help="--batch: folder of the certified files and summary")
    group.add_argument(
        "--scheduler", metavar="ADDR",
        help="--batch: run on Dask: a scheduler address tcp://host:port, or local:N for N local workers",
    )  # fmt: skip
    group.add_argument("--workers", type=int, metavar="N", help="--batch: local pool size (default: CPUs)")
    group.add_argument(
        "--timeout", type=float, metavar="S", help="--batch: seconds per group (default: none)"
    )
    group.add_argument(
        "--verify", choices=("digest", "certify"), default="digest",
        help="--batch: how files already in DIR are checked before they are kept (default: digest)",
    )  # fmt: skip


def _local_cluster(stack: ExitStack, n: int) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ValueError("--scheduler local:N needs dask.distributed: pip install 'asen[dask]'") from exc
    cluster = stack.enter_context(
        LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    )
    return stack.enter_context(Client(cluster))


def run_batch(args: argparse.Namespace) -> int:
    """``asen break --batch``: certify the file's groups, print the table, return the exit status."""
    from ..breaking import certify_batch
    from ..breaking.batch_jobs import read_jobs

    if args.batch is None:
        raise ValueError("give a group SPEC or --batch FILE")
    if args.spec is not None:
        raise ValueError("give either a group SPEC or --batch FILE, not both")
    if not args.out_dir:
        raise ValueError("--batch needs --out-dir DIR" if args.out_dir is None else "--out-dir is empty")
    if args.out is not None:
        raise ValueError("--out names one file; with --batch use --out-dir")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be >= 1, got {args.workers}")
    entries = read_jobs(args.batch)
    total = len(entries)
    count = [0]

    def progress(row: dict[str, Any]) -> None:
        count[0] += 1
        what = "kept" if row["skipped"] else f"{row['seconds']:.1f} s"
        print(f"[{count[0]}/{total}] {row['name']}: {row['status']} ({what})", file=sys.stderr, flush=True)

    with ExitStack() as stack:
        client = None
        if args.scheduler:
            m = re.fullmatch(r"local:(\d+)", args.scheduler)
            if m:
                client = _local_cluster(stack, int(m.group(1)))
            elif "://" in args.scheduler:
                client = args.scheduler
            else:
                raise ValueError(f"--scheduler must be tcp://host:port or local:N, got {args.scheduler!r}")
        try:
            summary = certify_batch(
                entries, args.out_dir, mode=args.mode, budget=args.budget, aux_kinds=tuple(args.aux_kinds),
                visible=args.visible, frames=args.frames, engine=args.engine, client=client, processes=args.workers,
                timeout=args.timeout, verify=args.verify, on_result=None if args.json else progress,
            )  # fmt: skip
        except ImportError as exc:
            raise ValueError(str(exc)) from exc
    print(json.dumps(summary.to_dict()) if args.json else summary.table())
    counts = summary.counts
    if counts["failed"] or counts["timeout"]:
        return 1
    return 1 if args.require_exact and counts["exact"] < len(summary.rows) else 0
