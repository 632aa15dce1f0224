"""Validation of ``SymmetryInput`` (breaking/symmetry_input.py) and ``Certificate.from_dict``
(breaking/certificate.py): each malformed field is refused with a message naming it.

Cases where the library does not (yet) do that are strict xfails naming the bug, so they turn into
failures, and get their mark removed, once it is fixed.
"""

from __future__ import annotations

import numpy as np
import pytest

from asen.breaking import Certificate, SymmetryInput, symmetry_breaking_input
from asen.groups import cyclic


def _bug(reason):
    return pytest.mark.xfail(strict=True, reason=f"bug: {reason}")


# ----------------------------------------------------------------------------------- SymmetryInput
def _fields(**changes):
    """Valid arguments for C_4 with no auxiliary vertices (all pairs colour 1), with ``changes`` applied."""
    fields = {
        "group": cyclic(4),
        "vertex_colors": np.zeros(4, dtype=np.int64),
        "pair_colors": np.ones((4, 4), dtype=np.int64),
        "mode": "closure",
    }
    fields.update(changes)
    return fields


def test_the_valid_baseline_is_accepted():
    inp = SymmetryInput(**_fields())
    assert (inp.num_points, inp.num_vertices, inp.num_aux, inp.num_pair_colors) == (4, 4, 0, 2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "fancy"}, r"mode must be one of \('closure', 'exact', 'sparse'\), got 'fancy'"),
        ({"vertex_colors": np.zeros((4, 1))}, r"vertex_colors must be one-dimensional, got shape \(4, 1\)"),
        ({"vertex_colors": np.zeros(3)}, "vertex_colors has 3 entries, fewer than the group's degree 4"),
        ({"pair_colors": np.ones((4, 3))}, r"pair_colors must have shape \(4, 4\), got \(4, 3\)"),
        ({"pair_colors": np.ones(16)}, r"pair_colors must have shape \(4, 4\), got \(16,\)"),
        (
            {"vertex_colors": np.zeros(5), "pair_colors": np.ones((5, 5))},
            "auxiliary vertices must not share a vertex colour with points",
        ),
        pytest.param(
            {"vertex_colors": np.array([0, 0, -1, 0])}, "vertex_colors",
            marks=_bug("a negative vertex colour gives 'colour ids must be non-negative', naming no field"),
        ),
        pytest.param(
            {"pair_colors": -np.ones((4, 4))}, "pair_colors",
            marks=_bug("a negative arc colour gives 'colour ids must be non-negative', naming no field"),
        ),
        pytest.param(
            {"vertex_colors": np.array([0.5, 0.0, 0.0, 0.0])}, "vertex_colors",
            marks=_bug("non-integer colours are truncated to int64 silently (0.5 -> 0)"),
        ),
        pytest.param(
            {"vertex_colors": np.array(["a", "b", "c", "d"])}, "vertex_colors",
            marks=_bug("non-numeric colours give numpy's 'invalid literal for int()', naming no field"),
        ),
    ],
)
def test_symmetry_input_names_the_malformed_field(changes, message):
    with pytest.raises(ValueError, match=message):
        SymmetryInput(**_fields(**changes))


@_bug("a group that is not a PermGroup fails with AttributeError ('str' object has no attribute 'degree')")
def test_symmetry_input_group_must_be_a_perm_group():
    with pytest.raises((TypeError, ValueError), match="group"):
        SymmetryInput(**_fields(group="cyclic(4)"))


def test_validate_checks_again_after_a_change():
    inp = SymmetryInput(**_fields())
    inp.mode = "dense"
    with pytest.raises(ValueError, match="mode must be one of"):
        inp.validate()
    inp.mode = "closure"
    inp.pair_colors = np.ones((4, 5), dtype=np.int64)
    with pytest.raises(ValueError, match="pair_colors must have shape"):
        inp.validate()


# ---------------------------------------------------------------------------- Certificate.from_dict
@pytest.fixture(scope="module")
def overgroup_record():
    """A real record: A_4's orbital input realises S_4 (requested 12, achieved 24, index 2)."""
    record = symmetry_breaking_input("alternating(4)", mode="closure").certificate.to_dict()
    assert (record["requested_order"], record["achieved_order"], record["exact"]) == (12, 24, False)
    assert len(record["witnesses"]) > 0
    return record


@pytest.fixture(scope="module")
def exact_record():
    record = symmetry_breaking_input("cyclic(5)", mode="closure").certificate.to_dict()
    assert record["exact"] is True and record["witnesses"] == []
    return record


def test_real_records_round_trip(overgroup_record, exact_record):
    for record in (overgroup_record, exact_record):
        assert Certificate.from_dict(record).to_dict() == record


REQUIRED = ["requested_order", "achieved_order", "exact", "witnesses", "classes_used", "nauty_log10_order",
            "seconds"]  # fmt: skip


@pytest.mark.parametrize("field", REQUIRED)
def test_a_missing_field_is_named(overgroup_record, field):
    record = {k: v for k, v in overgroup_record.items() if k != field}
    with pytest.raises(ValueError, match=f"not a certificate record: '{field}'"):
        Certificate.from_dict(record)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"requested_order": 0}, "achieved order must be at least its requested order"),
        ({"achieved_order": 6}, "achieved order must be at least its requested order"),
        ({"achieved_order": 18}, "achieved order must be a multiple of the requested order"),
        ({"achieved_order": 12}, "exact exactly when both orders agree"),  # exact stays False
        ({"exact": True}, "exact exactly when both orders agree"),  # orders stay 12 and 24
        ({"achieved_order": 12, "exact": True}, "an exact certificate cannot carry witnesses"),
        pytest.param(
            {"requested_order": "x"}, "requested_order",
            marks=_bug("a non-integer order gives 'invalid literal for int()', naming no field"),
        ),
        pytest.param(
            {"achieved_order": None}, "achieved_order",
            marks=_bug("a null order gives 'int() argument must be ...', naming no field"),
        ),
        pytest.param(
            {"classes_used": "many"}, "classes_used",
            marks=_bug("a non-integer classes_used gives 'invalid literal for int()', naming no field"),
        ),
        pytest.param(
            {"nauty_log10_order": "big"}, "nauty_log10_order",
            marks=_bug("a non-number nauty_log10_order gives 'could not convert string to float', no field"),
        ),
        pytest.param(
            {"seconds": None}, "seconds",
            marks=_bug("a null seconds gives 'float() argument must be ...', naming no field"),
        ),
        pytest.param(
            {"witnesses": [[0, 1, 2, 3], [1, 0]]}, "witnesses",
            marks=_bug("ragged witnesses give numpy's 'inhomogeneous shape' message, naming no field"),
        ),
        pytest.param(
            {"index": "5"}, "index",
            marks=_bug("the record's index is ignored: index 5 with orders 12 and 24 loads (index 2)"),
        ),
        pytest.param(
            {"notes": "hand-written"}, "notes",
            marks=_bug("a string 'notes' is split into characters by list()"),
        ),
    ],
)
def test_a_malformed_field_is_named(overgroup_record, changes, message):
    with pytest.raises(ValueError, match=message):
        Certificate.from_dict(overgroup_record | changes)


@_bug("'exact' is read with bool(), so the string 'false' on an exact record reads as True")
def test_exact_must_be_a_boolean(exact_record):
    with pytest.raises(ValueError, match="exact"):
        Certificate.from_dict(exact_record | {"exact": "false"})


@pytest.mark.parametrize("record", [None, [1, 2], "certificate"])
def test_a_record_that_is_not_an_object(record):
    with pytest.raises(ValueError, match="not a certificate record"):
        Certificate.from_dict(record)
