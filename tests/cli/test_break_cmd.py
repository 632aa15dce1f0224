"""``asen break``: JSON fields with exact orders, honest overgroup reports, --out files, errors."""

import json
import math
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from asen.breaking import load
from asen.breaking.files import read_metadata
from asen.cli.main import main

ASEN = Path(sys.executable).with_name("asen")

FIELDS = {
    "group", "degree", "group_order", "aut_order", "index", "exact", "mode", "aux_vertices",
    "aux_description", "vertices", "vertex_colours", "colours", "edges", "seconds", "note", "out",
    "visibility", "engines",
}  # fmt: skip


def _json(capsys, *argv):
    assert main(["break", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object on one line
    return json.loads(out)


def test_exact_realisation_of_a4(capsys):
    start = time.perf_counter()
    info = _json(capsys, "alternating(4)")
    elapsed = time.perf_counter() - start
    assert set(info) == FIELDS
    assert (info["degree"], info["group_order"], info["aut_order"], info["index"]) == (4, 12, 12, 1)
    assert info["exact"] is True and info["mode"] == "exact"
    # 6 2-subsets are the smallest exact input (3 point rounds); the default: the 12 frames (|A_4| = 12)
    assert (info["aux_vertices"], info["aux_description"], info["vertices"]) == (
        12,
        "regular orbit of 12 ordered 2-tuples (frames: one per group element)",
        16,
    )
    assert (info["colours"], info["edges"]) == (22, 256)  # every ordered pair of 16 vertices, 22 orbitals
    assert info["note"] is None and info["out"] is None
    # the construction time: a positive float, within the wall time of the whole command
    assert isinstance(info["seconds"], float) and 0 < info["seconds"] <= elapsed


def test_closure_of_a4_is_reported_as_an_overgroup(capsys):
    info = _json(capsys, "alternating(4)", "--mode", "closure")
    assert (info["exact"], info["group_order"], info["aut_order"], info["index"]) == (False, 12, 24, 2)
    assert (info["aux_vertices"], info["colours"], info["edges"]) == (0, 2, 16)


def test_sparse_mode_uses_fewer_arcs(capsys):
    dense = _json(capsys, "dihedral(6)", "--mode", "closure")
    sparse = _json(capsys, "dihedral(6)", "--mode", "sparse")
    assert dense["exact"] and sparse["exact"] and sparse["mode"] == "sparse"
    assert sparse["edges"] < dense["edges"] == 36


def test_auto_mode_is_what_add_symmetry_uses(capsys):
    a6, a5 = _json(capsys, "alternating(6)", "--mode", "auto"), _json(capsys, "alternating(5)", "--mode", "auto")
    assert (a6["mode"], a6["exact"], a6["aux_vertices"]) == ("sparse", True, 360)
    assert (a5["mode"], a5["exact"]) == ("exact", True)


def test_budget_too_small_says_so(capsys):
    info = _json(capsys, "alternating(5)", "--budget", "3")
    assert info["exact"] is False and info["index"] == 2 and "at most 3 auxiliary" in info["note"]


def test_huge_orders_are_exact_json_integers(capsys):
    info = _json(capsys, "wreath(symmetric(6), symmetric(5))", "--mode", "closure")
    assert info["group_order"] == info["aut_order"] == math.factorial(6) ** 5 * math.factorial(5)
    assert isinstance(info["aut_order"], int)


def test_human_output_exact_and_overgroup(capsys):
    assert main(["break", "alternating(4)"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "group      alternating(4) (degree 4, order 12)"
    assert lines[2].startswith("result     EXACT")
    assert lines[3] == "auxiliary  12 (regular orbit of 12 ordered 2-tuples (frames: one per group element))"
    assert main(["break", "alternating(4)", "--mode", "closure"]) == 0
    text = capsys.readouterr().out
    assert "OVERGROUP ONLY" in text and "index 2" in text and "--mode exact" in text


def test_out_writes_a_loadable_file_and_sidecar(capsys, tmp_path):
    path = tmp_path / "a4.npz"
    info = _json(capsys, "alternating(4)", "--out", str(path))
    assert info["out"] == str(path)
    inp = load(path)
    assert inp.exact and inp.num_aux == 12 and inp.num_edges == info["edges"]
    assert json.loads(Path(str(path) + ".json").read_text()) == read_metadata(path)


def test_errors_exit_2_with_a_message(capsys):
    assert main(["break", "alternating(4)", "--budget", "-1"]) == 2
    assert "budget must be a non-negative integer" in capsys.readouterr().err
    assert main(["break", "no_such_group(3)"]) == 2
    assert "asen break: error:" in capsys.readouterr().err


def test_installed_script(tmp_path):
    out = tmp_path / "c5.npz"
    res = subprocess.run([str(ASEN), "break", "cyclic(5)", "--mode", "sparse", "--json", "--out", str(out)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    info = json.loads(res.stdout)
    assert info["exact"] and info["edges"] == 5 and out.exists()


def test_require_exact_and_aux_kinds(capsys):
    from asen.cli.main import main

    assert main(["break", "alternating(4)", "--mode", "closure", "--require-exact"]) == 1
    assert main(["break", "alternating(4)", "--mode", "closure"]) == 0
    capsys.readouterr()
    assert main(["break", "alternating(5)", "--aux-kinds", "tuples", "--require-exact", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["exact"] and "ordered" in info["aux_description"]


def test_frames_switch(capsys):
    from asen.cli.main import main

    sizes = []
    for extra in ([], ["--frames", "0"], ["--frames", "59"]):
        assert main(["break", "alternating(5)", "--json", *extra]) == 0
        info = json.loads(capsys.readouterr().out)
        assert info["exact"]
        sizes.append(info["aux_vertices"])
    assert sizes == [60, 20, 20]  # |A_5| = 60 frames by default; the smallest visible input (20 pairs) otherwise


def test_out_refuses_what_it_cannot_write_as_a_regular_file(capsys, tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)  # os.replace used to swap it for a regular file
    (tmp_path / "folder.npz").mkdir()
    os.mkfifo(tmp_path / "side.npz.json")
    cases = [
        (fifo, f"cannot write '{fifo}': it is a FIFO, not a regular file"),
        (tmp_path / "folder.npz", "it is a directory, not a regular file"),
        (tmp_path / "side.npz", f"cannot write '{tmp_path / 'side.npz.json'}': it is a FIFO"),
        ("", "the output path is empty"),
        (tmp_path / "no" / "x.npz", f"cannot write '{tmp_path / 'no' / 'x.npz'}': no such directory"),
    ]
    for dest, message in cases:
        assert main(["break", "cyclic(3)", "--out", str(dest)]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("asen break: error:")
        assert message in captured.err and ".tmp" not in captured.err
    assert stat.S_ISFIFO(fifo.stat().st_mode) and (tmp_path / "folder.npz").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.npz", "pipe.npz", "side.npz.json"]
