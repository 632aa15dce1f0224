"""Checks every pair-coloured layer must pass (used by the per-layer test files)."""

from __future__ import annotations

import numpy as np
import torch

from asen.groups import act, act_pairs


def random_case(B=2, N=6, width=8, colors=4, pair_dim=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(B, N, width, generator=g)
    table = torch.randn(colors, pair_dim, generator=g)
    c = torch.randint(0, colors, (N, N), generator=g)
    return x, table, c


def check_permutation_equivariance(layer, *, seed=0):
    """Moving the vertices of x and of both colour axes moves the output: the layer is S_N-equivariant."""
    perm = torch.randperm(6, generator=torch.Generator().manual_seed(seed + 1)).numpy()
    check_permutation_equivariance_for(layer, perm, seed=seed)


def check_permutation_equivariance_for(layer, perm, *, seed=0):
    """``layer(g.x, g.C) == g.layer(x, C)`` for the permutation ``perm`` of 6 vertices."""
    x, table, c = random_case(N=len(perm), seed=seed)
    perm = np.asarray(perm)
    out = layer(x, table, c)
    moved = layer(act(perm, x, axis=1), table, act_pairs(perm, c))
    torch.testing.assert_close(moved, act(perm, out, axis=1), atol=1e-12, rtol=1e-12)


def check_coloring_matters(layer):
    """A different colouring changes the output (the colours really enter)."""
    x, table, c = random_case()
    assert (layer(x, table, c) - layer(x, table, (c + 1) % table.shape[0])).abs().max() > 1e-3


def check_dense_equals_sparse(layer):
    """The sparse form on the complete arc list equals the dense form (same weights)."""
    x, table, c = random_case()
    B, N, W = x.shape
    recv, send = torch.meshgrid(torch.arange(N), torch.arange(N), indexing="ij")
    edges = torch.stack([send.flatten(), recv.flatten()])  # [senders; receivers]; receiver i reads c[i, j]
    offs = (torch.arange(B) * N).view(1, B, 1)
    batch_edges = (edges.unsqueeze(1) + offs).reshape(2, -1)
    colors = c.flatten().repeat(B)
    sparse = layer.forward_sparse(x.reshape(B * N, W), table, batch_edges, colors).view(B, N, -1)
    torch.testing.assert_close(sparse, layer(x, table, c), atol=1e-12, rtol=1e-12)


def check_padding(layer):
    """Extra padded vertices (masked) leave the real vertices' outputs unchanged; shared == per-sample colours."""
    x, table, c = random_case()
    B, N, W = x.shape
    pad = 3
    xp = torch.cat([x, 100 * torch.randn(B, pad, W)], dim=1)
    cp = torch.randint(0, table.shape[0], (B, N + pad, N + pad))
    cp[:, :N, :N] = c
    mask = torch.zeros(B, N + pad, dtype=torch.bool)
    mask[:, :N] = True
    torch.testing.assert_close(layer(xp, table, cp, mask)[:, :N], layer(x, table, c), atol=1e-12, rtol=1e-12)
    torch.testing.assert_close(layer(x, table, c.expand(B, N, N)), layer(x, table, c), atol=1e-12, rtol=1e-12)
