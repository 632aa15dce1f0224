"""Hypothesis strategies for equivariance tests: permutations, group elements, groups, tensors, graphs.

Each strategy is composed from small hypothesis pieces and shrinks towards the simplest value:

=====================  ==========================================================================
strategy               shrinks towards
=====================  ==========================================================================
``permutations(n)``    the identity
``group_elements(G)``  the identity (every transversal index shrinks to 0, whose row is the identity)
``groups()``           ``trivial(min_degree)``, then the families in the order listed, smallest degree
``tensors(shape)``     all zeros, then small integers (ties) before fractions
``graphs()``           the empty graph on ``min_nodes`` vertices (adjacency, or ``edge_index``)
``graph_inputs()``     ``(x, edge_index)`` with no edges and all-zero features, on ``min_nodes`` nodes
``point_features(n)``  all-zero ``(batch, n, features)`` arrays
=====================  ==========================================================================

Examples
--------
>>> from hypothesis import given
>>> from asen.groups.catalogue import dihedral
>>> G = dihedral(5)
>>> @given(group_elements(G))
... def test_in_group(g):
...     assert G.contains(g)
>>> test_in_group()
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..groups import PermGroup

__all__ = [
    "FAMILIES",
    "graph_inputs",
    "graphs",
    "group_elements",
    "groups",
    "permutations",
    "point_features",
    "tensors",
]


def permutations(n: int) -> st.SearchStrategy[np.ndarray]:
    """Permutations of ``0..n-1`` as int64 arrays; shrinks towards the identity.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(permutations(4), lambda p: p[0] != 0).tolist()    # simplest non-identity: a transposition
    [1, 0, 2, 3]
    """
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    return st.permutations(list(range(int(n)))).map(lambda p: np.asarray(p, dtype=np.int64))


def group_elements(group: PermGroup) -> st.SearchStrategy[np.ndarray]:
    """Elements of ``group`` drawn as products of stabiliser-chain transversal rows; shrinks to the identity.

    Every element ``u^(k-1) * ... * u^(0)`` has one index per level, so the draw is uniform-ish and
    exhaustive, and shrinking the indices towards 0 walks towards the identity.
    """
    if not isinstance(group, PermGroup):
        raise TypeError(f"group must be a PermGroup, got {type(group).__name__}")
    chain = group.chain
    tables = [chain.transversal(j)[1] for j in range(len(chain.levels))]
    n = group.degree

    def build(indices: list[int]) -> np.ndarray:
        out = np.arange(n, dtype=np.int64)
        for table, k in zip(reversed(tables), reversed(indices)):
            out = table[k].astype(np.int64)[out]
        return out

    if not tables:
        return st.just(np.arange(n, dtype=np.int64))
    return st.tuples(*[st.integers(0, len(t) - 1) for t in tables]).map(lambda ks: build(list(ks)))


def _degrees(lo: int, hi: int, *, at_least: int = 1) -> st.SearchStrategy[int]:
    return st.integers(max(lo, at_least), max(hi, at_least))


def _simple(name: str, at_least: int = 1) -> Callable[[int, int], st.SearchStrategy[PermGroup]]:
    def make(lo: int, hi: int) -> st.SearchStrategy[PermGroup]:
        from ..groups import catalogue

        return _degrees(lo, hi, at_least=at_least).map(getattr(catalogue, name))

    return make


def _young(lo: int, hi: int) -> st.SearchStrategy[PermGroup]:
    from ..groups.catalogue import young

    return (
        st.lists(st.integers(1, max(1, hi)), min_size=1, max_size=4)
        .filter(lambda s: lo <= sum(s) <= hi)
        .map(lambda s: young(*s))
    )


def _product(lo: int, hi: int) -> st.SearchStrategy[PermGroup]:
    from ..groups.catalogue import cyclic, symmetric
    from ..groups.products import direct_product

    small = st.sampled_from([cyclic, symmetric])
    return (
        st.tuples(small, st.integers(1, max(1, hi - 1)), small, st.integers(1, max(1, hi - 1)))
        .filter(lambda t: lo <= t[1] + t[3] <= hi)
        .map(lambda t: direct_product(t[0](t[1]), t[2](t[3])))
    )


def _wreath(lo: int, hi: int) -> st.SearchStrategy[PermGroup]:
    from ..groups.catalogue import cyclic, symmetric
    from ..groups.products import wreath

    return (
        st.tuples(st.integers(1, 3), st.integers(2, 3))
        .filter(lambda t: lo <= t[0] * t[1] <= hi)
        .map(lambda t: wreath(symmetric(t[0]), cyclic(t[1])))
    )


def _torus(lo: int, hi: int) -> st.SearchStrategy[PermGroup]:
    from ..groups.geometric import torus_translations

    return (
        st.tuples(st.integers(1, max(1, hi)), st.integers(1, max(1, hi)))
        .filter(lambda t: lo <= t[0] * t[1] <= hi)
        .map(lambda t: torus_translations(*t))
    )


def _grid(lo: int, hi: int) -> st.SearchStrategy[PermGroup]:
    from ..groups.geometric import grid_dihedral, grid_rotations

    sides = [m for m in range(2, math.isqrt(max(hi, 0)) + 1) if lo <= m * m <= hi]
    if not sides:
        return st.nothing()
    return st.tuples(st.sampled_from([grid_rotations, grid_dihedral]), st.sampled_from(sides)).map(
        lambda t: t[0](t[1])
    )


#: group families :func:`groups` draws from, in shrinking order
FAMILIES: dict[str, Callable[[int, int], st.SearchStrategy[PermGroup]]] = {
    "trivial": _simple("trivial"),
    "cyclic": _simple("cyclic"),
    "symmetric": _simple("symmetric"),
    "dihedral": _simple("dihedral", 3),
    "reversal": _simple("reversal", 2),
    "alternating": _simple("alternating", 3),
    "young": _young,
    "direct_product": _product,
    "wreath": _wreath,
    "torus_translations": _torus,
    "grid": _grid,
}


def groups(
    *, min_degree: int = 1, max_degree: int = 8, families: Sequence[str] | None = None
) -> st.SearchStrategy[PermGroup]:
    """Catalogue groups of degree ``min_degree..max_degree``; shrinks towards ``trivial(min_degree)``.

    Parameters
    ----------
    min_degree, max_degree
        Bounds on the degree (inclusive).
    families
        Names from :data:`FAMILIES` (default: all, in that order).

    Raises
    ------
    ValueError
        On an unknown family or empty degree range.
    """
    if min_degree < 1 or max_degree < min_degree:
        raise ValueError(f"need 1 <= min_degree <= max_degree, got {min_degree}, {max_degree}")
    names = list(FAMILIES) if families is None else list(families)
    unknown = [f for f in names if f not in FAMILIES]
    if unknown or not names:
        raise ValueError(f"unknown group families {unknown}; known: {list(FAMILIES)}")
    return st.one_of([FAMILIES[f](min_degree, max_degree) for f in names]).filter(
        lambda G: min_degree <= G.degree <= max_degree
    )


def tensors(
    shape: Sequence[int],
    *,
    dtype: type | np.dtype = np.float64,
    min_value: float = -10.0,
    max_value: float = 10.0,
    ties: bool = True,
) -> st.SearchStrategy[np.ndarray]:
    """Finite float arrays of ``shape``; shrinks towards zeros.

    With ``ties`` (default), half the entries are drawn from the small integers ``-2..2`` so that points
    tie exactly, which is what exposes index-based tie-breaks.
    """
    if min_value > max_value:
        raise ValueError(f"min_value {min_value} > max_value {max_value}")
    dt = np.dtype(dtype)
    width = 32 if dt == np.float32 else 16 if dt == np.float16 else 64
    floats = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False, width=width)
    lo, hi = max(-2, math.ceil(min_value)), min(2, math.floor(max_value))
    elements = st.one_of(st.integers(lo, hi).map(float), floats) if ties and lo <= hi else floats
    return hnp.arrays(dt, tuple(int(s) for s in shape), elements=elements)


def point_features(
    n: int | PermGroup, *, features: int = 4, batch: int = 1, **options: object
) -> st.SearchStrategy[np.ndarray]:
    """``(batch, n, features)`` arrays for :func:`~asen.verify.check_equivariance` (options of :func:`tensors`)."""
    degree = n.degree if isinstance(n, PermGroup) else int(n)
    return tensors((batch, degree, features), **options)  # type: ignore[arg-type]


def graphs(
    *,
    min_nodes: int = 1,
    max_nodes: int = 8,
    num_nodes: int | None = None,
    directed: bool = False,
    dtype: type | np.dtype = np.float64,
    output: str = "adjacency",
) -> st.SearchStrategy[np.ndarray]:
    """Small simple graphs (no loops); shrinks towards the empty graph.

    ``num_nodes`` fixes the size (e.g. a group's degree); otherwise it is drawn from
    ``min_nodes..max_nodes`` and shrinks towards ``min_nodes``. ``output="adjacency"`` (default) gives
    ``n x n`` matrices of ``dtype``; ``output="edge_index"`` gives int64 ``(2, E)`` edge lists (both
    directions of an undirected edge, columns sorted), PyTorch Geometric's layout.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(graphs(num_nodes=3, output="edge_index"), lambda e: e.shape[1] > 0).shape   # one edge, both ways
    (2, 2)
    """
    if output not in ("adjacency", "edge_index"):
        raise ValueError(f"output must be 'adjacency' or 'edge_index', got {output!r}")
    sizes = st.just(int(num_nodes)) if num_nodes is not None else st.integers(min_nodes, max_nodes)
    if output == "edge_index":
        return sizes.flatmap(lambda n: _edge_lists(n, directed))

    def adjacency(n: int) -> st.SearchStrategy[np.ndarray]:
        pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]

        def build(bits: list[bool]) -> np.ndarray:
            A = np.zeros((n, n), dtype=dtype)
            for (i, j), b in zip(pairs, bits):
                if b:
                    A[i, j] = 1
                    if not directed:
                        A[j, i] = 1
            return A

        return st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)).map(build)

    return sizes.flatmap(adjacency)


def _edge_lists(n: int, directed: bool) -> st.SearchStrategy[np.ndarray]:
    pairs = [(i, j) for i in range(n) for j in range(n) if i != j and (directed or i < j)]

    def build(bits: list[bool]) -> np.ndarray:
        chosen = [p for p, b in zip(pairs, bits) if b]
        if not directed:
            chosen += [(j, i) for i, j in chosen]
        return np.array(sorted(chosen), dtype=np.int64).reshape(-1, 2).T.copy()

    return st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)).map(build)


def graph_inputs(
    *,
    num_nodes: int | PermGroup | None = None,
    min_nodes: int = 1,
    max_nodes: int = 8,
    features: int = 4,
    edge_features: int = 0,
    directed: bool = False,
    **options: object,
) -> st.SearchStrategy[tuple[np.ndarray, ...]]:
    """``(x, edge_index)`` examples (``(x, edge_index, edge_attr)`` with ``edge_features``) for graph checks:
    ``x`` ``(n, features)`` from :func:`tensors` (``options`` go there), ``edge_index`` int64 ``(2, E)``;
    shrinks towards no edges and zero features. Pass ``num_nodes`` (or the group) to match a group's
    degree, and ``in_axes=[0, "index"]`` (``[0, "index", "none"]``) to the check.

    Examples
    --------
    >>> import numpy as np
    >>> from asen.verify import check_equivariance
    >>> mean_agg = lambda x, e: x + np.bincount(e[1], minlength=len(x))[:, None] * 0.5
    >>> report = check_equivariance(mean_agg, "symmetric(5)", graph_inputs(num_nodes=5), in_axes=[0, "index"],
    ...                             num_inputs=20)
    >>> report.passed
    True
    """
    degree = num_nodes.degree if isinstance(num_nodes, PermGroup) else num_nodes
    sizes = st.just(int(degree)) if degree is not None else st.integers(min_nodes, max_nodes)

    def one(n: int) -> st.SearchStrategy[tuple[np.ndarray, ...]]:
        parts = st.tuples(tensors((n, features), **options), _edge_lists(n, directed))  # type: ignore[arg-type]
        if not edge_features:
            return parts
        return parts.flatmap(
            lambda xe: tensors((xe[1].shape[1], edge_features), **options).map(  # type: ignore[arg-type]
                lambda a: (xe[0], xe[1], a)
            )
        )

    return sizes.flatmap(one)
