"""Benchmark of :mod:`asen.verify`: checks per second and the wall time of default checks.

The model is a 4-layer permutation-equivariant network (DeepSets layers
``h_i <- relu(h_i A + mean_j(h_j) B + c)``, width 64, 16 input features, 8 outputs). For groups of
degree 10 and 100 it reports:

* checks/s batched: ``(input, element)`` comparisons per second when every input's images go through the
  model in one call (``batch_axis=0``, the default);
* checks/s unbatched: the same with one model call per image (``batch_axis=None``), for contrast;
* the wall time of a default ``check_equivariance(model, G)`` (8 inputs, identity + generators + 16 random
  elements) and of a default ``check_exact_symmetry(model, G)``, median over repeats, group chains warm.

Run: ``.venv/bin/python benchmarks/bench_verify.py [--threads N] [--repeats R]``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import time

import torch
from torch import nn

from asen.groups.catalogue import cyclic, dihedral, symmetric
from asen.verify import check_equivariance, check_exact_symmetry
from asen.verify.prepare import prepare_check, sample_elements


class DeepSetsLayer(nn.Module):
    def __init__(self, fin: int, fout: int):
        super().__init__()
        self.own = nn.Linear(fin, fout)
        self.pool = nn.Linear(fin, fout, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.own(x) + self.pool(x.mean(1, keepdim=True))


class FourLayer(nn.Module):
    """4 DeepSets layers, ReLU between: ``(batch, n, 16) -> (batch, n, 8)``, S_n-equivariant."""

    def __init__(self, fin: int = 16, width: int = 64, fout: int = 8):
        super().__init__()
        dims = [fin, width, width, width, fout]
        self.layers = nn.ModuleList(DeepSetsLayer(a, b) for a, b in itertools.pairwise(dims))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for k, layer in enumerate(self.layers):
            x = layer(x)
            if k < len(self.layers) - 1:
                x = torch.relu(x)
        return x


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def checks_per_second(model: nn.Module, G, *, batch_axis: int | None, repeats: int) -> float:
    # batch_axis=None: the same (1, n, 16) inputs, but one model call per image
    prep = prepare_check(model, G, in_axes=1, batch_axis=batch_axis, shapes=(1, G.degree, 16), seed=0)
    perms = sample_elements(G, 16, seed=0)
    prep.harness.measure(prep.examples, perms)  # warm-up
    seconds = _median_time(lambda: prep.harness.measure(prep.examples, perms), repeats)
    return len(prep.examples) * len(perms) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's choice)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu", help="torch device of the model (default: cpu)")
    parser.add_argument(
        "--no-two-closure",
        action="store_true",
        help="exact check without 2-closure probes (no pynauty needed)",
    )
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = FourLayer().to(args.device)
    print(
        f"asen.verify benchmark: 4-layer DeepSets (16 -> 64 -> 64 -> 64 -> 8) on {args.device}, torch {torch.__version__}, "
        f"{torch.get_num_threads()} thread(s), {os.cpu_count()} CPU(s), {platform.processor() or platform.machine()}"
    )
    header = f"{'group':<16} {'checks/s batched':>17} {'checks/s 1-by-1':>16} {'check_equivariance':>19} {'exact':>9}"
    print(header)
    print("-" * len(header))
    for G in (cyclic(10), symmetric(10), cyclic(100), dihedral(100), symmetric(100)):
        G.order()  # build the stabiliser chain once, outside the timings
        batched = checks_per_second(model, G, batch_axis=0, repeats=args.repeats)
        single = checks_per_second(model, G, batch_axis=None, repeats=max(1, args.repeats // 2))
        report = check_equivariance(model, G)  # warm-up
        assert report.passed, str(report)
        t_eq = _median_time(lambda G=G: check_equivariance(model, G), args.repeats)
        t_ex = _median_time(
            lambda G=G: check_exact_symmetry(model, G, two_closure=not args.no_two_closure),
            max(1, args.repeats // 2),
        )
        print(f"{G.name:<16} {batched:>17,.0f} {single:>16,.0f} {t_eq:>18.3f}s {t_ex:>8.3f}s")
    print(
        f"(default check: {report.num_checks} checks = {report.num_inputs} inputs x {report.num_elements} elements)"
    )


if __name__ == "__main__":
    main()
