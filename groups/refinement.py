"""Colour refinement (1-dimensional Weisfeiler--Leman) on arc-coloured digraphs, vectorised in numpy.

One round replaces the colour of every vertex ``u`` by the pair (its colour, the multiset of
``(type(u, w), colour(w))`` over its neighbours ``w``), where the *type* of the ordered pair ``(u, w)`` is the
joint arc colour ``(a(u, w), a(w, u))``: both directions at once, the finest information a message-passing
layer reading arc colours can get from a neighbour. Colours are renumbered ``0..K-1`` after each round in
the order of (old colour, signature), so a new colouring always refines the old one and keeps its order.
The refinement is *stable* when a round splits no class; the colourings returned end there.

Complete coloured digraphs and the background
---------------------------------------------
The arcs are given sparsely: the listed arcs ``src[e] -> dst[e]`` with colour ``arc_colors[e]``; every other
ordered pair ``(u, w)``, ``u != w``, has the ``background`` colour. With ``complete=True`` (the default)
background pairs are arcs like any other, i.e. the graph is a complete coloured digraph (what
:class:`asen.breaking.SymmetryInput` describes). Only the listed arcs need to be walked: the multiset over
``u``'s background neighbours is the colour histogram of ``u``'s graph minus ``u`` itself minus its listed
neighbours. With hashed signatures this is a per-graph constant plus a correction on the listed arcs, so the
sparse computation is *exactly* the dense refinement (no approximation beyond the hashing below).
With ``complete=False`` unlisted pairs are not adjacent at all (an ordinary sparse digraph).

Several colourings at once
--------------------------
``vertex_colors`` of shape ``(B, N)`` refines ``B`` colourings of the same digraph together: the disjoint
union of ``B`` copies, copy ``b`` coloured by row ``b``, with colour ids shared by all copies (equal ids mean
equal colours, across copies too). Each copy is its own complete graph (no arcs between copies), so the
background histogram above is taken per copy. Two copies are told apart by 1-WL at the first round where
their colour histograms differ.

Hashing
-------
A multiset is summarised by the sum, modulo ``2^64``, of one weight ``A[type] * B[colour]`` per element, with
``A`` and ``B`` fresh uniform 64-bit numbers each round (drawn from ``seed``). Two distinct multisets have
equal sums only if a nonzero integer combination (coefficients below ``N``) of the products vanishes
modulo ``2^64``, which happens with probability about ``N * 2^-58`` or less per pair of classes and round.
A collision can only *merge* classes that should be separate, never split equal ones (equal multisets
always have equal sums), and the old colour is kept exactly in the new key, so a collision makes the
computed partition coarser than the true one: anything this module tells apart is truly told apart.

Self-loops (``src[e] == dst[e]``) are folded into the initial vertex colours.

Examples
--------
A directed 3-cycle and its reverse, each vertex individualised the same way, are told apart after one round:

>>> import numpy as np
>>> src, dst = np.array([0, 1, 2]), np.array([1, 2, 0])
>>> rounds = color_refinement([[0, 1, 2], [0, 2, 1]], src, dst, complete=False)
>>> len(rounds), [sorted(r.tolist()) == sorted(rounds[-1][0].tolist()) for r in rounds[-1]]
(2, [True, False])
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

__all__ = ["color_refinement", "iter_color_refinement", "iter_color_refinement_dense"]

# copies refined per gather: keeps the (copies x arcs) uint64 temporaries near 32 MB
_CHUNK_ELEMENTS = 1 << 22


def _canonical(keys: list[np.ndarray]) -> tuple[np.ndarray, int]:
    """Dense ranks ``0..K-1`` of the rows ``(keys[0][i], keys[1][i], ...)`` in lexicographic order."""
    order = np.lexsort(keys[::-1])
    change = np.zeros(order.size, dtype=bool)
    for k in keys:
        s = k[order]
        change[1:] |= s[1:] != s[:-1]
    ranks = np.empty(order.size, dtype=np.int64)
    ranks[order] = np.cumsum(change)
    return ranks, int(ranks[order[-1]]) + 1 if order.size else 0


class _HalfEdges:
    """The pairs ``(u, w)``, ``u != w``, of non-background joint type, sorted by ``u``, with their type ids.

    The joint type of ``(u, w)`` is ``(a(u, w), a(w, u))``; type id ``bg_type`` is ``(background,
    background)``, the type of every pair not stored here.
    """

    def __init__(self, u: np.ndarray, w: np.ndarray, joint: np.ndarray, bg_code: int) -> None:
        types, tid = np.unique(np.concatenate([[bg_code], joint]), return_inverse=True)
        self.bg_type = int(tid[0])
        self.type = tid[1:].astype(np.int64)
        self.num_types = int(types.size)
        self.u, self.w = u.astype(np.int64), w.astype(np.int64)
        self.sources, self.starts = np.unique(self.u, return_index=True)

    @classmethod
    def from_arcs(
        cls, n: int, src: np.ndarray, dst: np.ndarray, colors: np.ndarray, background: int
    ) -> _HalfEdges:
        codes = src * n + dst
        order = np.argsort(codes, kind="stable")
        codes, colors = codes[order], colors[order]
        if codes.size and np.any(codes[1:] == codes[:-1]):
            raise ValueError("an arc (src, dst) is listed more than once")
        pairs = np.unique(np.concatenate([codes, dst[order] * n + src[order]]))
        u, w = pairs // n, pairs % n

        def lookup(c: np.ndarray) -> np.ndarray:
            """Colour of each ordered pair code in ``c`` (``background`` when not listed)."""
            if not codes.size:
                return np.full(c.size, background, dtype=np.int64)
            pos = np.minimum(np.searchsorted(codes, c), codes.size - 1)
            return np.where(codes[pos] == c, colors[pos], background)

        base = int(max(colors.max(initial=background), background)) + 1
        joint = lookup(pairs) * base + lookup(w * n + u)
        return cls(u, w, joint, background * base + background)

    @classmethod
    def from_matrix(cls, pair_colors: np.ndarray, background: int) -> _HalfEdges:
        base = int(max(pair_colors.max(initial=background), background)) + 1
        joint = pair_colors * base + pair_colors.T
        bg_code = background * base + background
        mask = joint != bg_code
        np.fill_diagonal(mask, False)
        u, w = np.nonzero(mask)  # row-major: sorted by u
        return cls(u, w, joint[u, w], bg_code)


def _refine(
    colors: np.ndarray, edges: _HalfEdges, *, complete: bool, max_rounds: int | None, seed: int
) -> Iterator[np.ndarray]:
    """The rounds after round 0 (``colors``: canonical ``(B, N)`` ids), ending at the stable colouring."""
    batch, n = colors.shape
    k = int(colors.max()) + 1 if colors.size else 0
    rng = np.random.default_rng(seed)
    m = edges.u.size
    rows = max(1, _CHUNK_ELEMENTS // max(m, 1))  # copies per gather: bounds the (rows, m) temporaries
    rnd = 0
    while max_rounds is None or rnd < max_rounds:
        rnd += 1
        a = rng.integers(0, 2**64, size=edges.num_types, dtype=np.uint64)  # one weight per joint type
        b = rng.integers(0, 2**64, size=k, dtype=np.uint64)  # one weight per colour
        with np.errstate(over="ignore"):
            weight = a[edges.type] - a[edges.bg_type] if complete else a[edges.type]
            col_w = b[colors]  # (B, N)
            sig = np.zeros((batch, n), dtype=np.uint64)
            if m:
                for lo in range(0, batch, rows):
                    contrib = col_w[lo : lo + rows, edges.w] * weight  # (rows, m), wraps modulo 2^64
                    sig[lo : lo + rows, edges.sources] = np.add.reduceat(contrib, edges.starts, axis=1)
            if complete:  # every other vertex of the copy, as a background neighbour
                own = col_w * a[edges.bg_type]
                sig += own.sum(axis=1, dtype=np.uint64)[:, None] - own
        flat, k_new = _canonical([colors.ravel(), sig.ravel()])
        if k_new == k:
            return  # stable: this round split nothing (and, ids being order-preserving, renamed nothing)
        colors, k = flat.reshape(batch, n), k_new
        yield colors


def _validate(
    vertex_colors: Any, src: Any, dst: Any, arc_colors: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]:
    vc = np.asarray(vertex_colors)
    single = vc.ndim == 1
    vc = np.atleast_2d(vc)
    if vc.ndim != 2 or (vc.size and vc.dtype.kind not in "iu"):
        raise ValueError(f"vertex_colors must be an integer array of shape (N,) or (B, N), got {vc.shape}")
    vc = vc.astype(np.int64)
    src = np.asarray(src, dtype=np.int64).reshape(-1)
    dst = np.asarray(dst, dtype=np.int64).reshape(-1)
    if src.shape != dst.shape:
        raise ValueError(f"src and dst must have the same length, got {src.size} and {dst.size}")
    ac = np.ones_like(src) if arc_colors is None else np.asarray(arc_colors, dtype=np.int64).reshape(-1)
    if ac.shape != src.shape:
        raise ValueError(f"arc_colors must have one entry per arc, got {ac.size} for {src.size} arcs")
    n = vc.shape[1]
    if src.size and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
        raise ValueError(f"arc endpoints must be vertex ids in 0..{n - 1}")
    return vc, src, dst, ac, single


def iter_color_refinement(
    vertex_colors: Any,
    src: Any,
    dst: Any,
    arc_colors: Any = None,
    *,
    complete: bool = True,
    background: int = 0,
    max_rounds: int | None = None,
    seed: int = 0,
) -> Iterator[np.ndarray]:
    """Yield the colouring after 0, 1, 2, ... rounds, ending with the stable one.

    Same parameters and colourings as :func:`color_refinement`, one round at a time, so a caller can stop
    early (say, once the copies it compares are told apart).

    Examples
    --------
    >>> it = iter_color_refinement([0, 0, 0, 0], [0, 1, 2], [1, 2, 3], complete=False)   # a directed path
    >>> [int(c.max()) + 1 for c in it]     # classes per round: 1, 3, 4 (stable)
    [1, 3, 4]
    """
    vc, src, dst, ac, single = _validate(vertex_colors, src, dst, arc_colors)
    batch, n = vc.shape
    loops = src == dst
    keys = [vc.ravel()]
    if loops.any():  # fold self-loop colours into the vertex colours
        loop = np.full(n, background, dtype=np.int64)
        loop[src[loops]] = ac[loops]
        keys.append(np.broadcast_to(loop, vc.shape).ravel())
        src, dst, ac = src[~loops], dst[~loops], ac[~loops]
    flat, _ = _canonical(keys)
    colors = flat.reshape(batch, n)
    yield colors[0] if single else colors
    if max_rounds is not None and max_rounds <= 0:
        return
    edges = _HalfEdges.from_arcs(n, src, dst, ac, int(background))
    for refined in _refine(colors, edges, complete=complete, max_rounds=max_rounds, seed=seed):
        yield refined[0] if single else refined


def iter_color_refinement_dense(
    vertex_colors: Any,
    pair_colors: Any,
    *,
    max_rounds: int | None = None,
    seed: int = 0,
) -> Iterator[np.ndarray]:
    """:func:`iter_color_refinement` of the complete digraph with arc colours ``pair_colors`` (``(N, N)``).

    The diagonal joins the vertex colours; the most frequent off-diagonal colour is taken as the
    background, so only the other pairs are walked (the result does not depend on that choice).

    Examples
    --------
    >>> import numpy as np
    >>> pc = np.array([[0, 1, 2], [2, 0, 1], [1, 2, 0]])     # the directed 3-cycle, both directions coloured
    >>> rounds = list(iter_color_refinement_dense([[0, 1, 2], [0, 2, 1]], pc))   # a labelling and its mirror
    >>> [int(c.max()) + 1 for c in rounds], bool(set(rounds[-1][0]) & set(rounds[-1][1]))
    ([3, 6], False)
    """
    vc = np.atleast_2d(np.asarray(vertex_colors))
    single = np.asarray(vertex_colors).ndim == 1
    pc = np.asarray(pair_colors)
    n = vc.shape[1]
    if pc.shape != (n, n) or (pc.size and pc.dtype.kind not in "iu"):
        raise ValueError(f"pair_colors must be an integer ({n}, {n}) matrix, got shape {pc.shape}")
    if vc.ndim != 2 or (vc.size and vc.dtype.kind not in "iu"):
        raise ValueError(f"vertex_colors must be an integer array of shape (N,) or (B, N), got {vc.shape}")
    pc = pc.astype(np.int64)
    diag = np.diagonal(pc)
    flat, _ = _canonical([vc.astype(np.int64).ravel(), np.broadcast_to(diag, vc.shape).ravel()])
    colors = flat.reshape(vc.shape)
    yield colors[0] if single else colors
    if (max_rounds is not None and max_rounds <= 0) or n < 2:
        return
    m = int(pc.max()) + 1
    counts = np.bincount(pc.ravel(), minlength=m) - np.bincount(diag, minlength=m)
    background = int(np.argmax(counts))
    listed = n * n - int(counts[background]) - n  # off-diagonal pairs not of the background colour
    if listed * 8 <= n * n:  # sparse: walk the listed arcs (no dense N x N int temporaries)
        mask = pc != background
        np.fill_diagonal(mask, False)
        src, dst = np.nonzero(mask)
        edges = _HalfEdges.from_arcs(n, src, dst, pc[src, dst], background)
    else:
        edges = _HalfEdges.from_matrix(pc, background)
    for refined in _refine(colors, edges, complete=True, max_rounds=max_rounds, seed=seed):
        yield refined[0] if single else refined


def color_refinement(
    vertex_colors: Any,
    src: Any,
    dst: Any,
    arc_colors: Any = None,
    *,
    complete: bool = True,
    background: int = 0,
    max_rounds: int | None = None,
    seed: int = 0,
) -> list[np.ndarray]:
    """Colour refinement of an arc-coloured digraph (or ``B`` colourings of it at once), round by round.

    Parameters
    ----------
    vertex_colors
        ``(N,)`` initial colours (any integers; only equality matters), or ``(B, N)``: ``B`` copies of the
        graph refined together as one disjoint union, colour ids shared between copies.
    src, dst
        ``(E,)`` the listed arcs ``src[e] -> dst[e]`` (each ordered pair at most once).
    arc_colors
        ``(E,)`` their colours (default: all 1). Every unlisted ordered pair has colour ``background``.
    complete
        True: every ordered pair of distinct vertices is an arc (unlisted ones of the background colour),
        refined exactly as the dense complete digraph while walking only the listed arcs (see the module
        notes). False: unlisted pairs are not adjacent.
    background
        The colour of unlisted pairs (and the "no arc" value in a joint type ``(a(u, w), a(w, u))``).
    max_rounds
        Stop after this many rounds even if the colouring is not yet stable (None: run to stability, at
        most ``N`` rounds).
    seed
        Seeds the per-round hash weights (module notes: a collision can only merge classes).

    Returns
    -------
    list of numpy.ndarray
        ``colorings[r]`` is the colouring after ``r`` rounds (``r = 0``: the initial colours renumbered),
        int64 ids ``0..K_r-1`` of the input's shape, each refining the one before. Without ``max_rounds``
        the last one is stable: one more round would not split any class. ``len(colorings) - 1`` is the
        number of rounds that refined something.

    Examples
    --------
    The 6-cycle and two disjoint triangles (both 2-regular) are the classic pair colour refinement cannot
    tell apart: as one graph (the disjoint union) no round refines the uniform colouring.

    >>> import numpy as np
    >>> src = np.array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    >>> dst = np.array([1, 2, 3, 4, 5, 0, 7, 8, 6, 10, 11, 9])
    >>> both = np.concatenate([src, dst]), np.concatenate([dst, src])
    >>> rounds = color_refinement(np.zeros(12, dtype=int), *both, complete=False)
    >>> len(rounds), rounds[-1].tolist() == [0] * 12
    (1, True)
    """
    return list(
        iter_color_refinement(
            vertex_colors, src, dst, arc_colors,
            complete=complete, background=background, max_rounds=max_rounds, seed=seed,
        )
    )  # fmt: skip
