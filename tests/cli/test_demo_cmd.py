"""``asen demo`` through ``asen.cli.main.main``: exit status, the printed tables, and each flag's effect.

The demo's own sizes (400 training samples, width 32, 600 steps of cube chirality) are not CLI options, and
even ``--steps 1`` takes over a minute on the shared 2-core machine. The default-run tests therefore call
the real :func:`asen.experiments.demo.run_demo` (real nauty, real training, real verifier) with smaller
data and model sizes bound in, and leave every CLI flag to the command; the unshrunk command with the
smallest setting the CLI allows runs with ``-m slow``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import asen.experiments.demo as demo_module
from asen.cli.main import build_parser, main

TINY = {"train_size": 40, "test_size": 40, "width": 8, "layers": 1, "heads": 1, "chirality_steps": 3}


@pytest.fixture
def tiny_demo(monkeypatch):
    """The real run_demo with small data and models; the CLI still chooses steps, seed, out and progress."""
    calls = []
    real = demo_module.run_demo

    def run_demo(**kwargs):
        calls.append(kwargs)
        return functools.partial(real, **TINY)(**kwargs)

    monkeypatch.setattr(demo_module, "run_demo", run_demo)
    return calls


def _json_after_the_banner(out: str) -> dict:
    banner, _, rest = out.partition("\n")
    assert banner.startswith("asen demo: certifying symmetry inputs")
    return json.loads(rest)


def test_defaults_of_the_demo_flags():
    args = build_parser().parse_args(["demo"])
    assert (args.steps, args.seed, args.out, args.no_progress, args.json) == (250, 0, "results/demo", False, False)


def test_demo_prints_its_tables_and_exits_0(capsys, tmp_path, tiny_demo):
    """Text output with the progress bar on; --steps, --seed and --out reach run_demo."""
    status = main(["demo", "--steps", "2", "--seed", "3", "--out", str(tmp_path / "plots")])
    captured = capsys.readouterr()
    assert status == 0
    assert tiny_demo == [{"steps": 2, "seed": 3, "out_dir": str(tmp_path / "plots"), "progress": True}]
    out = captured.out
    assert "1. certified symmetry-breaking inputs (nauty)" in out
    a8_exact = [line.split() for line in out.splitlines() if line.startswith("alternating(8)")]
    # group, |G|, 2-closed, input, aux, |Aut(v)|Omega|, exact?, visible -- closure, exact (visible), smallest
    assert [row[:4] + row[5:7] for row in a8_exact[:3]] == [
        ["alternating(8)", "20160", "no", "closure", "40320", "no"],
        ["alternating(8)", "20160", "no", "exact", "20160", "yes"],
        ["alternating(8)", "20160", "no", "smallest", "20160", "yes"],
    ]
    assert a8_exact[0][4] == "0" and int(a8_exact[1][4]) > 140 and a8_exact[2][4] == "140"
    assert a8_exact[0][7] == "never" and a8_exact[1][8] == "rounds" and a8_exact[2][7] == "never"
    assert "2-4. one ASEN trained on two tasks" in out
    plot = tmp_path / "plots" / "demo.png"
    assert f"plot: {plot}" in out and plot.read_bytes()[:4] == b"\x89PNG"
    # without --no-progress the training bar is drawn (tqdm writes to stderr)
    assert "demo: training one ASEN on 2 tasks" in captured.err


def test_demo_json_and_no_progress(capsys, tmp_path, tiny_demo):
    status = main(["demo", "--steps", "1", "--seed", "2", "--out", str(tmp_path), "--no-progress", "--json"])
    captured = capsys.readouterr()
    assert status == 0
    assert tiny_demo[0]["progress"] is False
    result = _json_after_the_banner(captured.out)  # --json: the banner, then one JSON document
    assert result["settings"]["steps"] == 1 and result["settings"]["seed"] == 2
    assert result["plot"] == str(tmp_path / "demo.png") and Path(result["plot"]).exists()  # --out
    assert "demo: training" not in captured.err  # --no-progress: no bar
    trained = [t for t in result["tasks"] if t["task"] in ("max_window_sum", "longest_constant_run")]
    assert [t["verdict"] for t in trained] == ["exact", "exact"]
    groups = {(g["group"], g["input"]): g for g in result["groups"]}
    assert groups[("alternating(8)", "exact")]["aut_order"] == 20160
    assert groups[("cube_rotations(on=vertices)", "closure")]["aut_order"] == 48


@pytest.mark.slow
def test_demo_with_the_smallest_cli_setting(capsys, tmp_path):
    """The command as users run it, with the fewest training steps the CLI accepts (80-200 s on 2 cores)."""
    status = main(["demo", "--steps", "1", "--no-progress", "--json", "--out", str(tmp_path)])
    result = _json_after_the_banner(capsys.readouterr().out)
    assert status == 0
    assert result["settings"] == {
        "steps": 1, "train_size": 400, "test_size": 300, "width": 32, "layers": 2, "heads": 4, "seed": 0,
        "chirality_steps": 600,
    }  # fmt: skip
    chirality = {t["group"]: t for t in result["tasks"] if t["task"] == "cube chirality"}
    assert chirality["cube_rotations(on=vertices) [exact]"]["verdict"] == "exact"
    assert chirality["cube_rotations(on=vertices) [closure]"]["respected_order"] == 48
