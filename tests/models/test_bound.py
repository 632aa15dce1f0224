"""ASEN.bind: one symmetry and task as a module, and the default model passing the verifier through it."""

import pytest
import torch

from asen.models import ASEN, SymmetryView
from asen.verify import check_equivariance, check_exact_symmetry


def _model(head="point", **kw):
    model = ASEN(in_dim=3, out_dim=2, head=head, width=16, num_layers=3, heads=2, seed=0, **kw)
    model.add_symmetry("d8", "dihedral(8)")
    model.add_symmetry("a5", "alternating(5)")
    return model


@pytest.mark.parametrize(("head", "out_axes", "shape"), [("point", 1, (4, 8, 2)), ("pooled", "none", (4, 2)),
                                                         ("pair", "1,2", (4, 8, 8, 2))])  # fmt: skip
def test_a_view_is_the_model_on_one_symmetry_and_declares_its_axes(head, out_axes, shape):
    model = _model(head)
    view = model.bind("d8")
    assert isinstance(view, SymmetryView) and (view.in_axes, view.out_axes, view.in_features) == (1, out_axes, 3)
    x = torch.randn(4, 8, 3)
    assert view(x).shape == shape and torch.equal(view(x), model(x, "d8"))
    assert view.group.order() == 16 and "symmetry='d8'" in repr(view)
    assert {id(p) for p in view.parameters()} == {id(p) for p in model.parameters()}  # shared, not copied


def test_bind_names_unknown_symmetries_and_tasks():
    model = _model()
    with pytest.raises(KeyError, match="unknown symmetry 'c5'"):
        model.bind("c5")
    with pytest.raises(KeyError, match="unknown task 'other'"):
        model.bind("d8", task="other")


@pytest.mark.parametrize("kw", [{}, {"orbital_aggregate": "sum"}, {"block_norm": "layer"}])
def test_default_models_pass_the_verifier_on_its_constant_inputs_too(kw):
    # transitive groups: on a constant input every point is alike, and the set norms see only rounding
    # noise (they used to amplify it by 1/sqrt(eps) a block until the outputs were noise)
    model = _model(**kw)
    d8 = check_equivariance(model.bind("d8"), "dihedral(8)")
    assert d8.passed, d8
    a5 = check_exact_symmetry(model.bind("a5"), model.group("a5"), num_random_outside=4)
    assert a5.passed, a5
    assert not check_equivariance(model.bind("d8"), "symmetric(8)").passed


@pytest.mark.slow
def test_torch_compile_fullgraph_on_a_dense_and_a_sparse_view():
    """The README's claim (about 30 s of compiling on a CPU, hence slow)."""
    model = _model()
    model.add_symmetry("a6", "alternating(6)")  # mode="auto": sparse frames
    model.eval()
    for name, n in (("a5", 5), ("a6", 6)):
        view = model.bind(name)
        compiled = torch.compile(view, fullgraph=True)
        x = torch.randn(4, n, 3)
        with torch.no_grad():
            torch.testing.assert_close(compiled(x), view(x), atol=1e-5, rtol=1e-5)


def test_a_view_reads_the_current_task_after_add_task_replaces_it():
    model = _model()
    view = model.bind("d8")
    model.add_task("default", 4, 1, head="pooled", seed=1)
    assert (view.in_features, view.out_axes) == (4, "none")
    assert view(torch.randn(2, 8, 4)).shape == (2, 1)
    assert check_equivariance(view, "dihedral(8)").passed
