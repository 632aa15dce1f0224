"""``PairBiasAttention``: multi-head self-attention with a per-head bias and a value term per pair colour."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .pair_ops import lookup, masked_softmax, pair_value_term, scatter_softmax

__all__ = ["PairBiasAttention"]


class PairBiasAttention(nn.Module):
    r"""Scaled dot-product attention over all vertex pairs, biased and enriched by pair-colour embeddings.

    From Ying et al., *Do Transformers Really Perform Bad for Graph Representation?* (NeurIPS 2021), whose
    Graphormer adds to each attention logit a learnable scalar indexed by the pair's structural relation;
    the "graph transformer with edge features" form (Dwivedi and Bresson, 2021) also lets the pair enter
    the values. Here the relation is the pair's colour ``c_ij`` with embedding ``e_c`` (a row of
    ``pair_table``):

    .. math::
        \alpha_{ij}^h = \operatorname{softmax}_j\Big(\frac{q^h_i\cdot k^h_j}{\sqrt{D}} + b^h(e_{c_{ij}})\Big),
        \qquad x_i' = W_o \big\Vert_h \sum_j \alpha_{ij}^h \big(v^h_j + u^h(e_{c_{ij}})\big)

    with ``b = B e`` (one scalar per head) and ``u = U e``. Equivariant to every permutation applied to
    ``x`` and to both axes of the colours.

    Parameters
    ----------
    channels
        Width of input and output.
    heads
        Number of heads ``H`` (``channels`` must be divisible by it).
    pair_dim
        Width of the pair-colour table rows; ``None`` builds plain self-attention (no pair input).
    dropout
        Dropout on the attention weights (training only).

    Shapes
    ------
    Dense (:meth:`forward`):
        ``x (B, N, channels)``, ``pair_table (C, pair_dim)``, ``pair_colors (N, N)`` or ``(B, N, N)``
        (row = receiver), ``mask (B, N)`` or None  ->  ``(B, N, channels)``.
    Sparse (:meth:`forward_sparse`):
        ``x (M, channels)``, ``edge_index (2, E)`` as ``[senders; receivers]``, ``edge_colors (E,)``
        ->  ``(M, channels)``.

    Examples
    --------
    >>> import torch
    >>> layer = PairBiasAttention(16, heads=4, pair_dim=8)
    >>> layer
    PairBiasAttention(16, heads=4, pair_dim=8)
    >>> layer(torch.randn(2, 5, 16), torch.randn(3, 8), torch.randint(0, 3, (5, 5))).shape
    torch.Size([2, 5, 16])
    """

    def __init__(self, channels: int, *, heads: int = 8, pair_dim: int | None = None, dropout: float = 0.0):
        super().__init__()
        if heads < 1 or channels % heads:
            raise ValueError(f"channels={channels} must be a positive multiple of heads={heads}")
        self.channels, self.heads, self.head_dim = channels, heads, channels // heads
        self.pair_dim, self.dropout = pair_dim, dropout
        self.lin_qkv = nn.Linear(channels, 3 * channels)
        self.lin_out = nn.Linear(channels, channels)
        # per colour: one logit bias per head, then one value vector per head
        self.lin_pair = None if pair_dim is None else nn.Linear(pair_dim, heads + channels, bias=False)

    def _pair_terms(self, pair_table: Tensor | None) -> tuple[Tensor, Tensor] | None:
        if self.lin_pair is None:
            return None
        if pair_table is None:
            raise ValueError("this layer was built with pair_dim set, so pair_table is required")
        proj = self.lin_pair(pair_table)
        return proj[:, : self.heads], proj[:, self.heads :]

    def forward(
        self,
        x: Tensor,
        pair_table: Tensor | None = None,
        pair_colors: Tensor | None = None,
        mask: Tensor | None = None,
    ) -> Tensor:
        """Dense attention over all ``N x N`` pairs; see the class docstring for shapes."""
        B, N, _ = x.shape
        H, D = self.heads, self.head_dim
        q, k, v = self.lin_qkv(x).view(B, N, 3, H, D).unbind(2)
        logits = torch.einsum("bihd,bjhd->bijh", q, k) / math.sqrt(D)
        terms = self._pair_terms(pair_table)
        if terms is not None:
            logits = logits + lookup(terms[0], pair_colors)
        alpha = masked_softmax(logits, mask, dim=2)
        alpha = F.dropout(alpha, p=self.dropout, training=self.training)
        out = torch.einsum("bijh,bjhd->bihd", alpha, v)
        if terms is not None:
            out = out + pair_value_term(alpha, terms[1].view(-1, H, D), pair_colors)
        return self.lin_out(out.reshape(B, N, H * D))

    def forward_sparse(
        self,
        x: Tensor,
        pair_table: Tensor | None,
        edge_index: Tensor,
        edge_colors: Tensor | None = None,
    ) -> Tensor:
        """Attention restricted to the listed arcs (message passing with scatter); same parameters."""
        M = x.shape[0]
        H, D = self.heads, self.head_dim
        snd, rcv = edge_index[0], edge_index[1]
        q, k, v = self.lin_qkv(x).view(M, 3, H, D).unbind(1)
        logits = (q.index_select(0, rcv) * k.index_select(0, snd)).sum(-1) / math.sqrt(D)  # (E, H)
        v_e = v.index_select(0, snd)
        terms = self._pair_terms(pair_table)
        if terms is not None:
            logits = logits + lookup(terms[0], edge_colors)
            v_e = v_e + lookup(terms[1], edge_colors).view(-1, H, D)
        alpha = scatter_softmax(logits, rcv, M)
        alpha = F.dropout(alpha, p=self.dropout, training=self.training)
        out = x.new_zeros(M, H, D).index_add_(0, rcv, alpha.unsqueeze(-1) * v_e)
        return self.lin_out(out.reshape(M, H * D))

    def __repr__(self) -> str:
        pair = "" if self.pair_dim is None else f", pair_dim={self.pair_dim}"
        return f"{type(self).__name__}({self.channels}, heads={self.heads}{pair})"
