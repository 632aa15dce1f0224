"""``asen group``: JSON and text output, every SPEC form, errors, and the installed script."""

import json
import math
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from asen.cli.main import main

ASEN = Path(sys.executable).with_name("asen")


def _json(capsys, *argv):
    assert main(["group", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one JSON object on one line
    return json.loads(out)


def test_json_fields_for_dihedral(capsys):
    info = _json(capsys, "dihedral(8)")
    assert info == {
        "name": "dihedral(8)",
        "degree": 8,
        "order": 16,
        "num_generators": 2,
        "orbits": 1,
        "orbit_sizes": [8],
        "transitive": True,
        "generators": ["(1,2,3,4,5,6,7,8)", "(2,8)(3,7)(4,6)"],
    }


def test_huge_order_is_an_exact_json_integer(capsys):
    info = _json(capsys, "wreath(symmetric(6), symmetric(5))")
    assert info["order"] == math.factorial(6) ** 5 * math.factorial(5)
    assert isinstance(info["order"], int)


def test_intransitive_group(capsys):
    info = _json(capsys, "young(2,3)")
    assert (info["orbits"], info["orbit_sizes"], info["transitive"]) == (2, [2, 3], False)


def test_human_output_is_aligned_lines(capsys):
    assert main(["group", "product(cyclic(4), symmetric(3))"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name        direct_product(cyclic(4), symmetric(3))"
    assert lines[1:5] == [
        "degree      7",
        "order       24",
        "orbits      2 (intransitive; sizes [4, 3])",
        "generators  3",
    ]
    assert lines[5:] == ["  (1,2,3,4)", "  (5,6)", "  (5,6,7)"]


def test_human_output_elides_very_long_generator_lists(capsys):
    assert main(["group", "p4m(40)"]) == 0
    out = capsys.readouterr().out
    assert "order       12800" in out and "use --json" in out


def test_gap_spec_and_save_then_load(capsys, tmp_path):
    path = tmp_path / "g.json"
    info = _json(capsys, "gap:(1,2)(3,4),(1,3);degree=6", "--save", str(path))
    assert (info["degree"], info["order"], info["orbits"]) == (6, 8, 3)
    again = _json(capsys, f"@{path}")
    assert again == info


@pytest.mark.parametrize(
    "spec,message",
    [
        ("dihedal(8)", "did you mean 'dihedral'"),
        ("gap:(1,1)", "point 1 appears twice"),
        ("@/nonexistent/group.json", "No such file"),
        ("grid_rotations(3,4)", "square image"),
    ],
)
def test_errors_exit_2_with_a_message(capsys, spec, message):
    assert main(["group", spec]) == 2
    err = capsys.readouterr().err
    assert err.startswith("asen group: error:") and message in err


def test_installed_script():
    result = subprocess.run(
        [str(ASEN), "group", "wreath(symmetric(3), symmetric(2))", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    info = json.loads(result.stdout)
    assert (info["degree"], info["order"], info["transitive"]) == (6, 72, True)


def test_save_refuses_a_destination_that_is_not_a_regular_file(capsys, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # open(..., "w") would block on it
    (tmp_path / "folder").mkdir()
    cases = [
        (fifo, "it is a FIFO"),
        (tmp_path / "folder", "it is a directory"),
        ("", "the output path is empty"),
        (tmp_path / "no" / "g.json", "no such directory"),
    ]
    for dest, message in cases:
        assert main(["group", "cyclic(3)", "--save", str(dest)]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.startswith("asen group: error:") and message in captured.err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_group_file_that_is_not_utf8_is_named(capsys, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    assert main(["group", f"@{path}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"asen group: error: {path}: not UTF-8 text") and "Traceback" not in err
