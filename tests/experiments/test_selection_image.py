"""8x8 digits with grid groups (experiments/image_data.py), the image-selection run and the EMLP comparison."""

import numpy as np
import pytest
import torch

from asen.experiments import image_data as imd
from asen.experiments.emlp_comparison import matched_width
from asen.experiments.emlp_comparison import run as run_emlp
from asen.experiments.image_selection import run as run_image_selection
from asen.experiments.selection_common import tensor_task
from asen.experiments.selection_models import (
    CNNReference,
    activation_bytes,
    make_asen,
    model_function,
    num_parameters,
    symmetry_input,
)
from asen.groups import grid_rotations


# ----------------------------------------------------------------------------- known facts
def test_digits_and_groups():
    X, y = imd.load_digit_images()
    assert X.shape == (1797, 64) and set(y.tolist()) == set(range(10)) and 0 <= X.min() and X.max() == 1
    orders = {k: imd.image_group(k).order() for k in ("trivial", "torus", "c4", "d4", "p4", "p4m")}
    assert orders == {"trivial": 1, "torus": 64, "c4": 4, "d4": 8, "p4": 256, "p4m": 512}
    assert imd.image_group("c4").is_subgroup(imd.image_group("p4"))
    assert imd.image_group("d4").is_subgroup(imd.image_group("p4m"))


def test_rotated_condition_moves_images_by_quarter_turns():
    split = imd.image_split("rotated", train_size=50, test_size=50, seed=0)
    X, _ = imd.load_digit_images()
    originals = {tuple(np.round(x, 4)) for x in X}
    rots = [np.rot90(x.reshape(8, 8), k).reshape(-1) for x in split.X_train for k in range(4)]
    assert sum(tuple(np.round(r, 4)) in originals for r in rots) >= 50  # each is a turn of a digit
    assert split.X_train.shape == (50, 64) and split.X_test.shape == (50, 64)


def test_test_set_is_shared_across_seeds():
    a = imd.image_split("p4m", train_size=20, test_size=30, seed=0)
    b = imd.image_split("p4m", train_size=20, test_size=30, seed=5)
    assert np.array_equal(a.X_test, b.X_test) and not np.array_equal(a.X_train, b.X_train)


def test_augment_keeps_each_image_histogram():
    X, _ = imd.load_digit_images()
    moved = imd.augment(X[:20], imd.image_group("p4m"), seed=1)
    assert np.allclose(np.sort(moved, 1), np.sort(X[:20], 1))


def test_bad_condition_names_it():
    with pytest.raises(ValueError, match="condition"):
        imd.image_split("sheared")


# ----------------------------------------------------------------------------- models
def test_models_share_the_asen_call_and_c4_input_is_invariant():
    X = np.random.default_rng(0).random((4, 64)).astype(np.float32)
    task = tensor_task("d", X, np.zeros(4, int), X, np.zeros(4, int), num_classes=10, symmetry="c4")
    net = make_asen(task, symmetry_input(grid_rotations(8), mode="exact"), width=8, num_layers=1, heads=2)
    fn = model_function(net, task)
    x = task.x_train
    turned = x[:, np.argsort(grid_rotations(8).generators[0])]
    assert torch.allclose(fn(x), fn(turned), atol=1e-5)
    assert CNNReference(10)(x, "ignored").shape == (4, 10)
    assert activation_bytes(fn, net, x) > 0 and num_parameters(net) > 0


def test_matched_width_is_closest():
    w, p = matched_width(lambda w: torch.nn.Linear(w, w), 400)
    assert (w, p) == (20, 420)


# ----------------------------------------------------------------------------- the runs
def test_image_selection_quick(tmp_path):
    result = run_image_selection(quick=True, out_dir=str(tmp_path), progress=False, steps=2)
    names = {p.name for p in tmp_path.iterdir()}
    assert {"image_selection.csv", "image_selection_by_symmetry.png", "image_selection_by_size.png"} <= names
    assert {r["model"] for r in result["summary"]} == {"trivial", "c4", "s64", "cnn", "positional"}


def test_emlp_comparison_quick_matches_parameters(tmp_path):
    result = run_emlp(quick=True, out_dir=str(tmp_path), progress=False, image=False, steps=2)
    params = {r["model"]: r["mean"] for r in result["summary"] if r["metric"] == "params"}
    assert abs(params["emlp"] - params["asen"]) / params["asen"] < 0.1
    assert (tmp_path / "emlp_comparison.png").exists()
