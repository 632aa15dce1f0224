"""SetNorm: the normalisation formula on samples with spread, and no noise amplification on samples without."""

import pytest
import torch

from asen.models import SetNorm
from asen.models.set_norm import spread_tolerance


def _formula(h, mask):
    m = mask.unsqueeze(-1).to(h.dtype)
    count = m.sum(1, keepdim=True)
    mu = (h * m).sum(1, keepdim=True) / count
    var = ((h - mu) * m).pow(2).sum((1, 2), keepdim=True) / (count * h.shape[-1])
    return (h - mu) / torch.sqrt(var + 1e-5)


def test_samples_with_spread_follow_the_formula():
    torch.manual_seed(0)
    norm = SetNorm(4)
    h, mask = torch.randn(3, 6, 4) * 5 + 2, torch.arange(6).expand(3, 6) < 4
    torch.testing.assert_close(norm(h, mask), _formula(h, mask))
    torch.testing.assert_close(norm(h), _formula(h, torch.ones(3, 6, dtype=torch.bool)))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_points_equal_up_to_rounding_come_out_equal_and_other_rows_are_not_amplified(dtype):
    torch.manual_seed(1)
    norm = SetNorm(4).to(dtype)
    with torch.no_grad():
        norm.bias.copy_(torch.randn(4))
        norm.mean_gain.copy_(torch.randn(4))
    row = torch.randn(4, dtype=dtype) * 3
    eps = torch.finfo(dtype).eps
    h = row.expand(2, 6, 4).clone()
    h[:, :5] += torch.randn(2, 5, 4, dtype=dtype) * 3 * eps  # the 5 points: one row plus rounding noise
    h[:, 5] = row + 1.0  # a sixth, non-point row (an auxiliary vertex) one unit away
    mask = torch.arange(6).expand(2, 6) < 5
    with torch.no_grad():
        y = norm(h, mask)
    assert torch.equal(y[:, :5], y[:, :1].expand(2, 5, 4))  # exactly equal: nothing left to amplify
    # the auxiliary row keeps its offset, scaled by the points' RMS (|row| about 3), not by 1/sqrt(eps)
    offset = (y[:, 5] - y[:, 0]).abs().max()
    assert 0.05 < float(offset) < 5.0
    # a spread just above the tolerance is normalised as usual
    tol = spread_tolerance(dtype)
    h2 = row.expand(1, 5, 4) + torch.randn(1, 5, 4, dtype=dtype) * 3 * tol * 100
    with torch.no_grad():
        assert float(norm(h2)[0].std()) > 0.5


def test_an_all_zero_sample_maps_to_the_bias():
    norm = SetNorm(3)
    with torch.no_grad():
        norm.bias.copy_(torch.tensor([1.0, -2.0, 0.5]))
    torch.testing.assert_close(norm(torch.zeros(2, 4, 3)), norm.bias.expand(2, 4, 3))


def test_the_tolerance_never_exceeds_one_in_a_thousand():
    assert spread_tolerance(torch.float32) == 64 * torch.finfo(torch.float32).eps
    assert spread_tolerance(torch.bfloat16) == spread_tolerance(torch.float16) == 1e-3
