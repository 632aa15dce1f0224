"""Transfer experiment: pretrain on all per-position tasks but one, fine-tune on 15% of the held-out task.

For each held-out task and seed, four arms are fine-tuned with the same steps on the same 15% of the
held-out task's training data and scored on its held-out test set:

* ``scratch`` -- a fresh ASEN, true group;
* ``pretrained`` -- ASEN pretrained on the other 8 tasks with their true groups, fine-tuned with the
  held-out task's true group (a new head; the group's colour embeddings are reused when a pretraining
  task had the same group);
* ``pretrained-trivial`` -- pretrained with the trivial group's input on every task, fine-tuned with the
  true group;
* ``trivial-throughout`` -- pretrained and fine-tuned with the trivial group (no equivariance at all).

Every weight is trained during fine-tuning. Run with ``asen experiment transfer [--quick]``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..models import DEFAULT_INIT
from .extras import pyplot
from .harness import (
    ExperimentRun,
    Report,
    add_task,
    build_model,
    certified_input,
    evaluate,
    init_options,
    limit_threads,
    mean_std,
    run_experiment,
    train,
)  # fmt: skip
from .multitask import TASK_ORDER
from .sequence_tasks import task_data

__all__ = ["ARMS", "FULL", "QUICK", "plan", "report", "run", "unit"]

ARMS = ("scratch", "pretrained", "pretrained-trivial", "trivial-throughout")
FRACTION = 0.15

QUICK = {
    "held_out": ["max_window_product"],
    "pretrain_tasks": 2,
    "seeds": [0],
    "train": 100,
    "test": 48,
    "pretrain_steps": 6,
    "finetune_steps": 6,
    "width": 16,
    "layers": 1,
    "heads": 2,
    "batch": 16,
    "lr": 3e-3,
    **DEFAULT_INIT,
}
FULL = {
    "held_out": ["max_window_product", "max_alternating_sum", "target_sum", "longest_monotone_run"],
    "pretrain_tasks": 8,
    "seeds": [0, 1, 2],
    "train": 1000,
    "test": 500,
    "pretrain_steps": 300,
    "finetune_steps": 200,
    "width": 64,
    "layers": 3,
    "heads": 4,
    "batch": 32,
    "lr": 1e-3,
    **DEFAULT_INIT,
}


def unit(
    *, held_out: str, seed: int, cfg: dict[str, Any], device: str = "cpu", progress: bool = False
) -> list[dict[str, Any]]:
    """All four arms for one held-out task and seed; one row per arm."""
    limit_threads(2)
    others = [t for t in TASK_ORDER if t != held_out][: cfg["pretrain_tasks"]]
    pre = [task_data(t, train=cfg["train"], test=cfg["test"], seed=seed) for t in others]
    target = task_data(held_out, train=cfg["train"], test=cfg["test"], seed=seed)
    target = target.subset(max(1, round(FRACTION * cfg["train"])), seed=seed)
    kw = {"width": cfg["width"], "num_layers": cfg["layers"], "heads": cfg["heads"], "device": device,
          **init_options(cfg)}
    fit = {"batch_size": cfg["batch"], "lr": cfg["lr"], "progress": progress}
    trivial = f"trivial({target.num_points})"
    bodies = {}
    for name, tasks in (("pretrained", pre), ("pretrained-trivial", [d.with_symmetry(trivial) for d in pre])):
        net = build_model(tasks, seed=seed, **kw)
        train(net, tasks, steps=cfg["pretrain_steps"], seed=seed, desc=f"pretrain {name} s={seed}", **fit)
        bodies[name] = net
    rows = []
    for arm in ARMS:
        task = target.with_symmetry(trivial) if arm == "trivial-throughout" else target
        if arm == "scratch":
            net = build_model([task], seed=seed + 1000, **kw)
        else:
            net = copy.deepcopy(bodies["pretrained" if arm == "pretrained" else "pretrained-trivial"])
            add_task(net, task, seed=seed + 1000)
            if task.symmetry not in net.symmetries:
                net.add_symmetry(task.symmetry, certified_input(task.symmetry), seed=seed + 1001)
            net.to(device)
        train(
            net, [task], steps=cfg["finetune_steps"], seed=seed + 7, desc=f"fine-tune {arm} s={seed}", **fit
        )
        rows.append(
            {
                "held_out": held_out,
                "arm": arm,
                "seed": seed,
                "finetune_samples": len(task.x_train),
                **evaluate(net, task),
            }
        )
    return rows


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: one ``{held_out, seed}`` per held-out task and seed (all four arms each).

    Examples
    --------
    >>> len(plan(FULL))
    12
    """
    return [{"held_out": h, "seed": s} for h in cfg["held_out"] for s in cfg["seeds"]]


def report(run: ExperimentRun) -> Report:
    """Mean ± std over seeds per held-out task and arm, and the grouped bar plot."""
    summary = mean_std(run.rows, ["held_out", "arm"], "accuracy")
    return Report(summary, plots=[lambda: _plot(summary, run.out / "transfer.png")])


def run(
    *,
    quick: bool = False,
    out_dir: str = "results/transfer",
    seeds: list[int] | None = None,
    progress: bool = True,
    jobs: int = 1,
    device: str = "cpu",
    **overrides: Any,
) -> dict[str, Any]:
    """Run the experiment; write CSV/JSON/PNG under ``out_dir``; return the summary (JSON-ready).

    ``overrides`` replace entries of the setting (``QUICK`` or ``FULL``), e.g. ``finetune_steps=100``.
    """
    return run_experiment(
        "transfer", quick_setting=QUICK, full_setting=FULL, plan=plan, unit=unit, report=report,
        quick=quick, out_dir=out_dir, seeds=seeds, progress=progress, jobs=jobs, device=device,
        overrides=overrides, meta={"fraction": FRACTION},
    )  # fmt: skip


def _plot(summary: list[dict[str, Any]], path: Path) -> Path:
    """Grouped bars: one group per held-out task, one bar (± std over seeds) per arm."""
    import numpy as np

    plt = pyplot()

    tasks = list(dict.fromkeys(r["held_out"] for r in summary))
    fig, ax = plt.subplots(figsize=(1.8 + 2.0 * len(tasks), 3.4))
    w = 0.8 / len(ARMS)
    for j, arm in enumerate(ARMS):
        vals = [next((r for r in summary if r["held_out"] == t and r["arm"] == arm), None) for t in tasks]
        ax.bar(
            np.arange(len(tasks)) + j * w,
            [v["mean"] for v in vals],
            w,
            yerr=[v["std"] for v in vals],
            label=arm,
            capsize=2,
        )
    ax.set_xticks(np.arange(len(tasks)) + 0.4 - w / 2, tasks, fontsize=8)
    ax.set_ylabel("held-out accuracy")
    ax.set_ylim(0.4, 1.0)
    ax.set_title(f"transfer: fine-tuning on {int(FRACTION * 100)}% of the held-out task", fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
