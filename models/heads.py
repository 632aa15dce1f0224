"""Output heads on the data points ``Omega``: per point (equivariant), pooled (invariant), per pair.

Every head reads the body's features on the points only (auxiliary vertices never reach an output) and
a ``point_mask (B, n)`` that marks the real points of each sample, so padded positions neither enter a
pool nor leave anything but zeros in the output.

Examples
--------
>>> import torch
>>> head = PooledHead(8, 3)
>>> head
PooledHead(8, 3, pool='mean')
>>> head(torch.randn(2, 5, 8), torch.ones(2, 5, dtype=torch.bool)).shape
torch.Size([2, 3])
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from .pair_ops import lookup

__all__ = ["HEADS", "PairHead", "PointHead", "PooledHead", "build_head"]

HEADS = ("point", "pooled", "pair")


def _mlp(width: int, out_dim: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, out_dim))


class PointHead(nn.Module):
    """``y_i = MLP(h_i)`` for every point ``i``: equivariant. Shapes: ``h (B, n, W)`` -> ``(B, n, out)``."""

    def __init__(self, width: int, out_dim: int):
        super().__init__()
        self.width, self.out_dim = width, out_dim
        self.mlp = _mlp(width, out_dim)

    def forward(self, h: Tensor, point_mask: Tensor, pair_table=None, pair_colors=None) -> Tensor:
        return self.mlp(h) * point_mask.unsqueeze(-1).to(h.dtype)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.width}, {self.out_dim})"


class PooledHead(nn.Module):
    """``y = MLP(pool_i h_i)`` over the real points: invariant. Shapes: ``h (B, n, W)`` -> ``(B, out)``.

    ``pool='mean'`` (default) or ``'sum'``.
    """

    def __init__(self, width: int, out_dim: int, *, pool: str = "mean"):
        super().__init__()
        if pool not in ("mean", "sum"):
            raise ValueError(f"pool must be 'mean' or 'sum', got {pool!r}")
        self.width, self.out_dim, self.pool = width, out_dim, pool
        self.mlp = _mlp(width, out_dim)

    def forward(self, h: Tensor, point_mask: Tensor, pair_table=None, pair_colors=None) -> Tensor:
        m = point_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1)
        if self.pool == "mean":
            pooled = pooled / m.sum(1).clamp(min=1)
        return self.mlp(pooled)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.width}, {self.out_dim}, pool={self.pool!r})"


class PairHead(nn.Module):
    r"""``y_ij = W_2 ReLU(A h_i + B h_j + P e_{c_ij})`` for every ordered pair of points.

    Shapes: ``h (B, n, W)``, ``pair_colors (n, n)`` or ``(B, n, n)`` -> ``(B, n, n, out)``; equivariant
    on both axes, ``(g . y)[g i, g j] = y[i, j]``. Dense inputs only.
    """

    def __init__(self, width: int, out_dim: int, *, pair_dim: int | None):
        super().__init__()
        self.width, self.out_dim, self.pair_dim = width, out_dim, pair_dim
        self.lin_i = nn.Linear(width, width)
        self.lin_j = nn.Linear(width, width, bias=False)
        self.lin_pair = None if pair_dim is None else nn.Linear(pair_dim, width, bias=False)
        self.lin_out = nn.Linear(width, out_dim)

    def forward(
        self, h: Tensor, point_mask: Tensor, pair_table: Tensor | None, pair_colors: Tensor | None
    ) -> Tensor:
        z = self.lin_i(h).unsqueeze(2) + self.lin_j(h).unsqueeze(1)  # (B, n_i, n_j, W)
        if self.lin_pair is not None:
            if pair_colors is None:
                raise ValueError("the pair head needs the colours of the pairs of points (pair_colors), got None")
            z = z + lookup(self.lin_pair(pair_table), pair_colors)
        m = (point_mask.unsqueeze(2) & point_mask.unsqueeze(1)).unsqueeze(-1).to(h.dtype)
        return self.lin_out(F.relu(z)) * m

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.width}, {self.out_dim}, pair_dim={self.pair_dim})"


def build_head(kind: str, width: int, out_dim: int, *, pair_dim: int | None, pool: str = "mean") -> nn.Module:
    """The head named ``kind`` (one of :data:`HEADS`)."""
    if kind == "point":
        return PointHead(width, out_dim)
    if kind == "pooled":
        return PooledHead(width, out_dim, pool=pool)
    if kind == "pair":
        return PairHead(width, out_dim, pair_dim=pair_dim)
    raise ValueError(f"head must be one of {HEADS}, got {kind!r}")
