"""Equivariant MLP (orbital weight sharing) against ASEN at equal parameter count.

Both models read the same certified symmetry input and use the same task encoders and heads; only the
body differs: ASEN's attention blocks (``base="gatv2"`` on sequences, the cheaper ``"transformer"`` on the
64-pixel images) against :class:`~asen.models.EquivariantMLP` (``base="orbital_mlp"``: each layer is
``x_i' = mean_j Theta[c_ij] x_j + b``, the most general equivariant linear map for the orbital colouring,
the construction EMLP-style methods use for permutation groups). The EMLP's width is chosen so that its
parameter count is the closest to the ASEN's.

Tasks: two per-position sequence tasks of :mod:`asen.experiments.sequence_tasks` (``max_window_sum``,
dihedral D_10; ``max_alternating_sum``, cyclic C_10) and the rotated 8x8 digits with the C4 input.
Reported per model: held-out accuracy, training seconds per epoch (wall clock, noisy on a shared
machine) and the bytes autograd keeps for backward in one training step of ``batch_size`` samples
(deterministic, see :func:`~asen.experiments.selection_models.activation_bytes`).

Command: ``asen experiment emlp-comparison [--quick]`` (default output ``results/emlp-comparison``); files ``emlp_comparison.{csv,json}``,
``emlp_comparison_summary.{csv,json}``, ``emlp_comparison.png``.
"""

from __future__ import annotations

from typing import Any

from .harness import ExperimentRun, Report, TaskData, limit_threads, mean_std, run_experiment
from .image_data import image_group, image_split, load_digit_images
from .selection_common import fit_and_score, plot_bars, tensor_task
from .selection_models import activation_bytes, make_asen, model_function, num_parameters, symmetry_input
from .sequence_tasks import task_data

__all__ = ["FULL", "IMAGE_LABEL", "QUICK", "matched_width", "plan", "report", "run", "unit"]

IMAGE_LABEL = "digits-rotated-C4"

FULL: dict[str, Any] = {
    "sequence_tasks": ("max_window_sum", "max_alternating_sum"), "image": True, "train_size": 1000,
    "test_size": 500, "image_train_size": 500, "steps": 300, "batch_size": 32, "lr": 3e-3, "width": 32,
    "num_layers": 2, "heads": 4, "pair_dim": 16, "seeds": (0, 1, 2),
}
QUICK: dict[str, Any] = {
    **FULL, "sequence_tasks": ("max_window_sum",), "train_size": 64,
    "steps": 3, "width": 16, "seeds": (0,), "image_train_size": 40, "test_size": 40,
}


def matched_width(build, target: int, *, widths=range(4, 257, 2)) -> tuple[int, int]:
    """The width ``w`` whose ``num_parameters(build(w))`` is closest to ``target``; returns ``(w, params)``."""
    best = None
    for w in widths:
        p = num_parameters(build(w))
        if best is None or abs(p - target) < abs(best[1] - target):
            best = (w, p)
        if p > target:
            break
    assert best is not None
    return best


def _task(cfg: dict[str, Any], label: str, seed: int) -> tuple[TaskData, Any, str]:
    """``(task, symmetry input, asen base)`` for ``label`` (a sequence task name or ``"digits-rotated-C4"``)."""
    if label == IMAGE_LABEL:
        split = image_split("rotated", train_size=cfg["image_train_size"], test_size=cfg["test_size"], seed=seed)
        X_all, _ = load_digit_images()
        mu, sd = X_all.mean(), X_all.std()
        t = tensor_task("digits", (split.X_train - mu) / sd, split.y_train, (split.X_test - mu) / sd, split.y_test,
                        num_classes=10, symmetry="c4")
        return t, symmetry_input(image_group("c4"), mode="exact"), "transformer"
    from ..groups.spec import resolve

    t = task_data(label, train=cfg["train_size"], test=cfg["test_size"], seed=seed)
    return t, symmetry_input(resolve(t.symmetry), mode="exact"), "gatv2"


def _build(cfg: dict[str, Any], task: TaskData, sym: Any, base: str, which: str, width: int, seed: int):
    if which == "asen":
        return make_asen(task, sym, base=base, width=cfg["width"], num_layers=cfg["num_layers"], heads=cfg["heads"],
                         pair_dim=cfg["pair_dim"], seed=seed)
    return make_asen(task, sym, base="orbital_mlp", width=width, num_layers=cfg["num_layers"],
                     pair_dim=cfg["pair_dim"], seed=seed)


def unit(*, label: str, seed: int, which: str, cfg: dict[str, Any], device: str = "cpu",
         progress: bool = False) -> list[dict[str, Any]]:
    """One model (``"asen"`` or the parameter-matched ``"emlp"``) on one task and seed; one row."""
    limit_threads(2)
    task, sym, base = _task(cfg, label, seed)
    width = cfg["width"]
    if which == "emlp":
        target = num_parameters(_build(cfg, task, sym, base, "asen", width, seed))
        width = matched_width(lambda w: _build(cfg, task, sym, base, "emlp", w, seed), target)[0]
    net = _build(cfg, task, sym, base, which, width, seed)
    mem = activation_bytes(model_function(net, task), net, task.x_train[: cfg["batch_size"]])
    net = net.to(device)
    score = fit_and_score(net, task, steps=cfg["steps"], batch_size=cfg["batch_size"], lr=cfg["lr"], seed=seed,
                          progress=progress, desc=f"{label} {which} s{seed}")
    return [{"task": label, "model": which, "body": base if which == "asen" else "orbital_mlp", "width": width,
             "seed": seed, "params": num_parameters(net), "activation_mib": round(mem / 2**20, 3), **score}]


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: ASEN and the matched EMLP on every task (the image last) for each seed.

    Examples
    --------
    >>> len(plan(FULL))  # (2 sequence tasks + the digits) x 3 seeds x 2 models
    18
    """
    labels = list(cfg["sequence_tasks"]) + ([IMAGE_LABEL] if cfg["image"] else [])
    return [{"label": label, "seed": seed, "which": which}
            for label in labels for seed in cfg["seeds"] for which in ("asen", "emlp")]


def report(run: ExperimentRun) -> Report:
    """Mean ± std over seeds of accuracy, seconds per epoch, activation memory and parameters; the bar plot."""
    summary = []
    for value in ("accuracy", "seconds_per_epoch", "activation_mib", "params"):
        summary += [{"metric": value, **r} for r in mean_std(run.rows, ["task", "model"], value)]
    acc = [r for r in summary if r["metric"] == "accuracy"]
    plot = lambda: plot_bars(  # drawn by the harness once the tables are written
        acc, x="task", series="model", path=run.out / "emlp_comparison.png",
        title="ASEN vs equivariant MLP (orbital weight sharing) at equal parameter count")
    return Report(summary, plots=[plot])


def run(*, quick: bool = False, out_dir: str = "results/emlp-comparison", seeds: list[int] | None = None,
        progress: bool = True, jobs: int = 1, device: str = "cpu", **overrides: Any) -> dict[str, Any]:
    """ASEN and the parameter-matched EMLP on every task and seed; accuracy, time per epoch, memory."""
    return run_experiment("emlp-comparison", quick_setting=QUICK, full_setting=FULL, plan=plan, unit=unit,
                          report=report, quick=quick, out_dir=out_dir, seeds=seeds, progress=progress, jobs=jobs,
                          device=device, overrides=overrides, timed=True)
