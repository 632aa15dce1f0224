"""Exact realisation with auxiliary vertices: the theory notes' examples, Theorem A, budgets, honesty."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.breaking import (
    DEFAULT_FRAMES,
    DEFAULT_MAX_GROWTH,
    aux_input,
    certify,
    closure_input,
    exact_input,
    extend_group,
    regular_orbit,
    symmetry_breaking_input,
    to_networkx,
    tuple_orbits,
    two_closure,
)
from asen.breaking.auxiliary import candidate_orbits
from asen.groups import (
    PermGroup,
    affine_line,
    alternating,
    cube_rotations,
    cyclic,
    dihedral,
    even_flips,
    mathieu,
    p4,
    psl2,
    symmetric,
)
from breaking_oracles import aut_on_points_brute, aut_on_points_vf2, elements, small_groups

# group, largest |Y| allowed (theory.md §3.3 found these sizes; the search may find smaller ones)
EXAMPLES = [
    (alternating(4), 6),
    (alternating(5), 20),
    (alternating(6), 120),
    (affine_line(5), 10),
    (psl2(7), 28),
    (p4(4), 32),
    (p4(3), 18),
    (cube_rotations(on="vertices"), 12),
    (even_flips(3), 4),
    (mathieu(11), 66),  # the blocks of the Steiner system S(4,5,11), whose automorphism group is M_11
    (mathieu(12), 132),  # the hexads of S(5,6,12): Aut = M_12
]


@pytest.mark.parametrize("G,max_aux", EXAMPLES, ids=lambda x: getattr(x, "name", str(x)))
def test_non_two_closed_examples_are_realised_exactly(G, max_aux):
    inp = symmetry_breaking_input(G, mode="exact")
    assert inp.exact
    assert inp.certificate.achieved_order == G.order()
    # max_aux: the smallest visible exact input; the default may spend up to DEFAULT_MAX_GROWTH times
    # that on one that colour refinement sees in fewer rounds (A_4: 12 ordered pairs, not 6 2-subsets),
    # and a group of at most DEFAULT_FRAMES elements gets its regular orbit (A_5: 60 ordered triples)
    frames = G.order() if G.order() <= DEFAULT_FRAMES else 0
    assert 0 < inp.num_aux <= max(DEFAULT_MAX_GROWTH * max_aux, frames)
    assert inp.aux_description
    # points and auxiliary vertices never share a colour, and the group's lifts preserve everything
    n = G.degree
    assert not set(inp.vertex_colors[:n]) & set(inp.vertex_colors[n:])
    lifted = inp.meta["lifted_generators"]
    assert len(lifted) == len(G.generators) > 0  # the loop below checks every generator's lift
    for g in lifted:
        assert np.array_equal(inp.pair_colors[np.ix_(g, g)], inp.pair_colors)


def test_alternating_groups_need_oriented_subsets_only():
    """Oriented k-subsets (orderings modulo even permutations) beat ordered tuples for A_n."""
    for n, size in [(6, 40), (7, 70), (8, 140)]:
        # the smallest exact input (visible=False): oriented subsets, invisible to colour refinement,
        # which the default search passes over (tests/breaking/test_visibility.py)
        inp = symmetry_breaking_input(alternating(n), mode="exact", visible=False)
        assert inp.exact and inp.num_aux == size, (n, inp.aux_description)
        assert "oriented" in inp.aux_description


def test_two_closed_groups_need_no_auxiliary_vertices():
    for G in (cyclic(6), dihedral(5), symmetric(4)):
        inp = exact_input(G)
        assert inp.exact and inp.num_aux == 0


def test_budget_too_small_returns_the_best_certified_overgroup():
    inp = exact_input(alternating(5), budget=5)
    assert not inp.exact
    assert inp.certificate.achieved_order == 120  # nothing fits: the 2-closure S_5, said so
    assert "best_effort" in inp.meta and "120" in inp.meta["best_effort"]
    with pytest.raises(ValueError, match="budget"):
        exact_input(alternating(4), budget=-1)


@pytest.mark.parametrize(
    ("option", "values"),
    [
        ("budget", ["x", True, -1, 2.5, None]),
        ("max_growth", ["x", True, 0.5, float("nan"), None]),
        ("max_k", ["x", True, -1, 2.5]),
        ("frames", ["x", True, -1, 2.5]),
        ("max_objects", ["x", True, -1, 2.5, None]),
    ],
)
def test_numeric_options_of_the_search_are_checked_before_it_runs(option, values):
    """A string, a bool or a negative number is named (a string used to give a TypeError from ``>=``)."""
    A4 = alternating(4)
    for value in values:
        with pytest.raises(ValueError, match=f"{option} must be a .*, got {value!r}"):
            exact_input(A4, **{option: value})
    with pytest.raises(ValueError, match="max_growth must be a number >= 1, got 'x'"):
        symmetry_breaking_input("alternating(4)", max_growth="x")
    with pytest.raises(ValueError, match="budget must be a non-negative integer"):
        candidate_orbits(A4, "x")


def test_max_growth_may_be_infinite_and_numpy_numbers_are_accepted():
    A4 = alternating(4)
    assert exact_input(A4, frames=0, max_growth=float("inf")).num_aux == 12  # every size within the budget
    assert exact_input(A4, frames=np.int64(0), max_growth=np.float64(1.0), budget=np.int64(100)).num_aux == 6


def test_incidence_only_encoding_is_not_enough_but_orbitals_are():
    """theory.md §3.3: A_4 with its 2-subsets attached by membership arcs alone gives S_4."""
    G = alternating(4)
    (orb,) = tuple_orbits(G, 2, kind="subsets")
    full = aux_input(G, [orb])
    assert certify(full).exact
    n, N = 4, 4 + orb.size
    incidence = np.zeros((N, N), dtype=np.int64)
    incidence[:n, :n] = full.pair_colors[:n, :n]
    for i, (a, b) in enumerate(orb.members):
        incidence[n + i, [a, b]] = 1000  # y -> its members, one colour
    incidence = np.unique(incidence, return_inverse=True)[1].reshape(N, N)
    weak = type(full)(
        group=G, vertex_colors=full.vertex_colors, pair_colors=incidence, mode="exact", meta=full.meta
    )
    cert = certify(weak)
    assert not cert.exact and cert.achieved_order == 24
    assert len(aut_on_points_vf2(weak)) == 24 and len(aut_on_points_vf2(full)) == 12  # VF2 agrees


def test_tuple_orbits_partition_the_objects():
    G = dihedral(5)
    for kind, total in [
        ("subsets", math.comb(5, 2)),
        ("oriented", 2 * math.comb(5, 3)),
        ("tuples", 5 * 4 * 3),
    ]:
        k = 2 if kind == "subsets" else 3
        orbs = tuple_orbits(G, k, kind=kind)
        assert sum(o.size for o in orbs) == total
        for o in orbs:
            assert G.order() % o.size == 0  # orbit-stabiliser
    with pytest.raises(ValueError, match="kind"):
        tuple_orbits(G, 2, kind="multisets")
    with pytest.raises(ValueError, match="max_objects"):
        tuple_orbits(symmetric(12), 6, kind="tuples")


def _normal_form(obj: tuple[int, ...], kind: str) -> tuple[int, ...]:
    """A k-subset as its sorted tuple; an oriented one as (sorted tuple, parity of the sorting permutation
    plus its class); a tuple as itself."""
    if kind == "tuples":
        return obj
    if kind == "subsets":
        return tuple(sorted(obj))
    pts, cls = obj[:-1], obj[-1]
    inversions = sum(a > b for a, b in itertools.combinations(pts, 2))
    return tuple(sorted(pts)) + ((cls + inversions) % 2,)


@settings(max_examples=40, deadline=None)
@given(small_groups(), st.sampled_from(["subsets", "oriented", "tuples"]), st.integers(1, 4))
def test_tuple_orbits_are_the_orbits_of_the_group_elements(G, kind, k):
    """Against every element of G applied to every object: the same orbits, members in code order,
    orbits ordered by (size, first member)."""
    n = G.degree
    k = min(k, n)
    got = tuple_orbits(G, k, kind=kind)
    kind_seen = "subsets" if kind == "oriented" and k < 2 else kind
    assert all(o.kind == kind_seen for o in got)
    if kind_seen == "tuples":
        objects = set(itertools.permutations(range(n), k))
    else:
        objects = {c + ((o,) if kind_seen == "oriented" else ()) for c in itertools.combinations(range(n), k)
                   for o in ((0, 1) if kind_seen == "oriented" else (0,))}  # fmt: skip
    elems = G.elements().tolist()

    def image(g, obj):
        pts = tuple(g[x] for x in (obj[:-1] if kind_seen == "oriented" else obj))
        return _normal_form(pts + ((obj[-1],) if kind_seen == "oriented" else ()), kind_seen)

    expected = []
    while objects:
        first = min(objects)
        orbit = {image(g, first) for g in elems}
        objects -= orbit
        expected.append(sorted(orbit))
    expected.sort(key=lambda o: (len(o), o[0]))
    assert [o.members.tolist() for o in got] == [[list(t) for t in orb] for orb in expected]


@settings(max_examples=30, deadline=None)
@given(small_groups())
def test_regular_orbit_is_always_exact(G):
    """Theorem A: the orbit of a base tuple (|G| auxiliary vertices) realises G exactly."""
    orb = regular_orbit(G)
    assert orb.size == G.order()
    ext, lifted = extend_group(G, [orb])
    assert ext.order() == G.order() and np.array_equal(lifted[:, : G.degree], G.generators)
    cert = certify(aux_input(G, [orb]))
    assert cert.exact and cert.achieved_order == G.order()


def test_the_oracles_see_what_they_should():
    """The two oracles agree with each other and with known groups (so a broken oracle cannot pass)."""
    c5 = closure_input(cyclic(5))
    assert aut_on_points_brute(c5) == aut_on_points_vf2(c5) == elements(cyclic(5))
    s4 = closure_input(alternating(4))  # the orbital input of A_4 only reaches S_4
    assert len(aut_on_points_brute(s4)) == len(aut_on_points_vf2(s4)) == 24
    # Two auxiliary vertices with the same arcs to the points (VF2 settles the tie): a directed 3-cycle on
    # the points, both joined to every point, and an arc between them that stops their swap.
    tied = np.zeros((5, 5), dtype=np.int64)
    tied[[0, 1, 2], [1, 2, 0]] = 1
    tied[:3, 3:] = 2
    tied[3, 4] = 3

    def on(colours):
        return type(c5)(group=cyclic(3), vertex_colors=np.array([0, 0, 0, 1, 1]), pair_colors=colours, mode="exact")

    assert aut_on_points_vf2(on(tied)) == elements(cyclic(3))
    tied[[0, 1, 2], [1, 2, 0]] = 0  # no cycle: every permutation of the points extends
    assert len(aut_on_points_vf2(on(tied))) == 6


@settings(max_examples=25, deadline=None)
@given(small_groups(max_order=60))
def test_exact_mode_certificate_agrees_with_a_vf2_count(G):
    """The certificate's achieved order is |Aut(v)|Omega| counted by VF2, G lies inside it, and the input
    is exact exactly when the two sets coincide (every group of order <= 200 fits the budget)."""
    inp = exact_input(G, budget=200)
    found = aut_on_points_vf2(inp)
    mine = elements(G)
    assert len(found) == inp.certificate.achieved_order
    assert mine <= found
    assert inp.exact == (found == mine)
    assert inp.exact


@settings(max_examples=25, deadline=None)
@given(small_groups())
def test_closure_certificate_agrees_with_brute_force(G):
    """Orbital input (no auxiliary vertices): the brute-force automorphism group over all n! permutations
    is the 2-closure, and the certificate reports its order."""
    inp = closure_input(G)
    found = aut_on_points_brute(inp)
    cert = certify(inp)
    assert len(found) == cert.achieved_order == two_closure(G).order()
    assert elements(G) <= found
    assert cert.exact == (len(found) == G.order())


def test_best_effort_overgroup_agrees_with_brute_force():
    """A budget too small for A_5: the input returned is certified non-exact, and its achieved order is
    the brute-force count (S_5)."""
    inp = exact_input(alternating(5), budget=5)
    found = aut_on_points_vf2(inp) if inp.num_aux else aut_on_points_brute(inp)
    assert len(found) == inp.certificate.achieved_order == 120
    assert not inp.exact


def test_aux_kinds_restrict_the_search_to_ordered_tuples():
    """Ordered tuples hand each auxiliary vertex its members in order (what a 1-WL-bounded model can use)."""
    inp = symmetry_breaking_input(alternating(6), mode="exact", aux_kinds=("tuples",))
    assert inp.exact and inp.num_aux == 120 and "ordered 3-tuples" in inp.aux_description
    with pytest.raises(ValueError, match="aux_kinds"):
        symmetry_breaking_input(cyclic(5), mode="exact", aux_kinds=("cosets",))
    with pytest.raises(ValueError, match="aux_kinds"):
        exact_input(alternating(5), aux_kinds=())


def test_small_groups_get_their_frames_and_the_switches_restore_the_search():
    """|G| <= frames: the regular orbit (Theorem A), each auxiliary vertex seeing every point in its own colour."""
    O = cube_rotations(on="vertices")
    framed = symmetry_breaking_input(O, mode="exact")
    assert framed.exact and framed.num_aux == O.order() == 24 and "frames" in framed.aux_description
    colours = framed.pair_colors[8:, :8]  # arcs from each auxiliary vertex to the 8 points
    assert all(len(set(row.tolist())) == 8 for row in colours)  # trivial stabilisers: all points told apart
    assert framed.certificate.visibility.visible
    for kwargs in ({"frames": 23}, {"frames": 0}, {"aux_kinds": ("subsets",)}, {"visible": False}):
        assert symmetry_breaking_input(O, mode="exact", **kwargs).num_aux == 12  # the search: the 12 edges
    with pytest.raises(ValueError, match="frames"):
        exact_input(O, frames=-1)


def test_the_search_reaches_kinds_too_large_for_its_first_pass(monkeypatch):
    """M_11's 66 blocks are 5-subsets (462 objects). With a first pass of at most 400 objects they join the
    search once no candidate of at most n^2 = 121 objects is left; with ``max_objects=400`` they never do."""
    import asen.breaking.auxiliary as auxiliary

    G = mathieu(11)
    capped = exact_input(G, max_objects=400)
    assert capped.exact and capped.num_aux > 66  # the 330 4-subsets
    monkeypatch.setattr(auxiliary, "FIRST_PASS_OBJECTS", 400)
    later = exact_input(G)
    assert later.exact and later.num_aux == 66 and later.aux_description == "orbit of 66 5-subsets"
    assert later.certificate.visibility.visible
    with pytest.raises(ValueError, match="max_objects"):
        exact_input(G, max_objects=-1)


def test_mathieu_23_gets_its_253_heptads():
    """The 7-subsets of 23 points (245,157) exceed the first pass; their smallest orbit, the heptads of the
    Steiner system S(4,7,23), realises M_23 (the first pass alone found 1,771 6-subsets)."""
    inp = exact_input(mathieu(23))
    assert inp.exact and inp.certificate.achieved_order == 10_200_960
    assert inp.num_aux == 253 and inp.aux_description == "orbit of 253 7-subsets"
    assert inp.certificate.visibility.visible


def test_the_queue_orders_by_the_first_pass_key_until_an_exact_input_is_known():
    """Before an exact input: the regular orbit waits behind every other candidate, larger ones too. After
    an exact but invisible E: plain size order, so the regular orbit beats any larger union E + S."""
    from asen.breaking.auxiliary import _merged, _unions
    from asen.breaking.gsets import AuxOrbit

    def orbit(kind, m, k=2):
        return AuxOrbit(kind, np.zeros((m, k + (kind == "oriented")), dtype=np.int64))

    E, regular = orbit("oriented", 20, 3), orbit("regular", 24)
    S, big = orbit("subsets", 10), orbit("tuples", 30)
    assert _unions(E, [E, S, big], budget=40) == [[E, S]]  # E + big has 50 > 40 vertices
    first = _merged([[regular]], [[big], [S]], by_size=False)
    assert first == [[S], [big], [regular]]
    later = _merged([[regular]], _unions(E, [S, big], budget=100), by_size=True)
    assert later == [[regular], [E, S], [E, big]]  # sizes 24, 30, 50
