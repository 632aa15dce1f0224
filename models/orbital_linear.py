"""``OrbitalLinear``: the linear layer with one weight matrix per pair colour (orbital weight sharing)."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .pair_ops import lookup

__all__ = ["AGGREGATES", "OrbitalLinear"]

#: ``"mean"`` divides the sum over senders by their number, ``"sum"`` keeps it
AGGREGATES = ("mean", "sum")


class OrbitalLinear(nn.Module):
    r"""Linear map between vertex features whose weight block for pair ``(i, j)`` depends only on its colour.

    From Ravanbakhsh, Schneider and Poczos, *Equivariance Through Parameter-Sharing* (ICML 2017): "We
    propose to study equivariance in deep neural networks through parameter symmetries." With the
    orbitals of ``G`` as colours this is the most general ``G``-equivariant linear map on ``R^Omega``
    (``W[i, j] = theta[orbital(i, j)]``), the layer EMLP-style methods reach for permutation groups; it is
    therefore equivariant to the 2-closure ``G^(2)``, never to less (theory notes, section 1.4):

    .. math::
        x_i' = \frac{1}{|V|}\sum_{j \in V} \Theta_{c_{ij}}\, x_j + b,\qquad \Theta_c = \operatorname{reshape}(W e_c)

    where ``e_c`` is row ``c`` of ``pair_table`` and ``V`` the real (unpadded) vertices of the sample;
    ``aggregate="sum"`` drops the ``1/|V|``.

    Parameters
    ----------
    in_channels, out_channels
        Input and output widths.
    pair_dim
        Width of the pair-colour table rows.
    aggregate
        ``"mean"`` (default) or ``"sum"`` over the senders. With the sum, an auxiliary vertex whose arcs to
        the points all differ in colour (ordered tuples, the regular orbit) reads its members' features at
        full scale, as one linear layer on their concatenation. A forward given ``points`` (the point count
        ``n`` of each receiver's sample) *caps* the sum: a receiver with ``d > n`` senders has it scaled by
        ``n / d``, so the term stays at the scale of a sum over ``n`` points when hundreds of frames send
        to one point (the gatv2 default; docs/results.md, "Session 17").

    Shapes
    ------
    Dense (:meth:`forward`):
        ``x (B, N, in)``, ``pair_table (C, pair_dim)``, ``pair_colors (N, N)`` or ``(B, N, N)``,
        ``mask (B, N)`` or None  ->  ``(B, N, out)``.
    Sparse (:meth:`forward_sparse`):
        ``x (M, in)``, ``edge_index (2, E)`` as ``[senders; receivers]``, ``edge_colors (E,)``
        ->  ``(M, out)`` (the sum over a receiver's arcs, divided by its in-degree for ``aggregate='mean'``).

    Examples
    --------
    >>> import torch
    >>> layer = OrbitalLinear(4, 6, pair_dim=3)
    >>> layer
    OrbitalLinear(4, 6, pair_dim=3)
    >>> layer(torch.randn(2, 5, 4), torch.randn(2, 3), torch.randint(0, 2, (5, 5))).shape
    torch.Size([2, 5, 6])
    """

    def __init__(self, in_channels: int, out_channels: int, *, pair_dim: int, aggregate: str = "mean"):
        super().__init__()
        if aggregate not in AGGREGATES:
            raise ValueError(f"aggregate must be one of {AGGREGATES}, got {aggregate!r}")
        self.in_channels, self.out_channels, self.pair_dim = in_channels, out_channels, pair_dim
        self.aggregate = aggregate
        self.lin_pair = nn.Linear(pair_dim, in_channels * out_channels, bias=False)
        self.bias = nn.Parameter(torch.zeros(out_channels))
        nn.init.normal_(self.lin_pair.weight, std=(1.0 / (pair_dim * in_channels)) ** 0.5)

    def _theta(self, pair_table: Tensor) -> Tensor:
        return self.lin_pair(pair_table).view(-1, self.in_channels, self.out_channels)

    def forward(
        self, x: Tensor, pair_table: Tensor, pair_colors: Tensor, mask: Tensor | None = None,
        *, points: Tensor | None = None,
    ) -> Tensor:
        """Dense orbital-shared linear map; see the class docstring for shapes (``points (B,)``: the cap)."""
        B, N, _ = x.shape
        theta = self._theta(pair_table)  # (C, in, out)
        C = theta.shape[0]
        if mask is not None:
            x = x * mask.unsqueeze(-1).to(x.dtype)
        if self.aggregate == "sum" and points is not None:
            senders = mask.sum(1).to(x.dtype) if mask is not None else x.new_full((B,), float(N))
            count = (senders.clamp(min=1) / points.to(x.dtype)).clamp(min=1).view(-1, 1, 1)
        elif self.aggregate == "sum":
            count = torch.ones((1, 1, 1), dtype=x.dtype, device=x.device)
        elif mask is not None:
            count = mask.sum(1).clamp(min=1).to(x.dtype).view(B, 1, 1)
        else:
            count = torch.full((1, 1, 1), float(N), dtype=x.dtype, device=x.device)
        if pair_colors.dim() == 2 and C > N:
            # many colours, one colouring: build the N x N weight blocks once
            weight = lookup(theta.flatten(1), pair_colors).view(N, N, self.in_channels, self.out_channels)
            out = torch.einsum("bjd,ijde->bie", x, weight)
        else:
            # few colours: transform each sender by every colour, then pick colour c_ij per pair
            xt = torch.einsum("bjd,cde->bjce", x, theta).reshape(B, N * C, self.out_channels)
            cols = pair_colors.expand(B, N, N)
            flat = torch.arange(N, device=x.device).view(1, 1, N) * C + cols  # (B, N_i, N_j)
            idx = flat.reshape(B, N * N, 1).expand(B, N * N, self.out_channels)
            out = xt.gather(1, idx).view(B, N, N, self.out_channels).sum(2)
        return out / count + self.bias

    def forward_sparse(
        self, x: Tensor, pair_table: Tensor, edge_index: Tensor, edge_colors: Tensor,
        *, points: Tensor | None = None,
    ) -> Tensor:
        """Orbital-shared message passing over the listed arcs; same parameters (``points (M,)``: the cap)."""
        M = x.shape[0]
        snd, rcv = edge_index[0], edge_index[1]
        theta = self._theta(pair_table)
        C = theta.shape[0]
        xt = torch.einsum("md,cde->mce", x, theta).reshape(M * C, self.out_channels)
        msg = xt.index_select(0, snd * C + edge_colors)
        out = x.new_zeros(M, self.out_channels).index_add_(0, rcv, msg)
        if self.aggregate == "sum" and points is None:
            return out + self.bias
        deg = x.new_zeros(M).index_add_(0, rcv, torch.ones_like(rcv, dtype=x.dtype)).clamp(min=1)
        if self.aggregate == "sum":
            deg = (deg / points.to(x.dtype)).clamp(min=1)
        return out / deg.unsqueeze(-1) + self.bias

    def __repr__(self) -> str:
        agg = "" if self.aggregate == "mean" else f", aggregate={self.aggregate!r}"
        return f"{type(self).__name__}({self.in_channels}, {self.out_channels}, pair_dim={self.pair_dim}{agg})"
