"""Models of the selection, closure and EMLP experiments, all driven by the shared harness.

Every model is called like an :class:`~asen.models.ASEN`, ``model(x, symmetry, task=name)`` with
``x (B, n, in_dim)``, so :func:`asen.experiments.harness.train` and :func:`~asen.experiments.harness.evaluate`
drive all of them:

* :func:`make_asen` -- one ASEN (any base) with the task's head and one symmetry input under the task's
  symmetry name; with ``base="transformer"`` and :func:`~asen.models.positional_symmetry` it is the
  positional-encoding transformer, with ``base="mlp"`` the flattened (non-equivariant) MLP;
* :class:`CNNReference` -- two 3x3 convolutions and a linear layer on ``side x side`` images.

:func:`symmetry_input` turns a name (``"trivial"``, ``"symmetric"``, ``"positional"``) or a group and a
breaking mode into a :class:`~asen.breaking.SymmetryInput`; :func:`model_function` gives the callable the
verifier checks; :func:`activation_bytes` measures the memory a training step keeps for backward.

Examples
--------
>>> import torch
>>> from asen.groups import cyclic
>>> from asen.experiments.harness import TaskData
>>> x = torch.randn(6, 5, 1); y = torch.zeros(6, dtype=torch.long)
>>> task = TaskData("t", x, y, x, y, head="pooled", num_classes=3, symmetry="c5")
>>> model = make_asen(task, symmetry_input(cyclic(5), mode="closure"), width=8, num_layers=1, heads=2)
>>> model(x, "c5", task="t").shape, model_function(model, task)(x).shape
(torch.Size([6, 3]), torch.Size([6, 3]))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import Tensor, nn

from ..groups import PermGroup
from ..models import ASEN, positional_symmetry, symmetric_symmetry, trivial_symmetry
from .harness import TaskData, add_task, checked_init

__all__ = [
    "CNNReference",
    "activation_bytes",
    "make_asen",
    "model_function",
    "num_parameters",
    "symmetry_input",
    "with_task",
]


def symmetry_input(
    group: PermGroup | str, *, n: int | None = None, mode: str = "exact", **options: Any
) -> Any:
    """A symmetry input: ``"trivial"``, ``"symmetric"`` or ``"positional"`` (these need ``n``), or ``group``
    through :func:`asen.breaking.symmetry_breaking_input` in ``mode`` (``"closure"``, ``"exact"``, ``"sparse"``)
    with its keyword ``options`` (``frames=``, ``budget=``).

    The trivial group always gets :func:`~asen.models.trivial_symmetry` (every pair its own colour).
    """
    if isinstance(group, str):
        makers = {"trivial": trivial_symmetry, "symmetric": symmetric_symmetry, "positional": positional_symmetry}
        if group not in makers:
            raise ValueError(f"group must be a PermGroup or one of {sorted(makers)}, got {group!r}")
        if n is None:
            raise ValueError(f"symmetry {group!r} needs n=")
        return makers[group](n)
    if group.order() == 1:
        return trivial_symmetry(group.degree)
    if group.degree >= 3 and group.order() == _factorial(group.degree):
        return symmetric_symmetry(group.degree)
    from ..breaking import symmetry_breaking_input

    return symmetry_breaking_input(group, mode=mode, **options)


def _factorial(n: int) -> int:
    out = 1
    for k in range(2, n + 1):
        out *= k
    return out


def make_asen(task: TaskData, symmetry: Any, *, base: str = "transformer", width: int = 32, num_layers: int = 2,
              heads: int = 4, pair_dim: int | None = 8, seed: int = 0, **init: Any) -> ASEN:
    """An ASEN with ``task``'s head and ``symmetry`` registered as ``task.symmetry``.

    ``max_vertices`` is set from the symmetry for ``base="mlp"``; ``pair_dim`` is the width of the pair
    colour embeddings (small keeps the trivial group's ``n^2`` colours cheap); ``**init`` are
    :data:`~asen.models.DEFAULT_INIT` options passed to :class:`~asen.models.ASEN` (the rest at their defaults).
    """
    max_vertices = int(symmetry.num_vertices) if base == "mlp" else None
    model = ASEN(base=base, width=width, num_layers=num_layers, heads=heads, pair_dim=pair_dim,
                 max_vertices=max_vertices, seed=seed, **checked_init(init, where="make_asen"))
    return with_task(model, task, symmetry, seed=seed)


def with_task(model: ASEN, task: TaskData, symmetry: Any, *, seed: int = 0) -> ASEN:
    """``model`` with ``task``'s encoder and head (seed ``seed + 1``) and ``symmetry`` registered as
    ``task.symmetry`` (seed ``seed + 2``), the seeds every selection experiment uses."""
    add_task(model, task, seed=seed + 1)
    model.add_symmetry(task.symmetry, symmetry, seed=seed + 2)
    return model


class CNNReference(nn.Module):
    """Plain CNN on ``side x side`` images: conv3x3 -> ReLU -> conv3x3 -> ReLU -> maxpool 2 -> linear.

    Called like an ASEN (``model(x, symmetry, task=None)``, the symmetry ignored) with ``x (B, side^2, 1)``
    pixels in row-major order; returns ``(B, num_classes)`` logits.
    """

    def __init__(self, num_classes: int, *, side: int = 8, channels: int = 32, seed: int = 0):
        super().__init__()
        self.side = side
        with torch.random.fork_rng():
            torch.manual_seed(seed)
            self.convs = nn.Sequential(
                nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(),
                nn.Conv2d(channels, channels, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            )
            self.out = nn.Linear(channels * (side // 2) ** 2, num_classes)

    def forward(self, x: Tensor, symmetry: Any = None, *, task: str | None = None) -> Tensor:
        x = x.reshape(x.shape[0], 1, self.side, self.side)
        return self.out(self.convs(x).flatten(1))


def model_function(model: nn.Module, task: TaskData) -> Callable[[Tensor], Tensor]:
    """``x (B, n, in_dim) -> model(x, task.symmetry, task=task.name)``: the callable the verifier checks."""

    def fn(x: Tensor) -> Tensor:
        return model(x, task.symmetry, task=task.name)

    fn.model = model  # type: ignore[attr-defined]  # lets callers reach the module (eval mode, dtype)
    return fn


def num_parameters(model: nn.Module) -> int:
    """Trainable parameters (colour buffers are not parameters)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def activation_bytes(fn: Callable[[Tensor], Tensor], model: nn.Module, x: Tensor) -> int:
    """Bytes of the tensors autograd saves for backward in one training forward ``fn(x)``.

    A deterministic stand-in for peak training memory (process RSS is too noisy on a shared machine): every
    tensor packed by ``torch.autograd.graph.saved_tensors_hooks``, counted once per storage, parameters
    excluded.
    """
    seen: dict[int, int] = {}

    def pack(t: Tensor) -> Tensor:
        try:
            storage = t.untyped_storage()
            seen[storage.data_ptr()] = max(seen.get(storage.data_ptr(), 0), storage.nbytes())
        except (RuntimeError, NotImplementedError):  # pragma: no cover - sparse or meta tensors
            pass
        return t

    was_training = model.training
    model.train()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn(x)
    out.sum().backward()
    model.zero_grad(set_to_none=True)
    model.train(was_training)
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    return int(sum(v for k, v in seen.items() if k not in params))
