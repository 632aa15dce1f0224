"""Orbits from generators (groups/orbits.py): known cases first, then sympy cross-checks."""

from __future__ import annotations

import numpy as np
from group_gens import generator_lists
from hypothesis import given, settings
from sympy.combinatorics import Permutation, PermutationGroup

from asen.groups.orbits import orbit_ids, restrict

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def test_orbit_ids_label_each_orbit_by_its_smallest_point():
    assert orbit_ids(np.array([[1, 0, 2, 4, 3]])).tolist() == [0, 0, 2, 3, 3]
    assert orbit_ids(np.empty((0, 3), dtype=np.int64)).tolist() == [0, 1, 2]
    long_cycle = np.roll(np.arange(4096), -1)[None, :]  # one orbit found by pointer jumping
    assert (orbit_ids(long_cycle) == 0).all()


def test_restrict_gives_the_action_on_an_orbit():
    gens = np.array([[1, 0, 2, 4, 5, 3]])
    assert restrict(gens, np.array([3, 4, 5])).tolist() == [[1, 2, 0]]
    assert restrict(gens, np.array([0, 1])).tolist() == [[1, 0]]


@SETTINGS
@given(generator_lists(max_degree=8))
def test_orbits_agree_with_sympy_and_restrictions_are_permutations(gens):
    S = PermutationGroup([Permutation(g.tolist()) for g in gens])
    ids = orbit_ids(gens)
    orbits = [np.flatnonzero(ids == i) for i in np.unique(ids)]
    assert sorted(tuple(o.tolist()) for o in orbits) == sorted(tuple(sorted(o)) for o in S.orbits())
    assert all(ids[o].min() == o.min() == ids[o[0]] for o in orbits)
    for o in orbits:
        local = restrict(gens, o)
        assert (np.sort(local, axis=1) == np.arange(o.size)).all()
