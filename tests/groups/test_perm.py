"""Permutation conventions (groups/perm.py): known facts first, then properties against sympy."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation

from asen.groups.perm import (
    act,
    act_axes,
    act_pairs,
    as_perm,
    as_perms,
    as_rows,
    compose,
    cycle_notation,
    cycles,
    identity,
    inverse,
    is_identity,
    parity,
    perm_dtype,
)

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)


def perms_of(n: int):
    return st.permutations(list(range(n))).map(np.array)


@st.composite
def perm_pairs(draw, max_degree: int = 9):
    n = draw(st.integers(1, max_degree))
    return draw(perms_of(n)), draw(perms_of(n))


# --------------------------------------------------------------------------- known facts
def test_compose_is_first_p_then_q_like_sympy():
    p, q = np.array([1, 2, 0]), np.array([1, 0, 2])
    assert compose(p, q).tolist() == [0, 2, 1]  # 0->1->0, 1->2->2, 2->0->1
    assert compose(p, q).tolist() == (Permutation([1, 2, 0]) * Permutation([1, 0, 2])).array_form


def test_compose_batches_and_needs_an_argument():
    P = np.array([[1, 2, 0], [0, 2, 1]])
    q = np.array([2, 1, 0])
    assert compose(P, q).tolist() == [compose(P[0], q).tolist(), compose(P[1], q).tolist()]
    with pytest.raises(ValueError, match="at least one"):
        compose()


def test_inverse_identity_cycles_notation():
    p = np.array([1, 2, 0, 4, 3])
    assert inverse(p).tolist() == [2, 0, 1, 4, 3]
    assert is_identity(compose(p, inverse(p))) and is_identity(identity(4))
    assert not is_identity(p)
    assert cycles(p) == [(0, 1, 2), (3, 4)]
    assert cycles(identity(2), include_fixed=True) == [(0,), (1,)]
    assert cycle_notation(p) == "(1,2,3)(4,5)"
    assert cycle_notation(p, one_based=False) == "(0,1,2)(3,4)"
    assert cycle_notation(identity(3)) == "()"


def test_parity_known_values():
    assert parity([0, 1, 2]) == 0
    assert parity([1, 0, 2]) == 1
    assert parity([1, 2, 0]) == 0
    assert parity(np.array([[1, 0, 3, 2], [1, 2, 3, 0]])).tolist() == [0, 1]
    assert parity(np.arange(1)) == 0
    assert parity(np.arange(0)) == 0 and parity(np.zeros((2, 0), int)).tolist() == [0, 0]  # no points


def test_as_rows_reads_batches_of_every_degree_including_zero():
    assert as_rows([1, 0, 2], 3).shape == (1, 3) and as_rows(np.zeros((2, 3, 4)), 4).shape == (6, 4)
    assert as_rows([], 0).shape == (1, 0) and as_rows(np.zeros((3, 0)), 0).shape == (3, 0)
    with pytest.raises(ValueError, match=r"shape \(2,\) cannot hold permutations of 0 points"):
        as_rows([0, 1], 0)


def test_perm_dtype_is_smallest_signed_type():
    assert perm_dtype(10) == np.int16
    assert perm_dtype(32767) == np.int16
    assert perm_dtype(40000) == np.int32


# --------------------------------------------------------------------------- validation errors
@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        ([0, 0, 1], ValueError, "repeats the image 0"),
        ([0, 3, 1], ValueError, "entry 3 outside 0..2"),
        ([0, -1, 1], ValueError, "entry -1 outside"),
        ([[0, 1]], TypeError, "one-dimensional"),
        ([0.5, 1.0], TypeError, "integers"),
        (["a", "b"], TypeError, "integers"),
        ({0: 1, 1: 0}, TypeError, r"sequence of integers \(the images of 0..n-1\), got dict"),
        (3, TypeError, "sequence of integers .*, got int"),
    ],
)
def test_as_perm_rejects_non_permutations(bad, error, match):
    with pytest.raises(error, match=match):
        as_perm(bad)


def test_as_perm_checks_degree_and_accepts_integral_floats():
    with pytest.raises(ValueError, match="length 3, expected degree 4"):
        as_perm([0, 1, 2], 4)
    out = as_perm([1.0, 0.0])
    assert out.dtype == np.int64 and out.tolist() == [1, 0]


def test_as_perm_reads_a_sympy_permutation_padded_to_the_degree():
    assert as_perm(Permutation([1, 2, 0])).tolist() == [1, 2, 0]
    assert as_perm(Permutation(0, 1), 4).tolist() == [1, 0, 2, 3]  # sympy fixes the points past its size
    out = as_perm(Permutation([2, 0, 1]), 3)
    assert out.dtype == np.int64 and out.tolist() == [2, 0, 1]
    with pytest.raises(ValueError, match="length 3, expected degree 2"):
        as_perm(Permutation([1, 2, 0]), 2)


def test_as_perms_names_the_first_bad_row():
    good = as_perms([[1, 0, 2], [2, 0, 1]])
    assert good.dtype == np.int64 and good.shape == (2, 3)
    with pytest.raises(ValueError, match="row 1 of perms repeats"):
        as_perms([[1, 0, 2], [0, 0, 1]])
    with pytest.raises(ValueError, match="row 0 of perms has entry 5"):
        as_perms([[5, 0, 1], [0, 2, 1]])
    with pytest.raises(ValueError, match="expected degree 4"):
        as_perms([[0, 1, 2]], 4)
    with pytest.raises(TypeError, match="two-dimensional"):
        as_perms([0, 1, 2])
    assert as_perms(np.empty((0, 3), dtype=np.int64)).shape == (0, 3)


# --------------------------------------------------------------------------- actions
def test_act_moves_the_value_at_i_to_g_i():
    g = np.array([1, 2, 0])
    x = np.array([10, 20, 30])
    out = act(g, x)
    assert all(out[g[i]] == x[i] for i in range(3))
    assert out.tolist() == [30, 10, 20]


def test_act_on_a_chosen_axis_and_errors():
    g = np.array([1, 0])
    x = np.arange(6).reshape(3, 2)
    assert act(g, x, axis=1).tolist() == [[1, 0], [3, 2], [5, 4]]
    assert act(g, x, axis=-1).tolist() == act(g, x, axis=1).tolist()
    with pytest.raises(ValueError, match="axis 0 has length 3"):
        act(g, x, axis=0)
    with pytest.raises(ValueError, match="out of range"):
        act(g, x, axis=2)
    with pytest.raises(ValueError, match="one permutation"):
        act(np.array([[1, 0]]), x, axis=1)


def test_act_axes_rotates_an_image_row_major():
    m = 3
    r, c = np.divmod(np.arange(m * m), m)
    rot = c * m + (m - 1 - r)  # pixel (r, c) -> (c, m-1-r): a quarter turn
    img = np.arange(m * m).reshape(m, m)
    out = act_axes(rot, img, (0, 1))
    assert np.array_equal(out, np.rot90(img, k=-1))  # numpy's clockwise quarter turn
    batch = np.stack([img, img + 100])[:, None]  # (B, C, H, W)
    assert np.array_equal(act_axes(rot, batch, (2, 3))[1, 0], np.rot90(img + 100, k=-1))
    with pytest.raises(ValueError, match="consecutive"):
        act_axes(rot, batch, (1, 3))
    with pytest.raises(ValueError, match="hold 9 points, but the permutation has degree 4"):
        act_axes(np.arange(4), img, (0, 1))


def test_act_pairs_moves_both_axes():
    g = np.array([2, 0, 1])
    A = np.arange(9).reshape(3, 3)
    out = act_pairs(g, A)
    assert all(out[g[i], g[j]] == A[i, j] for i in range(3) for j in range(3))


def test_act_on_torch_tensors_matches_numpy_and_keeps_dtype():
    g = np.array([2, 0, 3, 1])
    x = torch.arange(8.0).reshape(4, 2)
    out = act(g, x)
    assert isinstance(out, torch.Tensor) and out.dtype == x.dtype
    assert np.array_equal(out.numpy(), act(g, x.numpy()))
    img = torch.arange(4).reshape(1, 2, 2)
    assert np.array_equal(act_axes(g, img, (1, 2)).numpy(), act_axes(g, img.numpy(), (1, 2)))
    A = torch.arange(16).reshape(4, 4)
    assert np.array_equal(act_pairs(g, A).numpy(), act_pairs(g, A.numpy()))


# --------------------------------------------------------------------------- properties
@SETTINGS
@given(perm_pairs())
def test_compose_and_inverse_agree_with_sympy(pq):
    p, q = pq
    assert compose(p, q).tolist() == (Permutation(p.tolist()) * Permutation(q.tolist())).array_form
    assert inverse(p).tolist() == (~Permutation(p.tolist())).array_form
    assert parity(p) == Permutation(p.tolist()).parity()


@SETTINGS
@given(perm_pairs(), st.integers(0, 2))
def test_act_is_a_left_action(pq, axis):
    g, h = pq
    n = g.size
    shape = [2, 3, 2]
    shape[axis] = n
    x = np.arange(int(np.prod(shape))).reshape(shape)
    assert np.array_equal(act(g, act(h, x, axis), axis), act(compose(h, g), x, axis))
    t = torch.from_numpy(x)
    assert torch.equal(act(g, act(h, t, axis), axis), act(compose(h, g), t, axis))


@SETTINGS
@given(st.integers(1, 40).flatmap(lambda n: st.lists(perms_of(n), min_size=1, max_size=5)))
def test_batched_parity_matches_rowwise(rows):
    batch = np.stack(rows)
    assert parity(batch).tolist() == [Permutation(r.tolist()).parity() for r in rows]
