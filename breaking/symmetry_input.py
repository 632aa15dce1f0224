"""``SymmetryInput``: a symmetry-breaking input on ``Omega ⊔ Y`` (points plus auxiliary vertices).

A structure ``v`` = (vertex colours ``c: X -> N``, arc colours ``a: X x X -> N``) on ``X = Omega ⊔ Y``
with ``Omega = {0..n-1}`` (the data points) and ``Y = {n..N-1}`` (auxiliary vertices). A model that is
equivariant to all permutations of ``X`` and reads ``v`` is equivariant, on ``Omega``, to
``Aut(v)|Omega``; the certificate records that group and how it compares with the requested ``G``.

Arc colour ``0`` is the *background*: in sparse inputs it means "no arc" and the arc list
(``edge_index``, ``edge_colors``) holds exactly the arcs of colour ``>= 1``. Dense inputs colour every
ordered pair (orbital ids shifted to start at 1, so no pair is background).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..groups import PermGroup

__all__ = ["MODES", "SymmetryInput"]

MODES = ("closure", "exact", "sparse")


def _color_array(values: Any, name: str) -> np.ndarray:
    """``values`` as a contiguous int64 array; non-integer colours are refused, never truncated."""
    arr = np.asarray(values)
    if arr.dtype == np.bool_ or not (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating) or arr.size == 0
    ):
        raise ValueError(f"{name} must hold integer colour ids, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating) and not np.array_equal(arr, np.round(arr)):
        raise ValueError(f"{name} must hold integer colour ids, got non-integer values")
    return np.ascontiguousarray(arr, dtype=np.int64)


@dataclass(eq=False)
class SymmetryInput:
    """Vertex and arc colours on ``num_vertices = num_points + num_aux`` vertices, with provenance.

    Attributes
    ----------
    group
        The requested group ``G`` on ``Omega``.
    vertex_colors
        ``(N,)`` int64 colour ids, ``0..num_vertex_colors-1``; auxiliary vertices never share a colour with
        points.
    pair_colors
        ``(N, N)`` int64 arc colour ids ``0..num_pair_colors-1`` (``0`` = background / no arc).
    mode
        ``"closure"``, ``"exact"`` or ``"sparse"``.
    certificate
        The :class:`~asen.breaking.certificate.Certificate` computed by nauty, or None before certification.
    aux_description
        How the auxiliary vertices were built (e.g. ``"orbit of 2-subsets"``), empty when there are none.
    """

    group: PermGroup
    vertex_colors: np.ndarray
    pair_colors: np.ndarray
    mode: str
    certificate: Any = None
    aux_description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.group, PermGroup):
            raise TypeError(
                f"group must be a PermGroup (see asen.groups.as_group), got {type(self.group).__name__}"
            )
        self.vertex_colors = _color_array(self.vertex_colors, "vertex_colors")
        self.pair_colors = _color_array(self.pair_colors, "pair_colors")
        self.validate()

    # ------------------------------------------------------------------ shape
    @property
    def num_points(self) -> int:
        """``n = |Omega|``: data lives on vertices ``0..n-1``."""
        return self.group.degree

    @property
    def num_vertices(self) -> int:
        """``N = |Omega| + |Y|``."""
        return int(self.vertex_colors.size)

    @property
    def num_aux(self) -> int:
        """``|Y|``, the number of auxiliary vertices."""
        return self.num_vertices - self.num_points

    @property
    def num_vertex_colors(self) -> int:
        return int(self.vertex_colors.max()) + 1 if self.vertex_colors.size else 0

    @property
    def num_pair_colors(self) -> int:
        return int(self.pair_colors.max()) + 1 if self.pair_colors.size else 0

    @property
    def edge_index(self) -> np.ndarray:
        """``(2, E)`` arcs ``src -> dst`` of non-background colour, row-major order."""
        src, dst = np.nonzero(self.pair_colors)
        return np.stack([src, dst])

    @property
    def edge_colors(self) -> np.ndarray:
        """``(E,)`` colours of the arcs in :attr:`edge_index`."""
        return self.pair_colors[self.pair_colors != 0]

    @property
    def num_edges(self) -> int:
        return int(np.count_nonzero(self.pair_colors))

    @property
    def exact(self) -> bool:
        """True only when a certificate proves ``Aut(v)|Omega == G``."""
        return bool(self.certificate is not None and self.certificate.exact)

    def validate(self) -> None:
        """Raise ``ValueError`` when shapes, colour ranges or the point/auxiliary split are inconsistent."""
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {self.mode!r}")
        n_vertices = self.vertex_colors.size
        if self.vertex_colors.ndim != 1:
            raise ValueError(f"vertex_colors must be one-dimensional, got shape {self.vertex_colors.shape}")
        if n_vertices < self.group.degree:
            raise ValueError(
                f"vertex_colors has {n_vertices} entries, fewer than the group's degree {self.group.degree}"
            )
        if self.pair_colors.shape != (n_vertices, n_vertices):
            raise ValueError(
                f"pair_colors must have shape ({n_vertices}, {n_vertices}), got {self.pair_colors.shape}"
            )
        for name in ("vertex_colors", "pair_colors"):
            arr = getattr(self, name)
            if arr.size and arr.min() < 0:
                raise ValueError(f"{name} must hold non-negative colour ids, got {int(arr.min())}")
        n = self.group.degree
        if n < n_vertices and np.intersect1d(self.vertex_colors[:n], self.vertex_colors[n:]).size:
            raise ValueError("auxiliary vertices must not share a vertex colour with points")

    def __repr__(self) -> str:
        status = "uncertified" if self.certificate is None else ("exact" if self.exact else "overgroup")
        return (
            f"SymmetryInput(group={self.group.name or self.group.degree!r}, mode={self.mode!r}, "
            f"points={self.num_points}, aux={self.num_aux}, pair_colors={self.num_pair_colors}, "
            f"edges={self.num_edges}, {status})"
        )
