"""One symmetry and one task of an :class:`~asen.models.ASEN` as a plain module ``x -> model(x, symmetry, task)``.

``f = model.bind("a5")`` is what a verifier, ``torch.compile`` or an export wants: a module of one tensor
argument. It shares the model's parameters (nothing is copied), and declares where its points lie
(``in_axes = 1``; ``out_axes`` from the task's head: ``1`` for point outputs ``(B, n, out)``, ``"none"``
for pooled ones, ``"1,2"`` for pair ones) and its ``in_features``, so
``asen.verify.check_equivariance(f, model.group("a5"))`` needs no further arguments.

Examples
--------
>>> import torch
>>> from asen.models import ASEN
>>> model = ASEN(in_dim=3, out_dim=2, head="pooled", width=8, num_layers=1, heads=2)
>>> model.add_symmetry("c5", "cyclic(5)")
>>> f = model.bind("c5")
>>> f(torch.randn(4, 5, 3)).shape, f.out_axes, f.in_features, f.group.order()
(torch.Size([4, 2]), 'none', 3, 5)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from torch import Tensor, nn

from ..groups import PermGroup

if TYPE_CHECKING:
    from .asen import ASEN

__all__ = ["SymmetryView"]

#: where a head's output has its points, in :mod:`asen.verify`'s axis notation
_OUT_AXES = {"point": 1, "pooled": "none", "pair": "1,2"}


class SymmetryView(nn.Module):
    """``forward(x (B, n, in_dim)) = model(x, symmetry, task=task)``; see the module docstring."""

    in_axes = 1

    def __init__(self, model: ASEN, symmetry: str, task: str | None = None):
        super().__init__()
        model._task(task)  # KeyError / ValueError naming the model's tasks
        model._symmetry(symmetry)  # KeyError naming the model's symmetries
        self.model, self.symmetry, self.task = model, symmetry, task

    @property
    def in_features(self) -> int:
        """The task's input width (read from the model's current task, so a replaced task is seen)."""
        return self.model._task(self.task).spec["in_dim"]

    @property
    def out_axes(self) -> Any:
        """Where the task's output has its points (from its current head)."""
        return _OUT_AXES[self.model._task(self.task).spec["head"]]

    @property
    def group(self) -> PermGroup:
        """The group ``G`` the view is equivariant to (the symmetry's certified group)."""
        return self.model.group(self.symmetry)

    def forward(self, x: Tensor) -> Tensor:
        return self.model(x, self.symmetry, task=self.task)

    def extra_repr(self) -> str:
        return f"symmetry={self.symmetry!r}, task={self.task!r}"
