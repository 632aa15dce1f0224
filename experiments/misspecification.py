"""Symmetry misspecification: train a task under a smaller, a larger and the true group.

Cases (single-task ASENs, same budget; held-out accuracy, mean ± std over seeds):

* ``set_intersection``, ``target_sum`` (true ``S_5 wr S_2``): smaller ``young(5,5)`` = ``(S_5)^2``
  (the halves can no longer be swapped), larger ``S_10``, and the trivial group;
* ``max_alternating_sum`` (true ``C_10``): larger ``D_10`` (reversal flips the sign pattern), trivial;
* ``halves_intersection`` (true ``S_4 wr S_2``, whole sequence): smaller ``young(4,4)``, larger ``S_8``;
* ``sort_sign`` (true ``A_8``, not 2-closed): the 2-closure input, whose automorphism group is ``S_8`` (a
  model reading it is ``S_8``-invariant, so it cannot see the sign), and the trivial group; the exact input
  (140 auxiliary vertices) only with ``exact_a8=True`` (``--set exact_a8=true``), because its six runs
  (148 vertices, about 3.8 s per step on one CPU thread) take about an hour on 2 CPU cores, twice the
  30-minute budget of the full setting.

A larger group than the true one forces the model to give equal outputs where the labels differ, so it
caps accuracy; a smaller one only costs data efficiency. Run with ``asen experiment misspecification``.
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
from .sequence_tasks import TASKS, task_data

__all__ = ["CASES", "FULL", "OPT_IN", "QUICK", "plan", "report", "run", "unit"]

# task -> [(variant, symmetry name)]; "<spec>-closure" means the 2-closure (orbital) input of <spec>
CASES: dict[str, list[tuple[str, str]]] = {
    "set_intersection": [
        ("true", "wreath(symmetric(5),symmetric(2))"),
        ("smaller", "young(5,5)"),
        ("larger", "symmetric(10)"),
        ("trivial", "trivial(10)"),
    ],
    "target_sum": [
        ("true", "wreath(symmetric(5),symmetric(2))"),
        ("smaller", "young(5,5)"),
        ("larger", "symmetric(10)"),
        ("trivial", "trivial(10)"),
    ],
    "max_alternating_sum": [("true", "cyclic(10)"), ("larger", "dihedral(10)"), ("trivial", "trivial(10)")],
    "halves_intersection": [
        ("true", "wreath(symmetric(4),symmetric(2))"),
        ("smaller", "young(4,4)"),
        ("larger", "symmetric(8)"),
        ("trivial", "trivial(8)"),
    ],
    "sort_sign": [
        ("true", "alternating(8)"),
        ("larger", "alternating(8)-closure"),
        ("trivial", "trivial(8)"),
    ],
}

# (task, variant) pairs run only when the setting's "exact_a8" is true: the exact A_8 input is
# 148 vertices, about 200 times the cost per step of the 8-vertex inputs
OPT_IN: frozenset[tuple[str, str]] = frozenset({("sort_sign", "true")})

QUICK = {
    "tasks": ["max_alternating_sum"],
    "sizes": [24],
    "seeds": [0],
    "steps": 8,
    "test": 48,
    "width": 16,
    "layers": 1,
    "heads": 2,
    "batch": 16,
    "lr": 3e-3,
    "base": "gatv2",
    "dropout": 0.0,
    "weight_decay": 0.0,
    **DEFAULT_INIT,
    "exact_a8": False,
}
FULL = {
    "tasks": list(CASES),
    "sizes": [100, 400],
    "seeds": [0, 1, 2],
    "steps": 300,
    "test": 500,
    "width": 64,
    "layers": 3,
    "heads": 4,
    "batch": 32,
    "lr": 1e-3,
    "base": "gatv2",
    "dropout": 0.0,
    "weight_decay": 0.0,
    **DEFAULT_INIT,
    "exact_a8": False,
}


def unit(
    *,
    task: str,
    variant: str,
    symmetry: str,
    size: int,
    seed: int,
    cfg: dict[str, Any],
    device: str = "cpu",
    progress: bool = False,
) -> list[dict[str, Any]]:
    """Train one single-task ASEN reading ``symmetry``; one row."""
    limit_threads(2)
    data = task_data(task, train=max(cfg["sizes"]), test=cfg["test"], seed=seed).subset(size, seed=seed)
    data = data.with_symmetry(symmetry)
    net = build_model(
        [data], width=cfg["width"], num_layers=cfg["layers"], heads=cfg["heads"], seed=seed, device=device,
        base=cfg.get("base", "gatv2"), dropout=cfg.get("dropout", 0.0),
        **init_options(cfg),
    )
    train(
        net,
        [data],
        steps=cfg["steps"],
        batch_size=cfg["batch"],
        lr=cfg["lr"],
        weight_decay=cfg.get("weight_decay", 0.0),
        seed=seed,
        progress=progress,
        desc=f"{task} {variant} m={size} s={seed}",
    )
    sym = net.symmetries[symmetry]
    return [
        {
            "task": task,
            "true_group": TASKS[task].group_spec,
            "variant": variant,
            "symmetry": symmetry,
            "order": net.group(symmetry).order(),
            "aux_vertices": sym.num_vertices - sym.n,
            "train_size": size,
            "seed": seed,
            **evaluate(net, data),
        }
    ]


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: one ``{task, variant, symmetry, size, seed}`` per trained model.

    Every case of :data:`CASES` for ``cfg["tasks"]``, except the :data:`OPT_IN` ones unless
    ``cfg["exact_a8"]`` is true.

    Examples
    --------
    >>> len(plan(FULL)), len(plan({**FULL, "exact_a8": True}))
    (102, 108)
    """
    tasks = cfg["tasks"]
    unknown = [t for t in tasks if t not in CASES]
    if unknown:
        raise ValueError(f"tasks must be among {sorted(CASES)}, got {unknown!r}")
    return [
        {"task": t, "variant": v, "symmetry": s, "size": m, "seed": seed}
        for t in tasks
        for v, s in CASES[t]
        if cfg["exact_a8"] or (t, v) not in OPT_IN
        for m in cfg["sizes"]
        for seed in cfg["seeds"]
    ]


def _runs_slowest_first(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """:func:`plan`, the ``sort_sign`` runs (148 vertices for the exact A_8 input) first for the pool."""
    return sorted(plan(cfg), key=lambda u: u["task"] != "sort_sign")


def report(run: ExperimentRun) -> Report:
    """Mean ± std over seeds per task, variant and size, and one panel of lines per task."""
    summary = mean_std(run.rows, ["task", "variant", "symmetry", "train_size"], "accuracy")
    title = "misspecification: held-out accuracy under the true, smaller and larger groups"
    plot = lambda: plot_lines(  # drawn by the harness once the tables are written
        summary, x="train_size", series="variant", panel="task", path=run.out / "misspecification.png",
        logx=True, xlabel="training samples", title=title,
    )  # fmt: skip
    return Report(summary, plots=[plot])


def run(
    *,
    quick: bool = False,
    out_dir: str = "results/misspecification",
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
        "misspecification", quick_setting=QUICK, full_setting=FULL, plan=_runs_slowest_first, unit=unit,
        report=report, quick=quick, out_dir=out_dir, seeds=seeds, progress=progress, jobs=jobs, device=device,
        overrides=overrides,
    )  # fmt: skip
