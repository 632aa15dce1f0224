"""Tests for asen.models.attention_layer.PairBiasAttention."""

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

from asen.models import PairBiasAttention


@pytest.fixture
def layer():
    torch.manual_seed(0)
    return PairBiasAttention(8, heads=2, pair_dim=5)


def test_repr():
    assert repr(PairBiasAttention(16, heads=4, pair_dim=8)) == "PairBiasAttention(16, heads=4, pair_dim=8)"
    assert repr(PairBiasAttention(16, heads=2)) == "PairBiasAttention(16, heads=2)"


def test_bias_only_layer_is_plain_attention_plus_bias():
    """Known fact: with the value term zeroed, the layer is softmax(qk/sqrt(D) + b[c]) v, head by head."""
    torch.manual_seed(0)
    layer = PairBiasAttention(4, heads=1, pair_dim=2)
    with torch.no_grad():
        layer.lin_pair.weight[1:].zero_()  # keep the bias row, drop the value rows
    x, table, c = random_case(B=1, N=3, width=4, colors=2, pair_dim=2)
    q, k, v = layer.lin_qkv(x).chunk(3, dim=-1)
    bias = (table @ layer.lin_pair.weight[:1].T)[c][..., 0]
    expected = layer.lin_out(torch.softmax(q @ k.transpose(1, 2) / 2 + bias, dim=-1) @ v)
    torch.testing.assert_close(layer(x, table, c), expected)


def test_equivariant_to_vertex_permutations(layer):
    check_permutation_equivariance(layer)


def test_colours_enter(layer):
    check_coloring_matters(layer)


def test_dense_equals_sparse_on_complete_arcs(layer):
    check_dense_equals_sparse(layer)


def test_padding_and_shared_colours(layer):
    check_padding(layer)


def test_errors():
    with pytest.raises(ValueError, match="multiple of heads"):
        PairBiasAttention(10, heads=3)


@settings(max_examples=15, deadline=None)
@given(st.permutations(range(6)), st.integers(0, 2**31 - 1))
def test_equivariant_to_any_permutation(perm, seed):
    torch.manual_seed(0)
    check_permutation_equivariance_for(PairBiasAttention(8, heads=2, pair_dim=5), perm, seed=seed)
