"""Visibility of symmetry-breaking inputs to colour refinement, and the visible-by-default exact search."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from asen.breaking import (
    Visibility,
    aux_input,
    certify,
    closure_input,
    exact_input,
    load,
    save,
    symmetry_breaking_input,
    tuple_orbits,
)
from asen.breaking.files import FORMAT_VERSION, digest, read_metadata
from asen.breaking.visibility import visibility
from asen.cli.main import main
from asen.groups import (
    alternating,
    cube_rotations,
    cyclic,
    dihedral,
    icosahedral_rotations,
    p4,
    symmetric,
)

V1_FILE = Path(__file__).parent.parent / "data" / "symmetry_input_v1_a4.npz"  # written by asen before v2


def exact_orbit_input(G, k, kind, size):
    """The orbital input of G on Omega + the (first) orbit of that kind and size, certified exact."""
    (orb,) = [o for o in tuple_orbits(G, k, kind=kind) if o.size == size][:1]
    inp = aux_input(G, [orb])
    inp.certificate = certify(inp)
    assert inp.exact, orb.describe()
    return inp


# ------------------------------------------------------------------------------------ hand-made cases
@pytest.mark.parametrize("n,k,size", [(6, 3, 40), (7, 3, 70), (8, 4, 140)])
def test_oriented_subsets_of_alternating_groups_are_invisible(n, k, size):
    """Certified exact, yet 1-WL never tells (v, x) from (v, h.x) for a transposition-like witness h:
    a colour-refinement model stays S_n-invariant on these inputs."""
    inp = exact_orbit_input(alternating(n), k, "oriented", size)
    vis = visibility(inp)
    assert vis.num_probes >= 2 and set(vis.sources) == {"witness", "closure"}
    assert vis.rounds == (None,) * vis.num_probes and vis.point_rounds == vis.rounds
    assert vis.decided and vis.closure_invisible and not vis.visible and vis.worst is None
    assert vis.rounds_run <= 2  # the union's partition is stable at once
    assert vis.describe(exact=True) == (
        "exact, but invisible to message passing: a colour-refinement model stays G^(2)-invariant"
    )


def test_small_alternating_oriented_subsets_are_visible():
    """Not every oriented input is invisible: A_5 with its 20 oriented 3-subsets is told apart in 2 rounds."""
    assert visibility(exact_orbit_input(alternating(5), 3, "oriented", 20)).worst == 2


@pytest.mark.parametrize("n,k,size,rounds", [(4, 2, 12, 1), (5, 2, 20, 2), (6, 3, 120, 2), (7, 3, 210, 2)])
def test_ordered_tuples_are_visible(n, k, size, rounds):
    vis = visibility(exact_orbit_input(alternating(n), k, "tuples", size))
    assert vis.visible and vis.worst == rounds
    assert vis.rounds == (rounds,) * vis.num_probes  # every probe alike: A_n^(2) = S_n acts transitively
    assert vis.worst_point == rounds + 1  # the points see it one round later (complete digraph)


def test_the_quoted_rounds_for_cube_and_icosahedron():
    cube = symmetry_breaking_input(cube_rotations(on="vertices"), mode="exact", frames=0)
    assert cube.num_aux == 12 and cube.certificate.visibility.worst == 1  # the 12 edges
    ico = icosahedral_rotations()
    pairs = [o for o in tuple_orbits(ico, 2, kind="tuples") if o.size == 60]
    for orb in pairs:  # both exact orbits of ordered pairs: 1 round
        inp = aux_input(ico, [orb])
        assert certify(inp).exact and visibility(inp).worst == 1
    faces = symmetry_breaking_input(ico, mode="exact", frames=0, max_growth=1)  # the smallest visible: 20 faces
    assert faces.num_aux == 20 and "3-subsets" in faces.aux_description
    assert (faces.certificate.visibility.worst, faces.certificate.visibility.worst_point) == (2, 3)
    edges = symmetry_breaking_input(ico, mode="exact", frames=0)  # the search: up to twice the size for fewer rounds
    assert edges.num_aux == 30 and edges.aux_description == "orbit of 30 2-subsets"
    assert (edges.certificate.visibility.worst, edges.certificate.visibility.worst_point) == (1, 2)
    framed = symmetry_breaking_input(ico, mode="exact")  # the default: |I| = 60 <= DEFAULT_FRAMES
    assert framed.num_aux == 60 and framed.aux_description.startswith("regular orbit of 60 ordered 2-tuples")
    assert (framed.certificate.visibility.worst, framed.certificate.visibility.worst_point) == (1, 2)


@pytest.mark.parametrize("G", [cyclic(6), dihedral(5), symmetric(4), p4(5)], ids=repr)
def test_two_closed_groups_need_zero_extra_rounds(G):
    for mode in ("closure", "exact", "sparse"):
        vis = symmetry_breaking_input(G, mode=mode).certificate.visibility
        assert vis.num_probes == 0 and vis.worst == 0 and vis.visible
    assert visibility(closure_input(G), group=G).num_probes == 0  # no witnesses of G^(2) outside G
    assert "nothing beyond the 2-closure" in vis.summary()


@pytest.mark.parametrize("G", [alternating(5), cube_rotations(on="vertices"), p4(3)], ids=repr)
def test_closure_input_of_a_non_two_closed_group_is_never_visible(G):
    """Every witness of G^(2) is an automorphism of the orbital input: the copies are isomorphic."""
    inp = symmetry_breaking_input(G, mode="closure")
    vis = inp.certificate.visibility
    assert not inp.exact and vis.closure_invisible and vis.rounds == (None,) * vis.num_probes
    assert vis.describe(exact=False).startswith("overgroup only; invisible")


def test_probes_given_by_the_caller():
    inp = symmetry_breaking_input(cube_rotations(on="vertices"), mode="exact")
    G = inp.group
    inside = G.generators[0]  # an automorphism: never told apart
    swap = np.arange(8)
    swap[[0, 1]] = [1, 0]  # a transposition, outside G^(2): the point-point arcs already differ
    vis = visibility(inp, [(inside, "member"), (swap, "transposition")])
    assert vis.sources == ("member", "transposition")
    assert vis.rounds[0] is None and vis.rounds[1] <= 1
    plain = visibility(inp, np.stack([swap]))
    assert plain.sources == ("given",) and plain.rounds == vis.rounds[1:]
    with pytest.raises(ValueError, match="probe"):
        visibility(inp, [[0, 0, 1, 2, 3, 4, 5, 6]])


def test_max_rounds_leaves_the_verdict_open():
    inp = exact_orbit_input(alternating(6), 3, "tuples", 120)  # needs 2 rounds
    cut = visibility(inp, max_rounds=1)
    assert not cut.decided and cut.worst is None and not cut.closure_invisible
    assert cut.summary().startswith("not told apart within 1 rounds")
    assert visibility(inp, max_rounds=2).worst == 2


def test_visibility_records_round_trip_and_refuse_contradictions():
    vis = visibility(exact_orbit_input(alternating(5), 2, "tuples", 20))
    rec = json.loads(json.dumps(vis.to_dict()))
    back = Visibility.from_dict(rec)
    assert back.to_dict() == vis.to_dict()
    for bad, match in [
        ({"worst": 7}, "worst"),
        ({"rounds": [3] * vis.num_probes, "point_rounds": [2] * vis.num_probes}, "before"),
        ({"probes": [[0, 0, 1, 2, 3]] * vis.num_probes}, "permutation"),
        ({"rounds": [1]}, "one probe"),
        ({"rounds": ["2"] * vis.num_probes}, "integers"),
    ]:
        with pytest.raises(ValueError, match=match):
            Visibility.from_dict({**rec, **bad})


# ------------------------------------------------------------------------------------ the exact search
def test_exact_search_prefers_visible_inputs():
    A6 = alternating(6)
    default = symmetry_breaking_input(A6, mode="exact")
    assert default.exact and default.num_aux == 70
    assert default.aux_description == "orbit of 40 oriented 3-subsets + orbit of 30 ordered 2-tuples"
    assert default.certificate.visibility.worst == 2
    smallest = symmetry_breaking_input(A6, mode="exact", visible=False)
    assert smallest.exact and smallest.num_aux == 40 and not smallest.certificate.visibility.visible
    tuples = exact_input(A6, aux_kinds=("tuples",))
    assert tuples.num_aux == 120 and tuples.certificate.visibility.worst == 2


def test_exact_search_falls_back_to_the_smallest_exact_input_honestly():
    A6 = alternating(6)
    regular = exact_input(A6, aux_kinds=("oriented",))  # no oriented input is visible; the regular orbit is
    assert regular.num_aux == 360 and "regular orbit" in regular.aux_description
    assert regular.certificate.visibility.visible
    inp = exact_input(A6, aux_kinds=("oriented",), budget=300)  # nothing exact and visible fits
    assert inp.exact and inp.num_aux == 40
    assert inp.certificate.visibility.closure_invisible
    assert any("no input that is exact and visible" in note for note in inp.certificate.notes)


def test_exact_search_for_a8_stays_small_and_visible():
    inp = symmetry_breaking_input(alternating(8), mode="exact")
    assert (
        inp.exact and inp.num_aux == 476
    )  # 140 oriented 4-subsets + 336 ordered triples (not 1680 4-tuples)
    assert inp.certificate.visibility.worst == 2


def test_groups_whose_smallest_exact_input_is_visible_keep_it():
    for G, size in [(alternating(4), 6), (alternating(5), 20), (cube_rotations(on="vertices"), 12)]:
        a = symmetry_breaking_input(G, mode="exact", frames=0, max_growth=1)
        b = symmetry_breaking_input(G, mode="exact", visible=False)
        assert a.num_aux == b.num_aux == size and a.aux_description == b.aux_description
        assert a.certificate.visibility.visible


def test_max_growth_trades_size_for_fewer_rounds_only_within_its_factor():
    A4 = alternating(4)
    small = symmetry_breaking_input(A4, mode="exact", frames=0, max_growth=1)
    default = symmetry_breaking_input(A4, mode="exact", frames=0)  # 12 ordered pairs: 2 point rounds, not 3
    assert (small.num_aux, small.certificate.visibility.worst_point) == (6, 3)
    assert (default.num_aux, default.certificate.visibility.worst_point) == (12, 2) and default.exact
    assert default.aux_description == "orbit of 12 ordered 2-tuples"
    # already the fewest rounds possible beyond the 2-closure (1 graph round, 2 point rounds): kept
    cube = symmetry_breaking_input(cube_rotations(on="vertices"), mode="exact", frames=0)
    assert cube.num_aux == 12 and cube.certificate.visibility.worst_point == 2
    # A_6's ordered triples (120, 2 rounds) would need the 360 ordered 4-tuples (3x) for 1 round: kept
    assert exact_input(alternating(6), aux_kinds=("tuples",)).num_aux == 120
    with pytest.raises(ValueError, match="max_growth"):
        exact_input(A4, max_growth=0.5)


# ------------------------------------------------------------------------------------ files
def test_certificates_with_visibility_round_trip_through_files(tmp_path):
    for G, kw in [(alternating(6), {}), (alternating(6), {"visible": False}), (dihedral(5), {})]:
        inp = symmetry_breaking_input(G, mode="exact", **kw)
        path = save(inp, tmp_path / "v.npz")
        back = load(path)
        assert back.certificate.visibility is not None
        assert back.certificate.to_dict() == inp.certificate.to_dict()
        meta = read_metadata(path)
        assert meta["version"] == FORMAT_VERSION == 2
        assert meta["certificate"]["visibility"]["worst"] == inp.certificate.visibility.worst


def test_a_version_1_file_still_loads_without_visibility(tmp_path):
    meta = read_metadata(V1_FILE)
    assert meta["version"] == 1 and "visibility" not in meta["certificate"]
    inp = load(V1_FILE)
    assert inp.exact and inp.num_aux == 6 and inp.certificate.visibility is None
    # a version 1 record that claims a visibility is malformed
    path = Path(shutil.copy(V1_FILE, tmp_path / "v1.npz"))
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    m = json.loads(arrays.pop("metadata").tobytes())
    m["certificate"]["visibility"] = visibility(inp).to_dict()
    m["sha256"] = "0" * 64
    m["sha256"] = digest(arrays, json.dumps(m).encode())
    arrays["metadata"] = np.frombuffer(json.dumps(m).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)
    with pytest.raises(ValueError, match="version 1"):
        load(path)


@pytest.mark.parametrize("spec", ["cyclic(3)", "dihedral(6)", "symmetric(4)"])
@pytest.mark.parametrize("mode", ["closure", "exact", "sparse"])
def test_a_2_closed_groups_empty_probes_keep_their_width_through_a_file(tmp_path, capsys, spec, mode):
    """No probes: JSON ``[]`` does not say ``n``; the loaded record has the ``(0, n)`` probes of a fresh one,
    so ``asen certify`` finds the stored visibility record agrees with the recomputed one."""
    inp = symmetry_breaking_input(spec, mode=mode)
    n = inp.num_points
    assert inp.certificate.visibility.probes.shape == (0, n)
    path = save(inp, tmp_path / "g.npz")
    assert load(path).certificate.visibility.probes.shape == (0, n)
    assert main(["certify", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["visibility_record"] == "agrees" and info["visibility"]["probes"] == 0


def test_from_dict_checks_the_probes_against_the_number_of_points():
    vis = visibility(exact_orbit_input(alternating(5), 2, "tuples", 20))
    assert Visibility.from_dict(vis.to_dict(), num_points=5).to_dict() == vis.to_dict()
    with pytest.raises(ValueError, match="visibility probes must have 6 columns, got 5"):
        Visibility.from_dict(vis.to_dict(), num_points=6)


def test_a_loaded_inputs_exact_flag_does_not_skip_the_probes(tmp_path):
    # without auxiliary vertices the probes are skipped for an exact input (its group is 2-closed), but a
    # file's flag is its writer's claim: A_5's orbital input marked exact must still show it is seen never
    inp = load(save(symmetry_breaking_input(alternating(5), mode="closure"), tmp_path / "a5.npz"))
    inp.certificate.exact = True
    vis = visibility(inp)
    assert vis.probes.shape[0] > 0 and vis.worst is None
