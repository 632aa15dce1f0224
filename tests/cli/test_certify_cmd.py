"""``asen certify``: exit 0 only for intact, exact files; tampering is caught by the digest or by nauty."""

import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from asen.breaking import closure_input, save, symmetry_breaking_input
from asen.breaking.files import digest
from asen.cli.main import main
from asen.groups import alternating, dihedral

ASEN = Path(sys.executable).with_name("asen")


def _certify(capsys, *argv):
    status = main(["certify", *argv, "--json"])
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1
    return status, json.loads(captured.out), captured.err


def _rewrite(path, *, arrays=None, meta=None, redigest=True):
    """A forger's rewrite: replace arrays / metadata fields and (by default) recompute the digest."""
    with np.load(path, allow_pickle=False) as npz:
        a = {k: npz[k] for k in npz.files}
    m = json.loads(a.pop("metadata").tobytes())
    a.update(arrays or {})
    m.update(meta or {})
    if redigest:
        m["sha256"] = "0" * 64
        m["sha256"] = digest(a, json.dumps(m).encode())
    a["metadata"] = np.frombuffer(json.dumps(m).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **a)


def _arrays(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


@pytest.fixture
def a4_exact(tmp_path):
    return save(symmetry_breaking_input(alternating(4), mode="exact"), tmp_path / "a4.npz")


@pytest.fixture
def d6_closure(tmp_path):
    return save(symmetry_breaking_input(dihedral(6), mode="closure"), tmp_path / "d6.npz")


def test_intact_exact_file_passes(capsys, a4_exact):
    status, info, err = _certify(capsys, str(a4_exact))
    assert status == 0 and err == ""
    assert info["ok"] and info["intact"] and info["verdict"] == "exact" and info["record"] == "agrees"
    assert (info["group"], info["degree"], info["group_order"], info["aut_order"], info["index"]) == (
        "alternating(4)", 4, 12, 12, 1)  # fmt: skip
    assert info["witnesses"] == 0 and info["error"] is None


def test_human_output(capsys, a4_exact):
    assert main(["certify", str(a4_exact)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("(intact: digest verified)")
    assert lines[1] == "group    alternating(4) (degree 4, order 12)"
    assert lines[3] == "verdict  EXACT: nauty re-derived Aut(v)|Omega = the group"


def test_overgroup_file_fails(capsys, tmp_path):
    path = save(symmetry_breaking_input(alternating(4), mode="closure"), tmp_path / "c.npz")
    status, info, err = _certify(capsys, str(path))
    assert status == 1 and not info["ok"] and info["verdict"] == "overgroup"
    assert (info["aut_order"], info["index"], info["witnesses"] > 0) == (24, 2, True)
    assert "index 2" in err
    # ... but it does realise the 2-closure S_4 exactly
    status, info, _ = _certify(capsys, str(path), "--group", "symmetric(4)")
    assert status == 0 and info["record"] == "other group"


def test_uncertified_file_is_certified_from_scratch(capsys, tmp_path):
    path = save(closure_input(dihedral(5)), tmp_path / "u.npz")
    status, info, _ = _certify(capsys, str(path))
    assert status == 0 and info["record"] == "absent"


def test_another_group_that_does_not_preserve_the_input(capsys, d6_closure):
    status, info, err = _certify(capsys, str(d6_closure), "--group", "symmetric(6)")
    assert status == 1 and info["verdict"] == "not invariant" and "not invariant" in err


def test_text_output_has_no_record_line_before_the_record_is_compared(capsys, d6_closure):
    assert main(["certify", str(d6_closure), "--group", "symmetric(6)"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["file", "group", "verdict", "time"]
    assert "NOT INVARIANT" in lines[2]


def test_a_group_file_that_is_not_utf8_is_named(capsys, d6_closure, tmp_path):
    bad = tmp_path / "g.json"
    bad.write_bytes(b"\xff\xfe{}")
    status, info, err = _certify(capsys, str(d6_closure), "--group", f"@{bad}")
    assert status == 2 and info["verdict"] == "invalid group" and f"{bad}: not UTF-8 text" in err


def test_corrupted_compressed_data_is_an_invalid_file(capsys, d6_closure):
    with zipfile.ZipFile(d6_closure) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)
    data = bytearray(d6_closure.read_bytes())  # a reserved deflate block type: a zlib error, not a CRC one
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)  # the local header's
    data[info.header_offset + 30 + name_len + extra_len] = 0xFF
    d6_closure.write_bytes(bytes(data))
    status, info, err = _certify(capsys, str(d6_closure))
    assert status == 2 and info["verdict"] == "invalid file" and "is not a readable .npz archive" in err


def test_not_a_certificate_file(capsys, tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("not an archive")
    status, info, err = _certify(capsys, str(text))
    assert status == 2 and info["verdict"] == "invalid file" and not info["intact"]
    assert "not a valid symmetry-input file" in err and "not an .npz" in err
    other = tmp_path / "other.npz"
    np.savez(other, x=np.arange(3))
    assert main(["certify", str(other)]) == 2
    assert "missing array" in capsys.readouterr().err
    assert main(["certify", str(tmp_path / "missing.npz")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_digest_mismatch_is_refused(capsys, a4_exact):
    ec = _arrays(a4_exact)["edge_colors"].copy()
    ec[:2] = ec[1::-1]
    _rewrite(a4_exact, arrays={"edge_colors": ec}, redigest=False)
    status, info, err = _certify(capsys, str(a4_exact))
    assert status == 2 and not info["intact"] and "file was modified after it was written" in err


def test_edited_arrays_with_a_recomputed_digest_are_caught_by_nauty(capsys, d6_closure):
    """Swap two arc colours and forge the digest: the file loads, but D_6 no longer preserves it."""
    a = _arrays(d6_closure)
    ec = a["edge_colors"].copy()
    src, dst = a["edge_index"]
    i = int(np.flatnonzero((src == 0) & (dst == 1))[0])
    j = int(np.flatnonzero((src == 0) & (dst == 2))[0])
    ec[i], ec[j] = ec[j], ec[i]
    _rewrite(d6_closure, arrays={"edge_colors": ec})
    status, info, err = _certify(capsys, str(d6_closure))
    assert status == 1 and info["intact"] and info["verdict"] == "not invariant"
    assert "does not realise the group" in err


def _merge_distances_1_and_2(arrays):
    """Hexagon pairs at distance 1 and 2 in one colour: what remains is a perfect matching (|Aut| = 48)."""
    ec = arrays["edge_colors"].copy()
    src, dst = arrays["edge_index"]
    one, two = (int(ec[(src == 0) & (dst == d)][0]) for d in (1, 2))
    ec[ec == one] = two
    return ec


def test_merged_colour_classes_with_a_forged_record_are_caught(capsys, d6_closure):
    """Merge two orbitals (still D_6-invariant, more symmetric): the stored 'exact' record disagrees."""
    _rewrite(d6_closure, arrays={"edge_colors": _merge_distances_1_and_2(_arrays(d6_closure))})
    status, info, err = _certify(capsys, str(d6_closure))
    assert status == 1 and info["verdict"] == "record mismatch" and info["aut_order"] == 48
    assert "stored certificate claims order 12" in err


def test_forged_record_that_admits_the_overgroup_still_fails(capsys, d6_closure):
    a = _arrays(d6_closure)
    meta = json.loads(a["metadata"].tobytes())
    _rewrite(d6_closure, arrays={"edge_colors": _merge_distances_1_and_2(a)}, meta={"certificate": None})
    status, info, _ = _certify(capsys, str(d6_closure))
    assert status == 1 and info["verdict"] == "overgroup" and info["record"] == "absent"
    assert meta["certificate"]["exact"] is True


def test_bad_group_option(capsys, a4_exact):
    assert main(["certify", str(a4_exact), "--group", "symmetric(5)"]) == 2
    assert "degree 5" in capsys.readouterr().err
    assert main(["certify", str(a4_exact), "--group", "nonsense(("]) == 2
    assert "bad --group" in capsys.readouterr().err


def test_installed_script(a4_exact, tmp_path):
    ok = subprocess.run([str(ASEN), "certify", str(a4_exact)], capture_output=True, text=True, check=False)
    assert ok.returncode == 0 and "EXACT" in ok.stdout
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    res = subprocess.run([str(ASEN), "certify", str(bad)], capture_output=True, text=True, check=False)
    assert res.returncode == 2 and "asen certify:" in res.stderr
