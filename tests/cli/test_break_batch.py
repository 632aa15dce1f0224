"""``asen break --batch``: files, summary, resume, exit status and argument errors."""

import json
import struct
import zipfile

from asen.cli.main import main


def test_batch_certifies_resumes_and_reports(tmp_path, capsys):
    groups = tmp_path / "groups.jsonl"
    groups.write_text('"cyclic(4)"\n{"name": "a5", "spec": "alternating(5)"}\n')
    out = tmp_path / "out"
    assert main(["break", "--batch", str(groups), "--out-dir", str(out), "--workers", "2"]) == 0
    text = capsys.readouterr()
    assert "2 exact" in text.out and "[2/2]" in text.err
    assert sorted(p.name for p in out.glob("*.npz")) == ["a5.npz", "cyclic_4.npz"]
    assert main(["break", "--batch", str(groups), "--out-dir", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["skipped"] == 2 and summary["counts"]["exact"] == 2
    assert main(["break", "--batch", str(groups), "--out-dir", str(out), "--mode", "closure",
                 "--require-exact"]) == 1  # fmt: skip
    assert "overgroup" in capsys.readouterr().out


def test_batch_argument_errors_exit_2(tmp_path, capsys):
    groups = tmp_path / "groups.jsonl"
    groups.write_text('"cyclic(4)"\n')
    assert main(["break"]) == 2
    assert main(["break", "--batch", str(groups)]) == 2
    assert main(["break", "cyclic(3)", "--batch", str(groups), "--out-dir", str(tmp_path)]) == 2
    assert main(["break", "--batch", str(groups), "--out-dir", str(tmp_path), "--scheduler", "yarn"]) == 2
    err = capsys.readouterr().err
    assert "SPEC or --batch" in err and "--out-dir" in err and "not both" in err and "local:N" in err


def test_batch_redoes_a_file_whose_compressed_data_is_corrupt(tmp_path, capsys):
    groups = tmp_path / "groups.jsonl"
    groups.write_text('"cyclic(4)"\n')
    out = tmp_path / "out"
    assert main(["break", "--batch", str(groups), "--out-dir", str(out), "--workers", "1"]) == 0
    path = out / "cyclic_4.npz"
    with zipfile.ZipFile(path) as zf:
        info = max(zf.infolist(), key=lambda i: i.compress_size)
    data = bytearray(path.read_bytes())  # a reserved deflate block type: zlib fails, not the zip directory
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)  # the local header's
    data[info.header_offset + 30 + name_len + extra_len] = 0xFF
    path.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["break", "--batch", str(groups), "--out-dir", str(out), "--workers", "1", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["rows"]
    assert not row["skipped"] and "is not a readable .npz archive" in row["redone"]
    assert row["status"] == "exact" and (out / "cyclic_4.npz.rejected").exists()
    assert main(["certify", str(path)]) == 0
    assert main(["break", "--batch", str(groups), "--out-dir", str(out), "--out", ""]) == 2
    assert main(["break", "--batch", str(groups), "--out-dir", ""]) == 2
    err = capsys.readouterr().err
    assert "--out names one file" in err and "--out-dir is empty" in err
