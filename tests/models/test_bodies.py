"""Tests for asen.models.bodies."""

import pytest
import torch

from asen.models import EquivariantMLP, GATv2Body, PositionalMLP, TransformerBody, build_body


def test_defaults_are_the_papers():
    body = GATv2Body()
    assert (body.width, body.num_layers, body.heads, body.pair_dim) == (128, 4, 8, 128)


def test_repr():
    assert (
        repr(GATv2Body(16, num_layers=2, heads=2, pair_dim=8))
        == "GATv2Body(width=16, layers=2, heads=2, pair_dim=8)"
    )
    assert repr(TransformerBody(16, num_layers=1, heads=4, pair_dim=None)) == (
        "TransformerBody(width=16, layers=1, heads=4, pair_dim=None)"
    )
    assert (
        repr(EquivariantMLP(8, num_layers=3, pair_dim=4)) == "EquivariantMLP(width=8, layers=3, pair_dim=4)"
    )
    assert (
        repr(PositionalMLP(8, num_layers=2, max_vertices=5))
        == "PositionalMLP(width=8, layers=2, max_vertices=5)"
    )


@pytest.mark.parametrize("base", ["gatv2", "transformer", "orbital_mlp"])
def test_bodies_keep_the_width_on_both_paths(base):
    torch.manual_seed(0)
    body = build_body(base, 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0)
    h, table = torch.randn(2, 5, 8), torch.randn(3, 4)
    assert body(h, table, torch.randint(0, 3, (5, 5))).shape == (2, 5, 8)
    edges = torch.tensor([[0, 1, 2], [1, 2, 0]])
    assert body.forward_sparse(h[0], table, edges, torch.tensor([0, 1, 2])).shape == (5, 8)


def test_build_body_errors():
    with pytest.raises(ValueError, match="base must be one of"):
        build_body("gcn", 8, num_layers=1, heads=1, pair_dim=4, dropout=0.0)
    with pytest.raises(ValueError, match="needs pair colours"):
        EquivariantMLP(8, pair_dim=None)
    with pytest.raises(ValueError, match="no sparse path"):
        PositionalMLP(8, max_vertices=3).forward_sparse(None, None, None, None)


def test_block_norm_false_drops_the_layernorm_of_every_block():
    body = build_body("gatv2", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0, block_norm=False)
    assert not any(isinstance(m, torch.nn.LayerNorm) for m in body.modules())
    assert repr(body) == "GATv2Body(width=8, layers=2, heads=2, pair_dim=4, norm=False)"
    normed = build_body("orbital_mlp", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0)
    assert sum(isinstance(m, torch.nn.LayerNorm) for m in normed.modules()) == 2
    plain = build_body("orbital_mlp", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0, block_norm=False)
    assert not any(isinstance(m, torch.nn.LayerNorm) for m in plain.modules())


@pytest.mark.parametrize("base", ["transformer", "mlp"])
def test_block_norm_false_is_refused_where_undefined(base):
    with pytest.raises(ValueError, match="block_norm=False is not defined"):
        build_body(base, 8, num_layers=1, heads=2, pair_dim=4, dropout=0.0, max_vertices=5, block_norm=False)


def test_block_norm_must_be_a_bool():
    with pytest.raises(ValueError, match="block_norm must be a bool"):
        build_body("gatv2", 8, num_layers=1, heads=2, pair_dim=4, dropout=0.0, block_norm="none")
