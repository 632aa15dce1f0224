"""Ground truth from GAP: every transitive group of degree <= 12 (474 groups), its order and 2-closure order.

``tests/data/transitive_groups.json`` was written by ``gap -q benchmarks/gap_transitive_census.g`` (GAP 4,
TransitiveGroup library, ``TwoClosure``); GAP is not needed to run these tests.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from asen.breaking import is_two_closed, symmetry_breaking_input, two_closure
from asen.groups import PermGroup

DATA = json.loads((Path(__file__).parent.parent / "data" / "transitive_groups.json").read_text())


def load(entry) -> PermGroup:
    return PermGroup(
        [np.array(g) - 1 for g in entry["generators"]],
        entry["degree"],
        name=f"TransitiveGroup({entry['degree']},{entry['index']})",
    )


def test_census_matches_the_published_counts():
    assert len(DATA) == 474
    assert sum(e["order"] != e["closure_order"] for e in DATA) == 343


def _ids(entries):
    return [f"T{e['degree']}_{e['index']}" for e in entries]


SMALL = [e for e in DATA if e["degree"] <= 8]
LARGE = [e for e in DATA if e["degree"] > 8]


@pytest.mark.parametrize("entry", SMALL, ids=_ids(SMALL))
def test_small_transitive_groups_closure_and_exact(entry):
    G = load(entry)
    assert G.order() == entry["order"]
    assert two_closure(G).order() == entry["closure_order"]
    assert is_two_closed(G) == (entry["order"] == entry["closure_order"])
    inp = symmetry_breaking_input(G, mode="exact")  # default budget: every degree <= 8 group is realised
    assert inp.exact and inp.certificate.achieved_order == entry["order"]


def _default_run_sample(entries):
    """A fixed sample of the degree 9-12 census for the default run: for each degree, the groups that are
    not 2-closed (the ones exact realisation needs auxiliary vertices for), taken at one third and two
    thirds of that degree's census order. Deterministic: 8 groups, from T9_14 to M_11 (T11_6)."""
    sample = []
    for degree in (9, 10, 11, 12):
        hard = [e for e in entries if e["degree"] == degree and e["order"] != e["closure_order"]]
        sample += [hard[len(hard) // 3], hard[2 * len(hard) // 3]]
    return sample


SAMPLE = _default_run_sample(LARGE)


def test_the_default_run_sample_is_fixed():
    assert _ids(SAMPLE) == ["T9_14", "T9_24", "T10_18", "T10_32", "T11_5", "T11_6", "T12_116", "T12_206"]


@pytest.mark.parametrize("entry", SAMPLE, ids=_ids(SAMPLE))
def test_sampled_large_transitive_groups_closure_and_exact(entry):
    """Degree 9-12 in the default run (the full list is -m slow): order and 2-closure order against GAP,
    and the exact realisation is certified exact by nauty."""
    G = load(entry)
    assert G.order() == entry["order"]
    assert two_closure(G).order() == entry["closure_order"] > entry["order"]
    assert not is_two_closed(G)
    inp = symmetry_breaking_input(G, mode="exact")
    assert inp.exact and inp.num_aux > 0
    assert inp.certificate.requested_order == inp.certificate.achieved_order == entry["order"]


@pytest.mark.slow
@pytest.mark.parametrize("entry", LARGE, ids=_ids(LARGE))
def test_large_transitive_groups_closure(entry):
    G = load(entry)
    assert G.order() == entry["order"]
    assert two_closure(G).order() == entry["closure_order"]
