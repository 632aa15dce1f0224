"""Name -> ``"module:function"`` of every experiment the ``asen experiment NAME`` command runs.

Each function has the signature ``run(*, quick: bool, out_dir: str, seeds: list[int] | None,
progress: bool, jobs: int, device: str, **overrides) -> dict`` (``overrides`` replace entries of the
setting) and returns a JSON-ready summary with ``"summary"`` rows and the ``"files"`` it wrote (CSV/JSON/PNG
under ``out_dir``); each hands its ``QUICK``/``FULL`` settings and its ``plan``, ``unit`` and ``report``
to :func:`asen.experiments.harness.run_experiment`, which does the rest. Modules are imported only when
an experiment is run; append new entries below.

Examples
--------
>>> {"multitask", "transfer", "misspecification"} <= set(EXPERIMENTS)
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["EXPERIMENTS", "resolve_experiment"]

EXPERIMENTS: dict[str, str] = {
    "multitask": "asen.experiments.multitask:run",
    "transfer": "asen.experiments.transfer:run",
    "misspecification": "asen.experiments.misspecification:run",
    "image-selection": "asen.experiments.image_selection:run",
    "graph-selection": "asen.experiments.graph_selection:run",
    "beyond-closure": "asen.experiments.beyond_closure:run",
    "emlp-comparison": "asen.experiments.emlp_comparison:run",
}


def resolve_experiment(name: str) -> Callable[..., Any]:
    """The run function registered under ``name``."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; known: {', '.join(sorted(EXPERIMENTS))}")
    module, func = EXPERIMENTS[name].split(":")
    return getattr(importlib.import_module(module), func)
