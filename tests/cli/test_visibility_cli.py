"""``asen break`` / ``asen certify``: the visibility line, its JSON object and ``--visible/--no-visible``."""

import json

from asen.breaking import load
from asen.cli.main import main

VIS_FIELDS = {"line", "worst", "worst_point", "visible", "probes", "invisible", "decided"}


def _json(capsys, *argv):
    status = main([*argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_break_prints_visibility(capsys):
    status, info = _json(capsys, "break", "alternating(6)")
    assert status == 0 and set(info["visibility"]) == VIS_FIELDS
    assert info["aux_vertices"] == 70 and info["visibility"]["worst"] == 2
    assert info["visibility"]["line"] == "exact; visible to message passing after 2 rounds (points after 3)"
    status, info = _json(capsys, "break", "alternating(6)", "--no-visible")
    assert info["aux_vertices"] == 40 and info["visibility"]["worst"] is None
    assert info["visibility"]["line"] == (
        "exact, but invisible to message passing: a colour-refinement model stays G^(2)-invariant"
    )
    assert main(["break", "alternating(6)", "--no-visible"]) == 0
    text = capsys.readouterr().out
    assert "visibility exact, but invisible to message passing" in text and "--visible" in text


def test_break_of_a_two_closed_group_needs_no_rounds(capsys):
    _, info = _json(capsys, "break", "dihedral(6)")
    assert info["visibility"]["worst"] == 0 and info["visibility"]["probes"] == 0


def test_certify_recomputes_visibility(capsys, tmp_path):
    out = tmp_path / "a6.npz"
    assert main(["break", "alternating(6)", "--no-visible", "--out", str(out)]) == 0
    capsys.readouterr()
    status, info = _json(capsys, "certify", str(out))
    assert status == 0 and info["visibility_record"] == "agrees"
    assert info["visibility"]["visible"] is False
    assert info["visibility"] == {
        **info["visibility"],
        "worst": None,
        "invisible": info["visibility"]["probes"],
    }
    status, more = _json(capsys, "certify", str(out), "--verifier-probes")
    assert status == 0 and more["visibility"]["probes"] > info["visibility"]["probes"]
    assert more["visibility_record"] == "agrees"
    assert main(["certify", str(out)]) == 0
    assert "visibility exact, but invisible" in capsys.readouterr().out
    assert load(out).certificate.visibility is not None
