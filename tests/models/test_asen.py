"""The ASEN wrapper: saving and loading, mixed-symmetry and padded batches, transfer, tasks, errors."""

import io

import numpy as np
import pytest
import torch
from models_cases import TOL, breaking_input, data, equivariance_error, small_model, worst_in_group

from asen.groups.catalogue import cyclic, dihedral
from asen.groups.spec import parse
from asen.models import ASEN, DEFAULT_INIT, LEGACY_INIT, symmetric_symmetry
from asen.verify import check_exact_symmetry


def _two_symmetry_model(base="gatv2", head="point", **kw):
    model = small_model(base, head=head, **kw)
    model.add_symmetry("d6", breaking_input("dihedral(6)", "closure"), seed=1)
    model.add_symmetry("a4", breaking_input("alternating(4)", "exact"), seed=2)
    return model


def _roundtrip(state):
    buf = io.BytesIO()
    torch.save(state, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


# ---------------------------------------------------------------------- saving and loading
def test_state_dict_round_trip_into_a_fresh_model_restores_outputs_exactly():
    model = _two_symmetry_model()
    model.add_symmetry("t44", breaking_input("torus_translations(4,4)", "sparse"), seed=3)
    model.add_task("sig", 3, 1, head="pooled", seed=4)
    state = _roundtrip(model.state_dict())
    xs = {"d6": data(3, 6), "a4": data(3, 4), "t44": data(3, 16)}

    fresh = small_model(seed=123)  # same hyperparameters, different weights, no symmetries, one task
    fresh.load_state_dict(state)
    rebuilt = ASEN.from_state_dict(state)
    for other in (fresh, rebuilt):
        assert other.symmetry_names == ["d6", "a4", "t44"] and other.task_names == ["default", "sig"]
        for name, x in xs.items():
            assert torch.equal(other(x, name), model(x, name))
        assert torch.equal(other(data(2, 6, 3), "d6", task="sig"), model(data(2, 6, 3), "d6", task="sig"))
    assert rebuilt.group("d6") == dihedral(6)


def test_load_after_adding_the_same_symmetries_restores_outputs_exactly():
    model = _two_symmetry_model()
    fresh = small_model(seed=7)
    fresh.add_symmetry("d6", breaking_input("dihedral(6)", "closure"), seed=9)
    fresh.load_state_dict(model.state_dict())
    assert torch.equal(fresh(data(2, 6), "d6"), model(data(2, 6), "d6"))


def test_from_state_dict_needs_the_extra_state():
    with pytest.raises(ValueError, match="_extra_state"):
        ASEN.from_state_dict({"body.x": torch.zeros(1)})


# ---------------------------------------------------------------------- batches
def _check_batch_equals_per_sample_forwards(model, x, names, head, *, tol):
    """``model(x, names)`` row by row equals each sample run alone under its symmetry; padded points are 0."""
    out = model(x, names)
    for b, name in enumerate(names):
        n = model.num_points(name)
        alone = model(x[b : b + 1, :n], name)[0]
        got = out[b] if head == "pooled" else (out[b, :n] if head == "point" else out[b, :n, :n])
        torch.testing.assert_close(got, alone, atol=tol, rtol=tol)
        if head == "point":
            assert torch.all(out[b, n:] == 0)


@pytest.mark.parametrize(
    "base, head",
    [
        ("gatv2", "point"),
        ("gatv2", "pooled"),
        ("gatv2", "pair"),
        ("transformer", "point"),
        ("orbital_mlp", "point"),
    ],
)
def test_mixed_symmetry_batch_equals_per_symmetry_forwards(base, head):
    """Samples of dihedral(6) (6 vertices) and exact A_4 (10 vertices) padded into one batch."""
    model = _two_symmetry_model(base=base, head=head, layers=3)
    _check_batch_equals_per_sample_forwards(model, data(5, 6), ["a4", "d6", "d6", "a4", "d6"], head, tol=1e-12)


def test_mixed_sparse_batch_and_grouped_forward():
    model = small_model()
    model.add_symmetry("c6", breaking_input("cyclic(6)", "sparse"), seed=1)
    model.add_symmetry("t44", breaking_input("torus_translations(4,4)", "sparse"), seed=2)
    xs = {"c6": data(2, 6), "t44": data(3, 16, seed=1)}
    grouped = model.forward_grouped(xs)
    for name, x in xs.items():
        torch.testing.assert_close(grouped[name], model(x, name), atol=1e-12, rtol=1e-12)


def test_mixed_batch_is_equivariant_per_sample():
    model = _two_symmetry_model()
    G = dihedral(6)
    x = data(2, 6)
    x[1, 4:] = 0  # the a4 sample uses points 0..3 only
    g = G.random_element(seed=0)
    out = model(x, ["d6", "a4"])
    moved = model(torch.stack([x[0, g.argsort()], x[1]]), ["d6", "a4"])
    torch.testing.assert_close(moved[0], out[0, g.argsort()], atol=1e-12, rtol=1e-12)
    torch.testing.assert_close(moved[1], out[1], atol=1e-12, rtol=1e-12)


@pytest.mark.parametrize("base, head", [("gatv2", "point"), ("gatv2", "pooled"), ("gatv2", "pair"),
                                        ("orbital_sum", "point"), ("transformer", "point")])
def test_a_batch_mixing_dense_and_sparse_symmetries_equals_per_symmetry_forwards(base, head):
    """Dense d6 (closure, 6 vertices) and exact a4 (10 vertices) with sparse t44 (16 points) in one batch: the
    batch runs on the sparse path, each dense symmetry as its complete arc list."""
    model = _two_symmetry_model(base=base, head=head, layers=3)
    model.add_symmetry("t44", breaking_input("torus_translations(4,4)", "sparse"), seed=3)
    names = ["a4", "t44", "d6", "t44", "a4"]
    _check_batch_equals_per_sample_forwards(model, data(5, 16), names, head, tol=1e-10)
    assert model.symmetry_batch(names, 5).path == "sparse" and model.symmetry_batch(["a4", "d6"], 2).path == "dense"


def test_a_pair_head_reads_the_point_pairs_of_a_sparse_symmetry():
    model = small_model(head="pair")
    model.add_symmetry("d", breaking_input("cyclic(6)", "closure"))
    model.add_symmetry("s", breaking_input("cyclic(6)", "sparse"))
    stored = model.symmetries["s"]
    dense = breaking_input("cyclic(6)", "sparse").pair_colors[:6, :6]
    assert stored.path == "sparse" and np.array_equal(stored.point_pair_colors().numpy(), dense)
    assert model(data(2, 6), ["d", "s"]).shape == (2, 6, 6, 2)
    _check_batch_equals_per_sample_forwards(model, data(3, 6), ["s", "d", "s"], "pair", tol=1e-10)
    report = check_exact_symmetry(model.bind("s"), cyclic(6), num_random_outside=4)
    assert report.passed, report


# ---------------------------------------------------------------------- transfer and tasks
def test_add_symmetry_to_a_trained_model_keeps_every_trained_weight():
    model = small_model()
    model.add_symmetry("c6", breaking_input("cyclic(6)", "closure"), seed=1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = data(8, 6), data(8, 6, seed=1)
    losses = []
    for _ in range(15):
        loss = (model(x, "c6") - y).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    before = {k: v.clone() for k, v in model.state_dict().items() if k != "_extra_state"}
    model.add_symmetry("d5", dihedral(5), mode="closure", seed=2)  # transfer: one call
    after = model.state_dict()
    assert all(torch.equal(after[k], v) for k, v in before.items())
    assert worst_in_group(model, "d5", dihedral(5), data(2, 5)) < TOL


def test_add_symmetry_accepts_groups_and_specs_via_asen_breaking():
    model = small_model()
    model.add_symmetry("from_group", cyclic(5))
    model.add_symmetry("from_spec", "cyclic(5)")
    expected = breaking_input("cyclic(5)", "exact")
    for name in ("from_group", "from_spec"):
        stored = model.symmetries[name]
        assert np.array_equal(stored.pair_colors.numpy(), expected.pair_colors)
        assert np.array_equal(stored.vertex_colors.numpy(), expected.vertex_colors)
    assert model.group("from_spec") == cyclic(5)


def test_tasks_share_the_body():
    model = small_model()
    model.add_task("inv", 3, 4, head="pooled", seed=1)
    model.add_symmetry("c6", breaking_input("cyclic(6)", "closure"))
    assert model(data(2, 6), "c6", task="default").shape == (2, 6, 2)
    out = model(data(2, 6, 3), "c6", task="inv")
    assert out.shape == (2, 4)
    out.sum().backward()
    assert model.body.convs[0].lin_src.weight.grad is not None
    assert model.tasks["default"].encoder[0].weight.grad is None


def test_same_seed_same_weights_and_float32_default():
    torch.set_default_dtype(torch.float32)
    a, b = small_model(seed=5), small_model(seed=5)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert next(a.parameters()).dtype == torch.float32
    assert not torch.equal(next(small_model(seed=6).parameters()), next(a.parameters()))


# ---------------------------------------------------------------------- errors and repr
def test_errors_name_the_problem():
    model = _two_symmetry_model()
    with pytest.raises(KeyError, match="unknown symmetry 'nope'"):
        model(data(1, 6), "nope")
    with pytest.raises(ValueError, match=r"x must have shape \(2, 6, 2\)"):
        model(data(2, 5), "d6")
    with pytest.raises(ValueError, match="2 names for a batch of 3"):
        model(data(3, 6), ["d6", "a4"])
    with pytest.raises(ValueError, match="symmetry name"):
        model.add_symmetry("a.b", symmetric_symmetry(3))
    with pytest.raises(ValueError, match="base must be one of"):
        ASEN(2, 2, base="gcn")
    with pytest.raises(ValueError, match="head must be one of"):
        model.add_task("t", 2, 2, head="edge")
    two = ASEN(base="gatv2", width=8, num_layers=1, heads=2)
    two.add_task("a", 2, 2)
    two.add_task("b", 2, 2)
    two.add_symmetry("s3", symmetric_symmetry(3))
    with pytest.raises(ValueError, match="pass task="):
        two(data(1, 3), "s3")
    with pytest.raises(KeyError, match="unknown task 'c'"):
        two(data(1, 3), "s3", task="c")
    with pytest.raises(TypeError, match="vertex_colors"):
        model.add_symmetry("bad", object())


def test_repr():
    model = _two_symmetry_model()
    assert repr(model) == (
        "ASEN(base='gatv2', width=16, layers=2, heads=2, pair_dim=16, symmetries=['d6', 'a4'], tasks=['default'])"
    )
    assert (
        repr(model.symmetries["a4"])
        == "StoredSymmetry(points=4, vertices=16, path='dense', pair_colors=(16, 16))"
    )
    assert repr(ASEN(base="orbital_mlp", width=8, num_layers=1)).startswith(
        "ASEN(base='orbital_mlp', width=8, layers=1,"
    )


def test_symmetric_input_makes_any_base_fully_permutation_equivariant():
    for base in ("gatv2", "transformer", "orbital_mlp"):
        model = small_model(base)
        model.add_symmetry("s5", symmetric_symmetry(5))
        assert worst_in_group(model, "s5", parse("symmetric(5)"), data(2, 5)) < TOL
        assert equivariance_error(model, "s5", np.array([4, 2, 0, 1, 3]), data(2, 5)) < TOL


# ---------------------------------------------------------------------- initialisation options
def test_color_init_std_scales_the_vertex_colour_embeddings():
    small = ASEN(2, 2, width=16, num_layers=1, color_init_std=0.05, point_color_init="scaled", seed=0)
    unit = ASEN(2, 2, width=16, num_layers=1, color_init_std=1.0, point_color_init="scaled", seed=0)
    for model in (small, unit):
        model.add_symmetry("g", "dihedral(6)", mode="closure", seed=3)
    a, b = small.symmetries["g"].vertex_embed, unit.symmetries["g"].vertex_embed
    torch.testing.assert_close(a, 0.05 * b)  # same seed, same draw, scaled
    with pytest.raises(ValueError, match="color_init_std"):
        ASEN(2, 2, color_init_std=-1.0)


def test_centered_point_colors_are_unit_scale_and_centred_over_the_points_aux_colors_small():
    from asen.breaking import symmetry_breaking_input
    from asen.groups import PermGroup

    # A_4 on 0..3 fixing 4: two point orbits, and auxiliary vertices (A_4 is not 2-closed)
    sym = symmetry_breaking_input(PermGroup([[1, 2, 0, 3, 4], [0, 2, 3, 1, 4]], degree=5), mode="exact")
    vc = np.asarray(sym.vertex_colors)
    n = sym.num_points
    point_cols = np.unique(vc[:n])
    aux_cols = np.setdiff1d(np.unique(vc), point_cols)
    centred = ASEN(2, 2, width=64, num_layers=2, seed=0)
    scaled = ASEN(2, 2, width=64, num_layers=2, point_color_init="scaled", seed=0)
    assert centred.config["point_color_init"] == "centered"  # the default
    for model in (centred, scaled):
        model.add_symmetry("g", sym, seed=3)
    e, raw = centred.symmetries["g"].vertex_embed.detach(), scaled.symmetries["g"].vertex_embed.detach() / 0.05
    rows = e[torch.as_tensor(vc[:n])]
    torch.testing.assert_close(rows.mean(0), torch.zeros(64))  # centred over the n points
    # unit-scale rows told apart: mean square 2 * (4 * 0.2^2 + 0.8^2) / 5 = 0.32 expected, not 0.05^2
    assert len(point_cols) == 2 and 0.1 < float(rows.pow(2).mean()) < 1.0
    torch.testing.assert_close(e[point_cols[0]] - e[point_cols[1]], raw[point_cols[0]] - raw[point_cols[1]])
    torch.testing.assert_close(e[aux_cols], 0.05 * raw[aux_cols])  # auxiliary colours keep color_init_std


def test_centered_point_color_of_a_transitive_group_starts_at_zero_and_bad_values_are_refused():
    model = ASEN(2, 2, width=8, num_layers=1, seed=0)
    model.add_symmetry("c", "cyclic(6)", mode="closure", seed=1)
    assert float(model.symmetries["c"].vertex_embed.detach().abs().max()) < 1e-12
    with pytest.raises(ValueError, match="point_color_init"):
        ASEN(2, 2, point_color_init="centred")


def _saved_without(model: ASEN, key: str) -> dict:
    """``model.state_dict()`` as a checkpoint saved before config option ``key`` existed."""
    state = model.state_dict()
    config = {k: v for k, v in state["_extra_state"]["config"].items() if k != key}
    return {**state, "_extra_state": {**state["_extra_state"], "config": config}}


def test_a_checkpoint_without_point_color_init_rebuilds_scaled_colours():
    model = ASEN(2, 2, width=8, num_layers=1, point_color_init="scaled", seed=0)
    model.add_symmetry("g", "cyclic(4)", mode="closure", seed=1)
    again = ASEN.from_state_dict(_saved_without(model, "point_color_init"))
    assert again.config["point_color_init"] == "scaled"
    x = torch.randn(3, 4, 2)
    torch.testing.assert_close(again(x, "g"), model(x, "g"))


def test_colour_init_std_is_a_deprecated_alias_also_in_old_checkpoints():
    with pytest.warns(DeprecationWarning, match="color_init_std"):
        old = ASEN(2, 2, width=8, num_layers=1, colour_init_std=0.05, seed=0)
    assert old.config["color_init_std"] == 0.05 and "colour_init_std" not in old.config
    with pytest.raises(TypeError, match="not both"):
        ASEN(2, 2, colour_init_std=0.05, color_init_std=0.05)
    old.add_symmetry("g", "cyclic(4)", mode="closure", seed=1)
    state = old.state_dict()
    config = dict(state["_extra_state"]["config"])
    config["colour_init_std"] = config.pop("color_init_std")  # a checkpoint saved before the rename
    state["_extra_state"] = {**state["_extra_state"], "config": config}
    with pytest.warns(DeprecationWarning, match="colour_init_std"):
        again = ASEN.from_state_dict(state)
    assert again.config["color_init_std"] == 0.05
    x = torch.randn(3, 4, 2)
    torch.testing.assert_close(again(x, "g"), old(x, "g"))


def test_encoder_norm_ends_the_encoder_with_a_layernorm_and_survives_a_round_trip():
    model = ASEN(3, 2, width=8, num_layers=1, base="orbital_sum", encoder_norm=True, seed=0)
    model.add_symmetry("g", "cyclic(5)", mode="closure", seed=1)
    enc = model.tasks["default"].encoder
    assert isinstance(enc[-1], torch.nn.LayerNorm)
    h = enc(torch.randn(4, 5, 3))
    torch.testing.assert_close(h.mean(-1), torch.zeros(4, 5), atol=1e-5, rtol=0)
    again = ASEN.from_state_dict(model.state_dict())
    x = torch.randn(2, 5, 3)
    torch.testing.assert_close(again(x, "g"), model(x, "g"))
    assert again.config["encoder_norm"] and again.config["base"] == "orbital_sum"


@pytest.mark.parametrize("block_norm, name", [(False, "none"), ("none", "none"), ("set", "set"), (True, "layer")])
def test_block_norm_round_trips(block_norm, name):
    model = ASEN(2, 2, width=8, num_layers=1, block_norm=block_norm, seed=0)
    model.add_symmetry("g", "cyclic(4)", mode="closure", seed=1)
    again = ASEN.from_state_dict(model.state_dict())
    assert again.config["block_norm"] == name == model.body.norm
    x = torch.randn(3, 4, 2)
    torch.testing.assert_close(again(x, "g"), model(x, "g"))


def test_block_norm_defaults_per_base_and_old_checkpoints_keep_the_layernorm():
    assert ASEN(width=8, num_layers=1).config["block_norm"] == "set"
    assert ASEN(width=8, num_layers=1, base="orbital_mlp").config["block_norm"] == "layer"
    assert ASEN(width=8, num_layers=1, base="transformer").config["block_norm"] == "layer"
    with pytest.raises(ValueError, match="block_norm must be one of"):
        ASEN(width=8, num_layers=1, block_norm="batch")
    with pytest.raises(ValueError, match="not defined for base='transformer'"):
        ASEN(width=8, num_layers=1, base="transformer", block_norm="set")
    normed = ASEN(2, 2, width=8, num_layers=1, block_norm=True, seed=0)  # what checkpoints before the key built
    normed.add_symmetry("g", "cyclic(4)", mode="closure", seed=1)
    old = ASEN.from_state_dict(_saved_without(normed, "block_norm"))
    assert old.config["block_norm"] == "layer"
    x = torch.randn(3, 4, 2)
    torch.testing.assert_close(old(x, "g"), normed(x, "g"))


@pytest.mark.parametrize("base", ["gatv2", "orbital_mlp", "orbital_sum", "transformer"])
def test_init_option_sets_build_every_base_and_name_the_same_options(base):
    assert set(DEFAULT_INIT) == set(LEGACY_INIT)
    default, explicit = ASEN(width=8, num_layers=1, base=base), ASEN(width=8, num_layers=1, base=base, **DEFAULT_INIT)
    assert explicit.config == default.config
    legacy = ASEN(width=8, num_layers=1, base=base, **LEGACY_INIT).config
    assert legacy["block_norm"] == "layer" and legacy["encoder_norm"] == "none" and legacy["orbital_rank"] is None


def test_orbital_aggregate_caps_only_where_auxiliary_vertices_send_and_old_checkpoints_sum():
    kw = {"width": 8, "num_layers": 2, "heads": 2, "seed": 0}
    capped, summed = ASEN(2, 2, **kw), ASEN(2, 2, orbital_aggregate="sum", **kw)
    assert capped.config["orbital_aggregate"] == "capped" and "orbital_aggregate='capped'" in repr(capped.body)
    for name, sym in (("d6", breaking_input("dihedral(6)", "closure")), ("a4", breaking_input("alternating(4)", "exact"))):
        capped.add_symmetry(name, sym, seed=1)
        summed.add_symmetry(name, sym, seed=1)
    x = data(3, 6)
    torch.testing.assert_close(capped(x, "d6"), summed(x, "d6"), atol=1e-12, rtol=1e-12)  # d = n: the same
    assert (capped(x[:, :4], "a4") - summed(x[:, :4], "a4")).abs().max() > 1e-6  # 12 frames send to 4 points
    old = ASEN.from_state_dict(_saved_without(summed, "orbital_aggregate"))
    assert old.config["orbital_aggregate"] == "sum"
    torch.testing.assert_close(old(x[:, :4], "a4"), summed(x[:, :4], "a4"))
    with pytest.raises(ValueError, match="orbital_aggregate must be one of"):
        ASEN(width=8, orbital_aggregate="mean")


# ---------------------------------------------------------------------- checks of the data and arguments
def test_forward_grouped_checks_each_symmetrys_data():
    model = _two_symmetry_model()
    a4 = data(3, 4)
    for wrong in (data(2, 5), data(2, 7), data(2, 6, 3)):  # fewer points (padded), more (truncated), width
        with pytest.raises(ValueError, match=r"inputs\['d6'\] must have shape \(2, 6, 2\) for symmetry 'd6'"):
            model.forward_grouped({"d6": wrong, "a4": a4})
    with pytest.raises(TypeError, match=r"inputs\['d6'\] must be a torch.Tensor, got ndarray"):
        model.forward_grouped({"d6": data(2, 6).numpy(), "a4": a4})
    with pytest.raises(TypeError, match="inputs must be a mapping"):
        model.forward_grouped([data(2, 6)])


def test_forward_names_bad_data_and_symmetry_arguments():
    model = _two_symmetry_model()
    x = data(2, 6)
    for wrong in (x.numpy(), x.tolist()):
        with pytest.raises(TypeError, match="x must be a torch.Tensor"):
            model(wrong, "d6")
    for wrong in (None, 3):
        with pytest.raises(TypeError, match="symmetry must be a name or a list of names"):
            model(x, wrong)
    with pytest.raises(ValueError, match="symmetry is an empty list"):
        model(data(0, 6), [])
    for dtype in (torch.float32, torch.float16, torch.int64, torch.bool):  # the model is float64 here
        with pytest.raises(TypeError, match=rf"x has dtype {dtype}, the model torch.float64"):
            model(x.to(dtype), "d6")
    fp32 = small_model().float()
    fp32.add_symmetry("d6", breaking_input("dihedral(6)", "closure"))
    with torch.autocast("cpu", dtype=torch.bfloat16):  # autocast casts itself: its inputs are let through
        assert fp32(x.bfloat16(), "d6").shape == (2, 6, 2)


def test_the_constructor_refuses_sizes_and_dropouts_it_cannot_build():
    for kw, match in (({"num_layers": 0}, "num_layers must be a positive int"),
                      ({"width": 0}, "width must be a positive int"),
                      ({"dropout": 2.0}, r"dropout must be a number in \[0, 1\)"),
                      ({"dropout": 1.0}, "dropout"), ({"dropout": -0.1}, "dropout")):  # fmt: skip
        with pytest.raises(ValueError, match=match):
            ASEN(2, 2, **{"width": 8, "heads": 2, **kw})


def test_the_mlp_base_refuses_symmetries_it_cannot_run_in_add_symmetry():
    model = ASEN(2, 2, base="mlp", max_vertices=12, width=8, num_layers=1, seed=0)
    model.add_symmetry("d6", breaking_input("dihedral(6)", "closure"))
    with pytest.raises(ValueError, match="'a4' has 16 vertices; the mlp base was built for max_vertices=12"):
        model.add_symmetry("a4", breaking_input("alternating(4)", "exact"))
    with pytest.raises(ValueError, match="'c6s': the mlp base has no sparse path"):
        model.add_symmetry("c6s", breaking_input("cyclic(6)", "sparse"))
    assert model.symmetry_names == ["d6"]


@pytest.mark.parametrize(
    "base, head, encoder_norm",
    [("gatv2", "point", "set"), ("gatv2", "pooled", "none"), ("gatv2", "point", "layer"),
     ("transformer", "point", "set"), ("transformer", "pooled", "none")],
)  # fmt: skip
def test_nan_and_inf_padding_of_a_mixed_batch_is_ignored_forward_and_backward(base, head, encoder_norm):
    model = _two_symmetry_model(base=base, head=head, encoder_norm=encoder_norm)
    names = ["d6", "a4", "a4"]  # a4 samples use points 0..3 of 6

    def run(fill):
        x = data(3, 6)
        x[1:, 4:] = fill
        model.zero_grad()
        y = model(x, names)
        y.square().sum().backward()
        return y.detach(), [p.grad.clone() for p in model.parameters() if p.grad is not None]

    y0, g0 = run(0.0)
    for fill in (float("nan"), float("inf"), -float("inf")):
        y, g = run(fill)
        assert torch.equal(y, y0)
        assert len(g) == len(g0) and all(torch.equal(a, b) for a, b in zip(g, g0))


# ---------------------------------------------------------------------- loading checks
def test_a_failed_load_removes_what_it_added_and_leaves_the_model_as_it_was():
    saved = _two_symmetry_model()
    saved.add_task("sig", 2, 1, head="pooled", seed=4)
    state = saved.state_dict()
    x = data(2, 7)

    def snapshot(model):
        tensors = {k: v.clone() for k, v in model.state_dict().items() if isinstance(v, torch.Tensor)}
        return model.symmetry_names, model.task_names, tensors

    def unchanged(model, before):
        names, tasks, tensors = snapshot(model)
        old = before[2]
        equal = tensors.keys() == old.keys() and all(torch.equal(v, old[k]) for k, v in tensors.items())
        return (names, tasks) == before[:2] and equal

    wide = ASEN(2, 2, width=32, num_layers=2, heads=2, seed=0)
    wide.add_symmetry("c7", breaking_input("cyclic(7)", "closure"), seed=1)
    before, y = snapshot(wide), wide(x, "c7")
    with pytest.raises(ValueError, match="another config .*width: checkpoint 16, model 32"):
        wide.load_state_dict(state)  # the config tells
    assert unchanged(wide, before) and torch.equal(wide(x, "c7"), y)
    no_config = {**state, "_extra_state": {k: v for k, v in state["_extra_state"].items() if k != "config"}}
    with pytest.raises(RuntimeError, match="size mismatch for body"):
        wide.load_state_dict(no_config)  # the shapes tell, before anything is copied
    assert unchanged(wide, before)

    same = small_model(seed=3)  # the same config, and a symmetry the checkpoint lacks: strict load fails late
    same.add_symmetry("c7", breaking_input("cyclic(7)", "closure"), seed=1)
    with pytest.raises(RuntimeError, match="Missing key.*symmetries.c7"):
        same.load_state_dict(state)
    assert same.symmetry_names == ["c7"] and same.task_names == ["default"]


def test_load_state_dict_refuses_another_config_or_task_spec():
    kw = {"width": 8, "num_layers": 2, "heads": 2, "seed": 0}
    capped = ASEN(2, 2, **kw)
    capped.add_symmetry("a4", breaking_input("alternating(4)", "exact"), seed=1)
    summed = ASEN(2, 2, orbital_aggregate="sum", **kw)
    with pytest.raises(ValueError, match="orbital_aggregate: checkpoint 'capped', model 'sum'.*from_state"):
        summed.load_state_dict(capped.state_dict())
    pooled = ASEN(2, 2, head="pooled", **kw)
    with pytest.raises(ValueError, match=r"task 'default' is not the model's \(head: checkpoint 'point', mo"):
        pooled.load_state_dict(capped.state_dict())
    assert summed.symmetry_names == pooled.symmetry_names == []
    # a checkpoint saved before orbital_aggregate existed summed: it loads into a sum model, not a capped one
    legacy = _saved_without(capped, "orbital_aggregate")
    with pytest.raises(ValueError, match="orbital_aggregate: checkpoint 'sum', model 'capped'"):
        ASEN(2, 2, **kw).load_state_dict(legacy)
    summed.load_state_dict(legacy)
    # training and init options do not change what the weights compute: they may differ
    other = ASEN(2, 2, dropout=0.5, color_init_std=1.0, point_color_init="scaled", **{**kw, "seed": 5}).eval()
    other.load_state_dict(capped.state_dict())
    x = data(3, 4)
    assert torch.equal(other(x, "a4"), capped(x, "a4"))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_from_state_dict_keeps_the_checkpoints_dtype(dtype):
    model = _two_symmetry_model().to(dtype)
    torch.set_default_dtype(torch.float32 if dtype == torch.float64 else torch.float64)  # conftest restores
    again = ASEN.from_state_dict(_roundtrip(model.state_dict()))
    assert {p.dtype for p in again.parameters()} == {dtype}
    x = data(2, 6).to(dtype)
    assert torch.equal(again(x, "d6"), model(x, "d6"))
