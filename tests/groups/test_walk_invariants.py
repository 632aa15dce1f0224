"""Closed-walk vertex colours: a refinement of the input colours, invariant under relabelling, kept by
every automorphism, and what lets bliss through rigid regular graphs (both engines still agree)."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups.automorphisms import automorphism_group, canonical_form
from asen.groups.bliss_encoding import WALK_MIN_VERTICES as BLISS_WALK_MIN_VERTICES
from asen.groups.bliss_encoding import bliss_encoding
from asen.groups.colored_graph import colored_graph
from asen.groups.walk_invariants import walk_refined_colors


def _arcs(g: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    src, dst = np.array(list(g.edges), dtype=np.int64).reshape(-1, 2).T
    return src, dst


@settings(max_examples=25, deadline=None)
@given(n=st.integers(100, 160), degree=st.sampled_from([3, 4]), seed=st.integers(0, 10**6),
       colors=st.integers(1, 3))  # fmt: skip
def test_refines_the_key_and_commutes_with_relabelling(n, degree, seed, colors):
    if n * degree % 2:
        n += 1
    rng = np.random.default_rng(seed)
    src, dst = _arcs(nx.random_regular_graph(degree, n, seed=seed))
    key = rng.integers(0, colors, n)
    out = walk_refined_colors(n, src, dst, key)
    # a refinement: equal output colours have equal input colours, and the key's order is kept
    assert np.unique(np.stack([out, key], 1), axis=0).shape[0] == np.unique(out).size
    assert np.all(np.diff(key[np.argsort(out, kind="stable")]) >= 0)
    # relabelling the graph by p relabels the colours by p (the colours are invariants, not ids)
    p = rng.permutation(n)  # vertex v becomes p[v]
    key_p = np.empty_like(key)
    key_p[p] = key
    out_p = walk_refined_colors(n, p[src], p[dst], key_p)
    assert np.array_equal(out_p[p], out)


def test_rigid_cubic_graph_splits_and_transitive_graph_costs_nothing_extra():
    n = 600
    src, dst = _arcs(nx.random_regular_graph(3, n, seed=3))
    assert np.unique(walk_refined_colors(n, src, dst, np.zeros(n, np.int64))).size > n // 2
    src, dst = _arcs(nx.circulant_graph(n, [1, 7]))
    assert np.array_equal(walk_refined_colors(n, src, dst, np.zeros(n, np.int64)), np.zeros(n))
    src, dst = _arcs(nx.convert_node_labels_to_integers(nx.grid_2d_graph(20, 20)))  # degrees split it
    key = np.zeros(400, np.int64)
    assert np.array_equal(walk_refined_colors(400, src, dst, key, regular_only=True), key)
    assert np.unique(walk_refined_colors(400, src, dst, key)).size > 3


def test_every_automorphism_keeps_the_colours():
    # two copies of one random cubic graph: Aut swaps them, so the walk colours must match across copies
    g = nx.random_regular_graph(3, 150, seed=5)
    two = nx.disjoint_union(g, g)
    src, dst = _arcs(two)
    out = walk_refined_colors(300, src, dst, np.zeros(300, np.int64))
    assert np.array_equal(out[:150], out[150:]) and np.unique(out).size > 50
    assert automorphism_group(two, engine="bliss").order() == automorphism_group(two, engine="nauty").order()


def test_bliss_gets_walk_colours_on_large_rigid_regular_graphs():
    n = BLISS_WALK_MIN_VERTICES
    g = nx.random_regular_graph(3, n, seed=1)
    enc = bliss_encoding(colored_graph(g))
    assert np.unique(enc.colors[:n]).size > n // 100  # colour refinement alone: one cell
    small = bliss_encoding(colored_graph(nx.random_regular_graph(3, n // 2, seed=1)))
    assert np.unique(small.colors).size == 1  # below the threshold bliss is quick on its own
    # canonical forms stay canonical: a relabelled copy has the same form, an edited one does not
    perm = np.random.default_rng(0).permutation(n)
    h = nx.relabel_nodes(g, dict(enumerate(perm.tolist())))
    assert canonical_form(g, engine="bliss") == canonical_form(h, engine="bliss")
    h.remove_edge(*next(iter(h.edges)))
    assert canonical_form(g, engine="bliss") != canonical_form(h, engine="bliss")
    assert automorphism_group(g, engine="bliss").order() == 1
