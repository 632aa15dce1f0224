"""Independent oracles for ``Aut(v)|Omega`` (no nauty, no Schreier-Sims), shared by the breaking tests."""

import itertools

import numpy as np
from hypothesis import strategies as st

from asen.breaking import to_networkx
from asen.groups import PermGroup


def aut_on_points_vf2(inp) -> set[tuple[int, ...]]:
    """Every automorphism of the exported coloured digraph (networkx VF2, node and edge colours must
    match), restricted to the points. Points never share a colour with auxiliary vertices, so each
    automorphism maps the points onto themselves."""
    from networkx.algorithms.isomorphism import DiGraphMatcher, categorical_edge_match, categorical_node_match

    g = to_networkx(inp)
    matcher = DiGraphMatcher(
        g, g, node_match=categorical_node_match("color", None), edge_match=categorical_edge_match("color", None)
    )
    n = inp.num_points
    return {tuple(iso[x] for x in range(n)) for iso in matcher.isomorphisms_iter()}


def aut_on_points_brute(inp) -> set[tuple[int, ...]]:
    """All permutations of the points that preserve the colours (inputs without auxiliary vertices)."""
    assert inp.num_aux == 0
    vc, pc = inp.vertex_colors, inp.pair_colors
    return {
        p for p in itertools.permutations(range(inp.num_points))
        if np.array_equal(vc[list(p)], vc) and np.array_equal(pc[np.ix_(p, p)], pc)
    }


def elements(G) -> set[tuple[int, ...]]:
    return {tuple(g) for g in G.elements().tolist()}


@st.composite
def small_groups(draw, max_order=120):
    n = draw(st.integers(2, 6))
    gens = [draw(st.permutations(range(n))) for _ in range(draw(st.integers(1, 2)))]
    G = PermGroup(gens, n)
    if G.order() > max_order:  # Theorem A costs |G| vertices; keep the nauty runs small
        G = PermGroup([gens[0]], n)
    return G
