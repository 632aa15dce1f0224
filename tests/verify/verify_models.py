"""Hand-written models for the verifier's tests: deliberately broken ones and correct ones.

Every torch model takes ``(batch, n, features)`` with the points on axis 1 (unless its entry says
otherwise). ``SUITE`` lists ``Case(name, build, group, equivariant, exact)``: ``build(seed)`` returns the
callable, ``equivariant`` is the right verdict of ``check_equivariance`` and ``exact`` that of
``check_exact_symmetry`` (None: not asked). Nothing here uses ``asen.models``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from asen.groups import PermGroup
from asen.groups.catalogue import alternating, cyclic, dihedral, symmetric

N = 10  # points
FIN, HID, FOUT = 4, 8, 3


def _w(*shape: int) -> nn.Parameter:
    return nn.Parameter(torch.randn(*shape) / shape[0] ** 0.5)


# ----------------------------------------------------------------------------- correct building blocks
class DeepSets(nn.Module):
    """Two sum/mean DeepSets layers: ``h_i = relu(x_i A + (sum_j x_j) B + c)``; S_n-equivariant."""

    def __init__(self, fin: int = FIN, hid: int = HID, fout: int = FOUT, *, layers: int = 2):
        super().__init__()
        dims = [fin] + [hid] * (layers - 1) + [fout]
        self.A = nn.ParameterList([_w(a, b) for a, b in itertools.pairwise(dims)])
        self.B = nn.ParameterList([_w(a, b) for a, b in itertools.pairwise(dims)])
        self.c = nn.ParameterList([nn.Parameter(0.1 * torch.randn(b)) for b in dims[1:]])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for k, (A, B, c) in enumerate(zip(self.A, self.B, self.c)):
            pooled = x.sum(1, keepdim=True) if k % 2 == 0 else x.mean(1, keepdim=True)
            x = x @ A + pooled @ B + c
            if k < len(self.A) - 1:
                x = torch.relu(x)
        return x


class CircularConv(nn.Module):
    """Circular convolution over the points (random kernel of width 3): C_n-equivariant, exactly."""

    def __init__(self, *, symmetric_kernel: bool = False, padding: str = "circular"):
        super().__init__()
        self.conv1 = nn.Conv1d(FIN, HID, 3, padding=1, padding_mode=padding)
        self.conv2 = nn.Conv1d(HID, FOUT, 3, padding=1, padding_mode=padding)
        if symmetric_kernel:  # w_{-1} = w_{+1}: reflections respected too (D_n)
            with torch.no_grad():
                for c in (self.conv1, self.conv2):
                    c.weight[..., 2] = c.weight[..., 0]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.tanh(self.conv1(x.transpose(1, 2)))
        return self.conv2(h).transpose(1, 2)


def orbital_ids(G: PermGroup) -> np.ndarray:
    """``ids[i, j]``: the orbital of the pair ``(i, j)`` (its smallest flat index ``g[i]*n + g[j]``)."""
    E = G.elements()
    n = G.degree
    return (E[:, :, None] * n + E[:, None, :]).min(axis=0)


class OrbitalLinear(nn.Module):
    """``y_i = sum_j theta[orbital(i, j)] x_j`` (weights shared within G's orbitals), then ReLU, twice.

    Equivariant to G's 2-closure, so exactly G-equivariant only when G is 2-closed.
    """

    def __init__(self, G: PermGroup):
        super().__init__()
        ids = orbital_ids(G)
        _, inv = np.unique(ids, return_inverse=True)
        self.register_buffer("ids", torch.as_tensor(inv.reshape(ids.shape)))
        k = int(inv.max()) + 1
        self.theta1 = nn.Parameter(torch.randn(k, FIN, HID) / FIN**0.5)
        self.theta2 = nn.Parameter(torch.randn(k, HID, FOUT) / HID**0.5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        W1 = self.theta1[self.ids]  # (n, n, fin, hid)
        h = torch.relu(torch.einsum("ijab,zja->zib", W1, x))
        return torch.einsum("ijab,zja->zib", self.theta2[self.ids], h)


class Attention(nn.Module):
    """Single-head self-attention without positions, plus a residual MLP: S_n-equivariant."""

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(FIN, HID), nn.Linear(FIN, HID), nn.Linear(FIN, HID)
        self.out = nn.Linear(HID, FOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = torch.softmax(self.q(x) @ self.k(x).transpose(1, 2) / HID**0.5, dim=-1)
        return self.out(a @ self.v(x))


class Centered(nn.Module):
    """``(x - mean_j x_j) * 100 + max_j x_j``: cancellation and large outputs, still S_n-equivariant."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - x.mean(1, keepdim=True)) * 100.0 + x.max(1, keepdim=True).values


class PairLayer(nn.Module):
    """Pair features ``(batch, n, n)``: ``A @ A^T + rowsum + diag``, S_n-equivariant on both axes."""

    def forward(self, A: torch.Tensor) -> torch.Tensor:
        d = torch.diagonal(A, dim1=1, dim2=2)
        return torch.tanh(A @ A.transpose(1, 2) / N) + A.sum(2, keepdim=True) + d[:, None, :]


class SumPool(nn.Module):
    """Invariant readout: DeepSets layer then sum over the points -> ``(batch, features)``."""

    def __init__(self, *, wrong_axis: bool = False):
        super().__init__()
        self.body = DeepSets(layers=1)
        self.wrong_axis = wrong_axis

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(x)
        return h.sum(2) if self.wrong_axis else h.sum(1)  # wrong axis: pools features, keeps points


def numpy_deepsets(seed: int) -> Callable[[np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(FIN, FOUT)), rng.normal(size=(FIN, FOUT))

    def fn(x: np.ndarray) -> np.ndarray:
        return np.tanh(x @ A + x.mean(1, keepdims=True) @ B)

    return fn


# ----------------------------------------------------------------------------- broken models
class PositionBias(DeepSets):
    """DeepSets plus a learned bias per position."""

    def __init__(self):
        super().__init__()
        self.pos = nn.Parameter(torch.randn(N, FOUT))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x) + self.pos


class WrongAxisPool(DeepSets):
    """Pools over the features instead of the points, then mixes the per-point values with a dense matrix."""

    def __init__(self):
        super().__init__()
        self.V = _w(N, FOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pooled = x.sum(2)  # (batch, n): should have been x.sum(1) -> (batch, features)
        return super().forward(x) + (pooled @ self.V)[:, None, :]


class Leak(nn.Module):
    """A correct model plus a symmetry-breaking term of size ``eps`` (default 1e-3)."""

    def __init__(self, inner: nn.Module, kind: str, eps: float = 1e-3):
        super().__init__()
        self.inner, self.kind, self.eps = inner, kind, eps
        self.pos = nn.Parameter(torch.randn(N, FOUT))
        self.W = _w(FIN, FOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.inner(x)
        if self.kind == "bias":  # eps * a bias per position
            return y + self.eps * self.pos
        if self.kind == "point0":  # point 0's own weight is off by eps (relative)
            extra = torch.zeros_like(y)
            extra[:, 0] = self.eps * (x[:, 0] @ self.W)
            return y + extra
        if self.kind == "reverse":  # eps * the reversed sequence mixed in
            return y + self.eps * (x.flip(1) @ self.W)
        raise ValueError(self.kind)


class TieBreak(DeepSets):
    """Marks the argmax point of feature 0: ``argmax`` takes the first index among ties."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        idx = x[..., 0].argmax(1)
        mark = F.one_hot(idx, N).to(x.dtype)[..., None]
        return super().forward(x) + mark


class RankFeature(DeepSets):
    """Adds each point's rank by feature 0, ties broken by index (a stable sort)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        order = torch.sort(x[..., 0], dim=1, stable=True).indices
        rank = torch.argsort(order, dim=1).to(x.dtype)
        return super().forward(x) + rank[..., None] / N


class AlwaysDropout(DeepSets):
    """Dropout that stays on in eval mode (``training=True`` hard-coded, as in MC dropout)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.dropout(super().forward(x), p=0.2, training=True)


class DropoutModule(DeepSets):
    """An ``nn.Dropout`` layer: fine in eval mode, broken when checked in train mode."""

    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(0.3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.drop(super().forward(x))


class BatchNormSet(DeepSets):
    """DeepSets then batch norm over the features: correct (eval mode uses running statistics)."""

    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm1d(FOUT)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn(super().forward(x).transpose(1, 2)).transpose(1, 2)


class BatchMix(DeepSets):
    """Adds the mean over the *batch* axis (pooling over the wrong axis, batch flavour)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x + x.mean(0, keepdim=True))


class FlattenMLP(nn.Module):
    """A plain MLP on the flattened points: not equivariant to anything in particular."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(N * FIN, 32), nn.ReLU(), nn.Linear(32, N * FOUT))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).reshape(x.shape[0], N, FOUT)


def numpy_position_bias(seed: int) -> Callable[[np.ndarray], np.ndarray]:
    inner = numpy_deepsets(seed)
    b = np.random.default_rng(seed + 1).normal(size=(N, FOUT))
    return lambda x: inner(x) + 1e-3 * b


# ----------------------------------------------------------------------------- the suite
@dataclass
class Case:
    """One model with a group and the right verdicts."""

    name: str
    build: Callable[[int], Any]
    group: Callable[[], PermGroup]
    equivariant: bool
    exact: bool | None = None
    options: dict[str, Any] = field(default_factory=dict)


def _torch(cls: Callable[..., nn.Module], *args: Any, **kw: Any) -> Callable[[int], nn.Module]:
    def build(seed: int) -> nn.Module:
        torch.manual_seed(seed)
        return cls(*args, **kw)

    return build


PAIR = {"in_axes": "1,2", "shapes": (1, N, N)}
A4 = lambda: alternating(4)
A4_SHAPES = {"shapes": (1, 4, FIN)}

SUITE: list[Case] = [
    # correct
    Case("deepsets / S_n", _torch(DeepSets), lambda: symmetric(N), True, True),
    Case("deepsets 4 layers / S_n", _torch(DeepSets, layers=4), lambda: symmetric(N), True),
    Case("attention / S_n", _torch(Attention), lambda: symmetric(N), True),
    Case("centered x100 / S_n", _torch(Centered), lambda: symmetric(N), True),
    Case("circular conv / C_n", _torch(CircularConv), lambda: cyclic(N), True, True),
    Case(
        "symmetric conv / D_n", _torch(CircularConv, symmetric_kernel=True), lambda: dihedral(N), True, True
    ),
    Case(
        "orbital linear(C_n) / C_n",
        lambda s: _torch(OrbitalLinear, cyclic(N))(s),
        lambda: cyclic(N),
        True,
        True,
    ),
    Case(
        "orbital linear(D_n) / D_n",
        lambda s: _torch(OrbitalLinear, dihedral(N))(s),
        lambda: dihedral(N),
        True,
        True,
    ),
    Case("pair layer / S_n", _torch(PairLayer), lambda: symmetric(N), True, None, dict(PAIR)),
    Case("sum pool / S_n invariant", _torch(SumPool), lambda: symmetric(N), True, None, {"out_axes": "none"}),
    Case("numpy deepsets / S_n", numpy_deepsets, lambda: symmetric(N), True, True),
    Case("dropout module, eval / S_n", lambda s: _torch(DropoutModule)(s).eval(), lambda: symmetric(N), True),
    Case(
        "dropout module, train=False / S_n",
        _torch(DropoutModule),
        lambda: symmetric(N),
        True,
        None,
        {"train": False},
    ),
    Case("batch norm left in train mode / S_n", _torch(BatchNormSet), lambda: symmetric(N), True),
    # broken
    Case("position bias / S_n", _torch(PositionBias), lambda: symmetric(N), False, False),
    Case("position bias / C_n", _torch(PositionBias), lambda: cyclic(N), False, False),
    Case("wrong-axis pooling / S_n", _torch(WrongAxisPool), lambda: symmetric(N), False),
    Case(
        "wrong-axis invariant pool / S_n",
        _torch(SumPool, wrong_axis=True),
        lambda: symmetric(N),
        False,
        None,
        {"out_axes": "none"},
    ),
    Case("batch-axis pooling / S_n", _torch(BatchMix), lambda: symmetric(N), False),
    Case("leak 1e-3 bias / S_n", lambda s: Leak(_torch(DeepSets)(s), "bias"), lambda: symmetric(N), False),
    Case(
        "leak 1e-3 point 0 / S_n", lambda s: Leak(_torch(DeepSets)(s), "point0"), lambda: symmetric(N), False
    ),
    Case(
        "leak 1e-3 reverse / C_n",
        lambda s: Leak(_torch(CircularConv)(s), "reverse"),
        lambda: cyclic(N),
        False,
    ),
    Case("leak 1e-3 numpy bias / S_n", numpy_position_bias, lambda: symmetric(N), False),
    Case("tie-break argmax / S_n", _torch(TieBreak), lambda: symmetric(N), False),
    Case("tie-break stable rank / S_n", _torch(RankFeature), lambda: symmetric(N), False),
    Case("dropout always on / S_n", _torch(AlwaysDropout), lambda: symmetric(N), False),
    Case(
        "dropout module, train=True / S_n",
        _torch(DropoutModule),
        lambda: symmetric(N),
        False,
        None,
        {"train": True},
    ),
    Case("dropout module left in train mode / S_n", _torch(DropoutModule), lambda: symmetric(N), False),
    Case("zero-padded conv / C_n", _torch(CircularConv, padding="zeros"), lambda: cyclic(N), False),
    Case("circular conv / D_n (too small)", _torch(CircularConv), lambda: dihedral(N), False),
    Case("flatten MLP / C_n", _torch(FlattenMLP), lambda: cyclic(N), False, None, {"shapes": (1, N, FIN)}),
    # equivariant, but to a bigger group than asked: not exact
    Case("symmetric conv / C_n", _torch(CircularConv, symmetric_kernel=True), lambda: cyclic(N), True, False),
    Case("deepsets / C_n", _torch(DeepSets), lambda: cyclic(N), True, False),
    Case("deepsets / D_n", _torch(DeepSets), lambda: dihedral(N), True, False),
    Case(
        "orbital linear(A_4) / A_4",
        lambda s: _torch(OrbitalLinear, alternating(4))(s),
        A4,
        True,
        False,
        dict(A4_SHAPES),
    ),
]
