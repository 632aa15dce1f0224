"""Tests for asen.models.bodies."""

import pytest
import torch

from asen.models import EquivariantMLP, GATv2Body, PositionalMLP, SetNorm, TransformerBody, build_body


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
    assert not any(isinstance(m, (torch.nn.LayerNorm, SetNorm)) for m in body.modules())
    assert repr(body) == "GATv2Body(width=8, layers=2, heads=2, pair_dim=4, norm='none')"
    normed = build_body("orbital_mlp", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0)
    assert sum(isinstance(m, torch.nn.LayerNorm) for m in normed.modules()) == 2
    plain = build_body("orbital_mlp", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0, block_norm=False)
    assert not any(isinstance(m, torch.nn.LayerNorm) for m in plain.modules())
    set_normed = build_body("gatv2", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0, block_norm="set")
    assert sum(isinstance(m, SetNorm) for m in set_normed.modules()) == 2


@pytest.mark.parametrize("base", ["transformer", "mlp"])
@pytest.mark.parametrize("block_norm", [False, "set"])
def test_other_block_norms_are_refused_where_undefined(base, block_norm):
    with pytest.raises(ValueError, match="is not defined for base"):
        build_body(base, 8, num_layers=1, heads=2, pair_dim=4, dropout=0.0, max_vertices=5, block_norm=block_norm)


def test_block_norm_must_be_a_known_name():
    with pytest.raises(ValueError, match="block_norm must be one of"):
        build_body("gatv2", 8, num_layers=1, heads=2, pair_dim=4, dropout=0.0, block_norm="batch")


def test_set_block_norm_takes_the_statistics_of_the_points_and_keeps_auxiliary_scale():
    # y = w (u - mu_P) / sigma_P + b + g mu_P on every vertex; mu_P, sigma_P over the points only
    torch.manual_seed(0)
    body = build_body("gatv2", 6, num_layers=1, heads=2, pair_dim=4, dropout=0.0, block_norm="set")
    u = torch.randn(2, 7, 6)
    u[:, 4:] *= 100.0  # three large auxiliary vertices per sample
    points = (torch.arange(7) < 4).expand(2, 7)
    y = body.norms[0](u, points).detach()
    mu = u[:, :4].mean(1, keepdim=True)
    sigma = (u[:, :4] - mu).pow(2).mean((1, 2), keepdim=True).add(1e-5).sqrt()
    torch.testing.assert_close(y, (u - mu) / sigma, atol=1e-5, rtol=1e-5)
    assert float(y[:, :4].pow(2).mean()) == pytest.approx(1.0, rel=1e-3)
    assert float(y[:, 4:].abs().mean()) > 20.0  # not lifted to unit scale, as a per-vertex LayerNorm would


def test_set_block_norm_is_the_same_on_the_dense_and_sparse_paths():
    torch.manual_seed(1)
    body = build_body("gatv2", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0, block_norm="set")
    B, N = 3, 5
    h, table = torch.randn(B, N, 8), torch.randn(3, 4)
    colors = torch.randint(0, 3, (N, N))
    points = (torch.arange(N) < 3).expand(B, N)
    dense = body(h, table, colors, point_mask=points)
    i, j = (k.flatten() for k in torch.meshgrid(torch.arange(N), torch.arange(N), indexing="ij"))
    batched = torch.stack([j, i]).repeat(1, B) + (torch.arange(B) * N).repeat_interleave(N * N)  # arc j -> i
    edge_colors = colors[i, j].repeat(B)
    sparse = body.forward_sparse(h.reshape(B * N, 8), table, batched, edge_colors, point_mask=points)
    torch.testing.assert_close(sparse.view(B, N, 8), dense, atol=1e-5, rtol=1e-4)
    with pytest.raises(ValueError, match="point_mask must mark each"):
        body.forward_sparse(h.reshape(B * N, 8), table, batched, edge_colors, point_mask=points[:2])
    with pytest.raises(ValueError, match=r"point_mask must be \(B, N\) = \(3, 5\)"):
        body(h, table, colors, point_mask=points[:, :4])


def test_set_block_norm_without_a_point_mask_normalises_each_sample_by_itself():
    torch.manual_seed(2)
    body = build_body("gatv2", 8, num_layers=2, heads=2, pair_dim=4, dropout=0.0, block_norm="set")
    h, table, colors = torch.randn(3, 5, 8), torch.randn(3, 4), torch.randint(0, 3, (5, 5))
    batch = body(h, table, colors)
    for b in range(3):
        torch.testing.assert_close(batch[b : b + 1], body(h[b : b + 1], table, colors), atol=1e-5, rtol=1e-4)
