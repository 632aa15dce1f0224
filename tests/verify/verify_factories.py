"""No-argument factories for the ``asen verify`` CLI tests (imported as ``verify_factories:NAME``)."""

from __future__ import annotations

import torch
from verify_models import CircularConv, DeepSets, DropoutModule, N, PairLayer, PositionBias, SumPool


def _seeded(cls, *args, **kw):
    torch.manual_seed(0)
    return cls(*args, **kw)


def deepsets() -> torch.nn.Module:
    """S_n-equivariant, (batch, n, 4) -> (batch, n, 3)."""
    return _seeded(DeepSets)


def position_bias() -> torch.nn.Module:
    """Not equivariant to anything transitive."""
    return _seeded(PositionBias)


def symmetric_conv() -> torch.nn.Module:
    """Circular convolution with a symmetric kernel: D_n-equivariant (so not exact for C_n)."""
    return _seeded(CircularConv, symmetric_kernel=True)


def circular_conv() -> torch.nn.Module:
    """Circular convolution with a generic kernel: exactly C_n-equivariant."""
    return _seeded(CircularConv)


def pair_layer() -> torch.nn.Module:
    """Pair features (batch, n, n) -> (batch, n, n)."""
    return PairLayer()


def sum_pool() -> torch.nn.Module:
    """Invariant readout (batch, n, 4) -> (batch, 3)."""
    return _seeded(SumPool)


def dropout_left_in_training_mode() -> torch.nn.Module:
    """Equivariant in eval mode, random as built (a fresh module is in training mode)."""
    return _seeded(DropoutModule)


def asen_a5() -> torch.nn.Module:
    """A default-options ASEN on its exact A_5 input, bound to that symmetry: (batch, 5, 3) -> (batch, 2)."""
    from asen.models import ASEN

    model = ASEN(in_dim=3, out_dim=2, head="pooled", width=16, num_layers=2, heads=2, seed=0)
    model.add_symmetry("a5", "alternating(5)")
    return model.bind("a5")


def not_a_model() -> int:
    return 3


DEGREE = N
