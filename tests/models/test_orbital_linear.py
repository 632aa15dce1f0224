"""Tests for asen.models.orbital_linear.OrbitalLinear."""

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from models_layer_checks import (
    check_coloring_matters,
    check_dense_equals_sparse,
    check_padding,
    check_permutation_equivariance,
    check_permutation_equivariance_for,
    random_case,
)

from asen.models import OrbitalLinear


@pytest.fixture
def layer():
    torch.manual_seed(0)
    return OrbitalLinear(8, 8, pair_dim=5)


def test_repr():
    assert repr(OrbitalLinear(4, 6, pair_dim=3)) == "OrbitalLinear(4, 6, pair_dim=3)"


@pytest.mark.parametrize("colors", [3, 60])  # few colours (bin path) and many colours (weight-block path)
def test_is_the_weight_shared_matrix(colors):
    """Known fact: the layer is x' = W x / N + b with W[i, j] = theta[c_ij] (orbital weight sharing)."""
    torch.manual_seed(0)
    layer = OrbitalLinear(3, 2, pair_dim=4)
    x, table, c = random_case(B=2, N=5, width=3, colors=colors, pair_dim=4)
    theta = (table @ layer.lin_pair.weight.T).view(colors, 3, 2)
    W = theta[c]  # (N, N, in, out)
    expected = torch.einsum("bjd,ijde->bie", x, W) / 5 + layer.bias
    torch.testing.assert_close(layer(x, table, c), expected)


def test_equivariant_to_vertex_permutations(layer):
    check_permutation_equivariance(layer)


def test_colours_enter(layer):
    check_coloring_matters(layer)


def test_dense_equals_sparse_on_complete_arcs(layer):
    check_dense_equals_sparse(layer)


def test_padding_and_shared_colours(layer):
    check_padding(layer)


@settings(max_examples=15, deadline=None)
@given(st.permutations(range(6)), st.integers(0, 2**31 - 1))
def test_equivariant_to_any_permutation(perm, seed):
    torch.manual_seed(0)
    check_permutation_equivariance_for(OrbitalLinear(8, 8, pair_dim=5), perm, seed=seed)


@pytest.mark.parametrize("colors", [3, 60])
def test_sum_aggregation_is_n_times_the_mean(colors):
    """``aggregate='sum'`` is the same weight-shared map without the ``1/N``: x' = W x + b."""
    torch.manual_seed(0)
    mean = OrbitalLinear(3, 2, pair_dim=4)
    total = OrbitalLinear(3, 2, pair_dim=4, aggregate="sum")
    total.load_state_dict(mean.state_dict())
    x, table, c = random_case(B=2, N=5, width=3, colors=colors, pair_dim=4)
    torch.testing.assert_close(total(x, table, c) - total.bias, 5 * (mean(x, table, c) - mean.bias))


def test_sum_aggregation_dense_equals_sparse():
    torch.manual_seed(0)
    layer = OrbitalLinear(8, 8, pair_dim=5, aggregate="sum")
    check_dense_equals_sparse(layer)
    check_permutation_equivariance(layer)
    assert repr(layer) == "OrbitalLinear(8, 8, pair_dim=5, aggregate='sum')"


def test_unknown_aggregation_is_refused():
    with pytest.raises(ValueError, match="aggregate must be one of"):
        OrbitalLinear(2, 2, pair_dim=2, aggregate="max")


def test_points_cap_the_sum_at_n_senders_on_both_paths():
    torch.manual_seed(3)
    layer = OrbitalLinear(4, 3, pair_dim=2, aggregate="sum").double()
    B, N = 2, 6
    x, table = torch.randn(B, N, 4, dtype=torch.float64), torch.randn(3, 2, dtype=torch.float64)
    c = torch.randint(0, 3, (N, N))
    plain = layer(x, table, c)
    torch.testing.assert_close(layer(x, table, c, points=torch.tensor([6, 9])), plain)  # d = 6 <= n: a plain sum
    capped = layer(x, table, c, points=torch.tensor([2, 3]))
    torch.testing.assert_close(capped - layer.bias, (plain - layer.bias) * torch.tensor([2 / 6, 3 / 6]).view(B, 1, 1))
    i, j = (k.flatten() for k in torch.meshgrid(torch.arange(N), torch.arange(N), indexing="ij"))
    edges = torch.stack([j, i]).repeat(1, B) + (torch.arange(B) * N).repeat_interleave(N * N)
    sparse = layer.forward_sparse(x.reshape(B * N, 4), table, edges, c[i, j].repeat(B),
                                  points=torch.tensor([2, 3]).repeat_interleave(N))
    torch.testing.assert_close(sparse.view(B, N, 3), capped)
    mean = OrbitalLinear(4, 3, pair_dim=2).double()
    torch.testing.assert_close(mean(x, table, c, points=torch.tensor([2, 3])), mean(x, table, c))  # mean: no cap
