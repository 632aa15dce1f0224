"""Tests for asen.models.heads."""

import pytest
import torch

from asen.models import PairHead, PointHead, PooledHead, build_head


def test_repr():
    assert repr(PointHead(8, 3)) == "PointHead(8, 3)"
    assert repr(PooledHead(8, 3, pool="sum")) == "PooledHead(8, 3, pool='sum')"
    assert repr(PairHead(8, 3, pair_dim=4)) == "PairHead(8, 3, pair_dim=4)"


def test_pooled_head_pools_over_real_points_only():
    torch.manual_seed(0)
    head = PooledHead(4, 2)
    h = torch.randn(1, 5, 4)
    mask = torch.tensor([[True, True, True, False, False]])
    padded = h.clone()
    padded[:, 3:] = 1e6
    torch.testing.assert_close(head(padded, mask), head(h[:, :3], torch.ones(1, 3, dtype=torch.bool)))
    s = PooledHead(4, 2, pool="sum")
    torch.testing.assert_close(s.mlp[0](h[:, :3].sum(1)), s.mlp[0]((h * mask[..., None]).sum(1)))


def test_point_and_pair_heads_zero_padding():
    torch.manual_seed(0)
    mask = torch.tensor([[True, True, False]])
    assert torch.all(PointHead(4, 2)(torch.randn(1, 3, 4), mask)[:, 2] == 0)
    out = PairHead(4, 2, pair_dim=3)(
        torch.randn(1, 3, 4), mask, torch.randn(2, 3), torch.randint(0, 2, (3, 3))
    )
    assert out.shape == (1, 3, 3, 2) and torch.all(out[:, 2] == 0) and torch.all(out[:, :, 2] == 0)


def test_build_head_errors():
    with pytest.raises(ValueError, match="head must be one of"):
        build_head("edge", 4, 2, pair_dim=None)
    with pytest.raises(ValueError, match="pool must be"):
        PooledHead(4, 2, pool="max")
