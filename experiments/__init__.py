"""Experiments: sequence tasks with known symmetry groups, the shared training harness, and the runs
behind ``docs/results.md`` (multitask, transfer, misspecification), each reachable as
``asen experiment NAME [--quick]`` through :mod:`asen.experiments.registry`.

Importing this package imports torch (the harness trains models); :mod:`asen.groups` and
:mod:`asen.breaking` stay torch-free.
"""

from .harness import TaskData, build_model, evaluate, limit_threads, mean_std, plot_lines, train, write_rows
from .registry import EXPERIMENTS, resolve_experiment

__all__ = [
    "EXPERIMENTS",
    "TaskData",
    "build_model",
    "evaluate",
    "limit_threads",
    "mean_std",
    "plot_lines",
    "resolve_experiment",
    "train",
    "write_rows",
]
