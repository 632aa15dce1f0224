"""Frames built directly as arcs: the same input as the pruned dense frames, exact, for thousands of elements."""

import numpy as np
import pytest
from hypothesis import given, settings

from asen.breaking import exact_input, symmetry_breaking_input
from asen.breaking.certificate import lifts_preserve
from asen.breaking.sparse_frames import sparse_frames
from asen.breaking.visibility import visibility
from asen.groups import alternating, cyclic, mathieu, psl2
from asen.groups.coarsening import greedy_classes
from breaking_oracles import aut_on_points_vf2, elements, small_groups


def _arcs(inp) -> dict[tuple[int, int], int]:
    src, dst, colour = inp.arc_arrays()
    return dict(zip(zip(src.tolist(), dst.tolist()), colour.tolist()))


@pytest.mark.parametrize("G", [alternating(6), psl2(7)], ids=["A6", "PSL(2,7)"])
def test_the_same_arcs_as_the_dense_frames_pruned_greedily(G):
    """Oracle: the regular orbit with its full orbital colouring on the n + |G| vertices (Theorem A), pruned
    by the greedy arc-class search: the construction ``mode="sparse"`` used before."""
    dense = exact_input(G, frames=G.order(), budget=G.order())
    assert dense.num_aux == G.order() and "frames" in dense.aux_description
    n = G.degree
    kept = greedy_classes(dense.vertex_colors, dense.pair_colors, n, G)
    kept = kept[kept > 0]
    relabel = np.zeros(int(dense.pair_colors.max()) + 1, dtype=np.int64)
    relabel[kept] = np.arange(1, kept.size + 1)
    pruned = relabel[dense.pair_colors]
    want = {(int(u), int(w)): int(pruned[u, w]) for u, w in zip(*np.nonzero(pruned))}
    got = sparse_frames(G)
    assert got.exact and got.stored_as_arcs
    assert _arcs(got) == want
    assert np.array_equal(got.vertex_colors, dense.vertex_colors)


@settings(max_examples=25, deadline=None)
@given(small_groups(max_order=24))
def test_frames_are_exact_by_an_independent_automorphism_count(G):
    """Aut of the exported digraph (networkx VF2), restricted to the points, is G itself; the lifted
    generators preserve every colour (G <= Aut without nauty)."""
    inp = sparse_frames(G)
    assert inp.exact and inp.num_aux == G.order()
    assert aut_on_points_vf2(inp) == elements(G)
    lifted = inp.meta["lifted_generators"]
    assert np.array_equal(lifted[:, : G.degree], G.generators)
    assert lifts_preserve(lifted, inp.vertex_colors, inp.arc_arrays())
    coords = inp.meta["frame_coordinates"]
    assert len(set(coords)) == len(coords) and inp.num_edges == G.order() * len(coords)


def test_thousands_of_frames_without_the_dense_colouring():
    """M_11: 7,920 frames (the dense colouring would have 7,931^2 pairs), 5 coordinates each (its base has
    4 points, and the 4-tuples are all 7,920 ordered 4-tuples of distinct points: Aut = S_11)."""
    M11 = mathieu(11)
    inp = symmetry_breaking_input(M11, mode="sparse", frames=8000, budget=8000)
    assert inp.exact and inp.stored_as_arcs and inp.num_aux == 7920
    assert inp.num_edges == 5 * 7920 and len(inp.meta["frame_coordinates"]) == 5
    vis = inp.certificate.visibility
    assert vis.visible and (vis.worst, vis.worst_point) == (1, 2)
    assert inp.stored_as_arcs  # neither the certificate nor the visibility built the dense matrix
    with pytest.raises(ValueError, match="max_frames"):
        sparse_frames(M11, max_frames=7919)


def test_visibility_walks_the_arcs_as_the_dense_matrix_would():
    inp = sparse_frames(alternating(6))
    dense = type(inp)(group=inp.group, vertex_colors=inp.vertex_colors, pair_colors=inp.pair_colors.copy(),
                      mode="sparse")  # fmt: skip
    a, b = visibility(sparse_frames(alternating(6))), visibility(dense)
    assert a.rounds == b.rounds and a.point_rounds == b.point_rounds and a.worst == 1


def test_a_base_coordinate_alone_may_not_be_enough():
    """C_5's base is one point: frames joined to g(0) alone are a perfect matching (Aut S_5); with g(1) too
    every frame holds an arc of the 5-cycle, and Aut is C_5."""
    inp = sparse_frames(cyclic(5))
    assert inp.exact and inp.num_aux == 5 and inp.meta["frame_coordinates"] == [0, 1]
