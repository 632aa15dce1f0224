"""Non-2-closed tasks (experiments/closure_data.py) and the beyond-closure run (experiments/beyond_closure.py)."""

import itertools
import numpy as np
import pytest

from asen.breaking import closure_witnesses, two_closure
from asen.experiments import closure_data as cd
from asen.experiments.beyond_closure import run as run_beyond_closure
from asen.groups import act, mathieu, symmetric
from asen.verify import check_equivariance, check_exact_symmetry


# ----------------------------------------------------------------------------- known facts
def test_sign_label_known_values():
    X = np.array([[0.1, 0.2, 0.3], [0.2, 0.1, 0.3], [0.2, 0.3, 0.1]])
    assert cd.sign_label(X).tolist() == [0.0, 1.0, 0.0]


@pytest.mark.parametrize("n", [6, 7, 8])
def test_sign_respects_exactly_alternating_not_symmetric(n):
    X, _ = cd.sample_closure_task("sign", 48, n=n, seed=n)
    G = cd.closure_task_group("sign", n)
    assert two_closure(G).order() != G.order()  # A_n is not 2-closed: its closure is S_n
    report = check_exact_symmetry(cd.sign_label, G, inputs=[X], in_axes=1, out_axes="none")
    assert report.passed and report.respected_order == G.order()
    assert not check_equivariance(cd.sign_label, symmetric(n), inputs=[X], in_axes=1, out_axes="none").passed


def test_chirality_respects_rotations_and_reflections_flip_it():
    X, y = cd.sample_closure_task("chirality", 64, seed=2)
    O = cd.closure_task_group("chirality")
    assert two_closure(O).order() == 48
    assert check_exact_symmetry(cd.chirality_label, O, inputs=[X], in_axes=1, out_axes="none").passed
    for h in closure_witnesses(O):  # every reflection of the cube reverses every label
        assert (cd.chirality_label(act(h, X, axis=1)) == 1 - y).all()


@pytest.mark.parametrize("p", [5, 7])
def test_handedness_respects_exactly_psl2_and_a_transposition_flips_it(p):
    X, y = cd.sample_closure_task("handedness", 96, n=p + 1, seed=p)
    G = cd.closure_task_group("handedness", p + 1)
    assert G.order() == (p**3 - p) // 2 and two_closure(G).order() == np.prod(np.arange(1, p + 2))  # S_{p+1}
    report = check_exact_symmetry(cd.handedness_label, G, inputs=[X], in_axes=1, out_axes="none")
    assert report.passed and report.respected_order == G.order()
    swap = np.arange(p + 1)
    swap[[0, 1]] = [1, 0]  # odd on the marked pair (0, 1): in PGL(2, p) \ PSL(2, p) only for some triples
    moved = cd.handedness_label(act(swap, X, axis=1))
    assert 0 < (moved != y).sum() < len(y) and 0.35 < y.mean() < 0.65


@pytest.mark.parametrize("p", [5, 11])
def test_ratio_respects_exactly_the_affine_group_and_a_transposition_moves_it(p):
    X, y = cd.sample_closure_task("ratio", 120, n=p, seed=p)
    G = cd.closure_task_group("ratio", p)
    assert G.order() == p * (p - 1) and two_closure(G).order() == np.prod(np.arange(1, p + 1))  # S_p
    report = check_exact_symmetry(cd.ratio_label, G, inputs=[X], in_axes=1, out_axes="none")
    assert report.passed and report.respected_order == G.order()
    swap = np.arange(p)
    swap[[0, 1]] = [1, 0]  # not affine: moves the ratio of some marked triples to the other square class
    moved = cd.ratio_label(act(swap, X, axis=1))
    assert 0 < (moved != y).sum() < len(y) and 0.3 < y.mean() < 0.7
    r, g, b = X[0, :, 1:4].argmax(0)
    ratio = (b - r) * pow(int(g - r) % p, p - 2, p) % p
    assert y[0] == int(any(k * k % p == ratio for k in range(1, p)))  # the definition, one sample


@pytest.mark.parametrize("spec", ["psl2(5)", "affine_line(5)", "direct_product(alternating(4),cyclic(3))"])
def test_orbit_task_respects_its_group_and_its_closure_mixes_the_classes(spec):
    G, tuples, classes = cd.orbit_split(spec)
    k = tuples.shape[1]
    assert len(set(classes.tolist())) >= 2 and two_closure(G).order() > G.order()
    X, y = cd.sample_closure_task("orbit", 96, group=spec, seed=1)
    assert X.shape == (96, G.degree, k + 2) and y.tolist() == cd.orbit_label(X, spec).tolist()
    label = lambda x: cd.orbit_label(x, spec)
    if G.is_transitive():  # on an intransitive group the marks may miss an orbit, which is then free to move
        report = check_exact_symmetry(label, G, inputs=[X], in_axes=1, out_axes="none")
        assert report.passed and report.respected_order == G.order()
    else:
        assert check_equivariance(label, G, inputs=[X], in_axes=1, out_axes="none").passed
    witness = next(h for h in two_closure(G).generators if not G.contains(h))  # in G^(2), not in G
    moved = cd.orbit_label(act(witness, X, axis=1), spec)  # still in the same closure orbit: a label exists
    assert (moved != y).any()


def test_orbit_task_needs_a_group_beyond_its_closure_and_labels_foreign_tuples_minus_one():
    with pytest.raises(ValueError, match="2-closed"):
        cd.orbit_split("dihedral(6)")
    with pytest.raises(ValueError, match="needs group="):
        cd.sample_closure_task("orbit", 2, seed=0)
    with pytest.raises(ValueError, match=r"shape \(B, 6, 5\)"):
        cd.orbit_label(np.zeros((1, 6, 4)), "psl2(5)")
    G, tuples, _ = cd.orbit_split("cube_rotations()")  # 48 of the 336 ordered triples of cube vertices
    inside = {tuple(t) for t in tuples.tolist()}
    outside = next(t for t in itertools.permutations(range(8), 3) if t not in inside)
    X = cd.sample_closure_task("orbit", 1, group="cube_rotations()", seed=0)[0]
    X[0, :, 1:4] = 0
    X[0, list(outside), [1, 2, 3]] = 1
    assert cd.orbit_label(X, "cube_rotations()").tolist() == [-1.0]  # not a tuple of the task


def test_samples_have_distinct_tokens_and_both_labels():
    X, y = cd.sample_closure_task("sign", 200, n=7, seed=0)
    tokens = X.argmax(-1)
    assert X.shape == (200, 7, 9) and all(len(set(t)) == 7 for t in tokens)
    assert 0.35 < y.mean() < 0.65
    X, y = cd.sample_closure_task("chirality", 200, seed=0)
    assert (X[:, :, 1:4].sum(1) == 1).all() and 0.35 < y.mean() < 0.65


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match="task"):
        cd.sample_closure_task("parity", 2, seed=0)
    with pytest.raises(ValueError, match="alphabet"):
        cd.sample_closure_task("sign", 2, n=5, alphabet=3, seed=0)
    with pytest.raises(ValueError, match="odd prime p, got n=9"):
        cd.sample_closure_task("handedness", 2, n=9, seed=0)
    with pytest.raises(ValueError, match="prime p >= 5, got n=9"):
        cd.sample_closure_task("ratio", 2, n=9, seed=0)


# ----------------------------------------------------------------------------- the run
def test_quick_run_verifies_that_the_closure_input_respects_the_closure(tmp_path):
    result = run_beyond_closure(quick=True, out_dir=str(tmp_path), progress=False, chiral=(),
                                models=("asen-closure", "asen-exact", "asen-frames", "mlp"), steps=2)
    assert {f.split("/")[-1] for f in result["files"]} <= {p.name for p in tmp_path.iterdir()}
    by = {r["model"]: r for r in result["verify"]}
    assert by["asen-closure"]["respected_order"] == 720  # orbital input: S_6 = the 2-closure of A_6
    assert by["asen-closure"]["closure_gap"] < 1e-9
    assert by["asen-exact"]["equivariant_to_G"]  # the exact input keeps A_6 equivariance
    assert by["asen-frames"]["equivariant_to_G"]  # so do the sparse frames
    assert not by["mlp"]["equivariant_to_G"]
    assert set(result["headline"]) == {"sign-A6 asen-closure", "sign-A6 asen-exact", "sign-A6 asen-frames"}


def test_model_input_gives_each_model_its_input_and_refuses_unknown_models():
    from asen.experiments.beyond_closure import model_input

    O = cd.closure_task_group("chirality")
    exact = model_input("asen-exact", O, 8)
    assert exact.exact and exact.num_aux == 24  # the directed cube edges: ordered pairs
    assert model_input("gatv2-closure", O, 8).certificate.achieved_order == 48  # the 2-closure O_h
    assert model_input("mlp", O, 8).num_aux == 0
    assert model_input("default-exact", O, 8).num_aux == 24  # |O| = 24 <= DEFAULT_FRAMES: the frames
    assert model_input("default-exact", O, 8, frames=0).num_aux == 12  # the search: the 12 edges
    frames = model_input("asen-frames", cd.closure_task_group("sign", 6), 6)
    assert frames.exact and frames.num_aux == 360 and frames.mode == "sparse"
    capped = model_input("asen-frames", cd.closure_task_group("sign", 6), 6, sparse_frames=100)
    assert capped.exact and capped.num_aux < 360  # |A_6| = 360 > 100 frames: the search's input instead
    m11 = model_input("default-frames", mathieu(11), 11, sparse_frames=8000)  # past DEFAULT_SPARSE_FRAMES
    assert m11.exact and m11.num_aux == 7920 and m11.stored_as_arcs
    for bad in ("8000", -1, 2.5, True):
        with pytest.raises(ValueError, match="sparse_frames must be a non-negative integer"):
            model_input("asen-frames", O, 8, sparse_frames=bad)
    with pytest.raises(ValueError, match="model must be one of"):
        model_input("asen", O, 8)


def test_default_options_reach_the_default_models_and_unknown_keys_are_refused():
    from asen.experiments.beyond_closure import FULL, build_net, default_options, model_input
    from asen.experiments.selection_common import tensor_task

    cfg = {**FULL, "width": 8, "default_options": {"point_color_init": "scaled"}}
    O = cd.closure_task_group("chirality")
    X, y = cd.sample_closure_task("chirality", 4, n=8, seed=0)
    task = tensor_task("chirality", X, y, X, y, num_classes=2, symmetry="default_exact")
    net = build_net("default-exact", task, model_input("default-exact", O, 8), cfg, seed=0)
    assert net.config["point_color_init"] == "scaled"
    net = build_net("asen-frames", task, model_input("asen-frames", O, 8), cfg, seed=0)
    assert (net.config["base"], net.config["num_layers"], net.config["point_color_init"]) == (
        "orbital_sum", FULL["num_layers"], "scaled")
    assert default_options(FULL) == {}
    with pytest.raises(ValueError, match="DEFAULT_INIT"):
        default_options({**FULL, "default_options": {"colour_init_std": 0.05}})  # the British spelling is no key


def test_closure_gaps_of_the_default_body_separate_the_exact_input_from_the_closure_input():
    from asen.experiments.beyond_closure import closure_gaps

    rows = closure_gaps(sign_sizes=(), chiral=("O",), bases=("default",), num_inputs=8, width=16)
    by = {r["input"]: r for r in rows}
    assert {r["body"] for r in rows} == {"default"} and set(by) == {"closure", "exact"}
    assert by["closure"]["closure_gap"] < 1e-9  # the orbital input: O_h-invariant whatever the weights
    assert by["exact"]["closure_gap"] > 1e-3 * by["exact"]["output_scale"]  # the exact input breaks O_h at init
