"""``asen verify MODULE:FACTORY --group SPEC``: verdicts, exit status, options, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from asen.cli.main import main
from asen.cli.verify_cmd import load_factory, parse_shape

HERE = Path(__file__).resolve().parent
FACTORIES = HERE.parent / "verify"
ASEN = Path(sys.executable).with_name("asen")


@pytest.fixture(autouse=True)
def _factories_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(FACTORIES))


def test_equivariant_model_exits_0(capsys):
    assert main(["verify", "verify_factories:deepsets", "--group", "symmetric(10)"]) == 0
    assert "PASSED" in capsys.readouterr().out


def test_broken_model_exits_1_with_a_counterexample(capsys):
    assert main(["verify", "verify_factories:position_bias", "--group", "cyclic(10)"]) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and "counterexample" in out


def test_exact_asks_for_more(capsys):
    assert main(["verify", "verify_factories:symmetric_conv", "--group", "cyclic(10)"]) == 0
    assert main(["verify", "verify_factories:symmetric_conv", "--group", "cyclic(10)", "--exact"]) == 1
    assert "dihedral(10)" in capsys.readouterr().out
    assert main(["verify", "verify_factories:circular_conv", "--group", "cyclic(10)", "--exact"]) == 0


def test_a_bound_asen_needs_no_axes_flags(capsys):
    assert main(["verify", "verify_factories:asen_a5", "--group", "alternating(5)", "--exact", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] and out["equivariance"]["out_axes"] == ["none"]


def test_training_mode_flags():
    target = ["verify", "verify_factories:dropout_left_in_training_mode", "--group", "symmetric(10)"]
    assert main(target) == 1
    assert main([*target, "--eval"]) == 0
    assert main([*target, "--train"]) == 1


def test_axes_shapes_and_json(capsys):
    args = ["verify", "verify_factories:pair_layer", "--group", "symmetric(10)", "--in-axes", "1,2"]
    assert main(args + ["--shape", "1,n,n", "--json", "--seed", "3"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["passed"] and d["in_axes"] == ["1,2"] and d["seed"] == 3
    assert (
        main(["verify", "verify_factories:sum_pool", "--group", "symmetric(10)", "--out-axes", "none"]) == 0
    )


def test_errors_exit_2(capsys):
    assert main(["verify", "verify_factories:not_a_model", "--group", "cyclic(3)"]) == 2
    assert main(["verify", "verify_factories:missing", "--group", "cyclic(3)"]) == 2
    assert main(["verify", "no_such_module_xyz:f", "--group", "cyclic(3)"]) == 2
    assert main(["verify", "verify_factories:deepsets", "--group", "cyclic(3)", "--in-axes", "5"]) == 2
    err = capsys.readouterr().err
    assert "not callable" in err and "no attribute 'missing'" in err and "pass shapes=" in err


def test_helpers():
    assert parse_shape("1,n,8", 10) == (1, 10, 8)
    with pytest.raises(ValueError, match="comma-separated"):
        parse_shape("1,m", 3)
    with pytest.raises(ValueError, match="MODULE:FACTORY"):
        load_factory("verify_factories")
    assert callable(load_factory(f"{FACTORIES / 'verify_factories.py'}:deepsets"))


def test_console_script_in_a_subprocess():
    out = subprocess.run(
        [str(ASEN), "verify", "verify_factories:position_bias", "--group", "symmetric(10)", "--json"],
        cwd=FACTORIES, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 1, out.stderr
    d = json.loads(out.stdout)
    assert not d["passed"] and d["counterexample"]["cycles"].count(",") == 1  # a transposition


def _report(capsys, *argv):
    status = main(["verify", *argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_num_inputs_and_num_elements(capsys):
    """--num-inputs generated inputs; --num-elements random elements on top of the identity and generators."""
    from asen.groups.spec import resolve

    gens = len(resolve("symmetric(10)").generators)
    target = ["verify_factories:deepsets", "--group", "symmetric(10)"]
    status, default = _report(capsys, *target)
    assert status == 0 and (default["num_inputs"], default["num_elements"]) == (8, 1 + gens + 16)
    status, small = _report(capsys, *target, "--num-inputs", "3", "--num-elements", "5")
    assert status == 0 and (small["num_inputs"], small["num_elements"]) == (3, 1 + gens + 5)
    assert small["num_checks"] == 3 * (1 + gens + 5) < default["num_checks"]


def test_float64_tightens_the_tolerance(capsys):
    target = ["verify_factories:deepsets", "--group", "symmetric(10)"]
    _, f32 = _report(capsys, *target)
    _, f64 = _report(capsys, *target, "--float64")
    assert f32["precision"] == "float32" and f64["precision"] == "float64"
    assert f64["rtol"] < f32["rtol"] and f64["max_abs_error"] < 1e-12 < f32["max_abs_error"]


UNBATCHED = '''
import torch

SHAPES = []


class Centre(torch.nn.Module):
    """Takes one sample (n, 3), no batch axis: subtracts the mean over the points."""

    def forward(self, x):
        SHAPES.append(tuple(x.shape))
        return x - x.mean(0, keepdim=True)


def centre():
    return Centre()
'''


def test_batch_axis_none_calls_the_model_on_single_samples(capsys, tmp_path, monkeypatch):
    (tmp_path / "unbatched_factories.py").write_text(UNBATCHED)
    monkeypatch.syspath_prepend(str(tmp_path))
    import unbatched_factories

    argv = ["unbatched_factories:centre", "--group", "cyclic(6)", "--in-axes", "0", "--shape", "n,3"]
    status, report = _report(capsys, *argv, "--batch-axis", "none")
    assert status == 0 and report["passed"]
    assert unbatched_factories.SHAPES and set(unbatched_factories.SHAPES) == {(6, 3)}  # one sample per call
    unbatched_factories.SHAPES.clear()
    # the default batch axis 0 stacks examples along axis 0, which this model reads as more points
    status, report = _report(capsys, *argv)
    assert max(s[0] for s in unbatched_factories.SHAPES) > 6
    assert status == 1 and not report["batch_independent"]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def build(:\n", "SyntaxError: invalid syntax"),
        ("raise RuntimeError('no GPU here')\n", "RuntimeError: no GPU here"),
        ("def build():\n    raise KeyError('width')\n", "build() raised KeyError: 'width'"),
    ],
    ids=["syntax error", "raises at import", "factory raises"],
)
def test_a_module_or_factory_that_raises_is_a_usage_error(capsys, tmp_path, monkeypatch, source, message):
    """Exit 1 means "not equivariant"; a broken module or factory is exit 2 with one line naming it."""
    name = f"asen_broken_{abs(hash(source))}"
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    for target, where in [(f"{name}:build", f"module {name!r}"), (f"{tmp_path / name}.py:build", name)]:
        assert main(["verify", target, "--group", "cyclic(3)"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("asen verify: error:") and err.count("\n") == 1 and message in err
        assert where in err or f"{target}()" in err


def test_shapes_take_ascii_digits_only():
    for text in ("1,n,\u00b2", "1,n,\u0663"):  # superscript 2 (int() fails), Arabic-Indic 3 (int() reads 3)
        with pytest.raises(ValueError, match="comma-separated integers"):
            parse_shape(text, 4)
