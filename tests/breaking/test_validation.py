"""Validation of ``SymmetryInput`` (breaking/symmetry_input.py) and ``Certificate.from_dict``
(breaking/certificate.py): each malformed field is refused with a message naming it.

(Each case here was a strict xfail naming the bug until the validation was fixed.)
"""

from __future__ import annotations

import numpy as np
import pytest

from asen.breaking import Certificate, SymmetryInput, symmetry_breaking_input
from asen.groups import cyclic


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
        ({"vertex_colors": np.array([0, 0, -1, 0])}, "vertex_colors"),
        ({"pair_colors": -np.ones((4, 4))}, "pair_colors"),
        ({"vertex_colors": np.array([0.5, 0.0, 0.0, 0.0])}, "vertex_colors"),
        ({"vertex_colors": np.array(["a", "b", "c", "d"])}, "vertex_colors"),
    ],
)
def test_symmetry_input_names_the_malformed_field(changes, message):
    with pytest.raises(ValueError, match=message):
        SymmetryInput(**_fields(**changes))


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
        ({"requested_order": "x"}, "requested_order"),
        ({"achieved_order": None}, "achieved_order"),
        ({"classes_used": "many"}, "classes_used"),
        ({"nauty_log10_order": "big"}, "nauty_log10_order"),
        ({"seconds": None}, "seconds"),
        ({"witnesses": [[0, 1, 2, 3], [1, 0]]}, "witnesses"),
        ({"index": "5"}, "index"),
        ({"notes": "hand-written"}, "notes"),
    ],
)
def test_a_malformed_field_is_named(overgroup_record, changes, message):
    with pytest.raises(ValueError, match=message):
        Certificate.from_dict(overgroup_record | changes)


def test_exact_must_be_a_boolean(exact_record):
    with pytest.raises(ValueError, match="exact"):
        Certificate.from_dict(exact_record | {"exact": "false"})


@pytest.mark.parametrize("record", [None, [1, 2], "certificate"])
def test_a_record_that_is_not_an_object(record):
    with pytest.raises(ValueError, match="not a certificate record"):
        Certificate.from_dict(record)


@pytest.mark.parametrize("mode", ["closure", "exact", "sparse"])
@pytest.mark.parametrize(
    "option, message",
    [({"budget": True}, "budget must be a non-negative integer"), ({"budget": -1}, "budget must be"),
     ({"max_growth": "x"}, "max_growth must be a number >= 1"), ({"max_growth": 0.5}, "max_growth must be")],
)
def test_symmetry_breaking_input_checks_its_options_on_every_mode(mode, option, message):
    # the closure and sparse paths never read max_growth; a bad value is still a mistake worth naming
    with pytest.raises(ValueError, match=message):
        symmetry_breaking_input(cyclic(4), mode=mode, **option)
