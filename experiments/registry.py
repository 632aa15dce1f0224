"""Name -> ``"module:function"`` of every experiment the ``asen experiment NAME`` command runs.

Each function has the signature ``run(*, quick: bool, out_dir: str, seeds: list[int] | None,
progress: bool) -> dict`` and returns a JSON-ready summary (it also writes CSV/JSON/PNG under
``out_dir``). Modules are imported only when an experiment is run; append new entries below.

Examples
--------
>>> sorted(EXPERIMENTS)[:3]
['misspecification', 'multitask', 'transfer']
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
