"""Colour refinement (asen.groups.refinement) against a brute-force dense refinement with exact multisets."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups import color_refinement
from asen.groups.refinement import iter_color_refinement, iter_color_refinement_dense


def brute_refinement(colors, pair, *, complete=True, background=0):
    """Dense 1-WL with exact multisets (Python tuples): ``colors`` (B, N), ``pair`` (N, N) arc colours
    (``background`` = no listed arc). Returns the colourings until stable, as lists of (B, N) ids."""
    colors = np.asarray(colors)
    B, N = colors.shape
    loop = np.diagonal(pair)
    cur = [[(int(colors[b, u]), int(loop[u])) for u in range(N)] for b in range(B)]

    def canon(c):
        keys = sorted({x for row in c for x in row})
        rank = {k: i for i, k in enumerate(keys)}
        return np.array([[rank[x] for x in row] for row in c]), len(keys)

    out, k = canon(cur)
    rounds = [out]
    while True:
        nxt = []
        for b in range(B):
            row = []
            for u in range(N):
                ms = []
                for w in range(N):
                    if w == u:
                        continue
                    t = (int(pair[u, w]), int(pair[w, u]))
                    if not complete and t == (background, background):
                        continue
                    ms.append((t, int(out[b, w])))
                row.append((int(out[b, u]), tuple(sorted(ms))))
            nxt.append(row)
        new, k_new = canon(nxt)
        if k_new == k:
            return rounds
        out, k = new, k_new
        rounds.append(out)


def same_partition(a, b):
    """Two colourings of the same vertices induce the same partition."""
    a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@st.composite
def coloured_digraphs(draw):
    n = draw(st.integers(1, 7))
    batch = draw(st.integers(1, 3))
    background = draw(st.integers(0, 2))
    pair = np.array(
        draw(st.lists(st.integers(0, 3), min_size=n * n, max_size=n * n)), dtype=np.int64
    ).reshape(n, n)
    colors = np.array(
        draw(st.lists(st.integers(0, 2), min_size=batch * n, max_size=batch * n)), dtype=np.int64
    ).reshape(batch, n)
    return colors, pair, background


def _listed(pair, background):
    src, dst = np.nonzero(pair != background)
    return src, dst, pair[src, dst]


@settings(max_examples=150, deadline=None)
@given(coloured_digraphs(), st.booleans())
def test_sparse_refinement_matches_dense_brute_force(graph, complete):
    colors, pair, background = graph
    src, dst, arc = _listed(pair, background)
    mine = color_refinement(colors, src, dst, arc, complete=complete, background=background)
    ref = brute_refinement(colors, pair, complete=complete, background=background)
    assert len(mine) == len(ref)
    for a, b in zip(mine, ref):
        assert same_partition(a, b)
    # each colouring refines the one before
    for a, b in itertools.pairwise(mine):
        assert len(set(zip(b.ravel().tolist(), a.ravel().tolist()))) == len(set(b.ravel().tolist()))


@settings(max_examples=100, deadline=None)
@given(coloured_digraphs())
def test_dense_entry_point_picks_any_background(graph):
    """The dense refinement walks only pairs off its most frequent colour; the result must not depend on it."""
    colors, pair, _ = graph
    dense = list(iter_color_refinement_dense(colors, pair))
    ref = brute_refinement(colors, pair, complete=True, background=-1)  # -1: no pair is background
    assert len(dense) == len(ref)
    for a, b in zip(dense, ref):
        assert same_partition(a, b)


def test_copies_are_told_apart_by_their_histograms():
    """Directed 4-cycle, vertices individualised: relabelling by a rotation (an automorphism) gives an
    isomorphic copy that no round tells apart; a reflection (not an automorphism) is told apart."""
    src, dst = np.arange(4), (np.arange(4) + 1) % 4
    label = np.array([[0, 1, 2, 3], [1, 2, 3, 0], [0, 3, 2, 1]])
    rounds = color_refinement(label, src, dst, np.ones(4, int), complete=True)
    hist = [np.sort(r, axis=1) for r in rounds]
    assert np.array_equal(hist[-1][0], hist[-1][1])
    assert not np.array_equal(hist[1][0], hist[1][2]) and np.array_equal(hist[0][0], hist[0][2])


def test_max_rounds_and_single_colourings():
    src, dst = np.arange(9), np.arange(1, 10)  # a directed path on 10 vertices
    full = color_refinement(np.zeros(10, int), src, dst, complete=False)
    assert full[-1].shape == (10,) and len(set(full[-1].tolist())) == 10
    assert len(full) == 6  # classes 1, 3, 5, 7, 9, 10: stable after five rounds
    assert len(color_refinement(np.zeros(10, int), src, dst, complete=False, max_rounds=2)) == 3
    assert len(list(iter_color_refinement(np.zeros(10, int), src, dst, max_rounds=0))) == 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="same length"):
        color_refinement([0, 0], [0], [1, 0])
    with pytest.raises(ValueError, match="vertex ids"):
        color_refinement([0, 0], [0], [2])
    with pytest.raises(ValueError, match="more than once"):
        color_refinement([0, 0], [0, 0], [1, 1])
    with pytest.raises(ValueError, match="one entry per arc"):
        color_refinement([0, 0], [0], [1], [1, 2])
    with pytest.raises(ValueError, match="pair_colors"):
        list(iter_color_refinement_dense([0, 0], np.zeros((3, 3), int)))


@settings(max_examples=60, deadline=None)
@given(st.integers(4, 9), st.integers(0, 2**32 - 1), st.integers(1, 3))
def test_dense_entry_point_on_mostly_background_matrices(n, seed, batch):
    """Few pairs off the background colour: the dense entry point walks them as a sparse arc list."""
    rng = np.random.default_rng(seed)
    pair = np.full((n, n), 2, dtype=np.int64)
    k = max(1, n * n // 10)
    pair.ravel()[rng.choice(n * n, size=k, replace=False)] = rng.integers(0, 4, size=k)
    colors = rng.integers(0, 2, size=(batch, n))
    dense = list(iter_color_refinement_dense(colors, pair))
    ref = brute_refinement(colors, pair, complete=True, background=-1)
    assert len(dense) == len(ref)
    for a, b in zip(dense, ref):
        assert same_partition(a, b)
