"""Experiments: sequence tasks with known symmetry groups, the shared training harness, and the runs
behind ``docs/results.md`` (multitask, transfer, misspecification), each reachable as
``asen experiment NAME [--quick]`` through :mod:`asen.experiments.registry`. Every experiment's ``run``
goes through :func:`~asen.experiments.harness.run_experiment` (setting, runs, files, summary).

Importing this package imports torch (the harness trains models); :mod:`asen.groups` and
:mod:`asen.breaking` stay torch-free.
"""

from .harness import (
    ExperimentRun,
    Report,
    TaskData,
    add_task,
    build_model,
    certified_input,
    evaluate,
    limit_threads,
    mean_std,
    plot_lines,
    run_experiment,
    run_units,
    train,
    write_rows,
)  # fmt: skip
from .registry import EXPERIMENTS, resolve_experiment

__all__ = [
    "EXPERIMENTS",
    "ExperimentRun",
    "Report",
    "TaskData",
    "add_task",
    "build_model",
    "certified_input",
    "evaluate",
    "limit_threads",
    "mean_std",
    "plot_lines",
    "resolve_experiment",
    "run_experiment",
    "run_units",
    "train",
    "write_rows",
]
