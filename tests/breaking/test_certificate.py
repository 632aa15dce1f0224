"""Certificates: independent recomputation, tampering, coarsenings, record round trips."""

import numpy as np
import pytest

from asen.breaking import Certificate, SymmetryInput, certify, closure_input, symmetry_breaking_input
from asen.groups import alternating, cyclic, dihedral, symmetric


def test_certificate_of_a_two_closed_group_is_exact():
    cert = certify(closure_input(dihedral(6)))
    assert cert.exact and cert.requested_order == cert.achieved_order == 12 and cert.index == 1
    assert cert.witnesses.shape[0] == 0


def test_certify_against_another_group():
    """The C_6 orbital input realises C_6, not D_6 (D_6 does not preserve it)."""
    inp = closure_input(cyclic(6))
    assert certify(inp).exact
    with pytest.raises(ValueError, match="not invariant"):
        certify(inp, dihedral(6))
    # the D_6 input, checked against its subgroup C_6: invariant, but with more symmetry
    cert = certify(closure_input(dihedral(6)), cyclic(6))
    assert not cert.exact and cert.achieved_order == 12 and cert.index == 2


def test_tampered_colours_are_caught():
    inp = closure_input(cyclic(5))
    pc = inp.pair_colors.copy()
    pc[0, 1], pc[0, 2] = pc[0, 2], pc[0, 1]
    tampered = SymmetryInput(group=inp.group, vertex_colors=inp.vertex_colors, pair_colors=pc, mode="closure")
    with pytest.raises(ValueError, match="not invariant"):
        certify(tampered)


def test_tampered_auxiliary_arcs_are_caught():
    inp = symmetry_breaking_input(alternating(4), mode="exact")
    pc = inp.pair_colors.copy()
    pc[4, 0], pc[4, 1] = pc[4, 1], pc[4, 0] if pc[4, 0] != pc[4, 1] else pc[4, 2]
    bad = SymmetryInput(
        group=inp.group, vertex_colors=inp.vertex_colors, pair_colors=pc, mode="exact", meta=inp.meta
    )
    with pytest.raises(ValueError, match="not invariant"):
        certify(bad)


def test_coarsening_that_suffices_is_used():
    inp = closure_input(cyclic(8))
    forward = int(inp.pair_colors[0, 1])  # the directed 8-cycle alone has group C_8
    cert = certify(inp, keep_classes=np.array([forward]))
    assert cert.exact and cert.classes_used == 1
    # a coarsening that does not suffice falls back to the full input
    cert = certify(inp, keep_classes=np.array([int(inp.pair_colors[0, 4])]))
    assert cert.exact and cert.classes_used == int(inp.pair_colors.max())


def test_record_round_trip_and_validation():
    cert = symmetry_breaking_input(alternating(4), mode="closure").certificate
    again = Certificate.from_dict(cert.to_dict())
    assert again.to_dict() == cert.to_dict()
    bad = cert.to_dict() | {"exact": True}
    with pytest.raises(ValueError, match="exact"):
        Certificate.from_dict(bad)
    with pytest.raises(ValueError, match="not a certificate"):
        Certificate.from_dict({"requested_order": 1})


def test_wrong_degree_is_refused():
    with pytest.raises(ValueError, match="degree"):
        certify(closure_input(symmetric(4)), symmetric(5))


def _points_fixed_input(lifts):
    """S_2 on 2 points, 3 auxiliary vertices whose arcs tell the points apart (Aut(v)|Omega is trivial)."""
    pc = np.zeros((5, 5), dtype=np.int64)
    for i, j, c in [(0, 2, 1), (0, 3, 2), (0, 4, 2), (1, 2, 2), (1, 3, 1), (1, 4, 1)]:
        pc[i, j] = pc[j, i] = c
    return SymmetryInput(symmetric(2), [0, 0, 1, 1, 1], pc, "exact", meta={"lifted_generators": lifts})


@pytest.mark.parametrize(
    ("lifts", "message"),
    [
        ([[1, 0, 3, 2, 2]], r"not all permutations of 0\.\.4"),  # vertex 2 twice: "preserved" every colour
        ([[1, 0]], r"shape \(1, 5\)"),
        ([[1, 0, 2, 3, 4], [0, 1, 2, 3, 4]], r"shape \(1, 5\)"),
        ([[1.0, 0.0, 2.0, 3.0, 4.0]], "integer permutations"),
        ([[1, 0, 2], [3, 4]], r"not a \(1, 5\) integer array"),
        ([[0, 1, 2, 3, 4]], "do not restrict to the group's generators"),
    ],
)
def test_certify_checks_the_lifted_generators_it_uses(lifts, message):
    with pytest.raises(ValueError, match=message):
        certify(_points_fixed_input(lifts))


def test_record_orders_take_ascii_digits_only():
    record = symmetry_breaking_input(cyclic(12), mode="closure").certificate.to_dict()
    assert Certificate.from_dict(record | {"requested_order": "12", "achieved_order": " 12"}).exact
    for digits in ("\u0661\u0662", "\uff11\uff12"):  # Arabic-Indic and full-width 12: int() reads them
        with pytest.raises(ValueError, match="requested_order must be int"):
            Certificate.from_dict(record | {"requested_order": digits})
    with pytest.raises(ValueError, match="index must be int"):
        Certificate.from_dict(record | {"index": "\u00b9"})  # superscript one: isdigit, but no int


def test_record_with_the_number_of_points_shapes_empty_witnesses():
    cert = symmetry_breaking_input(cyclic(5), mode="closure").certificate
    assert cert.witnesses.shape == (0, 5)
    assert Certificate.from_dict(cert.to_dict(), num_points=5).witnesses.shape == (0, 5)
    a5 = symmetry_breaking_input(alternating(5), mode="closure").certificate  # witnesses: S_5 outside A_5
    with pytest.raises(ValueError, match="witnesses must have 4 columns"):
        Certificate.from_dict(a5.to_dict(), 4)
