"""Independent oracles for ``Aut(v)|Omega`` (no nauty, no Schreier-Sims), shared by the breaking tests."""

import itertools

import numpy as np
from hypothesis import strategies as st

from asen.breaking import to_networkx
from asen.groups import PermGroup


def aut_on_points_vf2(inp) -> set[tuple[int, ...]]:
    """Every automorphism of the exported coloured digraph (node and edge colours must match), restricted
    to the points. Points never share a colour with auxiliary vertices, so each automorphism sigma maps the
    points onto themselves. For each permutation p of the points, sigma must send every vertex y to one
    whose colour and coloured arcs to and from the points are those of y moved by p: vertices are labelled
    so (points by name, read through p^-1 on the image side). Distinct labels force sigma, whose arcs are
    then checked directly; ties are left to networkx VF2. (Unlabelled whole-graph VF2 takes minutes on
    frames: 24 interchangeable auxiliary vertices for S_4.)"""
    from collections import Counter

    from networkx.algorithms.isomorphism import DiGraphMatcher, categorical_edge_match, categorical_node_match

    g = to_networkx(inp)
    n = inp.num_points
    colours = np.asarray(inp.vertex_colors[:n])

    # each vertex's coloured arcs to and from the points, read once
    incident = {v: [("out", w, c) for _, w, c in g.out_edges(v, data="color") if w < n]
                + [("in", u, c) for u, _, c in g.in_edges(v, data="color") if u < n] for v in g}  # fmt: skip

    def labels(name: list[int]) -> dict[int, tuple]:
        """Each vertex's name (auxiliary: -1), colour and arcs to/from the points, point x written name[x]."""
        return {v: (name[v] if v < n else -1, g.nodes[v]["color"],
                    tuple(sorted(((d, name[x], c) for d, x, c in arcs), key=repr)))
                for v, arcs in incident.items()}  # fmt: skip

    here = labels(list(range(n)))
    nx_match = categorical_node_match("label", None)
    edge_match = categorical_edge_match("color", None)
    source = g.copy()
    for v, label in here.items():
        source.nodes[v]["label"] = label
    arcs = {(u, w): c for u, w, c in g.edges(data="color")}
    found = set()
    for p in itertools.permutations(range(n)):
        if not np.array_equal(colours[list(p)], colours):
            continue
        inverse = list(np.argsort(p))
        there = labels(inverse)
        if Counter(here.values()) != Counter(there.values()):
            continue
        if len(set(there.values())) == len(there):  # sigma is forced: check that it keeps every arc
            at = {label: v for v, label in there.items()}
            sigma = {v: at[label] for v, label in here.items()}
            if all(arcs.get((sigma[u], sigma[w])) == c for (u, w), c in arcs.items()):
                found.add(p)
            continue
        image = g.copy()
        for v, label in there.items():
            image.nodes[v]["label"] = label
        if DiGraphMatcher(source, image, node_match=nx_match, edge_match=edge_match).is_isomorphic():
            found.add(p)
    return found


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
