"""Exports of a :class:`~asen.breaking.SymmetryInput` to torch tensors, networkx and PyTorch Geometric.

All three carry the same structure ``v`` on ``X = Omega ⊔ Y`` (vertices ``0..n-1`` are the points,
``n..N-1`` auxiliary): vertex colours and the arcs of non-background colour,

    arc (x, y) with colour a(x, y) >= 1   <->   edge_index[:, e] = (x, y),  edge_colors[e] = a(x, y).

torch, networkx and torch_geometric are imported only inside these functions, so ``import asen.breaking``
stays light.
"""

from __future__ import annotations

from typing import Any

from .symmetry_input import SymmetryInput

__all__ = ["to_networkx", "to_pyg", "to_torch"]

PYG_INSTALL_HINT = "pip install torch_geometric  (or: pip install 'asen[pyg]')"


def _check(inp: Any) -> SymmetryInput:
    if not isinstance(inp, SymmetryInput):
        raise TypeError(f"inp must be a SymmetryInput, got {type(inp).__name__}")
    return inp


def to_torch(inp: SymmetryInput, *, device: Any = None) -> dict[str, Any]:
    """The input as ``int64`` tensors: colours, dense pair colours and the sparse arc list.

    Returns
    -------
    dict
        ``vertex_colors`` ``(N,)``, ``pair_colors`` ``(N, N)`` (``0`` = background), ``edge_index``
        ``(2, E)``, ``edge_colors`` ``(E,)`` and ``num_points`` (a 0-d tensor, ``n``), all ``torch.long``
        on ``device``.

    Examples
    --------
    >>> from asen.breaking import symmetry_breaking_input
    >>> t = to_torch(symmetry_breaking_input("cyclic(4)", mode="sparse"))
    >>> t["edge_index"].shape, int(t["num_points"])
    (torch.Size([2, 4]), 4)
    """
    import torch

    inp = _check(inp)

    def tensor(a: Any) -> Any:
        return torch.as_tensor(a, dtype=torch.long, device=device)

    return {
        "vertex_colors": tensor(inp.vertex_colors),
        "pair_colors": tensor(inp.pair_colors),
        "edge_index": tensor(inp.edge_index),
        "edge_colors": tensor(inp.edge_colors),
        "num_points": tensor(inp.num_points),
    }


def to_networkx(inp: SymmetryInput) -> Any:
    """A ``networkx.DiGraph`` on ``0..N-1``: node attributes ``color`` and ``kind`` (``"point"``/``"aux"``),
    edge attribute ``color`` (one edge per non-background arc; loops for coloured diagonal pairs).

    Graph attributes: ``num_points``, ``mode`` and ``group`` (the group's name).

    Examples
    --------
    >>> from asen.breaking import symmetry_breaking_input
    >>> g = to_networkx(symmetry_breaking_input("alternating(4)", mode="exact"))
    >>> g.number_of_nodes(), g.nodes[0]["kind"], g.nodes[4]["kind"]
    (16, 'point', 'aux')
    """
    import networkx as nx

    inp = _check(inp)
    n = inp.num_points
    g = nx.DiGraph(num_points=n, mode=inp.mode, group=inp.group.name)
    g.add_nodes_from(
        (x, {"color": int(c), "kind": "point" if x < n else "aux"})
        for x, c in enumerate(inp.vertex_colors.tolist())
    )
    src, dst = inp.edge_index.tolist()
    g.add_edges_from((s, d, {"color": c}) for s, d, c in zip(src, dst, inp.edge_colors.tolist()))
    return g


def _pyg_kwargs(inp: SymmetryInput) -> dict[str, Any]:
    """The keyword arguments :func:`to_pyg` passes to ``torch_geometric.data.Data``."""
    t = to_torch(inp)
    return {
        "x": None,
        "edge_index": t["edge_index"],
        "edge_attr": t["edge_colors"],
        "vertex_color": t["vertex_colors"],
        "num_nodes": inp.num_vertices,
        "num_points": inp.num_points,
    }


def to_pyg(inp: SymmetryInput) -> Any:
    """A ``torch_geometric.data.Data`` with ``edge_index`` ``(2, E)``, ``edge_attr`` ``(E,)`` (arc colour
    ids, ready for an ``Embedding``), ``vertex_color`` ``(N,)``, ``num_nodes = N`` and ``num_points = n``
    (``x`` is None: the points' features are the caller's data).

    Raises
    ------
    ImportError
        When PyTorch Geometric is not installed (with the command that installs it).

    Examples
    --------
    >>> from asen.breaking import symmetry_breaking_input
    >>> inp = symmetry_breaking_input("cyclic(4)", mode="sparse")
    >>> try:
    ...     data = to_pyg(inp)
    ... except ImportError as exc:  # without PyTorch Geometric: the message says how to install it
    ...     print("pip install torch_geometric" in str(exc))
    ... else:
    ...     print(data.num_nodes == 4 and tuple(data.edge_attr.shape) == (4,))
    True
    """
    inp = _check(inp)
    try:
        from torch_geometric.data import Data
    except ImportError as exc:
        raise ImportError(
            f"to_pyg needs PyTorch Geometric, which is not installed: {PYG_INSTALL_HINT}"
        ) from exc
    return Data(**_pyg_kwargs(inp))
