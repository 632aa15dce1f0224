"""Tensor operations shared by the pair-coloured layers: colour look-ups, masked and scatter softmax.

Conventions used by every layer of :mod:`asen.models`:

* Dense pair colours ``C`` have shape ``(N, N)`` (one colouring for the whole batch) or ``(B, N, N)``.
  Row ``i`` is the *receiver* (query), column ``j`` the *sender* (key): vertex ``i`` reads pair ``(i, j)``.
* A colour table ``T`` has shape ``(num_colors, k)``; the feature of pair ``(i, j)`` is ``T[C[i, j]]``.
* Sparse inputs list arcs as ``edge_index = [senders; receivers]`` (PyTorch Geometric's
  ``source -> target``) with one colour id per arc; vertices of a batch are flattened to ``B * N`` rows.

Everything here is shape-static Python (branches read shapes, never values), so it traces under
``torch.compile``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    "lookup",
    "masked_softmax",
    "pair_value_term",
    "scatter_softmax",
]


def lookup(table: Tensor, colors: Tensor) -> Tensor:
    """``table[colors]`` for a ``(num_colors, k)`` table and integer ids of any shape: ``(*colors.shape, k)``."""
    return F.embedding(colors, table)


def masked_softmax(logits: Tensor, key_mask: Tensor | None, dim: int) -> Tensor:
    """Softmax over ``dim`` ignoring masked keys.

    ``logits`` is ``(B, N_i, N_j, H)`` and ``key_mask`` ``(B, N_j)`` (True = a real vertex) or None.
    Masked entries get the dtype's most negative value, not ``-inf``, so a row with no valid key (a
    padding row, later zeroed) stays finite.
    """
    if key_mask is not None:
        fill = torch.finfo(logits.dtype).min
        logits = logits.masked_fill(~key_mask[:, None, :, None], fill)
    return torch.softmax(logits, dim=dim)


def pair_value_term(alpha: Tensor, table: Tensor, colors: Tensor) -> Tensor:
    """``out[b, i, h] = sum_j alpha[b, i, j, h] * table[colors[.., i, j], h]``, the pair part of the values.

    Parameters
    ----------
    alpha
        ``(B, N, N, H)`` attention weights (receiver ``i``, sender ``j``).
    table
        ``(num_colors, H, D)`` per-colour value vectors.
    colors
        ``(N, N)`` or ``(B, N, N)`` colour ids.

    Returns
    -------
    Tensor
        ``(B, N, H, D)``.

    Notes
    -----
    Two equal ways, chosen by the shapes alone: *binning* adds the weights of each receiver's pairs of
    one colour (``B N C H`` numbers, cheap when there are few colours) and *gathering* looks the table
    up per pair (``N^2 H D`` numbers per distinct colouring, cheap when there are many colours).
    """
    B, N, _, H = alpha.shape
    C, _, D = table.shape
    shared = colors.dim() == 2
    gather_cost = (1 if shared else B) * N * N * H * D
    bin_cost = B * N * C * H
    if bin_cost <= gather_cost:
        idx = (
            colors.unsqueeze(-1).expand(B, N, N, H) if shared else colors.unsqueeze(-1).expand(-1, -1, -1, H)
        )
        bins = alpha.new_zeros(B, N, C, H).scatter_add_(2, idx, alpha)
        return torch.einsum("bich,chd->bihd", bins, table)
    values = lookup(table.reshape(C, H * D), colors).unflatten(-1, (H, D))
    if shared:
        return torch.einsum("bijh,ijhd->bihd", alpha, values)
    return torch.einsum("bijh,bijhd->bihd", alpha, values)


def scatter_softmax(logits: Tensor, index: Tensor, num_nodes: int) -> Tensor:
    """Softmax of ``(E, H)`` arc logits over the arcs that share a receiver ``index[e]``.

    A receiver with no arc simply never appears; the per-receiver maximum is subtracted for stability
    (and detached: it cancels in the softmax).
    """
    H = logits.shape[-1]
    idx = index.unsqueeze(-1).expand(-1, H)
    top = logits.new_full((num_nodes, H), float("-inf"))
    top = top.scatter_reduce(0, idx, logits.detach(), reduce="amax", include_self=True)
    ex = torch.exp(logits - top.index_select(0, index))
    den = logits.new_zeros(num_nodes, H).index_add_(0, index, ex)
    return ex / den.index_select(0, index)
