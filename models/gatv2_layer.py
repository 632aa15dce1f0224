"""``PairGATv2``: GATv2 attention over all vertex pairs, with pair-colour embeddings in logits and values."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .orbital_linear import OrbitalLinear
from .pair_ops import lookup, masked_softmax, pair_value_term, scatter_softmax

__all__ = ["PairGATv2"]


class PairGATv2(nn.Module):
    r"""GATv2 attention whose logits and messages read a learned embedding of each pair's colour.

    From Brody, Alon and Yahav, *How Attentive are Graph Attention Networks?* (ICLR 2022): "we introduce a
    simple fix by modifying the order of operations and propose GATv2: a dynamic graph attention variant
    that is strictly more expressive than GAT". Here every ordered pair ``(i, j)`` is an arc whose colour
    ``c_ij`` (an orbital of the symmetry group, or a colour of a certified breaking input) has embedding
    ``e_c`` (a row of ``pair_table``); this is the base layer of the ASEN paper:

    .. math::
        \alpha_{ij}^h = \operatorname{softmax}_j\, a_h^\top \operatorname{LeakyReLU}\big(W^h_t x_i + W^h_s x_j
        + U^h e_{c_{ij}}\big),\qquad x_i' = \big\Vert_h \sum_j \alpha_{ij}^h \big(W^h_s x_j + V^h e_{c_{ij}}\big) + b

    With ``orbital_rank=r`` the layer also adds an orbital weight-sharing term (an
    :class:`~asen.models.OrbitalLinear` with a sum over the senders), ``x_i' += \sum_j \Theta_{c_{ij}} x_j``
with ``\Theta_c = \operatorname{reshape}(W P e_c)`` (``P``: ``pair_dim -> r``), scaled by
    ``\min(1, n / d_i)`` for a receiver of ``d_i`` senders when the forward gets ``points`` (the capped sum). The attention messages
    alone weight a sender by a scalar per head, so a vertex cannot apply a different linear map to each
    colour class of its senders; this term can, which is what an auxiliary vertex of an exact input needs
    to read its members in order (docs/results.md, "Default models beyond the 2-closure").

    The map is equivariant to every permutation of the vertices that is applied to ``x`` and to both
    axes of the colours, hence to the automorphisms of the colouring when the colouring is held fixed.

    Parameters
    ----------
    in_channels
        Width of the vertex features ``x``.
    out_channels
        Output width, split over the heads (must be divisible by ``heads``).
    heads
        Number of attention heads ``H``.
    pair_dim
        Width of the pair-colour table rows; ``None`` builds the layer without pair input (plain GATv2 on
        the complete graph, the baseline "without pair colours").
    negative_slope
        Slope of the LeakyReLU inside the logits.
    dropout
        Dropout on the attention weights (training only).
    orbital_rank
        Rank ``r`` of the orbital term's colour projection; ``None`` (default) leaves the term out (the
        paper's layer). Needs ``pair_dim``.

    Shapes
    ------
    Dense (:meth:`forward`):
        ``x (B, N, in)``, ``pair_table (C, pair_dim)``, ``pair_colors (N, N)`` or ``(B, N, N)`` int64
        (row = receiver), ``mask (B, N)`` bool or None  ->  ``(B, N, out)``.
    Sparse (:meth:`forward_sparse`):
        ``x (M, in)``, ``pair_table (C, pair_dim)``, ``edge_index (2, E)`` as ``[senders; receivers]``,
        ``edge_colors (E,)``  ->  ``(M, out)``.

    Examples
    --------
    >>> import torch
    >>> layer = PairGATv2(16, 16, heads=2, pair_dim=8)
    >>> layer
    PairGATv2(16, 16, heads=2, pair_dim=8)
    >>> x, table = torch.randn(3, 5, 16), torch.randn(4, 8)
    >>> colors = torch.randint(0, 4, (5, 5))
    >>> layer(x, table, colors).shape
    torch.Size([3, 5, 16])
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        *,
        heads: int = 8,
        pair_dim: int | None = None,
        negative_slope: float = 0.2,
        dropout: float = 0.0,
        orbital_rank: int | None = None,
    ):
        super().__init__()
        if heads < 1 or out_channels % heads:
            raise ValueError(f"out_channels={out_channels} must be a positive multiple of heads={heads}")
        if orbital_rank is not None:
            if isinstance(orbital_rank, bool) or not isinstance(orbital_rank, int) or orbital_rank < 1:
                raise ValueError(f"orbital_rank must be a positive int or None, got {orbital_rank!r}")
            if pair_dim is None:
                raise ValueError("orbital_rank needs pair colours: pair_dim must be an int")
        self.orbital_rank = orbital_rank
        self.in_channels, self.out_channels, self.heads = in_channels, out_channels, heads
        self.head_dim = out_channels // heads
        self.pair_dim = pair_dim
        self.negative_slope, self.dropout = negative_slope, dropout
        self.lin_src = nn.Linear(in_channels, out_channels, bias=False)
        self.lin_dst = nn.Linear(in_channels, out_channels, bias=False)
        self.att = nn.Parameter(torch.empty(heads, self.head_dim))
        # one projection gives the logit term (U) and the value term (V) of each colour
        self.lin_pair = None if pair_dim is None else nn.Linear(pair_dim, 2 * out_channels, bias=False)
        self.bias = nn.Parameter(torch.zeros(out_channels))
        if orbital_rank is None:
            self.orbital_pair, self.orbital = None, None
        else:
            self.orbital_pair = nn.Linear(pair_dim, orbital_rank, bias=False)
            self.orbital = OrbitalLinear(in_channels, out_channels, pair_dim=orbital_rank, aggregate="sum")
        self.reset_parameters()

    def reset_parameters(self) -> None:
        nn.init.xavier_uniform_(self.lin_src.weight)
        nn.init.xavier_uniform_(self.lin_dst.weight)
        nn.init.xavier_uniform_(self.att)
        if self.lin_pair is not None:
            nn.init.xavier_uniform_(self.lin_pair.weight)
        nn.init.zeros_(self.bias)
        if self.orbital_pair is not None:
            # unit-variance projected colour rows for N(0, 1) tables, the scale OrbitalLinear's init assumes
            nn.init.normal_(self.orbital_pair.weight, std=self.pair_dim**-0.5)

    def _pair_terms(self, pair_table: Tensor | None) -> tuple[Tensor, Tensor] | None:
        if self.lin_pair is None:
            return None
        if pair_table is None:
            raise ValueError("this layer was built with pair_dim set, so pair_table is required")
        proj = self.lin_pair(pair_table)  # (C, 2 * out)
        return proj[:, : self.out_channels], proj[:, self.out_channels :]

    def forward(
        self,
        x: Tensor,
        pair_table: Tensor | None = None,
        pair_colors: Tensor | None = None,
        mask: Tensor | None = None,
        *,
        points: Tensor | None = None,
    ) -> Tensor:
        """Dense attention over all ``N x N`` pairs of each sample; see the class docstring for shapes.
        ``points (B,)`` caps the orbital term's sum (:class:`~asen.models.OrbitalLinear`)."""
        B, N, _ = x.shape
        H, D = self.heads, self.head_dim
        src = self.lin_src(x).view(B, N, H, D)  # senders j
        dst = self.lin_dst(x).view(B, N, H, D)  # receivers i
        s = dst.unsqueeze(2) + src.unsqueeze(1)  # (B, N_i, N_j, H, D)
        terms = self._pair_terms(pair_table)
        if terms is not None:
            s = s.add_(lookup(terms[0], pair_colors).view(*pair_colors.shape, H, D))
        # in place: autograd keeps only LeakyReLU's output (one B N^2 H D tensor per layer, not two)
        logits = (F.leaky_relu_(s, self.negative_slope) * self.att).sum(-1)  # 3x faster than einsum on CPU
        alpha = masked_softmax(logits, mask, dim=2)
        alpha = F.dropout(alpha, p=self.dropout, training=self.training)
        out = torch.einsum("bijh,bjhd->bihd", alpha, src)
        if terms is not None:
            out = out + pair_value_term(alpha, terms[1].view(-1, H, D), pair_colors)
        out = out.reshape(B, N, H * D) + self.bias
        if self.orbital is not None:
            out = out + self.orbital(x, self.orbital_pair(pair_table), pair_colors, mask, points=points)
        return out

    def forward_sparse(
        self,
        x: Tensor,
        pair_table: Tensor | None,
        edge_index: Tensor,
        edge_colors: Tensor | None = None,
        *,
        points: Tensor | None = None,
    ) -> Tensor:
        """Attention restricted to the listed arcs (message passing with scatter); same parameters.
        ``points (M,)`` caps the orbital term's sum."""
        M = x.shape[0]
        H, D = self.heads, self.head_dim
        snd, rcv = edge_index[0], edge_index[1]
        src = self.lin_src(x).view(M, H, D)
        dst = self.lin_dst(x).view(M, H, D)
        src_e = src.index_select(0, snd)
        s = dst.index_select(0, rcv) + src_e  # (E, H, D)
        terms = self._pair_terms(pair_table)
        if terms is not None:
            s = s.add_(lookup(terms[0], edge_colors).view(-1, H, D))
            src_e = src_e + lookup(terms[1], edge_colors).view(-1, H, D)
        logits = (F.leaky_relu_(s, self.negative_slope) * self.att).sum(-1)
        alpha = scatter_softmax(logits, rcv, M)
        alpha = F.dropout(alpha, p=self.dropout, training=self.training)
        out = x.new_zeros(M, H, D).index_add_(0, rcv, alpha.unsqueeze(-1) * src_e)
        out = out.reshape(M, H * D) + self.bias
        if self.orbital is not None:
            out = out + self.orbital.forward_sparse(
                x, self.orbital_pair(pair_table), edge_index, edge_colors, points=points
            )
        return out

    def __repr__(self) -> str:
        pair = "" if self.pair_dim is None else f", pair_dim={self.pair_dim}"
        orbital = "" if self.orbital_rank is None else f", orbital_rank={self.orbital_rank}"
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels}, heads={self.heads}{pair}{orbital})"
