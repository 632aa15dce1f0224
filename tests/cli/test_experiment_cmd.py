"""``asen experiment``: the flags no other test exercises (--seeds, --jobs, --device), on a tiny setting.

``--quick``, ``--out``, ``--set``, ``--json`` and ``--no-progress`` are covered by
``tests/experiments/test_experiments.py``; here the quick multitask setting is shrunk further with ``--set``
(one step, 8 samples) so that each run trains real models in a few seconds.
"""

from __future__ import annotations

import csv
import json

import pytest

from asen.cli.main import main

TINY = ["--quick", "--no-progress", "--set", "steps=1", "--set", "test=8", "--set", "sizes=[8]"]


def _run(tmp_path, *flags):
    status = main(["experiment", "multitask", *TINY, "--out", str(tmp_path), *flags])
    rows = list(csv.DictReader((tmp_path / "multitask.csv").read_text().splitlines()))
    meta = json.loads((tmp_path / "multitask.json").read_text())["meta"]
    return status, rows, meta


def test_seeds_and_device_reach_the_runs(tmp_path):
    status, rows, meta = _run(tmp_path, "--seeds", "5", "6", "--device", "cpu")
    assert status == 0
    assert meta["config"]["seeds"] == [5, 6] and meta["device"] == "cpu"
    assert {r["seed"] for r in rows} == {"5", "6"}
    assert len(rows) == 2 * 6  # per seed: 3 models x 2 tasks


def test_jobs_runs_the_same_units_in_worker_processes(tmp_path):
    """--jobs 2 spawns a pool; every run is seeded, so the rows equal the in-process ones."""
    _, serial, _ = _run(tmp_path / "serial", "--seeds", "5", "6")
    status, parallel, _ = _run(tmp_path / "parallel", "--seeds", "5", "6", "--jobs", "2")
    assert status == 0
    key = lambda r: (r["model"], r["task"], r["seed"])  # noqa: E731
    assert sorted(parallel, key=key) == sorted(serial, key=key) and len(serial) == 12


def test_jobs_must_be_positive(capsys, tmp_path):
    assert main(["experiment", "multitask", *TINY, "--out", str(tmp_path), "--jobs", "0"]) == 2
    assert "jobs must be a positive int, got 0" in capsys.readouterr().err
    assert not (tmp_path / "multitask.csv").exists()


def test_unknown_device_is_a_usage_error(capsys, tmp_path):
    assert main(["experiment", "multitask", *TINY, "--out", str(tmp_path), "--device", "nosuchdevice"]) == 2
    assert "not a torch device: 'nosuchdevice'" in capsys.readouterr().err
    assert not (tmp_path / "multitask.csv").exists()


def test_an_absent_accelerator_is_a_usage_error(capsys, tmp_path):
    import torch

    if torch.cuda.is_available():  # the lent GPU machine: the device exists, nothing to refuse
        assert torch.device("cuda").type == "cuda"
        return
    assert main(["experiment", "multitask", *TINY, "--out", str(tmp_path), "--device", "cuda"]) == 2
    assert "no cuda device is available" in capsys.readouterr().err


def test_parse_overrides_reads_json_and_names_bad_items():
    from asen.cli.experiment_cmd import parse_overrides

    assert parse_overrides(["steps=900", " lr =3e-4", 'norm="none"']) == {"steps": 900, "lr": 3e-4, "norm": "none"}
    assert parse_overrides(["steps=1"], allowed={"steps": 300}) == {"steps": 1}
    with pytest.raises(ValueError, match=r"--cfg takes KEY=JSON, got 'steps'"):
        parse_overrides(["steps"], flag="--cfg")
    with pytest.raises(ValueError, match=r"--cfg bogus: not one of \['lr', 'steps'\]"):
        parse_overrides(["bogus=1"], flag="--cfg", allowed={"steps": 1, "lr": 1})
    with pytest.raises(ValueError, match="--set held_out: value must be JSON"):
        parse_overrides(["held_out=[oops"])
