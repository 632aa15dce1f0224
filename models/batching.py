"""``SymmetryBatch``: the colour tensors, tables and masks of one batch, for one or several symmetries.

A batch may mix symmetries of different degrees. Dense samples are padded to the largest vertex count
``N`` (vertices ``0..n_b-1`` are sample ``b``'s points, ``n_b..N_b-1`` its auxiliary vertices, the rest
padding); sparse samples are flattened to ``B * N`` rows with each sample's arcs shifted by ``b * N``.
A batch that mixes dense and sparse symmetries runs on the sparse path, each dense symmetry as its complete
arc list (every ordered pair ``j -> i`` of its vertices, self-pairs included, colour ``pair_colors[i, j]``),
on which every layer's sparse form computes its dense form.
Colour ids of different symmetries are offset into one concatenated table, so the body does one look-up
for the whole batch. Python loops run over the *distinct symmetries* only, never over samples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

from .symmetry_store import StoredSymmetry

__all__ = ["SymmetryBatch", "assemble"]


@dataclass
class SymmetryBatch:
    """Everything a body and a head read besides the data.

    Attributes
    ----------
    path
        ``"dense"`` or ``"sparse"``.
    num_points, num_vertices
        ``n`` (largest point count) and ``N`` (largest vertex count) of the batch.
    vertex_table, vertex_colors
        ``(Cv, width)`` embeddings and ``(N,)`` or ``(B, N)`` ids.
    pair_table
        ``(Cp, pair_dim)`` embeddings, or None for a model without pair colours.
    pair_colors
        Dense path: ``(N, N)`` or ``(B, N, N)`` ids. None on the sparse path.
    edge_index, edge_colors
        Sparse path: ``(2, E)`` arcs ``[senders; receivers]`` over ``B * N`` flattened vertices and
        ``(E,)`` ids. None on the dense path.
    vertex_mask
        ``(B, N)`` True on real vertices, or None when no sample is padded.
    point_mask
        ``(B, N)`` True on the data points of each sample.
    point_pairs
        Sparse path: a call that gives the ``(n, n)`` or ``(B, n, n)`` ids of the pairs of points, offset into
        ``pair_table`` like the arcs (what a pair head reads; computed only when one asks; the dense path
        slices ``pair_colors``). None on the dense path.
    """

    path: str
    num_points: int
    num_vertices: int
    vertex_table: Tensor
    vertex_colors: Tensor
    pair_table: Tensor | None
    pair_colors: Tensor | None
    edge_index: Tensor | None
    edge_colors: Tensor | None
    vertex_mask: Tensor | None
    point_mask: Tensor
    point_pairs: Callable[[], Tensor] | None = None


def _arcs(sym: StoredSymmetry) -> tuple[Tensor, Tensor]:
    """``edge_index (2, E)`` ``[senders; receivers]`` and ``edge_colors (E,)`` of ``sym``; a dense symmetry
    gives its complete arc list (``E = N^2``, arc ``j -> i`` of colour ``pair_colors[i, j]``)."""
    if sym.path == "sparse":
        return sym.edge_index, sym.edge_colors
    ar = torch.arange(sym.num_vertices, device=sym.pair_colors.device)
    i, j = (k.flatten() for k in torch.meshgrid(ar, ar, indexing="ij"))
    return torch.stack([j, i]), sym.pair_colors[i, j]


def _expand_edges(sym: StoredSymmetry, positions: Tensor, N: int, color_offset: int) -> tuple[Tensor, Tensor]:
    """The arcs of ``sym`` for the samples at ``positions``, shifted to their rows of the flattened batch."""
    k = positions.numel()
    edge_index, edge_colors = _arcs(sym)
    edges = (edge_index.unsqueeze(1) + (positions * N).view(1, k, 1)).reshape(2, -1)
    colors = (edge_colors + color_offset).repeat(k)
    return edges, colors


def assemble(
    symmetries: Sequence[StoredSymmetry], which: Sequence[int] | None, batch_size: int
) -> SymmetryBatch:
    """Build the batch tensors.

    Parameters
    ----------
    symmetries
        The distinct symmetries of the batch; the batch is sparse when any of them is.
    which
        ``B`` ints: the position in ``symmetries`` of each sample's symmetry, or None when
        ``symmetries`` has one entry shared by the whole batch.
    batch_size
        ``B``.
    """
    path = "sparse" if any(s.path == "sparse" for s in symmetries) else "dense"
    B = batch_size
    first = symmetries[0]
    device = first.vertex_colors.device
    pair_table = None if first.pair_embed is None else torch.cat([s.pair_embed for s in symmetries])
    vertex_table = torch.cat([s.vertex_embed for s in symmetries])
    if which is None:
        N, n = first.num_vertices, first.n
        point_mask = (torch.arange(N, device=device) < n).expand(B, N)
        if path == "dense":
            return SymmetryBatch(
                path,
                n,
                N,
                vertex_table,
                first.vertex_colors,
                pair_table,
                first.pair_colors,
                None,
                None,
                None,
                point_mask,
            )
        edges, colors = _expand_edges(first, torch.arange(B, device=device), N, 0)
        return SymmetryBatch(
            path, n, N, vertex_table, first.vertex_colors, pair_table, None, edges, colors, None, point_mask,
            first.point_pair_colors,
        )  # fmt: skip

    N = max(s.num_vertices for s in symmetries)
    n = max(s.n for s in symmetries)
    v_off = [0]
    p_off = [0]
    for s in symmetries:
        v_off.append(v_off[-1] + s.vertex_embed.shape[0])
        p_off.append(p_off[-1] + (0 if s.pair_embed is None else s.pair_embed.shape[0]))
    positions = [[b for b, w in enumerate(which) if w == k] for k in range(len(symmetries))]
    which = torch.tensor(list(which), dtype=torch.long, device=device)
    counts_n = torch.tensor([s.n for s in symmetries], device=device)[which]
    counts_N = torch.tensor([s.num_vertices for s in symmetries], device=device)[which]
    ar = torch.arange(N, device=device)
    point_mask = ar < counts_n.unsqueeze(1)
    vertex_mask = ar < counts_N.unsqueeze(1)
    pad = lambda t, size: torch.nn.functional.pad(t, size)
    vc = torch.stack(
        [pad(s.vertex_colors + v_off[k], (0, N - s.num_vertices)) for k, s in enumerate(symmetries)]
    )
    vertex_colors = vc[which]
    if path == "dense":
        pc = torch.stack(
            [
                pad(s.pair_colors + p_off[k], (0, N - s.num_vertices, 0, N - s.num_vertices))
                for k, s in enumerate(symmetries)
            ]
        )
        return SymmetryBatch(
            path,
            n,
            N,
            vertex_table,
            vertex_colors,
            pair_table,
            pc[which],
            None,
            None,
            vertex_mask,
            point_mask,
        )
    parts = [
        _expand_edges(s, torch.tensor(positions[k], dtype=torch.long, device=device), N, p_off[k])
        for k, s in enumerate(symmetries)
    ]
    edges = torch.cat([p[0] for p in parts], dim=1)
    colors = torch.cat([p[1] for p in parts])

    def point_pairs() -> Tensor:
        pp = [pad(s.point_pair_colors() + p_off[k], (0, n - s.n, 0, n - s.n)) for k, s in enumerate(symmetries)]
        return torch.stack(pp)[which]

    return SymmetryBatch(
        path, n, N, vertex_table, vertex_colors, pair_table, None, edges, colors, vertex_mask, point_mask, point_pairs
    )
