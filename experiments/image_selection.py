"""Image symmetry selection on the 8x8 digits: the same ASEN under seven symmetry inputs, two references.

Every model reads one scalar per pixel (the standardised intensity) and predicts the digit. The ASEN
(transformer base, pooled head) is the same network throughout; only its symmetry input changes:
``trivial`` (no weight sharing), ``torus`` (cyclic shifts), ``c4`` (quarter turns of the bounded
image), ``d4`` (turns and flips), ``p4`` / ``p4m`` (shifts, turns and flips on the torus) and ``s64`` (a bag
of pixels). References: a plain CNN, and a transformer with learned positional encodings (the ASEN body
with :func:`~asen.models.positional_symmetry`).

A data *condition* (:data:`asen.experiments.image_data.CONDITIONS`) moves train and test images by random
elements of a group: ``upright`` (none), ``rotated`` (C4), ``p4m`` (shifts, turns, flips). The run gives
accuracy per symmetry in each condition at ``train_size`` images, and accuracy against the training-set
size in the ``sweep_condition``.

Command: ``asen experiment image-selection [--quick]`` (default output ``results/image-selection``); files ``image_selection.{csv,json}``,
``image_selection_summary.{csv,json}``, ``image_selection_by_symmetry.png``, ``image_selection_by_size.png``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..models import DEFAULT_INIT
from .harness import ExperimentRun, Report, init_options, limit_threads, mean_std, plot_lines, run_experiment
from .image_data import CONDITIONS, image_group, image_split, load_digit_images
from .selection_common import fit_and_score, plot_bars, tensor_task
from .selection_models import CNNReference, make_asen, num_parameters, symmetry_input

__all__ = ["FULL", "MODELS", "QUICK", "plan", "report", "run", "unit"]

#: model name -> symmetry of the ASEN ("cnn": the CNN reference, "positional": the positional transformer)
MODELS = ("trivial", "torus", "c4", "d4", "p4", "p4m", "s64", "cnn", "positional")

FULL: dict[str, Any] = {
    "conditions": ("upright", "rotated"), "train_size": 300, "sweep_condition": "rotated",
    "sizes": (100, 300, 1000), "test_size": 500, "steps": 300, "batch_size": 32, "lr": 3e-3,
    "width": 32, "num_layers": 1, "heads": 4, "pair_dim": 8, "seeds": (0, 1, 2), "models": MODELS,
    **DEFAULT_INIT,  # the library defaults (LEGACY_INIT: what docs/results.md measured first)
}
QUICK: dict[str, Any] = {
    **FULL, "conditions": ("rotated",), "train_size": 40, "sizes": (40,), "test_size": 50, "steps": 3,
    "width": 16, "seeds": (0,), "models": ("trivial", "c4", "s64", "cnn", "positional"),
}


def _standardise(X: np.ndarray) -> np.ndarray:
    X_all, _ = load_digit_images()
    return (X - X_all.mean()) / X_all.std()


def _build(name: str, task, cfg: dict[str, Any], seed: int):
    if name == "cnn":
        return CNNReference(10, seed=seed)
    if name == "positional":
        sym = symmetry_input("positional", n=64)
    elif name == "s64":
        sym = symmetry_input("symmetric", n=64)
    else:
        sym = symmetry_input(image_group(name), mode="exact")
    return make_asen(task, sym, base="transformer", width=cfg["width"], num_layers=cfg["num_layers"],
                     heads=cfg["heads"], pair_dim=cfg["pair_dim"], seed=seed,
                     **init_options(cfg))


def _cells(cfg: dict[str, Any]) -> list[tuple[str, int]]:
    cells = [(c, cfg["train_size"]) for c in cfg["conditions"]]
    cells += [(cfg["sweep_condition"], s) for s in cfg["sizes"] if (cfg["sweep_condition"], s) not in cells]
    return cells


def unit(*, condition: str, size: int, seed: int, model: str, cfg: dict[str, Any], device: str = "cpu",
         progress: bool = False) -> list[dict[str, Any]]:
    """Train and score one model in one (condition, training size) cell; one row."""
    limit_threads(2)
    split = image_split(condition, train_size=size, test_size=cfg["test_size"], seed=seed)
    task = tensor_task("digits", _standardise(split.X_train), split.y_train, _standardise(split.X_test),
                       split.y_test, num_classes=10, symmetry=model)
    net = _build(model, task, cfg, seed).to(device)
    score = fit_and_score(net, task, steps=cfg["steps"], batch_size=cfg["batch_size"], lr=cfg["lr"], seed=seed,
                          progress=progress, desc=f"{condition} n={size} {model} s{seed}")
    return [{"condition": condition, "train_size": size, "model": model, "seed": seed,
             "params": num_parameters(net), **score}]


def plan(cfg: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs of setting ``cfg``: every model in every (condition, training size) cell for each seed.

    Examples
    --------
    >>> len(plan(FULL))  # (2 conditions at 300 + the sweep's sizes 100 and 1000) x 3 seeds x 9 models
    108
    """
    for c in tuple(cfg["conditions"]) + (cfg["sweep_condition"],):
        if c not in CONDITIONS:
            raise ValueError(f"condition must be one of {sorted(CONDITIONS)}, got {c!r}")
    bad = [m for m in cfg["models"] if m not in MODELS]
    if bad:
        raise ValueError(f"models must be among {MODELS}, got {bad}")
    return [{"condition": c, "size": size, "seed": seed, "model": m}
            for c, size in _cells(cfg) for seed in cfg["seeds"] for m in cfg["models"]]


def report(run: ExperimentRun) -> Report:
    """Summary per (condition, size, model), bars per symmetry at ``train_size``, lines over the sweep."""
    cfg, out = run.cfg, run.out
    summary = mean_std(run.rows, ["condition", "train_size", "model"], "accuracy")
    main = [r for r in summary if r["train_size"] == cfg["train_size"]]
    sweep = [r for r in summary if r["condition"] == cfg["sweep_condition"]]
    best = {c: max((r for r in main if r["condition"] == c), key=lambda r: r["mean"])["model"]
            for c in cfg["conditions"]}
    bars = lambda: plot_bars(  # drawn by the harness once the tables are written
        main, x="model", series="condition", path=out / "image_selection_by_symmetry.png", chance=0.1,
        title=f"8x8 digits, {cfg['train_size']} training images: accuracy per symmetry input")
    lines = lambda: plot_lines(
        sweep, x="train_size", series="model", path=out / "image_selection_by_size.png", logx=True,
        title=f"digits ({cfg['sweep_condition']}): accuracy vs training-set size", xlabel="training images")
    return Report(summary, plots=[bars, lines], extra={"best_per_condition": best})


def run(*, quick: bool = False, out_dir: str = "results/image-selection", seeds: list[int] | None = None,
        progress: bool = True, jobs: int = 1, device: str = "cpu", **overrides: Any) -> dict[str, Any]:
    """Train every model in every (condition, training size) cell for each seed; write tables and plots.

    Parameters
    ----------
    quick
        The CI smoke setting (:data:`QUICK`) instead of :data:`FULL`.
    out_dir
        Where the CSV/JSON/PNG files go.
    seeds
        Overrides the setting's seeds.
    jobs, device
        Parallel worker processes and torch device (see :func:`~asen.experiments.harness.run_units`).
    overrides
        Any key of :data:`FULL` (e.g. ``conditions=("rotated",)``, ``steps=150``) for a reduced run.
    """
    return run_experiment("image-selection", quick_setting=QUICK, full_setting=FULL, plan=plan, unit=unit,
                          report=report, quick=quick, out_dir=out_dir, seeds=seeds, progress=progress, jobs=jobs,
                          device=device, overrides=overrides, timed=True)
