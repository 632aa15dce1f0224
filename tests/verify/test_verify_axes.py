"""TensorAction: text forms, validation against shapes and degrees, and agreement with asen.groups.act*."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups import act, act_axes, act_pairs, compose
from asen.verify.axes import TensorAction, as_action, as_actions
from asen.verify.strategies import permutations


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("1", ((1,),)),
        ("1*2", ((1, 2),)),
        ("1,2", ((1,), (2,))),
        ("none", ()),
        ("-1", ((-1,),)),
        ("1*2,3*4", ((1, 2), (3, 4))),
    ],
)
def test_parse_and_str_round_trip(text, slots):
    A = TensorAction.parse(text)
    assert A.slots == slots
    assert TensorAction.parse(str(A)) == A


def test_constructors_match_text_forms():
    assert TensorAction.points(1) == TensorAction.parse("1")
    assert TensorAction.image(1, 2) == TensorAction.parse("1*2")
    assert TensorAction.pairs(1, 2) == TensorAction.parse("1,2")
    assert TensorAction.invariant().is_invariant and TensorAction.parse("invariant").is_invariant


def test_as_action_accepts_int_str_none_and_rejects_tuples():
    assert as_action(2) == TensorAction.points(2)
    assert as_action(None).is_invariant
    with pytest.raises(TypeError, match="one entry per argument"):
        as_action((1, 2))
    with pytest.raises(TypeError, match="expected an axis, a spec string or a TensorAction, got True"):
        as_action(True)
    assert as_actions([1, "none"], 2)[1].is_invariant
    with pytest.raises(ValueError, match="lists 1 entries"):
        as_actions([1], 2)


@pytest.mark.parametrize("bad", ["1*x", "a", "1**2"])
def test_parse_errors_name_the_spec(bad):
    with pytest.raises(ValueError, match="cannot read axes spec"):
        TensorAction.parse(bad)


def test_non_consecutive_slot_is_rejected():
    with pytest.raises(ValueError, match="consecutive"):
        TensorAction(((1, 3),))


def test_normalised_checks_degree_range_and_overlap():
    A = TensorAction.parse("1")
    assert A.normalised((2, 5, 3), 5) == A
    assert TensorAction.parse("-2").normalised((2, 5, 3), 5) == TensorAction.points(1)
    with pytest.raises(ValueError, match="hold 3 = 3 points, but the group has degree 5"):
        TensorAction.parse("2").normalised((2, 5, 3), 5)
    with pytest.raises(ValueError, match="names axis 3"):
        TensorAction.parse("3").normalised((2, 5, 3), 5)
    with pytest.raises(ValueError, match="uses an axis twice"):
        TensorAction.parse("1,1").normalised((2, 5, 5), 5)
    assert TensorAction.parse("1*2").normalised((1, 2, 3, 4), 6).slots == ((1, 2),)


def test_pairs_move_both_axes_like_act_pairs():
    g = np.array([2, 0, 3, 1])
    x = np.arange(2 * 16.0).reshape(2, 4, 4)
    np.testing.assert_array_equal(TensorAction.pairs(1, 2).apply(g, x), act_pairs(g, x, (1, 2)))
    # (g.A)[g[i], g[j]] = A[i, j]
    y = TensorAction.pairs(1, 2).apply(g, x)
    assert y[0, g[1], g[3]] == x[0, 1, 3]


def test_image_flattens_row_major_like_act_axes():
    g = np.random.default_rng(0).permutation(6)
    x = np.arange(2 * 6 * 5.0).reshape(2, 2, 3, 5)
    np.testing.assert_array_equal(TensorAction.image(1, 2).apply(g, x), act_axes(g, x, (1, 2)))


def test_apply_works_on_torch_tensors():
    import torch

    g = np.array([1, 2, 0])
    x = torch.arange(6.0).reshape(1, 3, 2)
    np.testing.assert_array_equal(TensorAction.points(1).apply(g, x).numpy(), act(g, x.numpy(), 1))


@given(st.data(), st.integers(1, 6), st.sampled_from(["1", "1,2", "2", "none"]))
@settings(max_examples=40, deadline=None)
def test_apply_many_agrees_with_apply(data, n, text):
    shape = (2, 3, n) if text == "2" else (2, n, n)
    A = TensorAction.parse(text).normalised(shape, n)
    perms = np.stack([data.draw(permutations(n)) for _ in range(3)])
    x = np.random.default_rng(n).normal(size=shape)
    many = A.apply_many(perms, x)
    for k, g in enumerate(perms):
        np.testing.assert_array_equal(many[k], A.apply(g, x))


@given(st.integers(1, 7).flatmap(lambda n: st.tuples(permutations(n), permutations(n))))
@settings(max_examples=40, deadline=None)
def test_apply_is_a_left_action(pq):
    # g.(h.x) = compose(h, g).x: "h first"
    h, g = pq
    n = g.size
    x = np.random.default_rng(n).normal(size=(1, n, 2))
    A = TensorAction.points(1)
    np.testing.assert_array_equal(A.apply(g, A.apply(h, x)), A.apply(compose(h, g), x))
