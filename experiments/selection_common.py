"""Pieces the selection, closure and EMLP experiments share on top of the harness.

* :func:`fit_and_score` -- :func:`~asen.experiments.harness.train` then
  :func:`~asen.experiments.harness.evaluate`, timed, as one result row;
* :func:`tensor_task` -- a pooled classification :class:`~asen.experiments.harness.TaskData` from numpy
  arrays of one scalar per point;
* :func:`plot_bars` -- grouped bars of ``mean ± std`` (the harness draws lines only; a bar chart is the
  natural picture of "accuracy per symmetry").

Examples
--------
>>> import numpy as np
>>> task = tensor_task("t", np.zeros((4, 3)), np.zeros(4, dtype=int), np.zeros((2, 3)), np.zeros(2, dtype=int),
...                    num_classes=2, symmetry="s")
>>> task.x_train.shape, task.head
(torch.Size([4, 3, 1]), 'pooled')
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from .extras import pyplot
from .harness import TaskData, evaluate, train

__all__ = ["fit_and_score", "plot_bars", "tensor_task"]


def tensor_task(name: str, X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray, *,
                num_classes: int, symmetry: str, meta: Mapping[str, Any] | None = None) -> TaskData:
    """A pooled task on float32 tensors: ``X (m, n)`` becomes ``(m, n, 1)``, ``X (m, n, d)`` stays."""
    def feats(X: np.ndarray) -> torch.Tensor:
        t = torch.as_tensor(np.asarray(X, dtype=np.float32))
        return t.unsqueeze(-1) if t.dim() == 2 else t

    def labels(y: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(y, dtype=np.int64))

    return TaskData(name, feats(X_train), labels(y_train), feats(X_test), labels(y_test), head="pooled",
                    num_classes=num_classes, symmetry=symmetry, meta=dict(meta or {}))


def fit_and_score(model: nn.Module, task: TaskData, *, steps: int, batch_size: int, lr: float, seed: int,
                  progress: bool = False, desc: str = "train") -> dict[str, float]:
    """Train with the harness and score held-out (and training) accuracy.

    Returns ``accuracy``, ``train_accuracy``, ``train_seconds`` and ``seconds_per_epoch`` (wall time of the
    steps scaled to one pass over the training set; noisy on a shared machine).
    """
    start = time.perf_counter()
    train(model, [task], steps=steps, batch_size=batch_size, lr=lr, seed=seed, progress=progress, desc=desc)
    seconds = time.perf_counter() - start
    steps_per_epoch = max(1, math.ceil(len(task.x_train) / batch_size))
    return {
        "accuracy": round(evaluate(model, task)["accuracy"], 4),
        "train_accuracy": round(evaluate(model, task, split="train")["accuracy"], 4),
        "train_seconds": round(seconds, 2),
        "seconds_per_epoch": round(seconds / max(steps, 1) * steps_per_epoch, 3),
    }


def plot_bars(summary: Sequence[Mapping[str, Any]], *, x: str, series: str, path: str | os.PathLike,
              title: str = "", ylabel: str = "held-out accuracy", chance: float | None = None) -> Path:
    """Grouped bars of ``mean`` with ``std`` error bars: one group per ``x`` value, one bar per ``series``."""
    plt = pyplot()
    xs = list(dict.fromkeys(r[x] for r in summary))
    ss = list(dict.fromkeys(r[series] for r in summary))
    cell = {(r[x], r[series]): r for r in summary}
    width = 0.8 / max(len(ss), 1)
    fig, ax = plt.subplots(figsize=(max(5.0, 0.9 * len(xs) * max(1, len(ss)) ** 0.5 + 2), 3.4))
    for k, s in enumerate(ss):
        pos = [i + (k - (len(ss) - 1) / 2) * width for i in range(len(xs))]
        means = [cell[(v, s)]["mean"] if (v, s) in cell else np.nan for v in xs]
        stds = [cell[(v, s)]["std"] if (v, s) in cell else 0.0 for v in xs]
        ax.bar(pos, means, width, yerr=stds, capsize=2, label=str(s))
    if chance is not None:
        ax.axhline(chance, color="grey", lw=1, ls="--", label="chance")
    ax.set_xticks(range(len(xs)))
    ax.set_xticklabels([str(v) for v in xs], rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.02)
    ax.set_title(title, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
