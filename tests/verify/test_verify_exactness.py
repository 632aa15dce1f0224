"""Exactness: informative outside permutations, the respected group, and the exact verdicts."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from verify_models import FIN, CircularConv, DeepSets, OrbitalLinear

from asen.groups import PermGroup
from asen.groups.catalogue import alternating, cyclic, dihedral, symmetric
from asen.groups.geometric import p4, p4m
from asen.verify import (
    ExactnessReport,
    FunctionCallError,
    check_exact_symmetry,
    largest_respected_group,
    outside_candidates,
)
from asen.verify.exactness import _generates_symmetric


def sym_conv(x):  # symmetric kernel: D_n-equivariant
    return x + np.roll(x, 1, axis=1) + np.roll(x, -1, axis=1)


def conv(x):  # generic kernel: exactly C_n
    return x + 0.5 * np.roll(x, 1, axis=1) - np.roll(x, -2, axis=1)


# ----------------------------------------------------------------------------- candidates
def test_candidates_lie_outside_the_group_and_are_distinct():
    G = cyclic(8)
    cands = outside_candidates(G, seed=0)
    perms = np.stack([c for c, _ in cands])
    assert not G.contains_many(perms).any()
    assert len({tuple(p) for p in perms}) == len(perms)
    sources = {s.split(" ")[0] for _, s in cands}
    assert {"normaliser", "transposition", "random"} <= sources


def test_the_reflection_of_c_n_is_found_through_the_normaliser():
    cands = {tuple(c): s for c, s in outside_candidates(cyclic(6), num_random=0)}
    assert cands[(0, 5, 4, 3, 2, 1)] == "normaliser"


def test_two_closure_generators_for_a_group_that_is_not_2_closed():
    cands = outside_candidates(alternating(4), seed=0)
    closure = [c for c, s in cands if s == "2-closure"]
    assert closure and all(symmetric(4).contains(c) for c in closure)


def test_overgroups_from_the_catalogue():
    cands = outside_candidates(p4(5), seed=0)
    assert any(p4m(5).contains(c) for c, _ in cands)  # a reflection of the torus
    assert "overgroup alternating(5)" in {s for _, s in outside_candidates(cyclic(5), seed=0)}


def test_nothing_lies_outside_s_n():
    assert outside_candidates(symmetric(5)) == []


def test_candidates_of_a_group_spec_are_those_of_the_group():
    as_lists = [[(c.tolist(), s) for c, s in outside_candidates(G, seed=3)] for G in ("cyclic(5)", cyclic(5))]
    assert as_lists[0] == as_lists[1] and as_lists[0]
    with pytest.raises(ValueError, match="unknown group 'cyclc'"):
        outside_candidates("cyclc(5)")


def test_an_all_nan_function_is_not_exactly_anything():
    with pytest.raises(FunctionCallError, match="returned NaN in output 0"):
        check_exact_symmetry(lambda x: x * np.nan, cyclic(5))


def test_large_degree_uses_adjacent_and_random_transpositions():
    cands = outside_candidates(cyclic(40), num_random=3, seed=1)
    transpositions = [c for c, s in cands if s == "transposition"]
    assert 39 <= len(transpositions) <= 39 + 16
    assert sum(s == "random" for _, s in cands) == 3


def test_generates_symmetric_is_a_sufficient_test():
    n = 6
    t = np.array([1, 0, 2, 3, 4, 5])
    assert _generates_symmetric([cyclic(n).generators[0], t], n)
    assert not _generates_symmetric([t], n)
    two_blocks = [np.array([1, 0, 2, 3, 4, 5]), np.array([0, 1, 2, 4, 3, 5]), np.array([1, 2, 0, 4, 5, 3])]
    assert not _generates_symmetric(two_blocks, n)


# ----------------------------------------------------------------------------- verdicts
def test_symmetric_kernel_respects_dihedral_not_just_cyclic():
    r = check_exact_symmetry(sym_conv, cyclic(6), shapes=(1, 6, 2))
    assert r.equivariance.passed and not r.passed
    assert (r.respected_name, r.respected_order) == ("dihedral(6)", 12)
    assert r.respected_group() == dihedral(6)
    assert "your model is equivariant to dihedral(6) (order 12), you asked for cyclic(6)" in str(r)


def test_generic_kernel_is_exactly_cyclic():
    r = check_exact_symmetry(conv, cyclic(7), shapes=(1, 7, 2))
    assert r.passed and r.respected_order == 7 and not r.respected
    assert "nearest miss" in str(r)


def test_set_function_checked_against_a_cyclic_group_respects_s_n():
    torch.manual_seed(0)
    r = check_exact_symmetry(DeepSets(), cyclic(10))
    assert not r.passed and r.respected_name == "symmetric(10)" and r.respected_order == math.factorial(10)


def test_orbital_weight_sharing_over_a4_is_s4_equivariant_via_the_2_closure():
    torch.manual_seed(0)
    r = check_exact_symmetry(OrbitalLinear(alternating(4)), alternating(4), shapes=(1, 4, FIN))
    assert r.equivariance.passed and not r.passed
    assert r.respected_name == "symmetric(4)"
    assert any(o.source == "2-closure" for o in r.respected)


def test_orbital_weight_sharing_over_a_2_closed_group_is_exact():
    torch.manual_seed(0)
    assert check_exact_symmetry(OrbitalLinear(dihedral(6)), dihedral(6), shapes=(1, 6, FIN)).passed


def test_not_equivariant_at_all():
    torch.manual_seed(0)
    r = check_exact_symmetry(CircularConv(padding="zeros"), cyclic(10))
    assert not r.passed and not r.equivariance.passed
    assert r.respected_order < 10


def test_largest_respected_group_helper():
    H = largest_respected_group(sym_conv, "cyclic(5)", shapes=(1, 5, 1))
    assert isinstance(H, PermGroup) and H == dihedral(5)


def test_p4_model_that_is_also_reflection_symmetric_is_flagged_as_p4m():
    m = 5

    def blur(x):  # (batch, m, m, c): plus-shaped stencil on the torus, symmetric under p4m
        return x + sum(np.roll(x, s, axis=a) for s in (1, -1) for a in (1, 2))

    r = check_exact_symmetry(blur, p4(m), in_axes="1*2", shapes=(1, m, m, 1))
    assert r.equivariance.passed and r.respected_name == "p4m(5)"


def test_exactness_report_round_trips():
    r = check_exact_symmetry(sym_conv, cyclic(5), shapes=(1, 5, 1))
    d = json.loads(json.dumps(r.to_dict()))
    assert ExactnessReport.from_dict(d).to_dict() == r.to_dict()
    d["passed"] = True
    with pytest.raises(ValueError, match="respect nothing outside"):
        ExactnessReport.from_dict(d)
