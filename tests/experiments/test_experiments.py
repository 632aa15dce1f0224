"""Smoke tests: every sequence experiment runs end to end with --quick and writes its CSV/JSON/PNG."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from asen.cli.main import main
from asen.experiments.registry import EXPERIMENTS, resolve_experiment


@pytest.mark.parametrize(
    "name, keys",
    [
        ("multitask", {"model", "num_tasks", "train_size", "seed", "task", "accuracy"}),
        ("transfer", {"held_out", "arm", "seed", "finetune_samples", "accuracy"}),
    ],
)
def test_quick_experiment_through_main(name, keys, tmp_path, capsys):
    assert main(["experiment", name, "--quick", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "quick setting" in out and f"{name}.png" in out
    rows = list(csv.DictReader((tmp_path / f"{name}.csv").read_text().splitlines()))
    assert rows and keys <= set(rows[0])
    assert all(0.0 <= float(r["accuracy"]) <= 1.0 for r in rows)
    meta = json.loads((tmp_path / f"{name}.json").read_text())["meta"]
    assert meta["quick"] is True and meta["config"]["seeds"] == [0]
    assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"


def test_quick_misspecification_through_the_console_script(tmp_path):
    exe = Path(sys.executable).with_name("asen")
    proc = subprocess.run(
        [
            str(exe),
            "experiment",
            "misspecification",
            "--quick",
            "--out",
            str(tmp_path),
            "--json",
            "--no-progress",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert {r["variant"] for r in summary} == {"true", "larger", "trivial"}
    assert (tmp_path / "misspecification_summary.csv").exists()


def test_registry_and_unknown_names(capsys):
    assert {"multitask", "transfer", "misspecification"} <= set(EXPERIMENTS)
    assert callable(resolve_experiment("transfer"))
    with pytest.raises(ValueError, match="unknown experiment 'nope'"):
        resolve_experiment("nope")
    with pytest.raises(SystemExit):
        main(["experiment", "nope"])


def test_set_overrides_are_checked_before_any_training(capsys):
    assert main(["experiment", "multitask", "--quick", "--set", "bogus=1"]) == 2
    assert "unknown setting 'bogus'" in capsys.readouterr().err
    assert main(["experiment", "transfer", "--quick", "--set", "steps"]) == 2
    assert "KEY=JSON" in capsys.readouterr().err
    assert main(["experiment", "transfer", "--quick", "--set", "held_out=[oops"]) == 2
    assert "must be JSON" in capsys.readouterr().err
