"""Skeleton graph tasks (experiments/graph_data.py) and the graph-selection run (experiments/graph_selection.py)."""

import networkx as nx
import numpy as np
import pytest

from asen.experiments import graph_data as gd
from asen.experiments.graph_selection import label_checks
from asen.experiments.graph_selection import run as run_graph_selection
from asen.groups.automorphisms import automorphism_group
from asen.verify import check_equivariance, check_exact_symmetry


# ----------------------------------------------------------------------------- known facts
def test_skeleton_automorphism_group_is_arms_times_legs():
    g = gd.skeleton_graph()
    assert nx.is_tree(g) and g.number_of_nodes() == 16
    aut = automorphism_group(g)
    assert aut.order() == 4 and aut == gd.skeleton_group("aut")


def test_candidate_subgroup_lattice():
    aut = gd.skeleton_group("aut")
    for name in ("trivial", "arms", "legs", "mirror"):
        assert gd.skeleton_group(name).is_subgroup(aut)
    assert not gd.skeleton_group("arms").is_subgroup(gd.skeleton_group("mirror"))
    assert gd.skeleton_group("sym").order() == np.prod(np.arange(1, 17, dtype=object))


@pytest.mark.parametrize("task", ["gait", "balance"])
def test_true_group_respected_exactly_and_a_larger_one_broken(task):
    X, _ = gd.sample_graph_task(task, 256, seed=3)
    label = gd.GRAPH_TASKS[task][0]
    true = gd.skeleton_group(gd.TRUE_SYMMETRY[task])
    report = check_exact_symmetry(label, true, inputs=[X[:, :, None]], in_axes=1, out_axes="none")
    assert report.passed, report
    larger = "aut" if task == "gait" else "sym"
    broken = check_equivariance(label, gd.skeleton_group(larger), inputs=[X[:, :, None]], in_axes=1, out_axes="none")
    assert not broken.passed


def test_gait_mostly_flips_under_the_arm_swap_and_never_under_the_mirror():
    X, y = gd.sample_graph_task("gait", 400, seed=0)
    arms = gd.skeleton_group("arms").generators[0]
    mirror = gd.skeleton_group("mirror").generators[0]
    assert (gd.gait_label(X[:, np.argsort(arms)]) != y).mean() > 0.6  # (g.x)[g[i]] = x[i]
    assert (gd.gait_label(X[:, np.argsort(mirror)]) == y).all()


def test_samples_are_tie_free_and_balanced():
    for task, (label, margin) in gd.GRAPH_TASKS.items():
        X, y = gd.sample_graph_task(task, 1000, margin=0.2, seed=1)
        assert np.abs(margin(X.astype(np.float64))).min() >= 0.2 - 1e-4
        assert 0.4 < y.mean() < 0.6
        assert (label(X) == y).all()


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match="task"):
        gd.sample_graph_task("walk", 3, seed=0)
    with pytest.raises(ValueError, match="name"):
        gd.skeleton_group("left")


# ----------------------------------------------------------------------------- the run
def test_label_checks_mark_exactly_the_non_subgroups_as_broken():
    rows = label_checks("gait", num_inputs=256)
    by = {r["candidate"]: r for r in rows}
    assert by["mirror"]["exact"] is True
    assert [k for k, r in by.items() if not r["labels_invariant"]] == ["arms", "legs", "aut", "sym"]


def test_quick_run_writes_files_and_verifies_trained_models(tmp_path):
    result = run_graph_selection(quick=True, out_dir=str(tmp_path), progress=False, tasks=("gait",),
                                 symmetries=("trivial", "mirror"), test_size=32, steps=2)
    for f in result["files"]:
        assert (tmp_path / f.split("/")[-1]).exists()
    assert {r["symmetry"] for r in result["trained_checks"]} == {"trivial", "mirror"}
    for r in result["trained_checks"]:  # an ASEN fed an exact input respects exactly its group
        assert r["equivariant"] and r["respected_order"] == r["order"]
