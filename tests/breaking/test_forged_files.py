"""Forged symmetry-input files: the digest proves integrity, not truth.

A forger who edits the certificate *record* and recomputes the SHA-256 digest exactly as
``docs/file-format.md`` (and :func:`asen.breaking.files.digest`) specify produces a file that ``load``
accepts: the loaded certificate is only a record. ``asen certify`` recomputes ``Aut(v)|Omega`` with nauty
and reports the mismatch. The JSON sidecar ``<file>.json`` is for people: ``load`` never reads it, so
editing, corrupting or deleting it changes nothing.

The digest here is recomputed with ``hashlib`` from the documented layout, not with asen's own function.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from asen.breaking import SymmetryInput, certify, load, save, symmetry_breaking_input
from asen.breaking.files import digest, read_metadata
from asen.cli.main import main
from asen.groups import symmetric

ZEROS = "0" * 64


def _arrays_and_meta(path):
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    raw = arrays.pop("metadata").tobytes()
    return arrays, raw, json.loads(raw)


def documented_digest(arrays: dict, blanked_metadata: bytes) -> str:
    """docs/file-format.md, "Digest": each array but ``metadata`` by name (name NUL dtype NUL shape NUL
    bytes), then ``metadata`` NUL and the metadata bytes with the digest replaced by 64 ASCII zeros."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(name.encode() + b"\0" + a.dtype.str.encode() + b"\0")
        h.update(",".join(str(s) for s in a.shape).encode() + b"\0")
        h.update(a.tobytes())
    h.update(b"metadata\0" + blanked_metadata)
    return h.hexdigest()


def forge(path, edit) -> str:
    """Rewrite ``path`` with ``edit(metadata)`` applied and a correctly recomputed digest; return it."""
    arrays, _, meta = _arrays_and_meta(path)
    edit(meta)
    meta["sha256"] = ZEROS
    blanked = json.dumps(meta, sort_keys=True).encode("utf-8")
    hexdigest = documented_digest(arrays, blanked)
    raw = blanked.replace(f'"sha256": "{ZEROS}"'.encode(), f'"sha256": "{hexdigest}"'.encode())
    assert raw != blanked  # exactly the digest field changed
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays, metadata=np.frombuffer(raw, dtype=np.uint8))
    return hexdigest


def claim_exact(meta):
    """The A_4 closure input realises S_4 (order 24, index 2): claim it realises A_4 exactly."""
    meta["certificate"].update(achieved_order="12", index="1", exact=True, witnesses=[])


@pytest.fixture
def a4_closure(tmp_path):
    """A certified, honest, non-exact file: A_4's orbital input, whose automorphism group is S_4."""
    inp = symmetry_breaking_input("alternating(4)", mode="closure")
    assert not inp.exact and inp.certificate.achieved_order == 24
    return save(inp, tmp_path / "a4_closure.npz")


def test_the_documented_digest_is_the_one_asen_writes(a4_closure):
    arrays, raw, meta = _arrays_and_meta(a4_closure)
    blanked = raw.replace(meta["sha256"].encode(), ZEROS.encode())
    assert documented_digest(arrays, blanked) == meta["sha256"] == digest(arrays, raw)


def test_a_forged_record_with_a_recomputed_digest_loads_as_a_record_only(a4_closure):
    hexdigest = forge(a4_closure, claim_exact)
    arrays, raw, meta = _arrays_and_meta(a4_closure)
    assert meta["sha256"] == hexdigest == digest(arrays, raw)  # asen agrees: the digest matches
    forged = load(a4_closure)  # so load accepts the file ...
    assert forged.exact and forged.certificate.achieved_order == 12  # ... and restores the (false) record
    # ... which is only a record: nauty on the loaded arrays finds S_4 again
    again = certify(forged)
    assert not again.exact and again.achieved_order == 24 and again.index == 2


@pytest.mark.parametrize("group_flag", [[], ["--group", "alternating(4)"]], ids=["own group", "--group"])
def test_asen_certify_recomputes_and_reports_the_forged_record(capsys, a4_closure, group_flag):
    forge(a4_closure, claim_exact)
    status = main(["certify", str(a4_closure), *group_flag, "--json"])
    captured = capsys.readouterr()
    info = json.loads(captured.out)
    assert status == 1 and not info["ok"]
    assert info["intact"] is True  # the digest matched ...
    assert info["verdict"] == "record mismatch" and info["record"] == "disagrees"  # ... the record did not
    assert (info["aut_order"], info["index"], info["exact"]) == (24, 2, False)
    assert "the stored certificate claims order 12 (exact=True), nauty re-derives 24 (exact=False)" in captured.err


def test_asen_certify_text_output_for_the_forged_record(capsys, a4_closure):
    forge(a4_closure, claim_exact)
    assert main(["certify", str(a4_closure), "--group", "alternating(4)"]) == 1
    out = capsys.readouterr().out
    assert "RECORD MISMATCH: the stored certificate disagrees with nauty" in out
    assert "Aut(v) restricted to the points has order 24 (index 2)" in out


def test_a_self_contradicting_forged_record_is_refused_by_load(capsys, a4_closure):
    """Claiming order 12 but leaving exact=false: the digest matches, the record's own checks do not."""
    forge(a4_closure, lambda m: m["certificate"].update(achieved_order="12", index="1", witnesses=[]))
    with pytest.raises(ValueError, match="exact exactly when both orders agree"):
        load(a4_closure)
    assert main(["certify", str(a4_closure)]) == 2
    assert "not a valid symmetry-input file" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ sidecar
def _sidecar(path) -> Path:
    return Path(str(path) + ".json")


def test_the_sidecar_repeats_the_embedded_metadata(a4_closure):
    assert json.loads(_sidecar(a4_closure).read_text("utf-8")) == read_metadata(a4_closure)


@pytest.mark.parametrize("edit", ["forged record", "not json", "deleted"])
def test_a_hand_edited_sidecar_is_ignored_by_load_and_certify(capsys, a4_closure, edit):
    """docs/file-format.md: the copy inside the archive is authoritative; load never reads the sidecar."""
    before = load(a4_closure)
    sidecar = _sidecar(a4_closure)
    if edit == "forged record":
        meta = json.loads(sidecar.read_text("utf-8"))
        claim_exact(meta)
        meta.update(group_name="symmetric(4)", group_order="24", mode="exact", sha256="f" * 64)
        sidecar.write_text(json.dumps(meta, indent=2), "utf-8")
    elif edit == "not json":
        sidecar.write_text("{ this is not JSON", "utf-8")
    else:
        sidecar.unlink()
    after = load(a4_closure)
    assert after.certificate.to_dict() == before.certificate.to_dict()
    assert not after.exact and after.certificate.achieved_order == 24
    assert (after.group.name, after.mode) == ("alternating(4)", "closure")
    assert np.array_equal(after.pair_colors, before.pair_colors)
    assert read_metadata(a4_closure)["group_name"] == "alternating(4)"
    status = main(["certify", str(a4_closure), "--json"])
    info = json.loads(capsys.readouterr().out)
    assert status == 1 and info["verdict"] == "overgroup" and info["record"] == "agrees"


# ------------------------------------------------------------------------- forged lifted generators
def _points_fixed_input():
    """S_2 on 2 points with 3 auxiliary vertices whose arcs tell the points apart: Aut(v)|Omega is trivial,
    so no permutation of the 5 vertices lifts the swap of the points."""
    pc = np.zeros((5, 5), dtype=np.int64)
    for i, j, c in [(0, 2, 1), (0, 3, 2), (0, 4, 2), (1, 2, 2), (1, 3, 1), (1, 4, 1)]:
        pc[i, j] = pc[j, i] = c
    return SymmetryInput(symmetric(2), [0, 0, 1, 1, 1], pc, "exact", aux_description="3 aux")


def test_lifted_generators_in_the_json_meta_are_refused(capsys, tmp_path):
    """A forger puts a "lift" that is no permutation ([1, 0, 3, 2, 2]: vertex 2 twice) in the JSON
    ``meta`` object (only the ``lifted_generators`` array is validated) and claims S_2 exactly."""
    path = save(_points_fixed_input(), tmp_path / "fake.npz")

    def forged(meta):
        meta["meta"] = {"lifted_generators": [[1, 0, 3, 2, 2]]}
        meta["certificate"] = {
            "requested_order": "2", "achieved_order": "2", "index": "1", "exact": True, "witnesses": [],
            "classes_used": 2, "nauty_log10_order": 0.0, "seconds": 0.0, "notes": [], "visibility": None,
            "engines": ["nauty"],
        }  # fmt: skip

    forge(path, forged)
    with pytest.raises(ValueError, match="metadata 'meta' must not contain 'lifted_generators'"):
        load(path)
    assert main(["certify", str(path), "--json"]) == 2
    info = json.loads(capsys.readouterr().out)
    assert info["verdict"] == "invalid file" and not info["ok"] and "lifted_generators" in info["error"]
    forge(path, lambda meta: meta["meta"].clear())  # the same file without the forged lift is honest
    assert load(path).exact  # the record still claims exact ...
    assert main(["certify", str(path), "--json"]) == 1  # ... and nauty refutes it
    assert json.loads(capsys.readouterr().out)["verdict"] == "not invariant"
