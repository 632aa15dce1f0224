"""Learning curves of the default ASEN on cube chirality: the seed and ablation probes of docs/results.md
("Default models beyond the 2-closure").

``python benchmarks/probe_defaults.py --seed 0 --steps 300 [--set orbital_rank=null]`` trains
``ASEN(in_dim=5, out_dim=2, head="pooled", width=32, seed=s)`` + ``add_symmetry("o", O)`` (model and data
seed ``s``, 1000 training / 500 held-out samples, Adam lr 3e-3, batch 32, one thread) and prints the held-out
accuracy every 50 steps; each ``--set KEY=JSON`` overrides one ASEN option (e.g. ``encoder_norm='"none"'``).
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F

from asen.cli.experiment_cmd import parse_overrides
from asen.experiments.closure_data import closure_task_group, sample_closure_task
from asen.models import ASEN


def curve(seed: int, steps: int, options: dict, *, every: int = 50) -> list[tuple[int, float]]:
    """``(step, held-out accuracy)`` every ``every`` steps."""
    X, y = sample_closure_task("chirality", 1500, seed=seed)
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    model = ASEN(in_dim=5, out_dim=2, head="pooled", width=32, seed=seed, **options)
    model.add_symmetry("o", closure_task_group("chirality"), seed=seed + 1)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(seed)
    out = []
    for step in range(1, steps + 1):
        idx = torch.randint(0, 1000, (32,), generator=g)
        loss = F.cross_entropy(model(X[idx], "o"), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % every == 0:
            model.eval()
            with torch.no_grad():
                out.append((step, float((model(X[1000:], "o").argmax(-1) == y[1000:]).float().mean())))
            model.train()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON")
    args = ap.parse_args()
    torch.set_num_threads(1)
    try:
        options = parse_overrides(args.set)
    except ValueError as exc:
        ap.error(str(exc))
    start = time.perf_counter()
    points = curve(args.seed, args.steps, options)
    print(args.seed, options, " ".join(f"{s}:{a:.2f}" for s, a in points), f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
