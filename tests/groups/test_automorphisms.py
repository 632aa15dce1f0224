"""nauty automorphism groups, canonical forms and isomorphism: known groups, then brute force.

Everything runs real nauty (pynauty); the encoding of arc colours and directions is checked against
a count over all ``n!`` permutations on small random coloured digraphs.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups.automorphisms import (
    AutomorphismReport,
    automorphism_group,
    automorphism_report,
    canonical_form,
    canonical_labeling,
    colored_automorphisms,
    is_isomorphic,
)
from asen.groups.perm import act, act_pairs

SETTINGS = settings(max_examples=120, deadline=None, derandomize=True)


def _is_automorphism(g, A, colours=None):
    g = np.asarray(g)
    ok = np.array_equal(A[np.ix_(g, g)], A)
    return ok and (colours is None or np.array_equal(np.asarray(colours)[g], colours))


def brute_force_order(A, colours):
    """``|Aut|`` by checking all ``n!`` permutations (vectorised)."""
    n = len(colours)
    P = np.array(list(itertools.permutations(range(n))), dtype=np.int64).reshape(-1, n)
    ok = (A[P[:, :, None], P[:, None, :]] == A).all(axis=(1, 2)) & (colours[P] == colours).all(axis=1)
    return int(ok.sum())


# ------------------------------------------------------------------ known groups
def test_petersen():
    assert automorphism_group(nx.petersen_graph()).order() == 120


@pytest.mark.parametrize("n", [3, 4, 5, 7, 12, 30])
def test_cycle_is_dihedral(n):
    G = automorphism_group(nx.cycle_graph(n))
    assert G.order() == 2 * n and G.is_transitive()


@pytest.mark.parametrize("n", [1, 2, 4, 6, 9])
def test_complete_graph_is_symmetric(n):
    assert automorphism_group(nx.complete_graph(n)).order() == math.factorial(n)


def test_complete_graph_as_all_ones_matrix():
    # the off-diagonal colour 1 outnumbers "no arc", so it becomes the background colour
    A = np.ones((7, 7), dtype=int)
    np.fill_diagonal(A, 0)
    assert automorphism_group(adjacency=A).order() == 5040


def test_hypercube_q4():
    assert automorphism_group(nx.hypercube_graph(4)).order() == 384


def test_empty_and_single_vertex():
    assert automorphism_group(nx.empty_graph(0)).degree == 0
    assert automorphism_group(nx.empty_graph(1)).order() == 1
    assert automorphism_group(nx.empty_graph(5)).order() == 120


def test_vertex_coloured_cycle():
    # C_6 with alternating colours: rotations by 2 and reflections through vertices, D_3
    G = automorphism_group(nx.cycle_graph(6), vertex_colors=[0, 1, 0, 1, 0, 1])
    assert G.order() == 6
    assert [len(o) for o in G.orbits()] == [3, 3]


def test_vertex_colours_by_attribute_and_mapping():
    g = nx.path_graph(4)
    nx.set_node_attributes(g, {0: "end", 1: "mid", 2: "mid", 3: "end"}, "kind")
    assert automorphism_group(g, vertex_colors="kind").order() == 2
    assert automorphism_group(g, vertex_colors={0: "a", 1: "b", 2: "b", 3: "c"}).order() == 1


def test_edge_coloured_square():
    # K_4 with one perfect matching coloured differently: D_4 of order 8 (S_4 without colours)
    g = nx.complete_graph(4)
    nx.set_edge_attributes(g, "plain", "c")
    g.edges[0, 1]["c"] = g.edges[2, 3]["c"] = "bold"
    assert automorphism_group(g).order() == 24
    assert automorphism_group(g, edge_colors="c").order() == 8


def test_edge_coloured_hexagon_matrix():
    # C_6 whose edges alternate colours 1, 2: rotations by 2 and 3 reflections
    A = np.zeros((6, 6), dtype=int)
    for i in range(6):
        A[i, (i + 1) % 6] = A[(i + 1) % 6, i] = 1 + i % 2
    assert automorphism_group(adjacency=A).order() == 6


@pytest.mark.parametrize("n", [3, 5, 8, 13])
def test_directed_cycle_is_cyclic(n):
    G = automorphism_group(nx.cycle_graph(n, create_using=nx.DiGraph))
    assert G.order() == n
    assert all(
        _is_automorphism(g, nx.to_numpy_array(nx.cycle_graph(n, create_using=nx.DiGraph)))
        for g in G.generators
    )


def test_paley_tournament_of_order_7():
    # arcs i -> i + r for the quadratic residues r = 1, 2, 4 mod 7: Aut = Z_7 : Z_3, order 21
    A = np.zeros((7, 7), dtype=int)
    for i in range(7):
        for r in (1, 2, 4):
            A[i, (i + r) % 7] = 1
    G = automorphism_group(adjacency=A)
    assert G.order() == 21 and G.is_transitive()


def test_transitive_tournament_is_rigid():
    A = np.triu(np.ones((6, 6), dtype=int), 1)
    assert automorphism_group(adjacency=A).order() == 1


def test_directed_torus_arcs():
    # Cayley digraph of Z_11 x Z_11 with arcs +e1, +e2 of one colour: translations and the swap
    m = 11
    v = np.arange(m * m)
    r, c = np.divmod(v, m)
    src = np.r_[v, v]
    dst = np.r_[((r + 1) % m) * m + c, r * m + (c + 1) % m]
    group = colored_automorphisms(np.zeros(m * m, int), (src, dst, np.ones(2 * m * m, int)))
    assert group.order() == 2 * m * m
    coloured = colored_automorphisms(
        np.zeros(m * m, int), (src, dst, np.r_[np.ones(m * m, int), np.full(m * m, 2)])
    )
    assert coloured.order() == m * m


def test_dense_matrix_and_arcs_agree():
    rng = np.random.default_rng(3)
    A = rng.integers(0, 3, (9, 9)) * (rng.random((9, 9)) < 0.3)
    colours = rng.integers(0, 2, 9)
    src, dst = np.nonzero(A)
    by_arcs = colored_automorphisms(colours, (src, dst, A[src, dst]))
    assert by_arcs == colored_automorphisms(colours, A)
    assert by_arcs == automorphism_group(adjacency=sp.csr_array(A), vertex_colors=colours)


def test_loops_refine_vertex_colours():
    g = nx.cycle_graph(5)
    g.add_edge(0, 0)
    assert automorphism_group(g).order() == 2  # the looped vertex is fixed
    A = np.eye(4, dtype=int) * np.array([1, 1, 2, 2])  # loops of two colours, no arcs
    assert automorphism_group(adjacency=A).order() == 4


def test_large_rigid_regular_graph_is_fast_and_trivial():
    # a random cubic graph is almost surely rigid; closed-walk invariants spare nauty n refinements
    g = nx.random_regular_graph(3, 600, seed=7)
    rep = automorphism_report(g)
    assert rep.group.order() == 1 and rep.group.degree == 600


def test_report_fields():
    rep = automorphism_report(nx.cycle_graph(8, create_using=nx.DiGraph))
    assert isinstance(rep, AutomorphismReport)
    assert rep.directed_encoding and rep.layers == 1 and rep.encoded_vertices == 3 * 8
    assert round(rep.nauty_order) == 8 and rep.nauty_orbits.tolist() == [0] * 8
    d = rep.to_dict()
    assert d["order"] == 8 and d["degree"] == 8 and d["num_generators"] >= 1


def test_huge_order_is_exact():
    # nauty's float cannot hold 40! exactly; Schreier-Sims gives the integer
    assert automorphism_group(nx.empty_graph(40)).order() == math.factorial(40)


def test_group_name_from_networkx():
    assert automorphism_group(nx.petersen_graph()).name == "Aut(Petersen Graph)"


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "kwargs, exc, words",
    [
        ({"adjacency": np.zeros((2, 3), int)}, ValueError, "square"),
        ({"adjacency": np.zeros(4, int)}, ValueError, "square"),
        ({"adjacency": np.array([[0, -1], [1, 0]])}, ValueError, "non-negative"),
        ({"adjacency": np.array([[0, 0.5], [0.5, 0]])}, TypeError, "integers"),
        ({"adjacency": np.zeros((3, 3), int), "vertex_colors": [0, 1]}, ValueError, "length 2"),
        ({"adjacency": np.zeros((2, 2), int), "vertex_colors": [0, -3]}, ValueError, "non-negative"),
        ({"adjacency": np.array([[0, 1], [0, 0]]), "directed": False}, ValueError, "directed=False"),
        ({"adjacency": np.zeros((2, 2), int), "edge_colors": "c"}, TypeError, "edge_colors"),
        ({}, TypeError, "exactly one"),
        ({"arcs": ([0], [1], [1])}, ValueError, "vertex_colors"),
        ({"arcs": ([0], [5], [1]), "vertex_colors": [0, 0]}, ValueError, "outside"),
        ({"arcs": ([0, 0], [1, 1], [1, 2]), "vertex_colors": [0, 0]}, ValueError, "different colours"),
        ({"arcs": ([0], [1]), "vertex_colors": [0, 0]}, TypeError, "arcs"),
        ({"adjacency": "abc"}, TypeError, "adjacency"),
        ({"adjacency": np.zeros((2, 2), int), "directed": "yes"}, TypeError, "directed"),
    ],
)
def test_bad_input(kwargs, exc, words):
    with pytest.raises(exc, match=words):
        automorphism_group(**kwargs)


def test_bad_networkx_colours():
    g = nx.path_graph(3)
    with pytest.raises(ValueError, match="has no attribute 'c'"):
        automorphism_group(g, vertex_colors="c")
    with pytest.raises(ValueError, match="has no attribute 'w'"):
        automorphism_group(g, edge_colors="w")
    with pytest.raises(ValueError, match="no colour for node 2"):
        automorphism_group(g, vertex_colors={0: 1, 1: 1})
    with pytest.raises(TypeError, match="multigraph"):
        automorphism_group(nx.MultiGraph(g))


def test_conflicting_duplicate_arcs_but_repeats_are_fine():
    assert colored_automorphisms(np.zeros(3, int), ([0, 0, 1], [1, 1, 2], [1, 1, 1])).order() == 1


# ------------------------------------------------------------------ canonical forms
def test_canonical_form_of_relabelled_petersen():
    g = nx.petersen_graph()
    perm = np.random.default_rng(0).permutation(10)
    h = nx.relabel_nodes(g, dict(enumerate(perm.tolist())))
    assert canonical_form(g) == canonical_form(h)
    assert is_isomorphic(g, h)
    assert not is_isomorphic(g, nx.circulant_graph(10, [1, 3]))  # also cubic and vertex-transitive


def test_canonical_labeling_convention():
    A = nx.to_numpy_array(nx.lollipop_graph(4, 3), dtype=int)
    q = np.random.default_rng(1).permutation(7)
    B = act_pairs(q, A)
    assert np.array_equal(act_pairs(canonical_labeling(A), A), act_pairs(canonical_labeling(B), B))


def test_isomorphism_respects_colours():
    g = nx.path_graph(3)
    assert is_isomorphic(g, g, vertex_colors=([0, 1, 0], [0, 1, 0]))
    assert not is_isomorphic(g, g, vertex_colors=([0, 1, 0], [1, 0, 0]))
    assert not is_isomorphic(g, g, vertex_colors=([0, 1, 0], [0, 2, 0]))  # labels, not just classes
    a, b = (
        nx.Graph([(0, 1, {"c": "x"}), (1, 2, {"c": "y"})]),
        nx.Graph([(0, 1, {"c": "y"}), (1, 2, {"c": "x"})]),
    )
    assert is_isomorphic(a, b, edge_colors="c")
    assert not is_isomorphic(a, nx.Graph([(0, 1, {"c": "x"}), (1, 2, {"c": "x"})]), edge_colors="c")
    with pytest.raises(TypeError, match="pair"):
        is_isomorphic(g, g, vertex_colors=[0, 1, 0])


def test_direction_matters_for_isomorphism():
    out_star = nx.DiGraph([(0, 1), (0, 2)])
    in_star = nx.DiGraph([(1, 0), (2, 0)])
    assert not is_isomorphic(out_star, in_star)
    assert is_isomorphic(out_star, nx.DiGraph([(2, 0), (2, 1)]))


def test_canonical_form_of_large_relabelled_cubic_graph():
    # exercises the closed-walk hub invariants: they must be isomorphism invariant
    g = nx.random_regular_graph(3, 300, seed=11)
    perm = np.random.default_rng(2).permutation(300)
    h = nx.relabel_nodes(g, dict(enumerate(perm.tolist())))
    assert canonical_form(g) == canonical_form(h)
    h.remove_edge(*next(iter(h.edges)))
    assert canonical_form(g) != canonical_form(h)


# ------------------------------------------------------------------ property tests
@st.composite
def coloured_digraphs(draw, *, max_n=6, symmetric=None):
    """A random ``(A, colours)``; shrinks towards fewer vertices and colour 0 everywhere."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, 4))
    entries = draw(st.lists(st.integers(0, k), min_size=n * n, max_size=n * n))
    A = np.array(entries, dtype=np.int64).reshape(n, n)
    if symmetric if symmetric is not None else draw(st.booleans()):
        A = np.triu(A) + np.triu(A, 1).T
    colours = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)), dtype=np.int64)
    return A, colours


@SETTINGS
@given(coloured_digraphs())
def test_order_matches_brute_force(case):
    A, colours = case
    G = automorphism_group(adjacency=A, vertex_colors=colours)
    assert G.order() == brute_force_order(A, colours)
    assert all(_is_automorphism(g, A, colours) for g in G.generators)


@SETTINGS
@given(coloured_digraphs())
def test_arcs_input_gives_the_same_group(case):
    A, colours = case
    src, dst = np.nonzero(A)
    by_arcs = colored_automorphisms(colours, (src, dst, A[src, dst]))
    assert by_arcs == colored_automorphisms(colours, A)


@SETTINGS
@given(coloured_digraphs(max_n=5), st.randoms(use_true_random=False))
def test_canonical_form_is_invariant(case, rnd):
    A, colours = case
    q = np.array(rnd.sample(range(len(colours)), len(colours)))
    B, cb = act_pairs(q, A), act(q, colours)
    assert canonical_form(A, vertex_colors=colours) == canonical_form(B, vertex_colors=cb)
    pa = canonical_labeling(A, vertex_colors=colours)
    pb = canonical_labeling(B, vertex_colors=cb)
    assert np.array_equal(act_pairs(pa, A), act_pairs(pb, B))
    assert np.array_equal(act(pa, colours), act(pb, cb))


@SETTINGS
@given(coloured_digraphs(max_n=5), coloured_digraphs(max_n=5))
def test_isomorphic_iff_brute_force(case1, case2):
    (A, ca), (B, cb) = case1, case2
    if len(ca) != len(cb):
        assert not is_isomorphic(A, B, vertex_colors=(ca, cb))
        return
    n = len(ca)
    P = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    # some q with act_pairs(q, A) == B: B[q[i], q[j]] = A[i, j]
    truth = bool(((B[P[:, :, None], P[:, None, :]] == A).all(axis=(1, 2)) & (cb[P] == ca).all(axis=1)).any())
    assert is_isomorphic(A, B, vertex_colors=(ca, cb)) == truth
