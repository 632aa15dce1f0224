"""check_equivariance: known verdicts first (numpy and torch), then options, errors, reports, properties."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from verify_models import BatchNormSet, Centered, DeepSets, DropoutModule, PositionBias

from asen.groups import PermGroup, cycle_notation
from asen.groups.catalogue import cyclic, dihedral, symmetric, trivial
from asen.groups.geometric import grid_rotations
from asen.verify import EquivarianceReport, FunctionCallError, check_equivariance
from asen.verify.strategies import groups, point_features

KERNEL = np.array([0.5, -1.0, 2.0])


def conv(x):
    """Circular convolution along axis 1: C_n-equivariant, not D_n."""
    return sum(w * np.roll(x, k, axis=1) for k, w in enumerate(KERNEL))


def deepsets(x):
    return np.tanh(x - 0.7 * x.mean(axis=1, keepdims=True))


# ----------------------------------------------------------------------------- known verdicts
def test_circular_convolution_is_c_n_equivariant_exactly():
    r = check_equivariance(conv, cyclic(7), shapes=(1, 7, 2))
    assert r.passed and r.max_abs_error == 0.0 and r.precision == "float64"
    assert r.num_elements == 7 and r.num_checks == 8 * 7  # a group this small is checked in full


def test_circular_convolution_fails_for_the_dihedral_group_at_a_reflection():
    r = check_equivariance(conv, dihedral(7), shapes=(1, 7, 2))
    assert not r.passed
    g = np.array(r.counterexample.element)
    assert not cyclic(7).contains(g) and dihedral(7).contains(g)


def test_position_bias_shrinks_to_all_zeros_and_a_transposition():
    bias = np.random.default_rng(0).normal(size=(1, 6, 1))
    r = check_equivariance(lambda x: deepsets(x) + bias, symmetric(6), shapes=(1, 6, 3))
    c = r.counterexample
    assert not r.passed and np.all(c.inputs[0] == 0)
    assert len(cycle_notation(np.array(c.element)).split(",")) == 2  # a transposition
    assert c.abs_error == pytest.approx(abs(c.expected - c.got))


def test_torch_modules_pass_and_fail_and_keep_their_training_mode():
    torch.manual_seed(0)
    good, bad = DeepSets().train(), PositionBias().train()
    r = check_equivariance(good, symmetric(10))
    assert r.passed and r.precision == "float32" and good.training
    assert r.max_ratio < 0.1  # float32 rounding sits well inside the allowance
    assert not check_equivariance(bad, cyclic(10)).passed and bad.training


def test_float64_flag_evaluates_a_float64_copy():
    torch.manual_seed(0)
    m = DeepSets()
    r = check_equivariance(m, symmetric(10), float64=True)
    assert r.passed and r.precision == "float64" and r.rtol == 1e-9 and r.max_ratio < 1e-3
    assert next(m.parameters()).dtype == torch.float32


# ----------------------------------------------------------------------------- inputs and actions
def test_user_examples_numpy_and_torch():
    x = np.random.default_rng(1).normal(size=(2, 5, 3))
    assert check_equivariance(deepsets, symmetric(5), [x, x[:1]]).num_inputs == 2
    assert check_equivariance(deepsets, symmetric(5), x).num_inputs == 1
    r = check_equivariance(lambda t: torch.tanh(t - t.mean(1, keepdim=True)), symmetric(5), [torch.tensor(x)])
    assert r.passed and r.precision == "float64"


def test_two_arguments_with_different_actions():
    def message_passing(x, A):  # node features and adjacency: S_n-equivariant
        return np.tanh(A @ x + x)

    r = check_equivariance(message_passing, symmetric(6), in_axes=["1", "1,2"], shapes=[(1, 6, 3), (1, 6, 6)])
    assert r.passed and r.in_axes == ["1", "1,2"]
    broken = lambda x, A: np.tanh(A @ x[:, ::-1] + x)
    assert not check_equivariance(
        broken, symmetric(6), in_axes=["1", "1,2"], shapes=[(1, 6, 3), (1, 6, 6)]
    ).passed


def test_tuple_outputs_with_an_invariant_one():
    def fn(x):
        return deepsets(x), x.sum(axis=1)

    r = check_equivariance(fn, symmetric(5), out_axes=["1", "none"], shapes=(1, 5, 2))
    assert r.passed and r.out_axes == ["1", "none"]
    assert not check_equivariance(fn, symmetric(5), out_axes=["1", "1"], shapes=(1, 5, 5)).passed


def test_axes_a_callable_declares_are_its_defaults():
    class Pooled:
        """Sum over the points: invariant, so its output has no point axis; it says so itself."""

        out_axes = "none"

        def __call__(self, x):
            return x.sum(axis=1)

    assert check_equivariance(Pooled(), symmetric(5), shapes=(1, 5, 2)).passed
    report = check_equivariance(Pooled(), symmetric(5), shapes=(1, 5, 5), out_axes=1)  # the call's axes win
    assert not report.passed and report.out_axes == ["1"]


def test_images_flattened_row_major():
    def rotation_average(x):  # (batch, h, w, c), invariant under 90 degree turns, so equivariant
        return sum(np.rot90(x, k, axes=(1, 2)) for k in range(4))

    G = grid_rotations(4)
    assert check_equivariance(rotation_average, G, in_axes="1*2", shapes=(1, 4, 4, 2)).passed
    shift = lambda x: x + np.roll(x, 1, axis=2)
    assert not check_equivariance(shift, G, in_axes="1*2", shapes=(1, 4, 4, 2)).passed


def test_without_a_batch_axis():
    calls = []

    def fn(x):
        calls.append(x.shape)
        return deepsets(x)

    r = check_equivariance(fn, symmetric(4), batch_axis=None, shapes=(4, 2), num_inputs=3)
    assert r.passed and set(calls) == {(4, 2)}


def test_hypothesis_strategy_inputs_are_searched_and_shrunk():
    G = symmetric(5)
    assert check_equivariance(deepsets, G, point_features(G, features=2), num_inputs=10).passed
    bias = np.arange(5.0)[None, :, None]
    r = check_equivariance(lambda x: x + bias, G, point_features(G, features=2), num_inputs=10)
    assert not r.passed and r.counterexample.family == "hypothesis (shrunk)"
    assert np.all(r.counterexample.inputs[0] == 0)


def test_a_module_left_in_training_mode_with_dropout_fails_by_default():
    torch.manual_seed(0)
    m = DropoutModule()  # a fresh module is in training mode
    r = check_equivariance(m, symmetric(10))
    assert not r.passed and r.random_in_train_mode and r.counterexample is None
    assert "RANDOM IN TRAINING MODE" in str(r) and m.training
    assert check_equivariance(m, symmetric(10), train=False).passed
    assert check_equivariance(m.eval(), symmetric(10)).passed


def test_batch_norm_in_training_mode_passes_and_its_statistics_stay_untouched():
    torch.manual_seed(0)
    m = BatchNormSet()
    before = m.bn.running_mean.clone(), int(m.bn.num_batches_tracked)
    r = check_equivariance(m, symmetric(10))
    assert r.passed and not r.random_in_train_mode
    assert torch.equal(m.bn.running_mean, before[0]) and int(m.bn.num_batches_tracked) == before[1]


# ----------------------------------------------------------------------------- precision zones
def test_borderline_results_are_settled_in_float64():
    # rtol=1e-7 puts float32 rounding (about 1e-7 of the output) in the borderline zone
    m = Centered()
    r = check_equivariance(m, symmetric(10), rtol=1e-7)
    assert r.passed and r.checked_in_float64 > 0
    r = check_equivariance(m, symmetric(10), rtol=1e-7, confirm=False)
    assert r.checked_in_float64 == 0 and any("borderline" in n for n in r.notes)


def test_a_1e3_leak_under_large_outputs_is_caught_by_the_float64_recheck():
    class LeakyBig(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.pos = torch.nn.Parameter(torch.randn(10, 1))

        def forward(self, x):
            return 300 * (x - x.mean(1, keepdim=True)) + 1e-3 * self.pos

    torch.manual_seed(0)
    r = check_equivariance(LeakyBig(), symmetric(10))
    assert not r.passed and r.checked_in_float64 > 0


# ----------------------------------------------------------------------------- diagnostics
def test_nondeterminism_is_reported():
    rng = np.random.default_rng(0)
    r = check_equivariance(lambda x: x + 0.1 * rng.normal(size=x.shape), symmetric(4), shapes=(1, 4, 2))
    assert not r.passed and not r.deterministic
    assert "NOT DETERMINISTIC" in str(r)


def test_pooling_over_the_batch_axis_is_reported_as_batch_dependence():
    r = check_equivariance(lambda x: x + x.mean(axis=0, keepdims=True), symmetric(5), shapes=(1, 5, 2))
    assert not r.passed and r.deterministic and not r.batch_independent
    assert r.counterexample.kind == "batch" and "BATCH-DEPENDENT" in str(r)


# ----------------------------------------------------------------------------- reports
def test_report_round_trips_through_json_and_reads_well():
    r = check_equivariance(lambda x: x * np.arange(5.0)[None, :, None], cyclic(5), shapes=(1, 5, 2))
    d = json.loads(json.dumps(r.to_dict()))
    back = EquivarianceReport.from_dict(d)
    assert back.to_dict() == r.to_dict()
    text = str(r)
    for word in ("FAILED", "max error", "worst element", "counterexample", "g.fn(x)", r.worst_cycles):
        assert word in text
    assert "PASSED" in str(check_equivariance(conv, cyclic(5), shapes=(1, 5, 2)))


def test_validate_rejects_contradictions():
    r = check_equivariance(conv, cyclic(5), shapes=(1, 5, 2))
    d = r.to_dict()
    d["max_ratio"] = 3.0
    with pytest.raises(ValueError, match="max_ratio"):
        EquivarianceReport.from_dict(d)


# ----------------------------------------------------------------------------- errors
def test_clear_errors():
    with pytest.raises(TypeError, match="fn must be callable"):
        check_equivariance(3, cyclic(4))
    with pytest.raises(TypeError, match="group must be"):
        check_equivariance(conv, [[1, 0]])
    with pytest.raises(ValueError, match="degree 4"):
        check_equivariance(conv, cyclic(4), [np.zeros((1, 5, 2))])
    with pytest.raises(ValueError, match="names axis 3"):
        check_equivariance(conv, cyclic(4), in_axes=3, shapes=(1, 4, 2))
    with pytest.raises(ValueError, match="pass shapes="):
        check_equivariance(conv, cyclic(4), in_axes="1*2")
    with pytest.raises(ValueError, match="inputs is empty"):
        check_equivariance(conv, cyclic(4), [])
    with pytest.raises(ValueError, match="num_inputs"):
        check_equivariance(conv, cyclic(4), num_inputs=0)
    with pytest.raises(FunctionCallError, match="raised"):
        check_equivariance(lambda x: x @ np.ones((3, 3)), cyclic(4), shapes=(1, 4, 2))
    with pytest.raises(ValueError, match="output 0"):
        check_equivariance(lambda x: x.sum(axis=1), cyclic(4), shapes=(1, 4, 2))


def test_group_specs_are_accepted():
    assert check_equivariance(conv, "cyclic(6)", shapes=(1, 6, 1)).group == "cyclic(6)"


def test_a_group_on_no_points_is_refused_clearly():
    with pytest.raises(ValueError, match="a group on no points has nothing to check"):
        check_equivariance(lambda x: x, PermGroup([], 0))


def _inf_at_point_2(x):
    return np.where(np.arange(6)[None, :, None] == 2, np.inf, x)


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (lambda x: x * np.nan, r"NaN in output 0 at index \(0, 0, 0\) \(and 23 more entries\) for input 0"),
        (_inf_at_point_2, r"inf in output 0 at index \(0, 2, 0\) \(and 3 more entries\) for input 0"),
        (lambda x: x / x.sum(axis=1, keepdims=True), r"NaN in output 0 .* for input 5 \(family 'sparse'\)"),
    ],
)
def test_non_finite_outputs_on_finite_inputs_raise_instead_of_passing(fn, match):
    """NaN == NaN used to count as agreement: an all-NaN function passed with max error 0."""
    with np.errstate(all="ignore"), pytest.raises(FunctionCallError, match=match):
        check_equivariance(fn, cyclic(6), shapes=(1, 6, 4))


def test_non_finite_outputs_on_non_finite_inputs_are_compared_as_usual():
    x = np.ones((1, 4, 2))
    x[0, 1, 0] = np.nan
    assert check_equivariance(lambda x: 2 * x, cyclic(4), [x]).passed  # NaN in, NaN out, moved along
    assert not check_equivariance(lambda x: x + np.arange(4.0)[None, :, None], cyclic(4), [x]).passed


# ----------------------------------------------------------------------------- properties
@given(groups(max_degree=6))
@settings(max_examples=25, deadline=None)
def test_set_functions_pass_for_every_group(G):
    assert check_equivariance(deepsets, G, shapes=(1, G.degree, 2), num_inputs=3, num_elements=4).passed


@given(groups(max_degree=6))
@settings(max_examples=25, deadline=None)
def test_a_distinct_bias_per_point_fails_exactly_for_nontrivial_groups(G):
    bias = np.arange(G.degree, dtype=float)[None, :, None]
    r = check_equivariance(lambda x: x + bias, G, shapes=(1, G.degree, 1), num_inputs=2, num_elements=4)
    assert r.passed == (G.order() == 1)


def test_trivial_group_checks_only_the_identity():
    r = check_equivariance(lambda x: x * np.arange(3.0)[None, :, None], trivial(3), shapes=(1, 3, 1))
    assert r.passed and r.num_elements == 1


def test_permgroup_without_a_name_is_described():
    G = PermGroup([[1, 0, 2]])
    assert "PermGroup" in check_equivariance(deepsets, G, shapes=(1, 3, 1)).group
