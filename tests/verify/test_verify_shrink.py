"""The batched input shrinker: known targets first, then 'the result still fails' as a property."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.verify.shrink import shrink_input
from asen.verify.strategies import tensors


def _pred(rule):
    return lambda cands: np.array([rule(c) for c in cands])


def test_shrinks_to_zeros_when_zeros_fail():
    x = (np.random.default_rng(0).normal(size=(2, 5)),)
    out, calls = shrink_input(x, _pred(lambda c: True))
    assert np.all(out[0] == 0) and calls == 1


def test_keeps_one_entry_and_makes_it_simple():
    x = (np.array([[0.3, -2.7], [5.1, 0.9]]),)
    out, _ = shrink_input(x, _pred(lambda c: c[0][1, 0] > 0.5))
    assert out[0].tolist() == [[0.0, 0.0], [1.0, 0.0]]


def test_keeps_the_pair_that_matters_across_arguments():
    x = (np.array([1.5, 2.5, -3.5]), np.array([[4.2, 0.1]]))
    out, _ = shrink_input(x, _pred(lambda c: c[0][2] < 0 and c[1][0, 1] != 0))
    assert out[0].tolist() == [0.0, 0.0, -1.0] and out[1].tolist() == [[0.0, 1.0]]


def test_returns_the_original_when_the_failure_is_not_reproducible():
    calls = {"n": 0}

    def flaky(cands):
        calls["n"] += 1
        return np.array([calls["n"] == 1] * len(cands))  # fails once, never again

    x = (np.array([3.0, 4.0]),)
    out, _ = shrink_input(x, flaky)
    assert out[0].tolist() == [3.0, 4.0]


def test_respects_the_call_budget():
    seen = []

    def fails(cands):
        seen.append(len(cands))
        return np.array([c[0].sum() > 3 for c in cands])

    shrink_input((np.arange(40.0),), fails, max_calls=5, max_candidates=8)
    assert len(seen) <= 6 and max(seen) <= 8


@given(tensors((3, 4)), st.integers(0, 11))
@settings(max_examples=40, deadline=None)
def test_result_still_fails_and_is_no_bigger(x, k):
    rule = lambda c: abs(c[0].reshape(-1)[k]) > 0.25
    if not rule((x,)):
        x = x.copy()
        x.reshape(-1)[k] = 3.0
    out, _ = shrink_input((x,), _pred(rule))
    assert rule(out)
    assert np.count_nonzero(out[0]) <= np.count_nonzero(x)
    assert np.count_nonzero(out[0]) == 1  # only the entry that matters survives
