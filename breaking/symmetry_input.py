"""``SymmetryInput``: a symmetry-breaking input on ``Omega ⊔ Y`` (points plus auxiliary vertices).

A structure ``v`` = (vertex colours ``c: X -> N``, arc colours ``a: X x X -> N``) on ``X = Omega ⊔ Y``
with ``Omega = {0..n-1}`` (the data points) and ``Y = {n..N-1}`` (auxiliary vertices). A model that is
equivariant to all permutations of ``X`` and reads ``v`` is equivariant, on ``Omega``, to
``Aut(v)|Omega``; the certificate records that group and how it compares with the requested ``G``.

Arc colour ``0`` is the *background*: in sparse inputs it means "no arc" and the arc list
(``edge_index``, ``edge_colors``) holds exactly the arcs of colour ``>= 1``. Dense inputs colour every
ordered pair (orbital ids shifted to start at 1, so no pair is background).

An input is stored either as the dense ``(N, N)`` matrix (``pair_colors=``) or as its arc list
(``arcs=(edge_index, edge_colors)``, what sparse inputs and loaded files use): then nothing of size
``N^2`` exists until someone reads :attr:`SymmetryInput.pair_colors`, which builds the matrix once.
:meth:`SymmetryInput.arc_arrays`, ``edge_index``, ``edge_colors`` and ``num_edges`` never build it.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field
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
        ``(N, N)`` int64 arc colour ids ``0..num_pair_colors-1`` (``0`` = background / no arc); pass None
        with ``arcs=`` instead. Built on first access for an input stored as arcs.
    mode
        ``"closure"``, ``"exact"`` or ``"sparse"``.
    certificate
        The :class:`~asen.breaking.certificate.Certificate` computed by nauty, or None before certification.
    aux_description
        How the auxiliary vertices were built (e.g. ``"orbit of 2-subsets"``), empty when there are none.
    arcs
        Constructor only: ``(edge_index (2, E), edge_colors (E,))``, the arcs of colour ``>= 1`` (each
        ordered pair at most once), instead of ``pair_colors``.

    Examples
    --------
    >>> from asen.groups import cyclic
    >>> inp = SymmetryInput(cyclic(4), [0, 0, 0, 0], None, "sparse", arcs=([[0, 1, 2, 3], [1, 2, 3, 0]], [1] * 4))
    >>> inp.stored_as_arcs, inp.num_edges, inp.edge_index[:, 0].tolist(), int(inp.pair_colors[3, 0])
    (True, 4, [0, 1], 1)
    """

    group: PermGroup
    vertex_colors: np.ndarray
    pair_colors: np.ndarray
    mode: str
    certificate: Any = None
    aux_description: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    arcs: InitVar[Any] = None

    def __post_init__(self, arcs: Any) -> None:
        if not isinstance(self.group, PermGroup):
            raise TypeError(
                f"group must be a PermGroup (see asen.groups.as_group), got {type(self.group).__name__}"
            )
        self.vertex_colors = _color_array(self.vertex_colors, "vertex_colors")
        if arcs is None:
            self.pair_colors = _color_array(self.pair_colors, "pair_colors")
        elif self.__dict__.get("_dense") is not None:
            raise TypeError("give pair_colors or arcs=, not both")
        else:
            self.__dict__["_sparse"] = _arc_list(arcs, self.vertex_colors.size)
        self.validate()

    @property
    def stored_as_arcs(self) -> bool:
        """True while the input is held as its arc list (no ``N x N`` matrix built yet)."""
        return self.__dict__.get("_sparse") is not None and self.__dict__.get("_dense") is None

    def arc_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(src, dst, colour)`` of the arcs of colour ``>= 1``, row-major order, without the dense matrix."""
        sparse = self.__dict__.get("_sparse")
        if sparse is not None:
            index, colours = sparse
            return index[0], index[1], colours
        src, dst = np.nonzero(self.pair_colors)
        return src, dst, self.pair_colors[src, dst]

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
        if self.stored_as_arcs:
            colours = self.arc_arrays()[2]
            return int(colours.max()) + 1 if colours.size else (1 if self.num_vertices else 0)
        return int(self.pair_colors.max()) + 1 if self.pair_colors.size else 0

    @property
    def edge_index(self) -> np.ndarray:
        """``(2, E)`` arcs ``src -> dst`` of non-background colour, row-major order."""
        src, dst, _ = self.arc_arrays()
        return np.stack([src, dst])

    @property
    def edge_colors(self) -> np.ndarray:
        """``(E,)`` colours of the arcs in :attr:`edge_index`."""
        return self.arc_arrays()[2]

    @property
    def num_edges(self) -> int:
        if self.stored_as_arcs:
            return int(self.arc_arrays()[2].size)
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
        if not self.stored_as_arcs and self.pair_colors.shape != (n_vertices, n_vertices):
            raise ValueError(
                f"pair_colors must have shape ({n_vertices}, {n_vertices}), got {self.pair_colors.shape}"
            )
        for name in ("vertex_colors",) if self.stored_as_arcs else ("vertex_colors", "pair_colors"):
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


def _arc_list(arcs: Any, n_vertices: int) -> tuple[np.ndarray, np.ndarray]:
    """``(edge_index, edge_colors)`` checked and sorted row-major: in range, colours >= 1, no pair twice."""
    if not isinstance(arcs, (tuple, list)) or len(arcs) != 2:
        raise TypeError("arcs must be a pair (edge_index (2, E), edge_colors (E,))")
    index = _color_array(arcs[0], "edge_index")
    colours = _color_array(arcs[1], "edge_colors")
    if index.size == 0:
        index = index.reshape(2, 0)
    if index.ndim != 2 or index.shape[0] != 2 or colours.shape != (index.shape[1],):
        raise ValueError(
            f"arcs must be edge_index (2, E) and edge_colors (E,), got shapes {index.shape} and {colours.shape}"
        )
    if index.size and (index.min() < 0 or index.max() >= n_vertices):
        raise ValueError(f"edge_index must hold vertex ids in 0..{n_vertices - 1}")
    if colours.size and colours.min() < 1:
        raise ValueError("edge_colors must be >= 1 (colour 0 is the background and is not listed)")
    key = index[0] * n_vertices + index[1]
    order = np.argsort(key, kind="stable")
    key = key[order]
    if key.size and (key[1:] == key[:-1]).any():
        raise ValueError("edge_index lists an arc more than once")
    return np.ascontiguousarray(index[:, order]), np.ascontiguousarray(colours[order])


def _get_pair_colors(self: SymmetryInput) -> np.ndarray:
    dense = self.__dict__.get("_dense")
    if dense is None and self.__dict__.get("_sparse") is not None:
        index, colours = self.__dict__["_sparse"]
        N = self.vertex_colors.size
        dense = np.zeros((N, N), dtype=np.int64)
        dense[index[0], index[1]] = colours
        self.__dict__["_dense"] = dense
    return dense


def _set_pair_colors(self: SymmetryInput, value: Any) -> None:
    self.__dict__["_dense"] = value
    self.__dict__["_sparse"] = None


# The dense matrix is a property so that inputs stored as arcs build it only when asked (set after the
# dataclass is made, so the generated __init__ assigns through it).
SymmetryInput.pair_colors = property(  # type: ignore[assignment]
    _get_pair_colors,
    _set_pair_colors,
    doc="``(N, N)`` int64 arc colours (built from the arc list on first access when stored as arcs).",
)
