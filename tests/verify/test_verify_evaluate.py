"""Evaluator: batching and splitting, torch conversion, eval mode and its restoration, float64 twin."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from asen.verify.evaluate import Evaluator, FunctionCallError, function_name, lowest_precision


def _examples(k, shape=(1, 4, 2)):
    rng = np.random.default_rng(0)
    return [(rng.normal(size=shape).astype(np.float32),) for _ in range(k)]


def test_batched_numpy_calls_are_split_back_per_example():
    calls = []

    def fn(x):
        calls.append(x.shape)
        return x * 2, x.sum(axis=(1, 2))

    ev = Evaluator(fn, backend="numpy", arg_dtypes=[np.float32], batch_axis=0)
    ex = _examples(5)
    outs = ev(ex)
    assert calls == [(5, 4, 2)]  # one call for all five
    for (x,), (y, s) in zip(ex, outs):
        np.testing.assert_array_equal(y, x * 2)
        assert s.shape == (1,)
    assert ev.output_dtypes == ["float32", "float32"]


def test_examples_with_different_shapes_go_in_separate_calls_and_max_entries_chunks():
    calls = []
    ev = Evaluator(
        lambda x: calls.append(x.shape) or x, backend="numpy", arg_dtypes=[np.float64], batch_axis=0
    )
    ev(_examples(2) + _examples(1, (1, 4, 3)))
    assert calls == [(2, 4, 2), (1, 4, 3)]
    calls.clear()
    ev.max_entries = 16
    ev(_examples(4))
    assert calls == [(2, 4, 2), (2, 4, 2)]


def test_batch_axis_none_calls_once_per_example():
    calls = []
    ev = Evaluator(
        lambda x: calls.append(x.shape) or x, backend="numpy", arg_dtypes=[np.float64], batch_axis=None
    )
    ev(_examples(3, (4, 2)))
    assert calls == [(4, 2)] * 3


def test_wrong_batch_size_in_output_is_a_clear_error():
    ev = Evaluator(lambda x: x.sum(0), backend="numpy", arg_dtypes=[np.float64], batch_axis=0)
    with pytest.raises(FunctionCallError, match="batch_axis=None"):
        ev(_examples(3))


def test_fn_errors_are_wrapped_with_shapes():
    def boom(x):
        raise RuntimeError("mat1 and mat2 shapes cannot be multiplied")

    ev = Evaluator(boom, backend="numpy", arg_dtypes=[np.float64], batch_axis=0)
    with pytest.raises(FunctionCallError, match=r"shape \(2, 4, 2\) raised RuntimeError: mat1"):
        ev(_examples(2))


def test_non_array_outputs_are_rejected():
    ev = Evaluator(lambda x: "hello", backend="numpy", arg_dtypes=[np.float64], batch_axis=None)
    with pytest.raises(TypeError, match="returned str as output 0"):
        ev(_examples(1))


class _Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        assert not torch.is_grad_enabled()
        self.seen = (self.training, self.drop.training)
        return self.drop(self.a(x))


def test_module_runs_in_eval_mode_without_grad_and_each_flag_is_restored():
    m = _Mixed()
    m.train()
    m.a.eval()  # a mixed state must come back exactly
    ev = Evaluator(m, backend="torch", arg_dtypes=[torch.float32], batch_axis=0)
    with ev.session():
        ev(_examples(2))
    assert m.seen == (False, False)
    assert m.training and not m.a.training and m.drop.training


def test_train_true_keeps_the_modes():
    m = _Mixed().train()
    ev = Evaluator(m, backend="torch", arg_dtypes=[torch.float32], batch_axis=0, train=True)
    with ev.session():
        ev(_examples(1))
    assert m.seen == (True, True)


def test_float64_twin_is_a_copy_and_leaves_the_module_alone():
    m = nn.Linear(2, 3)
    ev = Evaluator(m, backend="torch", arg_dtypes=[torch.float32], batch_axis=0)
    twin = ev.float64()
    with twin.session():
        out = twin(_examples(1))
    assert out[0][0].dtype == np.float64 and twin.working_precision() == "float64"
    assert m.weight.dtype == torch.float32
    assert ev.working_precision() == "float32"


def test_low_precision_outputs_come_back_as_float32_arrays():
    m = nn.Linear(2, 2).to(torch.bfloat16)
    ev = Evaluator(m, backend="torch", arg_dtypes=[torch.bfloat16], batch_axis=0)
    with ev.session():
        ((y,),) = ev(_examples(1))
    assert y.dtype == np.float32 and ev.output_dtypes == ["bfloat16"]
    assert ev.working_precision() == "bfloat16"


def test_names_and_precisions():
    assert function_name(nn.Linear(1, 1)) == "Linear"
    assert function_name(np.sum) == "sum"
    assert lowest_precision(["float64", "float32", "int64"]) == "float32"
    assert lowest_precision(["int64"]) is None
