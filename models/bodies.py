"""Shared bodies: stacks of pair-coloured layers with residual + normalised blocks, and the plain MLP baseline.

Every body maps vertex features to vertex features of the same width and has two entry points:

* ``forward(h, pair_table, pair_colors, mask, *, point_mask=None)`` on dense ``(B, N, width)`` batches, and
* ``forward_sparse(h, pair_table, edge_index, edge_colors, *, point_mask=None)`` on flattened ``(M, width)``
  vertices (``point_mask (B, N)``, ``M = B * N``: which vertices are points, read by ``block_norm="set"``).

``pair_dim=None`` builds the same body without pair input (the "base model without pair colours").

Examples
--------
>>> import torch
>>> body = GATv2Body(16, num_layers=2, heads=2, pair_dim=16)
>>> body
GATv2Body(width=16, layers=2, heads=2, pair_dim=16)
>>> body(torch.randn(2, 5, 16), torch.randn(3, 16), torch.randint(0, 3, (5, 5))).shape
torch.Size([2, 5, 16])
"""

from __future__ import annotations

import itertools

import torch.nn.functional as F
from torch import Tensor, nn

from .attention_layer import PairBiasAttention
from .gatv2_layer import PairGATv2
from .orbital_linear import OrbitalLinear
from .set_norm import SetNorm

__all__ = [
    "BLOCK_NORMS", "BODIES", "ORBITAL_AGGREGATES", "EquivariantMLP", "GATv2Body", "PositionalMLP", "TransformerBody",
    "build_body",
]


#: what each block of the gatv2 and orbital_mlp bodies normalises with (see :class:`_ConvBody`)
BLOCK_NORMS = ("layer", "set", "none")
#: how the gatv2 orbital term sums over a receiver's ``d`` senders: ``"capped"`` scales the sum by
#: ``min(1, n / d)`` (``n`` the sample's points), ``"sum"`` keeps it (as built before the option)
ORBITAL_AGGREGATES = ("capped", "sum")


def norm_name(value: str | bool, choices: tuple[str, ...] = BLOCK_NORMS, *, option: str = "block_norm") -> str:
    """Option ``option`` as one of ``choices`` (True is ``"layer"``, False ``"none"``, as saved before)."""
    if isinstance(value, bool):
        return "layer" if value else "none"
    if value not in choices:
        raise ValueError(f"{option} must be one of {choices} (or a bool), got {value!r}")
    return value


class _ConvBody(nn.Module):
    """Blocks ``h <- h + relu(Norm(W conv(h)))``, ``Norm`` per ``norm``:

    * ``"layer"``: a LayerNorm per vertex (the block of the ASEN paper's released GATv2 model);
    * ``"set"``: :class:`SetNorm` with the statistics of the sample's points, applied to every vertex, so
      auxiliary vertices keep their scale relative to the points (a per-vertex norm lifts each of A_6's 360
      frames to unit scale and the sign is never learnt; docs/results.md, "Session 16");
    * ``"none"``: ``h <- h + relu(W conv(h))``.

    ``point_mask (B, N)`` marks the points of each sample (None: every vertex); on the sparse path the
    ``M = B * N`` vertices are read as ``B`` samples of ``N``. A body built with ``cap=True`` passes each
    receiver's point count to its convolutions (``points=``: the capped orbital sum of gatv2).
    """

    def __init__(
        self, convs: list[nn.Module], width: int, dropout: float, *, norm: str | bool = "layer", cap: bool = False
    ):
        super().__init__()
        self.norm = norm_name(norm)
        self.cap = cap
        self.convs = nn.ModuleList(convs)
        self.projs = nn.ModuleList(nn.Linear(width, width) for _ in convs)
        make = {"layer": lambda: nn.LayerNorm(width), "set": lambda: SetNorm(width), "none": nn.Identity}
        self.norms = nn.ModuleList(make[self.norm]() for _ in convs)
        self.dropout = dropout

    def _block(self, i: int, h: Tensor, m: Tensor, point_mask: Tensor | None) -> Tensor:
        m = self.projs[i](m)
        if self.norm == "set":
            if point_mask is not None:
                shape = (*point_mask.shape, m.shape[-1])
            else:  # every vertex a point: a dense batch is B samples, flattened vertices one sample
                shape = m.shape if m.dim() == 3 else (1, *m.shape)
            m = self.norms[i](m.reshape(shape), point_mask).view(m.shape)
        else:
            m = self.norms[i](m)
        return h + F.dropout(F.relu(m), p=self.dropout, training=self.training)

    def forward(
        self, h: Tensor, pair_table: Tensor | None, pair_colors: Tensor | None, mask: Tensor | None = None,
        *, point_mask: Tensor | None = None,
    ):
        if point_mask is not None and tuple(point_mask.shape) != tuple(h.shape[:2]):
            raise ValueError(f"point_mask must be (B, N) = {tuple(h.shape[:2])} like h, got shape {tuple(point_mask.shape)}")
        kw = {} if not self.cap or point_mask is None else {"points": point_mask.sum(-1)}
        for i, conv in enumerate(self.convs):
            h = self._block(i, h, conv(h, pair_table, pair_colors, mask, **kw), point_mask)
        return h

    def forward_sparse(
        self, h: Tensor, pair_table: Tensor | None, edge_index: Tensor, edge_colors: Tensor | None,
        *, point_mask: Tensor | None = None,
    ):
        if point_mask is not None and point_mask.numel() != h.shape[0]:
            raise ValueError(f"point_mask must mark each of the {h.shape[0]} vertices, got shape {tuple(point_mask.shape)}")
        kw = {}
        if self.cap and point_mask is not None:  # each vertex's sample's point count, (M,)
            rows = point_mask.reshape(-1, point_mask.shape[-1]) if point_mask.dim() > 1 else point_mask.view(1, -1)
            kw["points"] = rows.sum(1).repeat_interleave(rows.shape[1])
        for i, conv in enumerate(self.convs):
            h = self._block(i, h, conv.forward_sparse(h, pair_table, edge_index, edge_colors, **kw), point_mask)
        return h


class GATv2Body(_ConvBody):
    """The paper's base: ``num_layers`` :class:`PairGATv2` blocks (defaults: 4 layers, width 128, 8 heads).

    ``orbital_rank=r`` gives every layer the orbital weight-sharing term of :class:`PairGATv2` (the
    :class:`~asen.models.ASEN` default); ``None`` is the paper's layer. ``norm`` is the block's
    normalisation (:data:`BLOCK_NORMS`, default ``"layer"``, the paper's); ``"set"`` and ``"none"`` learn the
    sign of A_6 from its 360 sparse frames, where the LayerNorm'd block stays at chance (docs/results.md,
    "Session 14", "Session 16").
    """

    def __init__(
        self,
        width: int = 128,
        *,
        num_layers: int = 4,
        heads: int = 8,
        pair_dim: int | None = 128,
        dropout: float = 0.0,
        orbital_rank: int | None = None,
        norm: str | bool = "layer",
        orbital_aggregate: str = "sum",
    ):
        if orbital_aggregate not in ORBITAL_AGGREGATES:
            raise ValueError(f"orbital_aggregate must be one of {ORBITAL_AGGREGATES}, got {orbital_aggregate!r}")
        convs = [
            PairGATv2(width, width, heads=heads, pair_dim=pair_dim, orbital_rank=orbital_rank)
            for _ in range(num_layers)
        ]
        super().__init__(convs, width, dropout, norm=norm, cap=orbital_aggregate == "capped")
        self.width, self.num_layers, self.heads, self.pair_dim = width, num_layers, heads, pair_dim
        self.orbital_rank, self.orbital_aggregate = orbital_rank, orbital_aggregate

    def __repr__(self) -> str:
        orbital = "" if self.orbital_rank is None else f", orbital_rank={self.orbital_rank}"
        if self.orbital_rank is not None and self.orbital_aggregate != "sum":
            orbital += f", orbital_aggregate={self.orbital_aggregate!r}"
        norm = "" if self.norm == "layer" else f", norm={self.norm!r}"
        return (
            f"{type(self).__name__}(width={self.width}, layers={self.num_layers}, heads={self.heads}, "
            f"pair_dim={self.pair_dim}{orbital}{norm})"
        )


class EquivariantMLP(_ConvBody):
    """Baseline: :class:`OrbitalLinear` blocks, i.e. an MLP with orbital weight sharing ``W[i,j] = theta[c_ij]``.

    ``aggregate="sum", norm=False`` (the ``"orbital_sum"`` base) is the variant that can use an exact input
    beyond the 2-closure: each block is ``h_i <- h_i + relu(P sum_j theta[c_ij] h_j + b)``, so an auxiliary
    vertex with one arc colour per member (ordered tuples, the regular orbit) applies a full-scale MLP
    layer to its members in order, and a sum over such vertices is frame averaging. The mean and the
    LayerNorm of the default shrink that signal until the task-relevant (cubic and higher) terms vanish at
    initialisation (docs/results.md, "Beyond the 2-closure").
    """

    def __init__(
        self,
        width: int = 128,
        *,
        num_layers: int = 4,
        pair_dim: int = 128,
        dropout: float = 0.0,
        aggregate: str = "mean",
        norm: str | bool = "layer",
    ):
        if pair_dim is None:
            raise ValueError("EquivariantMLP needs pair colours: pair_dim must be an int, got None")
        convs = [OrbitalLinear(width, width, pair_dim=pair_dim, aggregate=aggregate) for _ in range(num_layers)]
        super().__init__(convs, width, dropout, norm=norm)
        self.width, self.num_layers, self.pair_dim = width, num_layers, pair_dim
        self.aggregate = aggregate

    def __repr__(self) -> str:
        extra = "" if (self.aggregate, self.norm) == ("mean", "layer") else f", aggregate={self.aggregate!r}, norm={self.norm!r}"
        return (
            f"{type(self).__name__}(width={self.width}, layers={self.num_layers}, pair_dim={self.pair_dim}{extra})"
        )


class TransformerBody(nn.Module):
    """Pre-norm transformer: ``h <- h + Attn(LN h)``, ``h <- h + FFN(LN h)`` with :class:`PairBiasAttention`."""

    def __init__(
        self,
        width: int = 128,
        *,
        num_layers: int = 4,
        heads: int = 8,
        pair_dim: int | None = 128,
        ffn_mult: int = 2,
        dropout: float = 0.0,
    ):
        super().__init__()
        self.width, self.num_layers, self.heads, self.pair_dim = width, num_layers, heads, pair_dim
        self.attns = nn.ModuleList(
            PairBiasAttention(width, heads=heads, pair_dim=pair_dim, dropout=dropout)
            for _ in range(num_layers)
        )
        self.norms1 = nn.ModuleList(nn.LayerNorm(width) for _ in range(num_layers))
        self.norms2 = nn.ModuleList(nn.LayerNorm(width) for _ in range(num_layers))
        self.ffns = nn.ModuleList(
            nn.Sequential(nn.Linear(width, ffn_mult * width), nn.GELU(), nn.Linear(ffn_mult * width, width))
            for _ in range(num_layers)
        )
        self.final_norm = nn.LayerNorm(width)
        self.dropout = dropout

    def _ffn(self, i: int, h: Tensor) -> Tensor:
        return h + F.dropout(self.ffns[i](self.norms2[i](h)), p=self.dropout, training=self.training)

    def forward(
        self, h: Tensor, pair_table: Tensor | None, pair_colors: Tensor | None, mask: Tensor | None = None,
        *, point_mask: Tensor | None = None,
    ):
        for i, attn in enumerate(self.attns):
            h = self._ffn(i, h + attn(self.norms1[i](h), pair_table, pair_colors, mask))
        return self.final_norm(h)

    def forward_sparse(
        self, h: Tensor, pair_table: Tensor | None, edge_index: Tensor, edge_colors: Tensor | None,
        *, point_mask: Tensor | None = None,
    ):
        for i, attn in enumerate(self.attns):
            h = self._ffn(i, h + attn.forward_sparse(self.norms1[i](h), pair_table, edge_index, edge_colors))
        return self.final_norm(h)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(width={self.width}, layers={self.num_layers}, heads={self.heads}, "
            f"pair_dim={self.pair_dim})"
        )


class PositionalMLP(nn.Module):
    """Baseline, not equivariant: an MLP on the flattened ``max_vertices x width`` features (pairs unused).

    Positions enter through the flattening order (and through vertex colours when the symmetry input is
    :func:`~asen.models.positional_symmetry`). Samples with fewer vertices are zero-padded.
    """

    def __init__(
        self,
        width: int = 128,
        *,
        num_layers: int = 4,
        max_vertices: int,
        hidden: int | None = None,
        dropout: float = 0.0,
    ):
        super().__init__()
        if not isinstance(max_vertices, int) or max_vertices < 1:
            raise ValueError(f"max_vertices must be a positive int for the mlp base, got {max_vertices!r}")
        self.width, self.num_layers, self.max_vertices = width, num_layers, max_vertices
        flat, hidden = max_vertices * width, hidden or 4 * width
        dims = [flat] + [hidden] * (num_layers - 1) + [flat]
        layers: list[nn.Module] = []
        for k, (a, b) in enumerate(itertools.pairwise(dims)):
            layers.append(nn.Linear(a, b))
            if k < num_layers - 1:
                layers += [nn.ReLU(), nn.Dropout(dropout)]
        self.mlp = nn.Sequential(*layers)

    def forward(
        self, h: Tensor, pair_table: Tensor | None, pair_colors: Tensor | None, mask: Tensor | None = None,
        *, point_mask: Tensor | None = None,
    ):
        B, N, W = h.shape
        if N > self.max_vertices:
            raise ValueError(f"the mlp base was built for max_vertices={self.max_vertices}, got {N} vertices")
        if mask is not None:
            h = h * mask.unsqueeze(-1).to(h.dtype)
        flat = F.pad(h, (0, 0, 0, self.max_vertices - N)).reshape(B, -1)
        return h + self.mlp(flat).view(B, self.max_vertices, W)[:, :N]

    def forward_sparse(self, h, pair_table, edge_index, edge_colors, *, point_mask=None):
        raise ValueError("the mlp base has no sparse path; add the symmetry with path='dense'")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(width={self.width}, layers={self.num_layers}, max_vertices={self.max_vertices})"


BODIES = ("gatv2", "transformer", "orbital_mlp", "orbital_sum", "mlp")


def build_body(
    base: str,
    width: int,
    *,
    num_layers: int,
    heads: int,
    pair_dim: int | None,
    dropout: float,
    ffn_mult: int = 2,
    max_vertices: int | None = None,
    orbital_rank: int | None = None,
    block_norm: str | bool = "layer",
    orbital_aggregate: str = "sum",
) -> nn.Module:
    """The body named ``base`` (one of :data:`BODIES`); ``orbital_rank`` and ``orbital_aggregate``
    (:data:`ORBITAL_AGGREGATES`) are read by ``"gatv2"`` only,
    ``block_norm`` (:data:`BLOCK_NORMS`, the normalisation of every block) by ``"gatv2"`` and ``"orbital_mlp"``
    (``"orbital_sum"`` has none; the transformer and the mlp refuse any but ``"layer"``)."""
    block_norm = norm_name(block_norm)
    if block_norm != "layer" and base in ("transformer", "mlp"):
        raise ValueError(
            f"block_norm={block_norm!r} is not defined for base={base!r} (only gatv2, orbital_mlp, orbital_sum)"
        )
    if base == "gatv2":
        return GATv2Body(
            width, num_layers=num_layers, heads=heads, pair_dim=pair_dim, dropout=dropout, orbital_rank=orbital_rank,
            norm=block_norm, orbital_aggregate=orbital_aggregate,
        )
    if base == "transformer":
        return TransformerBody(
            width, num_layers=num_layers, heads=heads, pair_dim=pair_dim, ffn_mult=ffn_mult, dropout=dropout
        )
    if base in ("orbital_mlp", "orbital_sum"):
        variant = {"aggregate": "sum", "norm": "none"} if base == "orbital_sum" else {"norm": block_norm}
        return EquivariantMLP(width, num_layers=num_layers, pair_dim=pair_dim, dropout=dropout, **variant)
    if base == "mlp":
        return PositionalMLP(width, num_layers=num_layers, max_vertices=max_vertices, dropout=dropout)
    raise ValueError(f"base must be one of {BODIES}, got {base!r}")
