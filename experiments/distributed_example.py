"""Train one ASEN on a mixed-symmetry batch with DistributedDataParallel: a documented example.

One model reads two symmetries of different degrees (D_8 on 8 points, A_5 on 5 points, exact with 20
auxiliary vertices); every batch mixes samples of both, and under ``--distributed`` each process takes
its shard of the samples (:func:`asen.experiments.distributed.ddp_step`). The task: is the first
feature summed over the points above its median (a G-invariant label for both groups).

    python experiments/distributed_example.py --steps 20                  # one process
    torchrun --nproc-per-node 2 experiments/distributed_example.py --distributed --steps 20   # DDP, gloo
    torchrun --nproc-per-node 4 experiments/distributed_example.py --distributed --device cuda  # NCCL

Rank 0 prints the losses and the throughput (samples/s over all processes, after one warm-up step);
``--json`` prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
import time

import torch

from asen.experiments import distributed
from asen.models import ASEN

SYMMETRIES = {"d8": ("dihedral(8)", 8), "a5": ("alternating(5)", 5)}


def make_batch(size: int, *, seed: int) -> tuple[torch.Tensor, list[str], torch.Tensor]:
    """``size`` samples, alternating D_8 and A_5, padded to 8 points; the same on every rank."""
    g = torch.Generator().manual_seed(seed)
    names = [("d8", "a5")[i % 2] for i in range(size)]
    x = torch.randn(size, 8, 4, generator=g)
    for i, name in enumerate(names):
        x[i, SYMMETRIES[name][1] :] = 0.0  # rows past a sample's degree are ignored by the model
    y = (x[:, :, 0].sum(1) > 0).long()
    return x, names, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distributed", action="store_true", help="DDP under torchrun (gloo/nccl)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64, help="global batch (split over processes)")
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    device = distributed.setup(args.device) if args.distributed else args.device
    model = ASEN(in_dim=4, out_dim=2, width=args.width, num_layers=3, heads=4, head="pooled", seed=0)
    for k, (name, (spec, _)) in enumerate(SYMMETRIES.items()):
        model.add_symmetry(name, spec, seed=10 + k)
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    step = distributed.wrap(model)  # DDP under --distributed; the same loss on one process otherwise
    losses, start = [], None
    for s in range(args.steps + 1):
        if s == 1:
            start = time.perf_counter()  # after one warm-up step (graph build, DDP buckets)
        x, names, y = make_batch(args.batch_size, seed=s)
        losses.append(distributed.ddp_step(step, opt, x.to(device), names, y.to(device)))
    seconds = time.perf_counter() - start if start is not None else float("nan")
    report = {
        "world_size": distributed.world_size(),
        "device": str(device),
        "steps": args.steps,
        "batch_size": args.batch_size,
        "samples_per_s": round(args.steps * args.batch_size / seconds, 1) if args.steps else None,
        "first_loss": round(losses[0], 4),
        "last_loss": round(losses[-1], 4),
    }
    if distributed.is_main_process():
        print(json.dumps(report) if args.json else "\n".join(f"{k:>14}: {v}" for k, v in report.items()))
    if args.distributed:
        distributed.teardown()


if __name__ == "__main__":
    main()
