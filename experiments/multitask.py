"""Multitask experiment: one ASEN on 3, 6 and 9 per-position sequence tasks, each read under its own group.

Compared, at every training-set size (samples per task) and seed, on held-out accuracy:

* ``asen-multitask`` -- one ASEN (shared body) trained on the ``k`` tasks at once, each task with its
  true symmetry;
* ``asen-single`` -- a separate ASEN per task with the same budget (same steps, batch size and samples
  of its task; trained once per task and size, so the ``k`` columns share them);
* ``trivial-multitask`` -- the same multitask model reading the trivial group's input (every position its
  own colour): no equivariance.

.. math:: \\text{acc}(k, m) = \\frac{1}{k} \\sum_{t \\le k} \\text{held-out accuracy of task } t

Run with ``asen experiment multitask [--quick]``; writes ``multitask.csv``/``.json`` (one row per model,
task, size and seed), ``multitask_summary.csv`` and ``multitask.png``.
"""

from __future__ import annotations

from typing import Any

from ..models import DEFAULT_INIT
from .harness import (
    ExperimentRun,
    Report,
    build_model,
    evaluate,
    init_options,
    limit_threads,
    mean_std,
    plot_lines,
    run_experiment,
    train,
)
from .sequence_tasks import task_data

__all__ = ["FULL", "QUICK", "TASK_ORDER", "plan", "report", "run", "unit"]

# 3 tasks: one per symmetry family; 6 and 9 add the rest (every group of the per-position tasks appears)
TASK_ORDER = (
    "palindrome_window", "max_window_sum", "set_intersection",
    "longest_constant_run", "max_alternating_sum", "target_sum",
    "longest_monotone_run", "max_window_product", "symmetric_difference",
)  # fmt: skip

QUICK = {
    "task_counts": [2],
    "sizes": [24],
    "seeds": [0],
    "steps": 8,
    "test": 48,
    "width": 16,
    "layers": 1,
    "heads": 2,
    "batch": 16,
    "lr": 3e-3,
    **DEFAULT_INIT,  # the library defaults (LEGACY_INIT: what docs/results.md measured first)
}
FULL = {
    "task_counts": [3, 6, 9],
    "sizes": [25, 100, 400],
    "seeds": [0, 1, 2],
    "steps": 300,
    "test": 500,
    "width": 64,
    "layers": 3,
    "heads": 4,
    "batch": 32,
    "lr": 1e-3,
    **DEFAULT_INIT,  # the library defaults (LEGACY_INIT: what docs/results.md measured first)
}


def _data(names: list[str], size: int, seed: int, cfg: dict[str, Any]) -> list:
    """Each task's data for ``seed``: the first ``size`` of ``max(sizes)`` training samples (nested sizes)."""
    full = max(cfg["sizes"])
    return [task_data(t, train=full, test=cfg["test"], seed=seed).subset(size, seed=seed) for t in names]


def unit(
    *,
    model: str,
    tasks: list[str],
    size: int,
    seed: int,
    cfg: dict[str, Any],
    device: str = "cpu",
    progress: bool = False,
) -> list[dict[str, Any]]:
    """Train one model (``asen-multitask``, ``asen-single`` or ``trivial-multitask``); one row per task."""
    limit_threads(2)
    data = _data(tasks, size, seed, cfg)
    if model == "trivial-multitask":
        data = [d.with_symmetry(f"trivial({d.num_points})") for d in data]
    net = build_model(
        data, width=cfg["width"], num_layers=cfg["layers"], heads=cfg["heads"], seed=seed, device=device,
        **init_options(cfg),
    )
    train(
        net,
        data,
        steps=cfg["steps"],
        batch_size=cfg["batch"],
        lr=cfg["lr"],
        seed=seed,
        progress=progress,
        desc=f"{model} k={len(tasks)} m={size} s={seed}",
    )
    rows = []
    for d in data:
        acc = evaluate(net, d)
        rows.append({"model": model, "task": d.name, "train_size": size, "seed": seed, **acc})
    return rows


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: per size and seed, both multitask models for every task count, then one
    ``asen-single`` per task of the largest count.

    Examples
    --------
    >>> len(plan(FULL))  # 3 sizes x 3 seeds x (3 task counts x 2 models + 9 single tasks)
    135
    """
    kmax = max(cfg["task_counts"])
    units = []
    for size in cfg["sizes"]:
        for seed in cfg["seeds"]:
            for k in cfg["task_counts"]:
                for model in ("asen-multitask", "trivial-multitask"):
                    units.append({"model": model, "tasks": list(TASK_ORDER[:k]), "size": size, "seed": seed})
            for t in TASK_ORDER[:kmax]:
                units.append({"model": "asen-single", "tasks": [t], "size": size, "seed": seed})
    return units


def report(run: ExperimentRun) -> Report:
    """Rows per task count ``k`` (multitask models trained on ``k`` tasks, the single-task models of those
    ``k`` tasks), their mean over tasks per seed, the summary over seeds and the line plot."""
    cfg = run.cfg
    rows = []
    for k in cfg["task_counts"]:
        names = set(TASK_ORDER[:k])
        for u, r in _with_units(run.units, run.rows):
            if r["task"] in names and (u["model"] == "asen-single" or len(u["tasks"]) == k):
                rows.append({"num_tasks": k, **r})
    per_seed = mean_std(rows, ["model", "num_tasks", "train_size", "seed"], "accuracy")
    for r in per_seed:
        r["accuracy"] = r.pop("mean")
        r.pop("std"), r.pop("n")
    summary = mean_std(per_seed, ["model", "num_tasks", "train_size"], "accuracy")
    lines = [{**r, "k": f"{r['num_tasks']} tasks"} for r in summary]
    title = "multitask: mean held-out accuracy over tasks (± std over seeds)"
    plot = lambda: plot_lines(  # drawn by the harness once the tables are written
        lines, x="train_size", series="model", panel="k", path=run.out / "multitask.png", logx=True,
        xlabel="training samples per task", title=title,
    )  # fmt: skip
    return Report(summary, rows=rows, plots=[plot])


def run(
    *,
    quick: bool = False,
    out_dir: str = "results/multitask",
    seeds: list[int] | None = None,
    progress: bool = True,
    jobs: int = 1,
    device: str = "cpu",
    **overrides: Any,
) -> dict[str, Any]:
    """Run the experiment; write CSV/JSON/PNG under ``out_dir``; return the summary (JSON-ready).

    ``overrides`` replace entries of the setting (``QUICK`` or ``FULL``), e.g. ``sizes=[25, 400]``.
    """
    return run_experiment(
        "multitask", quick_setting=QUICK, full_setting=FULL, plan=plan, unit=unit, report=report,
        quick=quick, out_dir=out_dir, seeds=seeds, progress=progress, jobs=jobs, device=device,
        overrides=overrides, meta={"tasks": list(TASK_ORDER)},
    )  # fmt: skip


def _with_units(units: list[dict[str, Any]], rows: list[dict[str, Any]]):
    """Pair each row with the unit that produced it (units give one row per task, in order)."""
    i = 0
    for u in units:
        for _ in u["tasks"]:
            yield u, rows[i]
            i += 1
