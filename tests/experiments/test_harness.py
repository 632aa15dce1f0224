"""The shared harness: seeded training, accuracy, aggregation, the files it writes and run_experiment."""

import importlib
import inspect
import json
import warnings

import numpy as np
import pytest
import torch

from asen.cli.main import main
from asen.experiments import harness
from asen.experiments.harness import (
    Report,
    TaskData,
    build_model,
    evaluate,
    mean_std,
    plot_lines,
    resolve_setting,
    run_experiment,
    train,
    write_rows,
)
from asen.experiments.registry import EXPERIMENTS, resolve_experiment
from asen.models import DEFAULT_INIT, LEGACY_INIT


def _toy(seed=0, m=48):
    g = torch.Generator().manual_seed(seed)
    tok = torch.randint(0, 3, (m, 5), generator=g)
    x = torch.nn.functional.one_hot(tok, 3).float()
    y = (tok == 0).long()  # per-point label: is this token 0? (S_5-equivariant)
    y[:, 0] = -1  # an ignored label
    return TaskData(
        "is0", x[:32], y[:32], x[32:], y[32:], head="point", num_classes=2, symmetry="symmetric(5)"
    )


def test_training_is_seeded_and_learns_an_easy_task():
    task = _toy()
    runs = []
    for _ in range(2):
        model = build_model([task], width=16, num_layers=1, heads=2, seed=3)
        runs.append(train(model, [task], steps=20, batch_size=16, lr=2e-2, seed=5, progress=False))
    assert runs[0] == runs[1]
    assert runs[0][-1] < runs[0][0]
    acc = evaluate(model, task)
    assert acc["accuracy"] > 0.9 and 0.0 <= acc["exact_match"] <= acc["accuracy"] + 1e-9


def test_evaluate_ignores_unlabelled_entries():
    task = _toy()
    model = build_model([task], width=8, num_layers=1, heads=1, seed=0)
    with torch.no_grad():
        pred = model(task.x_test, task.symmetry, task=task.name).argmax(-1)
    y = task.y_test
    expected = float(((pred == y) & (y >= 0)).sum()) / float((y >= 0).sum())
    assert abs(evaluate(model, task, batch_size=5)["accuracy"] - expected) < 1e-12


def test_subset_is_seeded_and_keeps_the_test_set():
    task = _toy()
    a, b = task.subset(10, seed=1), task.subset(10, seed=1)
    assert torch.equal(a.x_train, b.x_train) and len(a.x_train) == 10 and a.x_test is task.x_test


def test_mean_std_write_rows_and_plot(tmp_path):
    rows = [
        {"model": m, "size": s, "seed": k, "acc": 0.5 + 0.1 * k + (m == "b") * 0.2}
        for m in "ab"
        for s in (10, 20)
        for k in range(3)
    ]
    summary = mean_std(rows, ["model", "size"], "acc")
    assert summary[0] == {
        "model": "a",
        "size": 10,
        "mean": 0.6,
        "std": round(float(np.std([0.5, 0.6, 0.7])), 4),
        "n": 3,
    }
    csv_path, json_path = write_rows(rows, tmp_path, "toy", meta={"seeds": [0, 1, 2]})
    assert csv_path.read_text().splitlines()[0] == "model,size,seed,acc"
    assert json.loads(json_path.read_text())["meta"] == {"seeds": [0, 1, 2]}
    png = plot_lines(summary, x="size", series="model", path=tmp_path / "toy.png", logx=True)
    assert png.read_bytes()[:4] == b"\x89PNG"


# ----------------------------------------------------------------------------- run_experiment
TOY_QUICK = {"xs": [1, 2], "seeds": [0], "color_init_std": 1.0}
TOY_FULL = {"xs": [1, 2, 3], "seeds": [0, 1], "color_init_std": 1.0}


def toy_unit(*, x, seed, cfg, device, progress):
    """A training-free unit: one row (module level, so a process pool could pickle it)."""
    return [{"x": x, "seed": seed, "accuracy": 0.1 * x + 0.01 * seed, "std_used": cfg["color_init_std"]}]


def _toy_plan(cfg):
    if not cfg["xs"]:
        raise ValueError("xs must not be empty")
    return [{"x": x, "seed": s} for x in cfg["xs"] for s in cfg["seeds"]]


def _toy_report(run):
    summary = mean_std(run.rows, ["x"], "accuracy")
    extra_table = [{"n_units": len(run.units), "prepared": run.prepared}]
    plot = lambda: plot_lines(summary, x="x", series="x", path=run.out / "toy.png")
    return Report(summary, tables={"extra": extra_table}, plots=[plot], extra={"stem": run.stem})


def _run_toy(tmp_path, **kw):
    return run_experiment("toy-run", quick_setting=TOY_QUICK, full_setting=TOY_FULL, plan=_toy_plan, unit=toy_unit,
                          report=_toy_report, out_dir=tmp_path, progress=False, **kw)


def test_run_experiment_writes_rows_summary_tables_then_plots(tmp_path):
    result = _run_toy(tmp_path, quick=False, seeds=[4], overrides={"colour_init_std": 0.05}, timed=True,
                      meta={"note": "toy"}, prepare=lambda cfg: len(cfg["xs"]))
    names = ["toy_run.csv", "toy_run_summary.csv", "toy_run_extra.csv", "toy.png"]
    assert [p.split("/")[-1] for p in result["files"]] == names
    assert list(result) == ["summary", "files", "stem", "wall_seconds"] and result["stem"] == "toy_run"
    assert [r["x"] for r in result["summary"]] == [1, 2, 3]
    meta = json.loads((tmp_path / "toy_run.json").read_text())["meta"]
    assert list(meta) == ["experiment", "quick", "config", "device", "note", "wall_seconds"]
    assert meta["config"] == {"xs": [1, 2, 3], "seeds": [4], "color_init_std": 0.05}  # alias -> new key
    rows = json.loads((tmp_path / "toy_run.json").read_text())["rows"]
    assert {r["std_used"] for r in rows} == {0.05} and {r["seed"] for r in rows} == {4}
    extra = json.loads((tmp_path / "toy_run_extra.json").read_text())["rows"]
    assert extra == [{"n_units": 3, "prepared": 3}]


def test_run_experiment_checks_the_setting_before_anything_runs(tmp_path):
    with pytest.raises(ValueError, match="unknown setting 'bogus'"):
        _run_toy(tmp_path, quick=True, overrides={"bogus": 1})
    with pytest.raises(ValueError, match="given twice"):
        _run_toy(tmp_path, quick=True, overrides={"colour_init_std": 0.1, "color_init_std": 0.2})
    with pytest.raises(ValueError, match="xs must not be empty"):
        _run_toy(tmp_path, quick=True, overrides={"xs": []})
    assert not list(tmp_path.iterdir())
    result = _run_toy(tmp_path, quick=True)  # untimed: no wall_seconds anywhere
    assert "wall_seconds" not in result
    assert "wall_seconds" not in json.loads((tmp_path / "toy_run.json").read_text())["meta"]


def test_resolve_setting_keeps_the_seed_container_and_maps_the_old_colour_key():
    assert resolve_setting({"seeds": (0,)}, {}, quick=True, seeds=[1, 2], overrides={})["seeds"] == (1, 2)
    assert resolve_setting({"seeds": [0]}, {}, quick=True, seeds=(1, 2), overrides={})["seeds"] == [1, 2]
    cfg = resolve_setting({"color_init_std": 1.0}, {}, quick=True, seeds=None, overrides={"colour_init_std": 0.05})
    assert cfg == {"color_init_std": 0.05}


def _modules():
    return {name: importlib.import_module(target.split(":")[0]) for name, target in EXPERIMENTS.items()}


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_every_registered_experiment_runs_through_run_experiment(name, monkeypatch, tmp_path):
    """Each driver hands its setting, plan, unit and report to harness.run_experiment (no training here)."""
    module = _modules()[name]
    assert module.run_experiment is harness.run_experiment
    calls = []

    def spy(exp_name, **kw):
        calls.append((exp_name, kw))
        return {"summary": [], "files": []}

    monkeypatch.setattr(module, "run_experiment", spy)
    assert resolve_experiment(name)(quick=True, out_dir=str(tmp_path), seeds=[7], progress=False) == {
        "summary": [], "files": []}
    (exp_name, kw), = calls
    assert exp_name == name and kw["quick"] is True and kw["out_dir"] == str(tmp_path) and kw["seeds"] == [7]
    assert kw["quick_setting"] is module.QUICK and kw["full_setting"] is module.FULL and kw["unit"] is module.unit
    for quick in (True, False):  # every planned run fits the unit's keywords, in both settings
        cfg = resolve_setting(module.QUICK, module.FULL, quick=quick, seeds=None, overrides={})
        units = kw["plan"](cfg)
        assert units
        for u in units:
            inspect.signature(module.unit).bind(**u, cfg=cfg, device="cpu", progress=False)
    assert not list(tmp_path.iterdir())


def test_the_quick_and_full_settings_know_the_same_keys_and_the_new_colour_name():
    for name, module in _modules().items():
        assert set(module.QUICK) == set(module.FULL), name
        assert "colour_init_std" not in module.FULL, name


def test_old_colour_key_on_the_command_line_reaches_the_model(monkeypatch, tmp_path):
    from asen.experiments import multitask

    seen = []
    real_unit = multitask.unit

    def unit(**kw):
        seen.append(kw["cfg"]["color_init_std"])
        return real_unit(**kw)

    monkeypatch.setattr(multitask, "unit", unit)
    built = []
    real_build = multitask.build_model
    monkeypatch.setattr(multitask, "build_model", lambda *a, **k: built.append(k) or real_build(*a, **k))
    argv = ["experiment", "multitask", "--quick", "--out", str(tmp_path), "--no-progress", "--set",
            "colour_init_std=0.05", "--set", "sizes=[8]", "--set", "steps=1", "--set", "task_counts=[1]"]
    assert main(argv) == 0
    assert seen and set(seen) == {0.05}
    assert {k["color_init_std"] for k in built} == {0.05}
    meta = json.loads((tmp_path / "multitask.json").read_text())["meta"]
    assert meta["config"]["color_init_std"] == 0.05 and "colour_init_std" not in meta["config"]


def test_build_model_takes_color_init_std_and_the_old_spelling_with_a_warning():
    task = _toy()
    model = build_model([task], width=8, num_layers=1, heads=1, seed=0, color_init_std=0.05)
    assert model.config["color_init_std"] == 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DeprecationWarning, match="color_init_std"):
            build_model([task], width=8, num_layers=1, heads=1, seed=0, colour_init_std=0.05)
    with pytest.warns(DeprecationWarning):
        old = build_model([task], width=8, num_layers=1, heads=1, seed=0, colour_init_std=0.05)
    assert old.config["color_init_std"] == 0.05


def test_build_model_passes_every_init_option_and_names_unknown_ones():
    task = _toy()
    model = build_model([task], width=8, num_layers=1, heads=1, seed=0, **LEGACY_INIT)
    assert {k: model.config[k] for k in LEGACY_INIT} == LEGACY_INIT
    default = build_model([task], width=8, num_layers=1, heads=1, seed=0)
    assert all(default.config[k] == v for k, v in DEFAULT_INIT.items() if v is not None)
    with pytest.raises(TypeError, match=r"build_model: unknown init option\(s\) \['block_norms'\]"):
        build_model([task], width=8, num_layers=1, heads=1, seed=0, block_norms="layer")
