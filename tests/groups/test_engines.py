"""Both automorphism engines, against brute force and against each other.

Every bliss encoding (plain, subdivided, layered) is checked against a count over all ``n!``
permutations on small random coloured digraphs, both engines against each other on larger random
coloured digraphs, famous graphs and a rigid cubic graph, and the isolated-vertex split against brute
force. The nauty encoding has its own brute-force tests in ``test_automorphisms.py``.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from asen.groups import PermGroup, two_closure
from asen.groups.automorphisms import (
    automorphism_group,
    automorphism_report,
    canonical_form,
    canonical_labeling,
    colored_automorphisms,
    is_isomorphic,
)
from asen.groups.bliss_encoding import BLISS_METHODS, bliss_encoding
from asen.groups.colored_graph import colored_graph
from asen.groups.engines import AUTO_NAUTY_MAX_VERTICES, ENGINES, choose_engine, run_engine
from asen.groups.igraph_core import igraph_core
from asen.groups.perm import act, act_pairs

SETTINGS = settings(max_examples=80, deadline=None, derandomize=True)
DATA = Path(__file__).resolve().parents[1] / "data" / "transitive_groups.json"


def brute_force_order(A: np.ndarray, colours: np.ndarray) -> int:
    """``|Aut|`` by checking all ``n!`` permutations (vectorised)."""
    n = len(colours)
    P = np.array(list(itertools.permutations(range(n))), dtype=np.int64).reshape(-1, n)
    ok = (A[P[:, :, None], P[:, None, :]] == A).all(axis=(1, 2)) & (colours[P] == colours).all(axis=1)
    return int(ok.sum())


def preserves(g: np.ndarray, A: np.ndarray, colours: np.ndarray) -> bool:
    return bool(np.array_equal(A[np.ix_(g, g)], A) and np.array_equal(colours[g], colours))


def bliss_on(enc) -> tuple[int, np.ndarray]:
    """bliss's count and generators (restricted to the originals) for one encoding."""
    graph = igraph_core().GraphBase(enc.num_vertices, enc.edges, enc.directed)
    colors = enc.colors.tolist()
    gens = np.asarray(graph.automorphism_group(color=colors), dtype=np.int64).reshape(-1, enc.num_vertices)
    return int(graph.count_automorphisms(color=colors)), gens[:, : enc.n]


@st.composite
def coloured_digraphs(draw, max_n=6, max_colour=3):
    n = draw(st.integers(1, max_n))
    colours = np.array(draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    entries = draw(st.lists(st.integers(0, max_colour), min_size=n * n, max_size=n * n))
    A = np.array(entries).reshape(n, n)
    if draw(st.booleans()):
        A = np.triu(A) + np.triu(A, 1).T  # symmetric: an undirected coloured graph
    return A, colours


# ------------------------------------------------------------------ every bliss encoding vs brute force
@SETTINGS
@given(coloured_digraphs(), st.sampled_from(BLISS_METHODS))
def test_each_bliss_encoding_matches_brute_force(case, method):
    A, colours = case
    cg = colored_graph(adjacency=A, vertex_colors=colours)
    try:
        enc = bliss_encoding(cg, method)
    except ValueError:  # the plain encoding holds one arc colour only
        assert method == "plain"
        return
    count, gens = bliss_on(enc)
    expected = brute_force_order(A, colours)
    assert count == expected  # the encoding's group is Aut itself, not an extension
    assert all(preserves(g, A, colours) for g in gens)
    assert PermGroup(gens, len(colours)).order() == expected


@SETTINGS
@given(coloured_digraphs(), st.sampled_from(ENGINES))
def test_each_engine_matches_brute_force(case, engine):
    A, colours = case
    group = automorphism_group(adjacency=A, vertex_colors=colours, engine=engine)
    assert group.order() == brute_force_order(A, colours)
    assert all(preserves(g, A, colours) for g in group.generators)


@SETTINGS
@given(coloured_digraphs(max_n=6, max_colour=1))  # 3 isolated + 3 others at most: 720 permutations
def test_isolated_vertices_split_off_match_brute_force(case):
    A, colours = case
    keep = np.arange(len(colours)) % 2 == 0  # clear every arc at odd vertices: many isolated ones
    A = A * keep[:, None] * keep[None, :]
    for engine in ENGINES:
        rep = automorphism_report(adjacency=A, vertex_colors=colours, engine=engine)
        assert rep.group.order() == brute_force_order(A, colours)
        assert all(preserves(g, A, colours) for g in rep.group.generators)


def test_isolated_vertices_cost_nothing():
    # S_4096 x S_4096 on two colour classes without arcs: both engines would search for minutes
    colours = np.repeat([0, 1], 4096)
    no_arcs = (np.zeros(0, int), np.zeros(0, int), np.zeros(0, int))
    for engine in ENGINES:
        rep = automorphism_report(arcs=no_arcs, vertex_colors=colours, engine=engine)
        assert rep.isolated == 8192 and rep.exact_order == math.factorial(4096) ** 2
        assert len(rep.group.generators) == 4  # a transposition and a 4096-cycle per class
    small = automorphism_report(arcs=no_arcs, vertex_colors=np.repeat([0, 1], 6), engine="bliss")
    assert small.group.order() == math.factorial(6) ** 2


# ------------------------------------------------------------------ the engines against each other
@st.composite
def sparse_coloured_digraphs(draw):
    n = draw(st.integers(8, 40))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    m = draw(st.integers(n, 3 * n))
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    colour = rng.integers(1, draw(st.integers(1, 4)) + 1, m)
    A = np.zeros((n, n), np.int64)
    A[src, dst] = colour
    if draw(st.booleans()):
        A = np.maximum(A, A.T)
    if draw(st.booleans()):  # a circulant part: a large group for the engines to agree on
        step = draw(st.integers(1, n - 1))
        i = np.arange(n)
        A[i, (i + step) % n] = 5
    colours = rng.integers(0, draw(st.integers(1, 3)), n)
    return A, colours


@SETTINGS
@given(sparse_coloured_digraphs())
def test_engines_agree_on_random_coloured_digraphs(case):
    A, colours = case
    n = len(colours)
    src, dst = np.nonzero(A)
    arcs = (src, dst, A[src, dst])
    nauty = colored_automorphisms(colours, arcs, engine="nauty")
    bliss = colored_automorphisms(colours, arcs, engine="bliss")
    assert nauty.order() == bliss.order()
    assert bliss.is_subgroup(nauty) and nauty.is_subgroup(bliss)
    assert all(preserves(g, A, colours) for g in bliss.generators)
    assert run_engine(colored_graph(adjacency=A, vertex_colors=colours), "bliss").exact_order == nauty.order()
    assert n == nauty.degree == bliss.degree


FAMOUS = {
    "petersen": (nx.petersen_graph, 120),
    "heawood": (nx.heawood_graph, 336),
    "dodecahedral": (nx.dodecahedral_graph, 120),
    "desargues": (nx.desargues_graph, 240),
    "moebius_kantor": (nx.moebius_kantor_graph, 96),
    "pappus": (nx.pappus_graph, 216),
    "tutte": (nx.tutte_graph, 3),
    "frucht": (nx.frucht_graph, 1),
    "q5": (lambda: nx.hypercube_graph(5), 3840),
    "k_7_7": (lambda: nx.complete_bipartite_graph(7, 7), 2 * math.factorial(7) ** 2),
    "directed_c12": (lambda: nx.cycle_graph(12, create_using=nx.DiGraph), 12),
    "tournament_7": (lambda: nx.DiGraph([(i, (i + d) % 7) for i in range(7) for d in (1, 2, 4)]), 21),
}


@pytest.mark.parametrize("name", sorted(FAMOUS))
def test_famous_graphs_agree_across_engines(name):
    make, order = FAMOUS[name]
    g = make()
    groups = [automorphism_group(g, engine=e) for e in ENGINES]
    assert [G.order() for G in groups] == [order, order]
    assert groups[0].is_subgroup(groups[1]) and groups[1].is_subgroup(groups[0])


def test_rigid_random_cubic_graph_agrees_across_engines():
    g = nx.random_regular_graph(3, 4096, seed=0)
    reports = [automorphism_report(g, engine=e) for e in ENGINES]
    assert [r.group.order() for r in reports] == [1, 1]
    assert reports[1].exact_order == 1


def pair_orbits(generators: list[np.ndarray], n: int) -> np.ndarray:
    """The orbital colouring (orbit ids >= 1 of the ``n^2`` ordered pairs), without a stabiliser chain.

    Weak components of the graph joining each pair ``(i, j)`` to ``(g i, g j)``: independent of
    :func:`asen.groups.orbitals`, which the closure itself is built on.
    """
    pairs = np.arange(n * n).reshape(n, n)
    src = np.tile(pairs.ravel(), len(generators))
    dst = np.concatenate([pairs[np.ix_(g, g)].ravel() for g in generators])
    links = coo_matrix((np.ones(src.size), (src, dst)), shape=(n * n, n * n))
    return connected_components(links, directed=True, connection="weak")[1].reshape(n, n) + 1


def test_transitive_groups_have_the_same_closure_with_either_engine():
    """GAP's 474 transitive groups of degree <= 12: each engine's |Aut(orbital colouring)| is GAP's |G^(2)|.

    Every engine generator preserves the colouring, and for every 16th group the two engines' groups are
    equal (Schreier--Sims both ways; the chains are what costs, so not for all 474).
    """
    entries = json.loads(DATA.read_text())
    assert len(entries) == 474 and {e["degree"] for e in entries} == set(range(2, 13))
    for i, e in enumerate(entries):
        n = e["degree"]
        pc = pair_orbits([np.array(g) - 1 for g in e["generators"]], n)
        runs = [
            run_engine(colored_graph(adjacency=pc, vertex_colors=np.zeros(n, int)), name) for name in ENGINES
        ]
        assert [r.exact_order for r in runs] == [e["closure_order"]] * 2, (n, e["index"])
        assert all(np.array_equal(pc[np.ix_(g, g)], pc) for r in runs for g in r.generators), (n, e["index"])
        if i % 16 == 0:
            nauty, bliss = (PermGroup(r.generators, n, order=r.exact_order) for r in runs)
            assert nauty.is_subgroup(bliss) and bliss.is_subgroup(nauty), (n, e["index"])


def test_two_closure_is_the_same_with_either_engine():
    """``two_closure(G, engine=...)``, the public entry point, on a few non-2-closed transitive groups."""
    entries = json.loads(DATA.read_text())
    picked = [e for e in entries if e["order"] != e["closure_order"]][::40]
    assert len(picked) >= 8
    for e in picked:
        G = PermGroup([np.array(g) - 1 for g in e["generators"]], e["degree"], order=e["order"])
        closures = [two_closure(G, engine=name) for name in ENGINES]
        assert [C.order() for C in closures] == [e["closure_order"]] * 2, (e["degree"], e["index"])
        assert closures[0].is_subgroup(closures[1]) and G.is_subgroup(closures[1])


def test_directed_torus_with_bliss_needs_no_direction_copies():
    m = 64
    r, c = np.divmod(np.arange(m * m), m)
    src = np.r_[np.arange(m * m), np.arange(m * m)]
    dst = np.r_[r * m + (c + 1) % m, ((r + 1) % m) * m + c]
    rep = automorphism_report(arcs=(src, dst, np.ones(src.size, int)), vertex_colors=np.zeros(m * m, int))
    assert rep.engine == "bliss" and rep.encoding == "plain" and rep.encoded_vertices == m * m
    assert rep.directed_encoding and rep.group.order() == 2 * m * m


# ------------------------------------------------------------------ canonical forms with bliss
@SETTINGS
@given(coloured_digraphs(max_n=7), st.randoms(use_true_random=False))
def test_bliss_canonical_form_is_invariant_and_exact(case, rnd):
    A, colours = case
    n = len(colours)
    p = np.array(rnd.sample(range(n), n))
    B, cb = act_pairs(p, A), act(p, colours)
    form = canonical_form(adjacency=A, vertex_colors=colours, engine="bliss")
    assert form == canonical_form(adjacency=B, vertex_colors=cb, engine="bliss")
    q = canonical_labeling(adjacency=A, vertex_colors=colours, engine="bliss")
    r = canonical_labeling(adjacency=B, vertex_colors=cb, engine="bliss")
    assert np.array_equal(act_pairs(q, A), act_pairs(r, B))
    C = A.copy()
    C[0, n - 1] = C[0, n - 1] + 1  # a different graph: isomorphic to A only if nauty says so too
    same = is_isomorphic(A, C, vertex_colors=(colours, colours), engine="nauty")
    assert is_isomorphic(A, C, vertex_colors=(colours, colours), engine="bliss") == same


def test_forms_of_different_engines_never_collide():
    g = nx.petersen_graph()
    assert canonical_form(g, engine="nauty") != canonical_form(g, engine="bliss")
    assert canonical_form(g, engine="auto") == canonical_form(g, engine="nauty")  # small: auto is nauty


# ------------------------------------------------------------------ the choice and the import
def test_auto_keeps_nauty_for_small_encodings_and_bliss_for_large():
    small = colored_graph(nx.petersen_graph())
    big = colored_graph(nx.grid_2d_graph(64, 64, periodic=True))
    assert choose_engine(small) == "nauty" and choose_engine(big) == "bliss"
    assert choose_engine(big, "nauty") == "nauty"
    assert 10 * 8 <= AUTO_NAUTY_MAX_VERTICES < 4096
    with pytest.raises(ValueError, match="engine must be one of"):
        choose_engine(small, "traces")
    with pytest.raises(ValueError, match="engine must be one of"):
        automorphism_group(nx.petersen_graph(), engine="Bliss")


def test_importing_groups_loads_neither_engine():
    code = "import sys, asen.groups, asen.breaking; print(sorted(m for m in ('pynauty', 'igraph', 'igraph._igraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_bliss_does_not_import_matplotlib_and_igraph_still_imports_afterwards():
    code = (
        "import sys, networkx as nx\n"
        "from asen.groups import automorphism_group\n"
        "assert automorphism_group(nx.petersen_graph(), engine='bliss').order() == 120\n"
        "print('matplotlib' in sys.modules, 'igraph' in sys.modules)\n"
        "import igraph\n"
        "print(igraph.Graph.Famous('Petersen').count_automorphisms(), igraph.split_join_distance([0, 0, 1], [0, 1, 1]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split("\n")[:2] == ["False False", "120 (1, 1)"]
