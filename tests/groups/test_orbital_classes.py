"""Orbital classes as arc lists against the dense orbital matrix, and the sparse greedy search against the dense one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from asen.groups import (
    PermGroup,
    alternating,
    cyclic,
    dihedral,
    direct_product,
    orbital_coloring,
    orbitals,
    p4,
    p4m,
    symmetric,
    torus_translations,
    trivial,
    wreath,
)
from asen.groups.coarsening import candidate_classes, greedy_classes, greedy_orbital_classes
from asen.groups.membership import contains
from asen.groups.orbital_classes import OrbitalClasses

DATA = Path(__file__).resolve().parents[1] / "data" / "transitive_groups.json"
GROUPS = {
    "D6": lambda: dihedral(6),
    "C7": lambda: cyclic(7),
    "A5": lambda: alternating(5),
    "p4m(8)": lambda: p4m(8),
    "p4(6)": lambda: p4(6),
    "T(4,6)": lambda: torus_translations(4, 6),
    "C3xS3": lambda: direct_product(cyclic(3), symmetric(3)),
    "S3wrS2": lambda: wreath(symmetric(3), symmetric(2)),
    "intransitive": lambda: PermGroup([[1, 0, 2, 3, 5, 4, 6]]),
    "trivial": lambda: trivial(4),
}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_classes_match_the_dense_orbitals(name):
    G = GROUPS[name]()
    dense = orbitals(G, dtype=np.int64) + 1
    oc = OrbitalClasses(G)
    vc, _ = orbital_coloring(G)
    assert oc.num_classes == dense.max()
    assert np.array_equal(oc.sizes, np.bincount(dense.ravel())[1:])
    assert np.array_equal(oc.vertex_colors, vc)
    assert sorted(oc.diagonal.tolist()) == sorted(set(np.diagonal(dense).tolist()))
    assert np.array_equal(oc.candidates(), candidate_classes(dense, G))
    src, dst, colour = oc.arcs(np.arange(1, oc.num_classes + 1))
    rebuilt = np.zeros_like(dense)
    rebuilt[src, dst] = colour
    assert src.size == dense.size and np.array_equal(rebuilt, dense)
    for c in oc.candidates()[:3]:
        s, d, col = oc.arcs([c])
        assert (col == c).all() and np.array_equal(np.sort(s * G.degree + d), np.flatnonzero(dense.ravel() == c))


def test_arcs_check_their_colours():
    oc = OrbitalClasses(dihedral(6))
    with pytest.raises(ValueError, match="colours must lie in 1..4"):
        oc.arcs([5])
    assert all(a.size == 0 for a in oc.arcs([]))


def test_sparse_greedy_equals_the_dense_greedy_on_transitive_groups():
    """Same classes as the dense search on every transitive group of degree <= 8 (GAP's library)."""
    for e in json.loads(DATA.read_text()):
        if e["degree"] > 8:
            continue
        G = PermGroup([np.array(g) - 1 for g in e["generators"]], e["degree"], order=e["order"])
        vc, pc = orbital_coloring(G)
        dense = greedy_classes(vc, pc, G.degree, G, engine="nauty")
        sparse = greedy_orbital_classes(G, engine="bliss")
        assert (dense is None) == (sparse is None) == (e["order"] != e["closure_order"])
        if dense is not None:
            assert dense.tolist() == sparse.tolist()


@pytest.mark.parametrize("m", [64, 128])
def test_sparse_greedy_on_image_sized_tori(m):
    kept = greedy_orbital_classes(p4m(m))
    assert kept.tolist() == [2]  # the 4-neighbour torus grid: Aut = p4m
    assert greedy_orbital_classes(torus_translations(m, m)).size == 2


def test_membership_without_tables_agrees_with_the_chain():
    G = p4m(64)
    rng = np.random.default_rng(0)
    members = G.random_elements(5, seed=1)
    outsiders = np.stack([rng.permutation(G.degree) for _ in range(3)])
    perms = np.concatenate([members, outsiders, G.generators])
    assert contains(G.chain, perms).tolist() == [True] * 5 + [False] * 3 + [True] * len(G.generators)
    assert contains(G.chain, perms).tolist() == G.chain.contains(perms).tolist()
