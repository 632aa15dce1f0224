"""Tests for asen.models.gatv2_layer.PairGATv2."""

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

from asen.models import PairGATv2


@pytest.fixture
def layer():
    torch.manual_seed(0)
    return PairGATv2(8, 8, heads=2, pair_dim=5)


def test_repr():
    assert repr(PairGATv2(16, 32, heads=4, pair_dim=8)) == "PairGATv2(16, 32, heads=4, pair_dim=8)"
    assert repr(PairGATv2(16, 16, heads=2)) == "PairGATv2(16, 16, heads=2)"


def test_shapes(layer):
    x, table, c = random_case()
    assert layer(x, table, c).shape == (2, 6, 8)


def test_equivariant_to_vertex_permutations(layer):
    check_permutation_equivariance(layer)


def test_colours_enter(layer):
    check_coloring_matters(layer)


def test_dense_equals_sparse_on_complete_arcs(layer):
    check_dense_equals_sparse(layer)


def test_padding_and_shared_colours(layer):
    check_padding(layer)


def test_without_pair_colours_ignores_the_colouring():
    torch.manual_seed(0)
    plain = PairGATv2(8, 8, heads=2)
    x, _, c = random_case()
    assert torch.equal(plain(x, None, c), plain(x, None, (c + 1) % 4))


def test_errors():
    with pytest.raises(ValueError, match="multiple of heads"):
        PairGATv2(8, 10, heads=3)
    x, _, c = random_case()
    with pytest.raises(ValueError, match="pair_table is required"):
        PairGATv2(8, 8, heads=2, pair_dim=5)(x, None, c)


@settings(max_examples=15, deadline=None)
@given(st.permutations(range(6)), st.integers(0, 2**31 - 1))
def test_equivariant_to_any_permutation(perm, seed):
    torch.manual_seed(0)
    check_permutation_equivariance_for(PairGATv2(8, 8, heads=2, pair_dim=5), perm, seed=seed)
