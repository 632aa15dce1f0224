"""Graph symmetry selection on the skeleton: which subgroup of Aut(skeleton) (or S_16) should the ASEN use?

Tasks and candidate symmetries are those of :mod:`asen.experiments.graph_data`: ``gait`` (true symmetry
``mirror``) and ``balance`` (true symmetry ``aut``), each learned by the same ASEN under the inputs
``trivial``, ``arms``, ``legs``, ``mirror``, ``aut`` and ``sym`` (S_16, blind to the graph), over a range
of training-set sizes. Before training, ``asen.verify.check_exact_symmetry`` is run on each task's label
function with its true group (it must pass: invariant, and no tested permutation outside the group keeps
the labels) and ``check_equivariance`` with every other candidate (it must fail exactly for the
candidates that are not subgroups of the true group). After training, each seed-0 model is checked
against its own symmetry input's group: the trained model respects exactly that group.

Expected picture: a candidate that is *not* a subgroup of the true group forces equal outputs on inputs
with different labels (``arms``, ``legs`` and ``aut`` for ``gait``; ``sym`` for both) and caps the
accuracy; among the subgroups, the largest (the true group) needs the fewest samples.

Command: ``asen experiment graph-selection [--quick]`` (default output ``results/graph-selection``); files
``graph_selection{,_summary,_label_checks,_trained_checks}.{csv,json}`` and ``graph_selection.png``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..models import DEFAULT_INIT
from .graph_data import GRAPH_TASKS, SKELETON_GROUPS, TRUE_SYMMETRY, sample_graph_task, skeleton_group
from .harness import ExperimentRun, Report, init_options, limit_threads, mean_std, plot_lines, run_experiment
from .selection_common import fit_and_score, tensor_task
from .selection_models import make_asen, model_function, num_parameters, symmetry_input

__all__ = ["FULL", "QUICK", "label_checks", "plan", "report", "run", "unit"]

FULL: dict[str, Any] = {
    "tasks": ("gait", "balance"), "symmetries": tuple(SKELETON_GROUPS), "sizes": (100, 300, 1000),
    "test_size": 1000, "steps": 600, "batch_size": 32, "lr": 3e-3, "base": "transformer", "width": 32,
    "num_layers": 2, "heads": 4, "pair_dim": 16, "seeds": (0, 1, 2), "verify_inputs": 256, **DEFAULT_INIT,
}
QUICK: dict[str, Any] = {
    **FULL, "sizes": (64,), "test_size": 128, "steps": 6, "width": 16, "seeds": (0,), "verify_inputs": 256,
}


def label_checks(task: str, *, num_inputs: int = 256, seed: int = 0) -> list[dict[str, Any]]:
    """The verifier on ``task``'s label function: exactness for its true group, equivariance for the others."""
    from ..verify import check_equivariance, check_exact_symmetry

    label = GRAPH_TASKS[task][0]
    X, _ = sample_graph_task(task, num_inputs, seed=10_000 + seed)
    X = X[:, :, None]
    true = skeleton_group(TRUE_SYMMETRY[task])
    out = []
    for name in SKELETON_GROUPS:
        G = skeleton_group(name)
        if name == TRUE_SYMMETRY[task]:
            r = check_exact_symmetry(label, G, inputs=[X], in_axes=1, out_axes="none", seed=seed)
            invariant, exact, respected = r.equivariance.passed, r.passed, r.respected_order
        else:
            r = check_equivariance(label, G, inputs=[X], in_axes=1, out_axes="none", seed=seed)
            invariant, exact, respected = r.passed, None, None
        out.append({"task": task, "candidate": name, "order": G.order(), "subgroup_of_true": G.is_subgroup(true),
                    "labels_invariant": bool(invariant), "exact": exact, "respected_order": respected})
    return out


def _verify_trained(model, task, group, X: np.ndarray, seed: int) -> dict[str, Any]:
    import torch

    from ..verify import check_exact_symmetry

    model.eval()
    r = check_exact_symmetry(model_function(model, task), group, inputs=[torch.as_tensor(X)], in_axes=1,
                             out_axes="none", num_random_outside=4, seed=seed)
    return {"equivariant": bool(r.equivariance.passed), "exact": bool(r.passed),
            "respected_order": int(r.respected_order)}


def unit(*, task: str, size: int, seed: int, symmetry: str, verify: bool, cfg: dict[str, Any],
         device: str = "cpu", progress: bool = False) -> list[dict[str, Any]]:
    """Train and score one ASEN (one task, size, seed, symmetry input); optionally verify it; one row."""
    limit_threads(2)
    X, y = sample_graph_task(task, size + cfg["test_size"], seed=seed)
    data = tensor_task(task, X[:size], y[:size], X[size:], y[size:], num_classes=2, symmetry=symmetry)
    group = skeleton_group(symmetry)
    net = make_asen(data, symmetry_input(group, mode="exact"), base=cfg["base"], width=cfg["width"],
                    num_layers=cfg["num_layers"], heads=cfg["heads"], pair_dim=cfg["pair_dim"], seed=seed,
                    **init_options(cfg)).to(device)
    score = fit_and_score(net, data, steps=cfg["steps"], batch_size=cfg["batch_size"], lr=cfg["lr"], seed=seed,
                          progress=progress, desc=f"{task} n={size} {symmetry} s{seed}")
    row = {"task": task, "true": TRUE_SYMMETRY[task], "train_size": size, "symmetry": symmetry,
           "order": group.order(), "seed": seed, "params": num_parameters(net), **score}
    if verify:
        checked = _verify_trained(net.cpu(), data, group, X[size : size + 64, :, None], seed)
        row.update({f"verify_{k}": v for k, v in checked.items()})
    return [row]


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: every (task, size, seed, symmetry); the largest size's first seed is verified.

    Examples
    --------
    >>> runs = plan(FULL); len(runs), sum(r["verify"] for r in runs)  # 2 tasks x 3 sizes x 3 seeds x 6
    (108, 12)
    """
    largest, first = max(cfg["sizes"]), cfg["seeds"][0]
    return [{"task": t, "size": s, "seed": seed, "symmetry": g, "verify": s == largest and seed == first}
            for t in cfg["tasks"] for s in cfg["sizes"] for seed in cfg["seeds"] for g in cfg["symmetries"]]


def _label_checks(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for t in cfg["tasks"] for c in label_checks(t, num_inputs=cfg["verify_inputs"])]


def report(run: ExperimentRun) -> Report:
    """Summary per (task, size, symmetry), the label and trained-model checks, the winners and the plot."""
    cfg, rows, checks = run.cfg, run.rows, run.prepared
    summary = mean_std(rows, ["task", "train_size", "symmetry"], "accuracy")
    trained = [{"task": r["task"], "symmetry": r["symmetry"], "order": r["order"],
                **{k[7:]: v for k, v in r.items() if k.startswith("verify_")}} for r in rows if "verify_exact" in r]
    winners = {}
    for t in cfg["tasks"]:
        for s in cfg["sizes"]:
            cell = [r for r in summary if r["task"] == t and r["train_size"] == s]
            winners[f"{t} n={s}"] = max(cell, key=lambda r: r["mean"])["symmetry"]
    plot = lambda: plot_lines(  # drawn by the harness once the tables are written
        summary, x="train_size", series="symmetry", panel="task", path=run.out / "graph_selection.png", logx=True,
        title="skeleton tasks: accuracy vs training-set size per symmetry input", xlabel="training graphs")
    return Report(summary, tables={"label_checks": checks, "trained_checks": trained}, plots=[plot],
                  extra={"winners": winners, "label_checks": checks, "trained_checks": trained})


def run(*, quick: bool = False, out_dir: str = "results/graph-selection", seeds: list[int] | None = None,
        progress: bool = True, jobs: int = 1, device: str = "cpu", **overrides: Any) -> dict[str, Any]:
    """Label checks, then every (task, size, seed, symmetry) run; tables, verifier results and a plot.

    ``overrides`` replaces keys of :data:`FULL` (e.g. ``sizes=(100, 1000)`` for a reduced run).
    """
    return run_experiment("graph-selection", quick_setting=QUICK, full_setting=FULL, plan=plan, unit=unit,
                          report=report, prepare=_label_checks, quick=quick, out_dir=out_dir, seeds=seeds,
                          progress=progress, jobs=jobs, device=device, overrides=overrides, timed=True)
