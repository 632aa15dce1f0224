"""Symmetry-input files: round trips, the documented layout read without asen, and every refusal."""

import doctest
import hashlib
import io
import json
import math
import os
import stat
import struct
import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asen.breaking import (
    SymmetryInput,
    certify,
    closure_input,
    files,
    load,
    save,
    symmetry_breaking_input,
)
from asen.breaking.files import FORMAT_NAME, FORMAT_VERSION, digest, read_metadata
from asen.groups import PermGroup, alternating, cyclic, symmetric, trivial, wreath


# ----------------------------------------------------------------------------------------- helpers
def _arrays(path):
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _meta(arrays):
    return json.loads(arrays["metadata"].tobytes().decode("utf-8"))


def _rewrite(path, *, arrays=None, meta=None, drop=(), redigest=True):
    """Rewrite a file with some arrays / metadata fields replaced, recomputing the digest (a forger)."""
    a = _arrays(path)
    m = _meta(a)
    a.update(arrays or {})
    m.update(meta or {})
    for k in drop:
        a.pop(k)
    a.pop("metadata")
    if redigest:
        m["arrays"] = {k: {"dtype": v.dtype.str, "shape": list(v.shape)} for k, v in sorted(a.items())}
        m["sha256"] = "0" * 64
        m["sha256"] = digest(a, json.dumps(m).encode())
    a["metadata"] = np.frombuffer(json.dumps(m).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **a)


def _same(a, b):
    assert a.group == b.group and a.group.name == b.group.name
    assert a.mode == b.mode and a.aux_description == b.aux_description
    assert np.array_equal(a.vertex_colors, b.vertex_colors)
    assert np.array_equal(a.pair_colors, b.pair_colors)
    if a.certificate is None:
        assert b.certificate is None
    else:
        da, db = a.certificate.to_dict(), b.certificate.to_dict()
        assert da == db


@pytest.fixture(scope="module")
def a4_exact():
    return symmetry_breaking_input(alternating(4), mode="exact", frames=0, max_growth=1)  # the 6 2-subsets


@pytest.fixture
def a4_file(a4_exact, tmp_path):
    return save(a4_exact, tmp_path / "a4.npz")


# ------------------------------------------------------------------------------------ round trips
def test_round_trip_with_auxiliary_vertices(a4_exact, a4_file):
    back = load(a4_file)
    _same(a4_exact, back)
    assert back.exact and back.num_aux == 6
    assert np.array_equal(back.meta["lifted_generators"], a4_exact.meta["lifted_generators"])
    assert back.meta["loaded_from"] == str(a4_file)


def test_round_trip_of_an_overgroup_keeps_its_witnesses(tmp_path):
    inp = symmetry_breaking_input(alternating(4), mode="closure")  # A_4^(2) = S_4
    back = load(save(inp, tmp_path / "c.npz"))
    _same(inp, back)
    assert not back.exact and back.certificate.index == 2
    assert back.certificate.witnesses.shape == inp.certificate.witnesses.shape


def test_round_trip_of_a_sparse_and_an_uncertified_input(tmp_path):
    sparse = symmetry_breaking_input(cyclic(7), mode="sparse")
    _same(sparse, load(save(sparse, tmp_path / "s.npz")))
    plain = closure_input(cyclic(5))
    back = load(save(plain, tmp_path / "p.npz"))
    _same(plain, back)
    assert back.certificate is None


def test_best_effort_note_travels_in_metadata(tmp_path):
    inp = symmetry_breaking_input(alternating(4), mode="exact", budget=0)
    assert not inp.exact and "best_effort" in inp.meta
    back = load(save(inp, tmp_path / "b.npz"))
    assert back.meta["best_effort"] == inp.meta["best_effort"]
    # a re-saved file does not carry the path it was loaded from
    assert read_metadata(save(back, tmp_path / "again.npz"))["meta"] == {
        "best_effort": inp.meta["best_effort"]
    }


def test_input_without_arcs(tmp_path):
    inp = symmetry_breaking_input(trivial(3), mode="sparse")  # distinct vertex colours suffice
    assert inp.num_edges == 0
    back = load(save(inp, tmp_path / "t.npz"))
    _same(inp, back)
    assert read_metadata(tmp_path / "t.npz")["arrays"]["edge_index"]["shape"] == [2, 0]


def test_path_is_used_exactly_and_the_sidecar_matches(a4_exact, tmp_path):
    path = save(a4_exact, tmp_path / "no_suffix")
    assert path.exists() and not (tmp_path / "no_suffix.npz").exists()
    sidecar = json.loads((tmp_path / "no_suffix.json").read_text("utf-8"))
    assert sidecar == read_metadata(path)
    save(a4_exact, tmp_path / "quiet.npz", sidecar=False)
    assert not (tmp_path / "quiet.npz.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["no_suffix", "no_suffix.json", "quiet.npz"]


def test_metadata_fields(a4_file):
    meta = read_metadata(a4_file)
    assert (meta["format"], meta["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    assert (meta["num_points"], meta["num_vertices"], meta["num_aux"]) == (4, 10, 6)
    assert meta["mode"] == "exact" and meta["aux_description"] == "orbit of 6 2-subsets"
    assert (meta["group_name"], meta["group_order"]) == ("alternating(4)", "12")
    assert meta["certificate"]["achieved_order"] == "12" and meta["certificate"]["exact"] is True
    assert len(meta["sha256"]) == 64


def test_huge_group_order_is_an_exact_decimal_string(tmp_path):
    G = wreath(symmetric(6), symmetric(5))
    meta = read_metadata(save(closure_input(G), tmp_path / "w.npz"))
    assert meta["group_order"] == str(math.factorial(6) ** 5 * math.factorial(5))


def test_the_documented_layout_is_readable_without_asen(a4_exact, a4_file):
    """docs/file-format.md: plain zipfile + numpy + hashlib reproduce the input and the digest."""
    with zipfile.ZipFile(a4_file) as zf:
        arrays = {
            name.removesuffix(".npy"): np.lib.format.read_array(io.BytesIO(zf.read(name)), allow_pickle=False)
            for name in zf.namelist()
        }
    raw = arrays.pop("metadata").tobytes()
    meta = json.loads(raw)
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = arrays[name]
        h.update(f"{name}\0{a.dtype.str}\0{','.join(map(str, a.shape))}\0".encode() + a.tobytes())
    h.update(b"metadata\0" + raw.replace(meta["sha256"].encode(), b"0" * 64))
    assert h.hexdigest() == meta["sha256"]
    N = meta["num_vertices"]
    dense = np.zeros((N, N), dtype=np.int64)
    dense[arrays["edge_index"][0], arrays["edge_index"][1]] = arrays["edge_colors"]
    assert np.array_equal(dense, a4_exact.pair_colors)
    assert np.array_equal(arrays["vertex_colors"], a4_exact.vertex_colors)
    assert np.array_equal(arrays["group_generators"], a4_exact.group.generators)
    assert arrays["lifted_generators"].shape == (2, N)


def test_doctests():
    assert doctest.testmod(files).failed == 0


# ------------------------------------------------------------------------------------- refusals
def test_not_an_npz(tmp_path):
    text = tmp_path / "t.npz"
    text.write_text("hello")
    with pytest.raises(ValueError, match="not an .npz"):
        load(text)
    npy = tmp_path / "a.npy"
    np.save(npy, np.arange(3))
    with pytest.raises(ValueError, match="not an .npz"):
        load(npy)
    with pytest.raises(ValueError, match="directory"):
        load(tmp_path)
    with pytest.raises(FileNotFoundError, match="no such file: .*missing.npz"):
        load(tmp_path / "missing.npz")


def test_truncated_archive(a4_file):
    data = a4_file.read_bytes()
    a4_file.write_bytes(data[: len(data) // 2] + data[-22:])  # keeps the end-of-central-directory record
    with pytest.raises(ValueError, match="is not a readable .npz archive"):
        load(a4_file)


def _corrupt_deflate_data(path):
    """Make the largest member's deflate stream start with a reserved block type (zlib refuses it before
    any CRC check); the zip directory stays valid."""
    with zipfile.ZipFile(path) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)
    assert info.compress_type == zipfile.ZIP_DEFLATED
    data = bytearray(path.read_bytes())
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)  # the local header's
    data[info.header_offset + 30 + name_len + extra_len] = 0xFF  # BFINAL=1, BTYPE=11 (reserved)
    path.write_bytes(bytes(data))


def test_corrupted_compressed_data_is_not_a_readable_archive(a4_file):
    _corrupt_deflate_data(a4_file)  # zlib fails while inflating, before any CRC check
    with pytest.raises(ValueError, match="is not a readable .npz archive"):
        load(a4_file)


def test_a_fifo_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):  # instead of blocking on the open
        load(fifo)


def test_missing_and_unexpected_arrays(a4_file, tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, vertex_colors=np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError, match=r"missing array\(s\) \['edge_index'"):
        load(other)
    _rewrite(a4_file, drop=("edge_colors",))
    with pytest.raises(ValueError, match="missing array"):
        load(a4_file)


def test_unexpected_array(a4_file):
    _rewrite(a4_file, arrays={"extra": np.zeros(2, dtype=np.int64)})
    with pytest.raises(ValueError, match="unexpected array"):
        load(a4_file)


def test_bad_metadata(a4_file):
    a = _arrays(a4_file)
    a["metadata"] = np.frombuffer(b"{not json", dtype=np.uint8)
    with open(a4_file, "wb") as fh:
        np.savez_compressed(fh, **a)
    with pytest.raises(ValueError, match="not UTF-8 JSON"):
        load(a4_file)
    a["metadata"] = np.arange(5, dtype=np.int64)
    with open(a4_file, "wb") as fh:
        np.savez_compressed(fh, **a)
    with pytest.raises(ValueError, match="1-D uint8"):
        load(a4_file)


def test_unknown_version_and_foreign_format(a4_file):
    _rewrite(a4_file, meta={"version": FORMAT_VERSION + 1})  # version 1 (no visibility record) still loads
    with pytest.raises(ValueError, match=f"unknown format version {FORMAT_VERSION + 1}"):
        load(a4_file)
    _rewrite(a4_file, meta={"version": 1, "format": "something.else"})
    with pytest.raises(ValueError, match="not a symmetry-input file"):
        load(a4_file)


def test_edited_array_breaks_the_digest(a4_file):
    vc = _arrays(a4_file)["vertex_colors"].copy()
    vc[0] += 1
    _rewrite(a4_file, arrays={"vertex_colors": vc}, redigest=False)
    with pytest.raises(ValueError, match="file was modified after it was written"):
        load(a4_file)


def test_edited_metadata_breaks_the_digest(a4_file):
    _rewrite(a4_file, meta={"mode": "closure"}, redigest=False)
    with pytest.raises(ValueError, match="file was modified after it was written"):
        load(a4_file)


def test_edited_certificate_record_breaks_the_digest(tmp_path):
    path = save(symmetry_breaking_input(alternating(4), mode="closure"), tmp_path / "c.npz")
    meta = _meta(_arrays(path))
    record = dict(meta["certificate"], achieved_order="12", index="1", exact=True, witnesses=[])
    _rewrite(path, meta={"certificate": record}, redigest=False)
    with pytest.raises(ValueError, match="digest mismatch"):
        load(path)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("edge_colors", lambda a: a.astype(np.float64), "integer dtype"),
        ("edge_index", lambda a: np.concatenate([a, a[:1]]), r"shape \(2, 100\)"),
        ("vertex_colors", lambda a: a[:-1], r"shape \(10,\)"),
        ("group_generators", lambda a: a[:, :3], r"shape \(\?, 4\)"),
        ("edge_colors", lambda a: np.where(np.arange(a.size) == 0, 0, a), "colour 0 is the background"),
        ("edge_index", lambda a: np.where(a == 9, 10, a), "vertex ids in 0..9"),
        ("edge_index", lambda a: np.concatenate([a[:, :1], a[:, :-1]], axis=1), "more than once"),
        ("lifted_generators", lambda a: a[::-1], "do not restrict"),
        ("lifted_generators", lambda a: np.where(a == 9, 8, a), "permutation of 0..9"),
        ("group_generators", lambda a: np.array([[0, 0, 1, 2], [1, 2, 3, 0]]), "group_generators"),
    ],
)
def test_forged_arrays_with_a_recomputed_digest_are_still_validated(a4_file, name, value, message):
    _rewrite(a4_file, arrays={name: value(_arrays(a4_file)[name])})
    with pytest.raises(ValueError, match=message):
        load(a4_file)


def test_forged_metadata_with_a_recomputed_digest_is_still_validated(a4_file):
    _rewrite(a4_file, meta={"group_order": "24"})  # A_4's generators do not reach 24
    with pytest.raises(ValueError, match="stored group"):
        load(a4_file)
    _rewrite(a4_file, meta={"group_order": "6", "certificate": None})  # too small: caught without a record
    with pytest.raises(ValueError, match="do not define the stored group"):
        load(a4_file)
    _rewrite(a4_file, meta={"group_order": "12", "mode": "fancy"})
    with pytest.raises(ValueError, match="mode"):
        load(a4_file)
    _rewrite(a4_file, meta={"mode": "exact", "certificate": {"requested_order": "12"}})
    with pytest.raises(ValueError, match="not a certificate record"):
        load(a4_file)


@pytest.mark.parametrize("value", [5, "abc", [1, 2], None, True])
def test_the_meta_field_must_be_a_json_object(a4_file, value):
    _rewrite(a4_file, meta={"meta": value})
    with pytest.raises(ValueError, match="metadata 'meta' must be a JSON object"):
        load(a4_file)


@pytest.mark.parametrize("key", ["lifted_generators", "loaded_from", "sha256"])
def test_the_meta_field_cannot_shadow_what_save_never_writes_there(a4_file, key):
    _rewrite(a4_file, meta={"meta": {key: "x"}})
    with pytest.raises(ValueError, match=f"metadata 'meta' must not contain '{key}'"):
        load(a4_file)


def test_the_meta_field_holds_scalars_only(a4_file):
    _rewrite(a4_file, meta={"meta": {"frames": [[0, 1]]}})
    with pytest.raises(ValueError, match="'meta' entry 'frames' must be a string, number, boolean or null"):
        load(a4_file)


def test_scalar_notes_load_and_re_save(a4_exact, a4_file, tmp_path):
    notes = {"best_effort": "a note", "count": 3, "ratio": 0.5, "flag": False, "none": None}
    _rewrite(a4_file, meta={"meta": notes})
    back = load(a4_file)
    assert {k: back.meta[k] for k in notes} == notes
    assert np.array_equal(back.meta["lifted_generators"], a4_exact.meta["lifted_generators"])  # the array
    again = load(save(back, tmp_path / "again.npz"))
    _same(back, again)
    assert read_metadata(tmp_path / "again.npz")["meta"] == notes


@pytest.mark.parametrize("order", ["\u00b2", "\u0661\u0662", "１２", "+12", " 12", "12.0"])
def test_group_order_takes_ascii_digits_only(a4_file, order):
    """``str.isdigit`` accepts superscripts (then int() fails) and Arabic-Indic digits (int() reads 12)."""
    _rewrite(a4_file, meta={"group_order": order})
    with pytest.raises(ValueError, match="metadata 'group_order' must be a positive decimal string"):
        load(a4_file)


def test_save_checks_its_argument(tmp_path):
    with pytest.raises(TypeError, match="SymmetryInput"):
        save({"vertex_colors": [0]}, tmp_path / "x.npz")


def test_save_refuses_a_destination_that_is_not_a_regular_file(a4_exact, tmp_path):
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    with pytest.raises(ValueError, match="it is a directory, not a regular file"):
        save(a4_exact, folder)
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="it is a FIFO, not a regular file"):
        save(a4_exact, fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # not replaced by a regular file
    os.mkfifo(tmp_path / "x.npz.json")  # the sidecar's name: refused before anything is written
    with pytest.raises(ValueError, match="x.npz.json'. it is a FIFO"):
        save(a4_exact, tmp_path / "x.npz")
    assert not (tmp_path / "x.npz").exists()
    save(a4_exact, tmp_path / "x.npz", sidecar=False)  # without the sidecar the name is free
    assert stat.S_ISFIFO((tmp_path / "x.npz.json").stat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.npz", "pipe.npz", "x.npz", "x.npz.json"]


def test_save_names_the_users_path_in_its_errors(a4_exact, tmp_path):
    with pytest.raises(ValueError, match="the output path is empty"):
        save(a4_exact, "")
    missing = tmp_path / "no" / "such" / "x.npz"
    with pytest.raises(FileNotFoundError, match="x.npz': no such directory") as info:
        save(a4_exact, missing)
    assert ".tmp" not in str(info.value)


# ------------------------------------------------------------------------------------ properties
def _random_inputs():
    perms = st.integers(2, 6).flatmap(lambda n: st.lists(st.permutations(range(n)), min_size=1, max_size=2))
    return st.tuples(perms, st.sampled_from(["closure", "sparse"]))


@settings(max_examples=20, deadline=None)
@given(_random_inputs())
def test_any_certified_input_round_trips(tmp_path_factory, case):
    gens, mode = case
    inp = symmetry_breaking_input(PermGroup(gens), mode=mode)
    path = save(inp, tmp_path_factory.mktemp("rt") / "x.npz", sidecar=False)
    _same(inp, load(path))


@settings(max_examples=20, deadline=None)
@given(st.data())
def test_any_single_edit_is_refused(tmp_path_factory, data):
    inp = closure_input(PermGroup(data.draw(st.lists(st.permutations(range(5)), min_size=1, max_size=2))))
    path = save(inp, tmp_path_factory.mktemp("ed") / "x.npz", sidecar=False)
    a = _arrays(path)
    name = data.draw(st.sampled_from(["vertex_colors", "edge_index", "edge_colors", "group_generators"]))
    flat = a[name].reshape(-1).copy()
    i = data.draw(st.integers(0, flat.size - 1))
    flat[i] += data.draw(st.integers(1, 3))
    _rewrite(path, arrays={name: flat.reshape(a[name].shape)}, redigest=False)
    with pytest.raises(ValueError, match="digest mismatch"):
        load(path)


def test_symmetry_input_is_what_load_returns(a4_file):
    assert isinstance(load(a4_file), SymmetryInput)


@pytest.mark.parametrize("mode", ["closure", "exact", "sparse"])
def test_the_trivial_group_on_no_points_round_trips(tmp_path, mode):
    # numpy's reshape(-1, 0) fails on empty arrays: the input, its visibility and its file have to avoid it
    inp = symmetry_breaking_input(PermGroup([], 0), mode=mode)
    assert inp.exact and inp.num_aux == 0 and inp.certificate.visibility.probes.shape == (0, 0)
    back = load(save(inp, tmp_path / "g0.npz"))
    assert back.group.degree == 0 and certify(back).exact
