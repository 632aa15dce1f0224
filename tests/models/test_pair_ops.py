"""Tests for asen.models.pair_ops: both value-term strategies and both softmaxes against naive loops."""

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.models.pair_ops import lookup, masked_softmax, pair_value_term, scatter_softmax


def naive_value_term(alpha, table, colors):
    B, N, _, H = alpha.shape
    colors = colors.expand(B, N, N)
    out = torch.zeros(B, N, H, table.shape[-1])
    for b in range(B):
        for i in range(N):
            for j in range(N):
                out[b, i] += alpha[b, i, j, :, None] * table[colors[b, i, j]]
    return out


def test_value_term_bins_and_gather_agree_with_loops():
    g = torch.Generator().manual_seed(0)
    alpha = torch.rand(2, 5, 5, 3, generator=g)
    few = torch.randn(2, 3, 4, generator=g)  # 2 colours: the binning branch
    many = torch.randn(40, 3, 4, generator=g)  # 40 colours on one shared colouring: the gathering branch
    c_few = torch.randint(0, 2, (5, 5), generator=g)
    c_many = torch.randint(0, 40, (5, 5), generator=g)
    torch.testing.assert_close(pair_value_term(alpha, few, c_few), naive_value_term(alpha, few, c_few))
    torch.testing.assert_close(pair_value_term(alpha, many, c_many), naive_value_term(alpha, many, c_many))
    per_sample = torch.randint(0, 40, (2, 5, 5), generator=g)
    torch.testing.assert_close(
        pair_value_term(alpha, many, per_sample), naive_value_term(alpha, many, per_sample)
    )


def test_masked_softmax_ignores_masked_keys_and_stays_finite():
    logits = torch.randn(1, 3, 3, 2)
    mask = torch.tensor([[True, True, False]])
    out = masked_softmax(logits, mask, dim=2)
    assert torch.all(out[:, :, 2] == 0)
    torch.testing.assert_close(out[:, :, :2], torch.softmax(logits[:, :, :2], dim=2))
    assert torch.isfinite(masked_softmax(logits, torch.zeros(1, 3, dtype=torch.bool), dim=2)).all()


def test_lookup_is_indexing():
    table = torch.randn(4, 3)
    idx = torch.tensor([[0, 3], [2, 2]])
    assert torch.equal(lookup(table, idx), table[idx])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=30), st.integers(0, 2**31 - 1))
def test_scatter_softmax_matches_per_receiver_softmax(receivers, seed):
    index = torch.tensor(receivers)
    logits = torch.randn(len(receivers), 2, generator=torch.Generator().manual_seed(seed)) * 10
    out = scatter_softmax(logits, index, 6)
    for r in set(receivers):
        sel = index == r
        torch.testing.assert_close(out[sel], torch.softmax(logits[sel], dim=0))
