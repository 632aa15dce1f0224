"""Baselines under the ASEN interface: trivial group, S_n, positional transformer, plain MLP, orbital MLP."""

import numpy as np
import pytest
import torch
from models_cases import OUTSIDE, TOL, data, equivariance_error, small_model, worst_in_group

from asen.groups.catalogue import symmetric
from asen.models import ASEN, positional_symmetry, symmetric_symmetry, trivial_symmetry

SWAP = np.array([1, 0, 2, 3, 4])
RANDOM = np.array([3, 0, 4, 1, 2])


def test_inputs_are_the_documented_colourings():
    t = trivial_symmetry(3)
    assert t.pair_colors.tolist() == [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert t.vertex_colors.tolist() == [0, 1, 2] and t.group.order() == 1
    s = symmetric_symmetry(4)
    assert (s.pair_colors == 1).all() and (s.vertex_colors == 0).all() and s.group == symmetric(4)
    p = positional_symmetry(4)
    assert p.vertex_colors.tolist() == [0, 1, 2, 3] and (p.pair_colors == 1).all()
    assert symmetric_symmetry(1).group.order() == 1
    with pytest.raises(ValueError, match="n must be a positive integer"):
        trivial_symmetry(0)


@pytest.mark.parametrize("base", ["gatv2", "transformer", "orbital_mlp"])
def test_trivial_group_baseline_is_not_equivariant(base):
    model = small_model(base)
    model.add_symmetry("t", trivial_symmetry(5))
    x = data(2, 5)
    assert equivariance_error(model, "t", SWAP, x) > OUTSIDE
    assert equivariance_error(model, "t", RANDOM, x) > OUTSIDE
    assert equivariance_error(model, "t", np.arange(5), x) == 0


@pytest.mark.parametrize("base", ["gatv2", "transformer", "orbital_mlp"])
def test_symmetric_baseline_is_equivariant_to_every_permutation(base):
    model = small_model(base, head="pooled")
    model.add_symmetry("s", symmetric_symmetry(5))
    x = data(2, 5)
    assert worst_in_group(model, "s", symmetric(5), x, "pooled") < TOL
    assert equivariance_error(model, "s", RANDOM, x, "pooled") < TOL


def test_positional_transformer_is_a_plain_transformer_and_not_equivariant():
    model = small_model("transformer")
    model.add_symmetry("pos", positional_symmetry(5))
    assert equivariance_error(model, "pos", SWAP, data(2, 5)) > OUTSIDE


def test_plain_mlp_baseline():
    model = ASEN(2, 3, base="mlp", width=8, num_layers=2, max_vertices=5, seed=0)
    model.add_symmetry("pos", positional_symmetry(5))
    model.add_symmetry("s4", symmetric_symmetry(4))  # fewer vertices: zero-padded to max_vertices
    assert model(data(2, 5), "pos").shape == (2, 5, 3)
    assert model(data(2, 4), "s4").shape == (2, 4, 3)
    assert equivariance_error(model, "s4", np.array([1, 0, 2, 3]), data(2, 4)) > OUTSIDE
    with pytest.raises(ValueError, match="max_vertices"):
        ASEN(2, 3, base="mlp", width=8)


def test_without_pair_colours_only_vertex_colours_break_symmetry():
    """use_pair_colors=False: the body ignores pairs, so a 2-closure input with one vertex orbit gives S_n."""
    model = small_model(use_pair_colors=False)
    model.add_symmetry("c5", "cyclic(5)")
    assert model.pair_dim is None and model.symmetries["c5"].pair_embed is None
    assert equivariance_error(model, "c5", RANDOM, data(2, 5)) < TOL
    with pytest.raises(ValueError, match="orbital_mlp"):
        ASEN(2, 2, base="orbital_mlp", use_pair_colors=False)


def test_equivariant_mlp_changes_with_the_colouring():
    """Orbital weight sharing really shares: two inputs with different orbitals give different maps."""
    model = small_model("orbital_mlp")
    model.add_symmetry("s", symmetric_symmetry(5))
    model.add_symmetry("t", trivial_symmetry(5))
    x = data(1, 5)
    assert not torch.allclose(model(x, "s"), model(x, "t"))
