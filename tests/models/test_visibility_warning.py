"""``ASEN.add_symmetry`` and the visibility of its inputs: warnings, and what colour refinement predicts."""

import warnings

import numpy as np
import pytest
import torch

from asen.breaking import symmetry_breaking_input
from asen.breaking.visibility import VisibilityWarning
from asen.groups import alternating
from asen.models import ASEN


def _added(model, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.add_symmetry(*args, **kwargs)
    return [w for w in caught if issubclass(w.category, VisibilityWarning)]


def test_groups_get_the_visible_input_and_deep_enough_bodies_no_warning():
    model = ASEN(2, 1, width=8, num_layers=3, heads=2, seed=0)
    assert _added(model, "a6", "alternating(6)", seed=0) == []
    a6 = model.symmetries["a6"]  # mode="auto": A_6's 360 frames as message passing, 5 arcs (both ways) each
    assert (a6.path, a6.num_vertices, a6.edge_index.shape[1]) == ("sparse", 6 + 360, 2 * 5 * 360)
    assert _added(model, "a6-exact", "alternating(6)", mode="exact", seed=0) == []
    assert model.symmetries["a6-exact"].num_vertices == 6 + 70  # 40 oriented 3-subsets + 30 ordered pairs
    assert _added(model, "a5", "alternating(5)", seed=0) == []
    assert (model.symmetries["a5"].path, model.symmetries["a5"].num_vertices) == ("dense", 5 + 60)  # dense frames
    assert _added(model, "d8", "dihedral(8)", seed=0) == []  # 2-closed: nothing to see beyond G^(2)


def test_invisible_and_too_deep_inputs_warn():
    model = ASEN(2, 1, width=8, num_layers=2, heads=2, seed=0)
    invisible = symmetry_breaking_input(alternating(6), mode="exact", visible=False)
    (w,) = _added(model, "a6", invisible, seed=0)
    assert "invisible to message passing" in str(w.message) and w.filename == __file__
    subsets = symmetry_breaking_input(alternating(4), mode="exact", frames=0, max_growth=1)  # points differ after 3 rounds
    (w,) = _added(model, "a4", subsets, seed=0)
    assert "after 3 rounds, and the body has 2 layers" in str(w.message)
    assert _added(model, "a5c", "alternating(5)", mode="closure", seed=0) == []  # not exact: no claim
    assert (
        _added(ASEN(2, 1, base="mlp", max_vertices=16, width=8, num_layers=1, seed=0), "a4", "alternating(4)")
        == []
    )


def _response(model, h, n, seed=0):
    """max |f(h.x) - h.f(x)| over a batch: how much the model responds to the permutation h."""
    x = torch.randn(8, n, 2, generator=torch.Generator().manual_seed(seed))
    hx = torch.empty_like(x)
    hx[:, torch.as_tensor(h)] = x  # (h.x)[h[i]] = x[i]
    model.eval()
    with torch.no_grad():
        fx, fhx = model(x, "g"), model(hx, "g")
    hfx = torch.empty_like(fx)
    hfx[:, torch.as_tensor(h)] = fx
    return float((fhx - hfx).abs().max())


@pytest.mark.parametrize("base", ["gatv2", "transformer"])
def test_rounds_predict_the_layers_a_body_needs(base):
    """A_4 with its 2-subsets: colour refinement tells the points from their image under a witness of
    S_4 only after 3 rounds, so 2 layers respond to it not at all (any weights), 3 layers do."""
    inp = symmetry_breaking_input(alternating(4), mode="exact", frames=0, max_growth=1)
    vis = inp.certificate.visibility
    assert vis.worst_point == 3
    h = vis.probes[0]
    responses = []
    for layers in (2, 3):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", VisibilityWarning)
            model = ASEN(2, 1, base=base, width=16, num_layers=layers, heads=2, seed=0)
            model.add_symmetry("g", inp, seed=0)
        responses.append(max(_response(model, h, 4, seed=s) for s in range(3)))
    assert responses[0] < 1e-12 and responses[1] > 1e-10


def test_an_invisible_input_leaves_every_body_invariant():
    inp = symmetry_breaking_input(alternating(6), mode="exact", visible=False)
    h = inp.certificate.visibility.probes[0]
    for base in ("gatv2", "orbital_sum", "transformer"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", VisibilityWarning)
            model = ASEN(2, 1, base=base, width=16, num_layers=4, heads=2, seed=0)
            model.add_symmetry("g", inp, seed=0)
        assert _response(model, h, 6) < 1e-9, base
    assert np.array_equal(np.sort(h), np.arange(6))
