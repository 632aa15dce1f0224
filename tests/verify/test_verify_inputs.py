"""Default input families: shapes, dtypes, ties, repeated classes, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from asen.verify.inputs import FAMILIES, generate_inputs
from asen.verify.axes import TensorAction

P1 = TensorAction.points(1)


def test_families_cycle_in_order_with_the_requested_shapes_and_dtype():
    ex = generate_inputs([(1, 6, 3)], [np.float32], [P1], 6, num_inputs=10, seed=0)
    assert [f for _, f in ex] == [FAMILIES[i % len(FAMILIES)] for i in range(10)]
    for args, _ in ex:
        assert args[0].shape == (1, 6, 3) and args[0].dtype == np.float32


def test_integer_and_constant_families_tie():
    ex = {f: a[0] for a, f in generate_inputs([(1, 10, 2)], [np.float64], [P1], 10, num_inputs=3, seed=1)}
    ints = ex["integers"]
    assert np.array_equal(ints, np.rint(ints)) and ints.min() >= -2 and ints.max() <= 2
    assert np.unique(ints[0, :, 0]).size < 10  # ten points, five values: ties
    assert np.all(ex["constant"] == 1.0)


def test_repeated_family_has_at_most_three_point_classes_on_every_slot():
    pairs = TensorAction.pairs(1, 2)
    ex = generate_inputs([(1, 7, 7)], [np.float64], [pairs], 7, num_inputs=4, seed=2)
    A = ex[3][0][0][0]
    assert ex[3][1] == "repeated"
    assert len({tuple(r) for r in A}) <= 3 and len({tuple(c) for c in A.T}) <= 3


def test_same_seed_same_inputs():
    a = generate_inputs([(1, 5, 2)], [np.float64], [P1], 5, num_inputs=8, seed=3)
    b = generate_inputs([(1, 5, 2)], [np.float64], [P1], 5, num_inputs=8, seed=3)
    assert all(np.array_equal(x[0][0], y[0][0]) for x, y in zip(a, b))


def test_errors():
    with pytest.raises(ValueError, match="num_inputs"):
        generate_inputs([(1, 5)], [np.float64], [P1], 5, num_inputs=0)
    with pytest.raises(ValueError, match="unknown input family"):
        generate_inputs([(1, 5)], [np.float64], [P1], 5, families=["gaussian"])
