"""Sparse certificates: few orbital classes that still pin the group down (theory.md §4.2)."""

import numpy as np
import pytest

from asen.breaking import (
    DEFAULT_FRAMES,
    DEFAULT_SPARSE_FRAMES,
    closure_input,
    default_mode,
    greedy_classes,
    sparse_input,
    symmetry_breaking_input,
    two_closure,
)
from asen.groups import alternating, cube_rotations, cyclic, dihedral, p4, p4m, psl2, torus_translations


@pytest.mark.parametrize(
    "G,max_classes",
    [(cyclic(16), 1), (dihedral(16), 2), (torus_translations(8, 8), 2), (p4m(8), 4), (p4(8), 4)],
    ids=lambda x: getattr(x, "name", str(x)),
)
def test_grid_and_cycle_groups_need_few_classes(G, max_classes):
    inp = symmetry_breaking_input(G, mode="sparse")
    assert inp.mode == "sparse" and inp.exact
    assert 1 <= inp.num_pair_colors - 1 <= max_classes
    assert inp.num_edges < G.degree**2
    # the background is really "no arc": edges list exactly the coloured pairs
    src, dst = inp.edge_index
    assert np.array_equal(inp.pair_colors[src, dst], inp.edge_colors) and (inp.edge_colors > 0).all()


def test_sparse_for_a_non_two_closed_group_keeps_its_auxiliary_vertices():
    inp = symmetry_breaking_input(alternating(5), mode="sparse")
    assert inp.exact and inp.num_aux > 0
    full = symmetry_breaking_input(alternating(5), mode="exact")
    assert inp.num_edges <= full.num_edges


def test_greedy_returns_none_when_the_target_is_out_of_reach():
    inp = closure_input(alternating(4))
    assert greedy_classes(inp.vertex_colors, inp.pair_colors, 4, alternating(4)) is None
    kept = greedy_classes(inp.vertex_colors, inp.pair_colors, 4, two_closure(alternating(4)))
    assert kept is not None and kept.size == 0  # S_4 = Aut of the vertex colours alone


def test_sparse_mode_frames_larger_groups_and_prunes_them_to_the_point_arcs():
    A6 = alternating(6)
    inp = symmetry_breaking_input(A6, mode="sparse")  # |A_6| = 360 <= DEFAULT_SPARSE_FRAMES, > DEFAULT_FRAMES
    assert DEFAULT_FRAMES < 360 <= DEFAULT_SPARSE_FRAMES
    assert inp.exact and inp.num_aux == 360 and "frames" in inp.aux_description
    pc, n = inp.pair_colors, A6.degree
    assert not (pc[n:, n:] > 0).any()  # pruned: no arc between two frames
    assert inp.num_edges == int((pc > 0).sum()) < 6 * 360  # each frame keeps fewer arcs than points
    assert inp.certificate.visibility.visible and inp.certificate.visibility.worst_point == 2
    assert symmetry_breaking_input(A6, mode="exact").num_aux == 70  # dense frames stay at 64 elements
    assert symmetry_breaking_input(A6, mode="sparse", frames=0).num_aux < 360
    assert sparse_input(A6, frames=None).num_aux == 360  # None is the sparse default here too
    for bad in (-1, True):
        with pytest.raises(ValueError, match="frames"):
            symmetry_breaking_input(A6, mode="sparse", frames=bad)
        with pytest.raises(ValueError, match="frames"):
            sparse_input(A6, frames=bad)


@pytest.mark.parametrize(
    "G, mode",
    [
        (cube_rotations(), "exact"),  # 24 elements: the dense frames
        (alternating(5), "exact"),  # 60: the dense frames
        (alternating(6), "sparse"),  # 360, not 2-closed: the sparse frames
        (psl2(7), "sparse"),  # 168 on 8 points, closure S_8
        (dihedral(50), "exact"),  # 100 elements but 2-closed: its orbitals are exact
        (alternating(7), "exact"),  # 2520 > DEFAULT_SPARSE_FRAMES: the search's dense input
    ],
)
def test_default_mode_frames_mid_sized_groups_beyond_their_closure_sparsely(G, mode):
    assert default_mode(G) == mode
    if G.order() <= DEFAULT_SPARSE_FRAMES:
        auto = symmetry_breaking_input(G, mode="auto")
        assert auto.mode == mode and auto.exact
        if mode == "sparse":
            assert auto.num_aux == G.order() > DEFAULT_FRAMES  # one auxiliary vertex per element


def test_an_unknown_mode_is_named():
    with pytest.raises(ValueError, match="mode must be one of .* or 'auto', got 'fancy'"):
        symmetry_breaking_input(cyclic(4), mode="fancy")
