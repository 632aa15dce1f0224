"""``StoredSymmetry``: one named symmetry inside a model, as buffers plus its learned colour embeddings.

A :class:`~asen.breaking.SymmetryInput` lives in numpy; a model needs its colours as tensors that move
with ``.to(device)`` and survive ``state_dict``. This module holds, for one symmetry:

* buffers ``vertex_colors (N,)``, ``num_points ()``, ``generators (k, n)`` and either ``pair_colors (N, N)``
  (dense path) or ``edge_index (2, 2E)`` / ``edge_colors (2E,)`` (sparse path);
* parameters ``vertex_embed (num_vertex_colors, width)`` and ``pair_embed (num_pair_colors', pair_dim)``.

On the sparse path every arc ``u -> v`` of colour ``c`` is used in both directions, so information flows
both ways: ``v`` hears ``u`` with colour ``c`` and ``u`` hears ``v`` with colour ``c + num_pair_colors``
(a separate embedding). The dense path reads ``pair_colors[i, j]`` for receiver ``i`` and sender ``j``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

__all__ = ["PATHS", "POINT_COLOR_INITS", "StoredSymmetry"]

PATHS = ("dense", "sparse")
#: how the vertex colours that occur on the points start (:func:`_vertex_embedding`)
POINT_COLOR_INITS = ("centered", "scaled")


def _as_long(a: Any) -> Tensor:
    return torch.from_numpy(np.array(a, dtype=np.int64, copy=True))


def _vertex_embedding(vertex_colors: Tensor, n: int, num_colors: int, width: int, std: float, init: str) -> Tensor:
    """Initial ``(num_colors, width)`` vertex-colour rows: ``N(0, std^2)``; with ``init="centered"`` the
    colours ``c`` that occur on the points instead start as ``N(0, 1)`` rows centred over the points,
    ``E_c - (1/n) sum_{i<n} E_{c(i)}`` (one draw either way: the same seed gives the same raw rows)."""
    if init not in POINT_COLOR_INITS:
        raise ValueError(f"point_color_init must be one of {POINT_COLOR_INITS}, got {init!r}")
    raw = torch.randn(num_colors, width)
    out = raw * std
    if init == "centered" and n > 0:
        counts = torch.bincount(vertex_colors[:n], minlength=num_colors).to(raw.dtype)
        on_points = counts > 0
        mean = counts @ raw / n
        out[on_points] = raw[on_points] - mean
    return out


class StoredSymmetry(nn.Module):
    """Colours of one symmetry-breaking input as buffers, with per-colour embeddings as parameters.

    Build it with :meth:`from_input`; :meth:`from_state` rebuilds an empty one of the right shapes from a
    saved ``state_dict`` (then ``load_state_dict`` fills it).

    Shapes
    ------
    ``vertex_colors (N,)``, ``pair_colors (N, N)`` (dense) or ``edge_index (2, E')`` and
    ``edge_colors (E',)`` (sparse), ``vertex_embed (Cv, width)``, ``pair_embed (Cp', pair_dim)``.
    """

    def __init__(
        self,
        *,
        vertex_colors: Tensor,
        num_points: int,
        generators: Tensor,
        pair_colors: Tensor | None,
        edge_index: Tensor | None,
        edge_colors: Tensor | None,
        num_vertex_colors: int,
        num_pair_colors: int,
        width: int,
        pair_dim: int | None,
        meta: dict[str, Any] | None = None,
        color_init_std: float = 1.0,
        point_color_init: str = "scaled",
    ):
        super().__init__()
        self.path = "dense" if pair_colors is not None else "sparse"
        self.register_buffer("vertex_colors", vertex_colors)
        self.register_buffer("num_points", torch.tensor(int(num_points), dtype=torch.long))
        self.register_buffer("generators", generators)
        if pair_colors is not None:
            self.register_buffer("pair_colors", pair_colors)
        else:
            self.register_buffer("edge_index", edge_index)
            self.register_buffer("edge_colors", edge_colors)
        self.vertex_embed = nn.Parameter(
            _vertex_embedding(vertex_colors, int(num_points), num_vertex_colors, width, color_init_std, point_color_init)
        )
        self.pair_embed = None if pair_dim is None else nn.Parameter(torch.randn(num_pair_colors, pair_dim))
        self.meta = dict(meta or {})

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_input(
        cls,
        sym: Any,
        *,
        width: int,
        pair_dim: int | None,
        path: str = "auto",
        color_init_std: float | None = None,
        point_color_init: str = "scaled",
        colour_init_std: float | None = None,
    ) -> StoredSymmetry:
        """From a :class:`~asen.breaking.SymmetryInput` (or any object with its fields).

        ``path='auto'`` picks ``'sparse'`` for ``mode == 'sparse'`` inputs and ``'dense'`` otherwise;
        ``color_init_std`` (default 1.0) scales the initial vertex-colour embeddings (``colour_init_std``
        is its deprecated alias); ``point_color_init="centered"`` starts the colours on the points at unit
        scale, centred over the points, instead (:class:`~asen.models.ASEN`'s default).
        """
        if colour_init_std is not None:
            if color_init_std is not None:
                raise TypeError("give color_init_std= only (colour_init_std= is its deprecated alias), not both")
            warnings.warn("StoredSymmetry.from_input: colour_init_std= is deprecated, use color_init_std=",
                          DeprecationWarning, stacklevel=2)
            color_init_std = colour_init_std
        if color_init_std is None:
            color_init_std = 1.0
        if path not in ("auto",) + PATHS:
            raise ValueError(f"path must be 'auto', 'dense' or 'sparse', got {path!r}")
        for attr in ("vertex_colors", "pair_colors", "num_points"):
            if not hasattr(sym, attr):
                raise TypeError(
                    f"symmetry must have a {attr!r} field like SymmetryInput, got {type(sym).__name__}"
                )
        mode = getattr(sym, "mode", "closure")
        if path == "auto":
            path = "sparse" if mode == "sparse" else "dense"
        vc = np.asarray(sym.vertex_colors, dtype=np.int64)
        pc = np.asarray(sym.pair_colors, dtype=np.int64)
        n, N = int(sym.num_points), int(vc.size)
        group = getattr(sym, "group", None)
        gens = np.asarray(group.generators if group is not None else np.empty((0, n)), dtype=np.int64)
        cv = int(vc.max()) + 1 if N else 1
        cp = int(pc.max()) + 1 if N else 1
        meta = {
            "mode": mode,
            "group": getattr(group, "name", None) or "",
            "exact": bool(getattr(sym, "exact", False)),
        }
        common = {
            "vertex_colors": _as_long(vc),
            "num_points": n,
            "generators": _as_long(gens).reshape(-1, n),
            "num_vertex_colors": cv,
            "width": width,
            "pair_dim": pair_dim,
            "meta": meta,
            "color_init_std": color_init_std,
            "point_color_init": point_color_init,
        }
        if path == "dense":
            return cls(
                pair_colors=_as_long(pc), edge_index=None, edge_colors=None, num_pair_colors=cp, **common
            )
        src, dst = np.nonzero(pc)
        col = pc[src, dst]
        senders = np.concatenate([src, dst])
        receivers = np.concatenate([dst, src])
        colors = np.concatenate([col, col + cp])
        return cls(
            pair_colors=None,
            edge_index=_as_long(np.stack([senders, receivers])),
            edge_colors=_as_long(colors),
            num_pair_colors=2 * cp,
            **common,
        )

    @classmethod
    def from_state(
        cls, state_dict: dict[str, Tensor], prefix: str, *, width: int, pair_dim: int | None
    ) -> StoredSymmetry:
        """An empty module whose buffer and parameter shapes match the entries under ``prefix``."""

        def shape(key: str) -> tuple[int, ...]:
            return tuple(state_dict[prefix + key].shape)

        dense = prefix + "pair_colors" in state_dict
        N = shape("vertex_colors")[0]
        zeros = lambda *s: torch.zeros(s, dtype=torch.long)
        has_pairs = prefix + "pair_embed" in state_dict
        return cls(
            vertex_colors=zeros(N),
            num_points=int(state_dict[prefix + "num_points"]),
            generators=zeros(*shape("generators")),
            pair_colors=zeros(N, N) if dense else None,
            edge_index=None if dense else zeros(*shape("edge_index")),
            edge_colors=None if dense else zeros(*shape("edge_colors")),
            num_vertex_colors=shape("vertex_embed")[0],
            num_pair_colors=shape("pair_embed")[0] if has_pairs else 1,
            width=width,
            pair_dim=pair_dim if has_pairs else None,
        )

    def point_pair_colors(self) -> Tensor:
        """``(n, n)`` colour ids of the pairs of points, ``[i, j]`` as the dense ``pair_colors[i, j]`` (what a
        pair head reads); on the sparse path the arcs among the points, background 0 elsewhere."""
        n = self.n
        if self.path == "dense":
            return self.pair_colors[:n, :n]
        half = self.edge_colors.shape[0] // 2  # from_input stores the arcs, then their reverses
        src, dst, col = self.edge_index[0, :half], self.edge_index[1, :half], self.edge_colors[:half]
        keep = (src < n) & (dst < n)
        out = torch.zeros(n, n, dtype=col.dtype, device=col.device)
        out[src[keep], dst[keep]] = col[keep]
        return out

    # ------------------------------------------------------------------ shape
    @property
    def n(self) -> int:
        """Number of data points ``n`` (vertices ``0..n-1``)."""
        return int(self.num_points)

    @property
    def num_vertices(self) -> int:
        """Number of vertices ``N = n + num_aux``."""
        return int(self.vertex_colors.shape[0])

    def __repr__(self) -> str:
        pairs = (
            f"pair_colors={tuple(self.pair_colors.shape)}"
            if self.path == "dense"
            else f"arcs={self.edge_index.shape[1]}"
        )
        return f"{type(self).__name__}(points={self.n}, vertices={self.num_vertices}, path={self.path!r}, {pairs})"
