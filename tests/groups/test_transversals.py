"""Chain levels (groups/transversals.py): Schreier trees and transversal tables, known cases then properties."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.groups.perm import compose, inverse
from asen.groups.transversals import Level, take_rows

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True)


def torus_translations(m: int) -> list[np.ndarray]:
    r, c = np.divmod(np.arange(m * m), m)
    return [((r % m) * m + (c + 1) % m), (((r + 1) % m) * m + c % m)]


def test_square_level_tree_and_tables():
    lev = Level(0, 4)
    lev.add_generators([np.array([1, 2, 3, 0]), np.array([3, 2, 1, 0])])
    assert lev.orbit.tolist() == [0, 1, 3, 2]
    assert lev.parent.tolist() == [-1, 0, 0, 1] and lev.via.tolist() == [-1, 0, 1, 0]
    table, itable = lev.table(), lev.itable()
    assert table[:, 0].tolist() == [0, 1, 3, 2]
    assert np.array_equal(inverse(table.astype(np.int64)), itable)
    assert np.array_equal(table[0], np.arange(4))


def test_adding_generators_extends_the_orbit_and_keeps_old_rows():
    lev = Level(0, 6)
    lev.add_generators([np.array([1, 0, 2, 3, 4, 5])])
    first = lev.itable().copy()
    lev.add_generators([np.array([0, 2, 1, 3, 4, 5])])  # joins 2
    assert sorted(lev.orbit.tolist()) == [0, 1, 2]
    assert np.array_equal(lev.itable()[: len(first)], first)
    lev.append_closed(np.array([1, 0, 2, 3, 5, 4]))  # fixes the orbit setwise: tree unchanged
    assert len(lev.gens) == 3 and lev.stack().shape == (3, 6) and lev.orbit.size == 3


def test_a_large_level_walks_its_tree_instead_of_building_the_table():
    m = 64
    lev = Level(0, m * m)
    lev.add_generators(torus_translations(m))
    k = int(lev.pos[m * 33 + 17])
    walked = lev.inverse_element(k)
    assert lev._nrows == 1  # nothing materialised for one element
    assert np.array_equal(walked, lev.itable()[k])  # the same element the table holds
    assert walked[m * 33 + 17] == 0


def test_take_rows_is_a_row_wise_gather():
    table = np.array([[2, 0, 1], [0, 2, 1]], dtype=np.int16)
    rows, cols = np.array([1, 0]), np.array([[0, 1, 2], [2, 2, 0]])
    assert take_rows(table.reshape(-1), rows, cols, 3).tolist() == [[0, 2, 1], [1, 1, 2]]


@st.composite
def levels(draw):
    n = draw(st.integers(2, 9))
    gens = [np.array(draw(st.permutations(range(n)))) for _ in range(draw(st.integers(1, 3)))]
    return n, gens, draw(st.integers(0, n - 1))


@SETTINGS
@given(levels())
def test_tables_map_the_base_point_and_follow_the_tree(case):
    n, gens, b = case
    lev = Level(b, n)
    for g in gens:  # one at a time, as the chain adds them
        lev.add_generators([g])
    table = lev.table().astype(np.int64)
    assert np.array_equal(table[:, b], lev.orbit) and np.array_equal(
        lev.pos[lev.orbit], np.arange(lev.orbit.size)
    )
    for k in range(1, lev.orbit.size):  # u_k = u_parent * s_via
        assert np.array_equal(table[k], compose(table[lev.parent[k]], lev.gens[lev.via[k]]))
        assert lev.parent[k] < k
    t = np.random.default_rng(n).permutation(n)
    conj = lev.conjugated(t, inverse(t))
    assert conj.base_point == t[b] and np.array_equal(conj.orbit, t[lev.orbit])
    assert np.array_equal(conj.table()[:, conj.base_point], conj.orbit)
