"""Sequence tasks: known labels first, then every task's labels against its group and a larger one.

The symmetry checks run :mod:`asen.verify` on each label function itself, with the task's own
(tie-free) samples as inputs: the labels must be equivariant (per-position) or invariant
(whole-sequence) under the true group, respect no tested permutation outside it, and break the
larger group named with the task.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.experiments.sequence_tasks import PER_POSITION, TASKS, WHOLE_SEQUENCE, generate, task_data
from asen.groups import act
from asen.groups.spec import parse
from asen.verify import check_equivariance, check_exact_symmetry


def test_task_lists_match_the_issue():
    assert len(PER_POSITION) == 9 and len(WHOLE_SEQUENCE) == 5
    assert all(TASKS[k].n == 10 for k in PER_POSITION) and all(TASKS[k].n == 8 for k in WHOLE_SEQUENCE)
    groups = {k: TASKS[k].group() for k in TASKS}
    assert groups["max_alternating_sum"].order() == 10 and groups["max_window_product"].order() == 20
    assert groups["target_sum"].order() == 2 * 120**2 and groups["halves_intersection"].order() == 2 * 24**2
    assert groups["detect_capital"].order() == 5040 and groups["sort_sign"].order() == 20160
    assert groups["palindrome_formable"].order() == 40320 and groups["palindrome_window"].order() == 2


@pytest.mark.parametrize(
    "name, tokens, expected",
    [
        ("palindrome_window", [0, 1, 2, 2, 1, 0, 2, 1, 2, 0], [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
        ("longest_constant_run", [0, 1, 1, 1, 1, 2, 2, 0, 1, 2], [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
        ("longest_monotone_run", [5, 5, 9, 7, 4, 2, 1, 1, 3, 3], [0, 0, 1, 1, 1, 1, 1, 0, 0, 0]),
        ("max_window_sum", [9, 9, 0, 0, 1, 0, 0, 0, 9, 9], [1, 1, 0, 0, 0, 0, 0, 0, 1, 1]),
        ("max_alternating_sum", [0, 9, 0, 9, 0, 0, 0, 0, 0, 0], [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
        ("set_intersection", [0, 1, 2, 3, 4, 4, 5, 6, 7, 0], [1, 0, 0, 0, 1, 1, 0, 0, 0, 1]),
        ("symmetric_difference", [0, 1, 2, 3, 4, 4, 5, 6, 7, 0], [0, 1, 1, 1, 0, 0, 1, 1, 1, 0]),
        ("target_sum", [0, 1, 2, 3, 4, 9, 5, 6, 7, 0], [1, 0, 1, 1, 1, 1, 1, 1, 1, 0]),
        ("palindrome_formable", [0, 0, 1, 2, 3, 4, 5, 5], 5),
        ("detect_capital", [7, 0, 1, 2, 3, 4, 0, 1], 2),
        ("detect_capital", [7, 0, 1, 7, 3, 4, 0, 1], 3),
        ("halves_intersection", [0, 1, 2, 3, 3, 2, 7, 6], 2),
        ("max_window_sum_value", [4, 4, 0, 0, 0, 0, 4, 4], 16),
        ("sort_sign", [1, 0, 2, 3, 4, 5, 6, 7], 1),
    ],
)
def test_known_labels(name, tokens, expected):
    x = np.array([tokens])
    assert TASKS[name].valid(x).all()
    assert np.array_equal(TASKS[name].labels(x)[0], np.array(expected))


def test_ties_are_rejected():
    assert not TASKS["max_window_sum"].valid(np.zeros((1, 10), dtype=int)).any()
    assert not TASKS["longest_constant_run"].valid(np.array([[0, 0, 0, 0, 1, 2, 2, 2, 2, 1]])).any()
    assert not TASKS["set_intersection"].valid(np.array([[0, 0, 1, 2, 3, 4, 5, 6, 7, 8]])).any()
    assert not TASKS["sort_sign"].valid(np.array([[0, 0, 1, 2, 3, 4, 5, 6]])).any()


def test_generators_are_seeded_valid_and_do_not_share_inputs():
    a, ya = generate("set_intersection", 50, seed=3)
    b, yb = generate("set_intersection", 50, seed=3)
    c, _ = generate("target_sum", 50, seed=3)  # same seed, same sampler family: different stream
    assert np.array_equal(a, b) and np.array_equal(ya, yb) and not np.array_equal(a, c)
    assert TASKS["set_intersection"].valid(a).all()
    data = task_data("sort_sign", train=20, test=10, seed=0)
    assert (
        data.x_train.shape == (20, 8, 10) and data.y_test.shape == (10,) and data.symmetry == "alternating(8)"
    )


@pytest.mark.parametrize("name", list(TASKS))
def test_labels_have_exactly_the_true_group(name):
    task = TASKS[name]
    tokens, _ = generate(task, 24, seed=1)
    examples = [tokens[i : i + 1, :, None].astype(float) for i in range(len(tokens))]
    out_axes = 1 if task.head == "point" else "none"
    fn = task.label_function()
    report = check_exact_symmetry(fn, task.group(), examples, out_axes=out_axes, seed=0)
    assert report.passed, str(report)
    assert report.respected_order == task.group().order()
    if task.larger_spec is None:  # the true group is S_n: nothing larger to break
        assert task.group().order() == parse(f"symmetric({task.n})").order()
    else:
        larger = check_equivariance(fn, parse(task.larger_spec), examples, out_axes=out_axes, seed=0)
        assert not larger.passed


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(list(TASKS)), st.integers(0, 2**31 - 1))
def test_labels_follow_random_group_elements(name, seed):
    task = TASKS[name]
    G = task.group()
    tokens, labels = generate(task, 4, seed=seed)
    g = G.random_element(seed=seed)
    moved = act(g, tokens, axis=1)
    assert task.valid(moved).all()
    expected = act(g, labels, axis=1) if task.head == "point" else labels
    assert np.array_equal(task.labels(moved), expected)
