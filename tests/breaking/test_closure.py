"""2-closure: the catalogue in both directions, with closure orders from theory.md §2 as oracles."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.breaking import (
    closure_input,
    closure_witnesses,
    is_two_closed,
    symmetry_breaking_input,
    two_closure,
)
from asen.groups import (
    PermGroup,
    affine_line,
    alternating,
    cube_rotations,
    cyclic,
    dihedral,
    even_flips,
    grid_dihedral,
    grid_rotations,
    icosahedral_rotations,
    p4,
    p4m,
    psl2,
    symmetric,
    symmetric_on_subsets,
    tetrahedral_rotations,
    torus_translations,
    wreath,
)

TWO_CLOSED = [
    cyclic(12),
    dihedral(7),
    torus_translations(4, 6),
    symmetric(6),
    p4(5),
    p4m(4),
    p4m(6),
    grid_rotations(5),
    grid_dihedral(4),
    wreath(symmetric(3), symmetric(2)),
    cube_rotations(on="edges"),
]

# (group, order of its 2-closure)
NOT_TWO_CLOSED = [
    (alternating(4), 24),
    (alternating(5), 120),
    (alternating(7), math.factorial(7)),
    (affine_line(5), 120),
    (affine_line(7), math.factorial(7)),
    (psl2(7), math.factorial(8)),
    (tetrahedral_rotations(), 24),
    (cube_rotations(on="vertices"), 48),
    (icosahedral_rotations(on="vertices"), 120),
    (p4(3), 72),
    (p4(4), 128),
    (symmetric_on_subsets(4, 2), 48),
    (even_flips(3), 8),
    (even_flips(4), 16),
]


@pytest.mark.parametrize("G", TWO_CLOSED, ids=lambda G: G.name)
def test_two_closed_groups(G):
    assert is_two_closed(G)
    assert two_closure(G) == G
    cert = symmetry_breaking_input(G, mode="closure").certificate
    assert cert.exact and cert.achieved_order == G.order()


@pytest.mark.parametrize("G,closure_order", NOT_TWO_CLOSED, ids=lambda x: getattr(x, "name", str(x)))
def test_not_two_closed_groups(G, closure_order):
    assert not is_two_closed(G)
    C = two_closure(G)
    assert C.order() == closure_order
    assert G.is_subgroup(C)
    witnesses = closure_witnesses(G)
    assert len(witnesses) and not G.contains_many(witnesses).any()
    assert C.contains_many(witnesses).all()
    cert = symmetry_breaking_input(G, mode="closure").certificate
    assert (
        not cert.exact and cert.achieved_order == closure_order and cert.index == closure_order // G.order()
    )


def test_closure_input_colours_points_by_orbit():
    G = PermGroup([[1, 0, 2, 4, 3]])
    inp = closure_input(G)
    assert inp.num_aux == 0 and inp.mode == "closure"
    assert inp.vertex_colors.tolist() == [0, 0, 1, 2, 2]
    assert (inp.pair_colors >= 1).all()  # dense: no background pair


@st.composite
def regular_orbit_groups(draw):
    """Groups with a point of trivial stabiliser: 2-closed by the regular-orbit lemma."""
    n = draw(st.integers(2, 5))
    k = draw(st.integers(1, 2))
    gens = [draw(st.permutations(range(n))) for _ in range(k)]
    G = PermGroup(gens, n)
    # act on Omega ⊔ G (the regular action) so that a regular orbit exists
    elems = G.elements()
    index = {tuple(e): i for i, e in enumerate(elems.tolist())}
    lifted = []
    for g in G.generators:
        right = [n + index[tuple(np.asarray(g)[e].tolist())] for e in elems]  # e -> e then g
        lifted.append(list(g) + right)
    return PermGroup(lifted, n + len(elems), order=G.order())


@settings(max_examples=25, deadline=None)
@given(regular_orbit_groups())
def test_groups_with_a_regular_orbit_are_two_closed(G):
    assert is_two_closed(G)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 6).flatmap(lambda n: st.lists(st.permutations(range(n)), min_size=1, max_size=2)))
def test_closure_contains_the_group_and_is_idempotent(gens):
    G = PermGroup(gens)
    C = two_closure(G)
    assert G.is_subgroup(C)
    assert is_two_closed(C)
    assert np.array_equal(closure_input(C).pair_colors, closure_input(G).pair_colors)
