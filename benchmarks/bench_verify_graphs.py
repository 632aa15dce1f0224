"""Benchmark of the graph verifier: default checks of PyG models, unions vs one graph per call, shrinking.

The headline model is 3 GATv2Conv layers (16 -> 32 -> 32 -> 8, 2 heads averaged, ReLU between) on
50-node graphs. For it, and for 2-layer GCN and GIN models, it reports:

* the wall time of a default ``check_graph_equivariance(model, num_nodes=50)`` (8 random graphs of the
  default families x 19 elements of S_50), median over repeats, S_50's stabiliser chain warm; the first
  (cold) call too;
* the same check with one model call per graph (``batch_axis=None``) instead of disjoint unions of
  many graphs (``batch_axis='auto'``, the default), and the ratio;
* ``(graph, element)`` checks per second of the evaluation alone (``Harness.measure`` on the default
  inputs and elements), unions vs one call per graph;
* a check under the automorphisms of a given 50-node graph (the 50-cycle, ``Aut = D_50``: the graph
  stays, only ``x`` moves), and ``fn(data)`` with a graph-level readout;
* finding and shrinking a counterexample for a layer that reads node indices (messages only from lower
  to higher index) and one with the node index as a feature: time and the size it shrinks to.

``--suite-seeds K`` also runs the graph suite of ``tests/verify/graph_models.py`` over K seeds and
counts wrong verdicts.

Run: ``.venv/bin/python benchmarks/bench_verify_graphs.py [--threads 1] [--repeats 5] [--suite-seeds 20]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

from asen.groups.catalogue import symmetric
from asen.verify import check_graph_equivariance
from asen.verify.graphs import random_graph


def _stack(convs: list[nn.Module]) -> nn.Module:
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.convs = nn.ModuleList(convs)

        def forward(self, x, edge_index):
            for k, c in enumerate(self.convs):
                x = c(x, edge_index)
                if k < len(self.convs) - 1:
                    x = torch.relu(x)
            return x

    return Stack()


def gatv2() -> nn.Module:
    from torch_geometric.nn import GATv2Conv

    return _stack([
        GATv2Conv(16, 32, heads=2, concat=False), GATv2Conv(32, 32, heads=2, concat=False),
        GATv2Conv(32, 8, heads=2, concat=False),
    ])  # fmt: skip


def gcn() -> nn.Module:
    from torch_geometric.nn import GCNConv

    return _stack([GCNConv(16, 32), GCNConv(32, 8)])


def gin() -> nn.Module:
    from torch_geometric.nn import GINConv

    mlp = lambda a, b: nn.Sequential(nn.Linear(a, 32), nn.ReLU(), nn.Linear(32, b))
    return _stack([GINConv(mlp(16, 32)), GINConv(mlp(32, 8))])


class Oriented(nn.Module):
    """GCN over the edges from a lower to a higher index only (reads node indices)."""

    def __init__(self):
        super().__init__()
        self.body = gcn()

    def forward(self, x, edge_index):
        return self.body(x, edge_index[:, edge_index[0] < edge_index[1]])


class IndexFeature(nn.Module):
    """GCN on ``x`` plus ``i / n`` (the node index as a positional feature)."""

    def __init__(self):
        super().__init__()
        self.body = gcn()

    def forward(self, x, edge_index):
        return self.body(x + torch.arange(x.shape[0], dtype=x.dtype)[:, None] / x.shape[0], edge_index)


class Readout(nn.Module):
    """``fn(data)``: GCN then the mean over each graph's nodes."""

    def __init__(self):
        super().__init__()
        from torch_geometric.nn import GCNConv

        self.conv, self.out = GCNConv(16, 32), nn.Linear(32, 8)

    def forward(self, data):
        from torch_geometric.nn import global_mean_pool

        return self.out(global_mean_pool(torch.relu(self.conv(data.x, data.edge_index)), data.batch))


def _median(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _checks_per_second(model: nn.Module, n: int, batch_axis, repeats: int) -> float:
    """``(graph, element)`` comparisons per second of ``Harness.measure`` on the default graph inputs."""
    import numpy as np

    from asen.verify.graphs import _graph_inputs
    from asen.verify.prepare import prepare_check, sample_elements

    G = symmetric(n)
    examples, _ = _graph_inputs(
        None, ["x", "edge_index"], n, num_inputs=8, features=16, edge_features=0, fixed=False, directed=False,
        float_dtype=np.dtype(np.float32), seed=0,
    )  # fmt: skip
    prep = prepare_check(model, G, examples, in_axes=[0, "index"], batch_axis=batch_axis, seed=0)
    perms = sample_elements(G, 16, seed=np.random.default_rng(0))
    prep.harness.measure(prep.examples, perms)  # warm-up
    seconds = _median(lambda: prep.harness.measure(prep.examples, perms), repeats)
    return len(prep.examples) * len(perms) / seconds


def _suite(seeds: int) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "verify"))
    from graph_models import GRAPH_SUITE

    wrong, total, start = 0, 0, time.perf_counter()
    for case in GRAPH_SUITE:
        for seed in range(seeds):
            report = check_graph_equivariance(case.build(seed), seed=seed, **case.check_options())
            total += 1
            if report.passed != case.equivariant:
                wrong += 1
                print(f"  WRONG: {case.name}, seed {seed}\n{report}")
    correct = sum(c.equivariant for c in GRAPH_SUITE)
    return (
        f"graph suite: {len(GRAPH_SUITE)} cases ({correct} correct, {len(GRAPH_SUITE) - correct} broken) x {seeds} "
        f"seeds = {total} checks, {wrong} wrong verdicts, {time.perf_counter() - start:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch threads (default: 1)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument(
        "--suite-seeds", type=int, default=0, help="also run the graph suite over this many seeds"
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    import torch_geometric

    n = args.nodes
    print(
        f"asen.verify graph benchmark: {n}-node graphs, torch {torch.__version__}, torch_geometric "
        f"{torch_geometric.__version__}, {torch.get_num_threads()} thread(s), {os.cpu_count()} CPU(s), "
        f"{platform.processor() or platform.machine()}"
    )
    t = time.perf_counter()
    torch.manual_seed(0)
    cold = check_graph_equivariance(gatv2(), num_nodes=n)
    t_cold = time.perf_counter() - t
    assert cold.passed, str(cold)
    symmetric(n).order()
    header = (
        f"{'model':<14} {'default check':>14} {'1 graph/call':>13} {'ratio':>6} {'checks/s unions':>16} "
        f"{'checks/s 1-by-1':>16} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, build in (("GATv2Conv x3", gatv2), ("GCNConv x2", gcn), ("GINConv x2", gin)):
        torch.manual_seed(0)
        model = build()
        report = check_graph_equivariance(model, num_nodes=n)  # warm-up
        assert report.passed, str(report)
        t_default = _median(lambda m=model: check_graph_equivariance(m, num_nodes=n), args.repeats)
        t_single = _median(
            lambda m=model: check_graph_equivariance(m, num_nodes=n, batch_axis=None),
            max(1, args.repeats // 2),
        )
        cps_u = _checks_per_second(model, n, "auto", args.repeats)
        cps_1 = _checks_per_second(model, n, None, max(1, args.repeats // 2))
        print(
            f"{name:<14} {t_default:>13.3f}s {t_single:>12.3f}s {t_single / t_default:>5.1f}x {cps_u:>16,.0f} "
            f"{cps_1:>16,.0f} {cps_u / cps_1:>5.1f}x"
        )
    print(f"(GATv2Conv x3, first call in a fresh process, S_{n} chain cold: {t_cold:.3f} s; "
          f"{cold.num_checks} checks = {cold.num_inputs} graphs x {cold.num_elements} elements)")  # fmt: skip

    torch.manual_seed(0)
    model = gatv2()
    ring = random_graph(n, "cycle")
    rep = check_graph_equivariance(model, ring, group="automorphisms")
    t_aut = _median(lambda: check_graph_equivariance(model, ring, group="automorphisms"), args.repeats)
    print(f"GATv2Conv x3 under Aut({n}-cycle) = D_{n} (order {rep.group_order}, graph fixed): {t_aut:.3f} s, "
          f"passed={rep.passed}")  # fmt: skip
    torch.manual_seed(0)
    readout = Readout()
    rep = check_graph_equivariance(readout, num_nodes=n, call="data", out_axes="none")
    t_data = _median(
        lambda: check_graph_equivariance(readout, num_nodes=n, call="data", out_axes="none"), args.repeats
    )
    print(f"fn(data) GCN + global_mean_pool (Batch of graphs per call): {t_data:.3f} s, passed={rep.passed}")

    for name, cls in (("edges oriented by index", Oriented), ("node index as a feature", IndexFeature)):
        torch.manual_seed(0)
        model = cls()
        t = time.perf_counter()
        rep = check_graph_equivariance(model, num_nodes=n)
        dt = time.perf_counter() - t
        ce = rep.counterexample
        edges = ce.inputs[1].shape[1]
        print(f"broken: {name}: FAILED in {dt:.3f} s, shrunk in {ce.shrink_calls} batched calls to "
              f"{len(ce.element)} of {n} nodes, {edges} stored edges, g = {ce.cycles}")  # fmt: skip
    if args.suite_seeds:
        print(_suite(args.suite_seeds))


if __name__ == "__main__":
    main()
