"""Symmetry-input files: one ``.npz`` (numpy arrays, no pickles) with embedded JSON metadata and a digest.

A file holds the structure ``v`` on ``X = Omega ⊔ Y`` sparsely: vertex colours, the arcs of non-background
colour (``edge_index``, ``edge_colors``; every other ordered pair has colour 0), the group's generators
(and their lifts to ``X`` when there are auxiliary vertices) and a UTF-8 JSON ``metadata`` array with the
provenance, the certificate record and a SHA-256 digest over everything else. The layout is specified in
``docs/file-format.md`` so that other frameworks can read it without asen.

    digest = SHA-256( for each array a, by name:  name \\0 dtype \\0 shape \\0 bytes(a)
                      then  "metadata" \\0 metadata-bytes-with-the-digest-replaced-by-64-zeros )

A loaded certificate is only a record of what nauty said when the file was written; ``asen certify``
(:func:`asen.breaking.certify`) re-derives it.

Version 2 adds the certificate's ``visibility`` record (:mod:`asen.breaking.visibility`); version 1 files
still load, with ``certificate.visibility`` None.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..groups import PermGroup
from ..groups.perm import as_rows
from .certificate import Certificate
from .symmetry_input import MODES, SymmetryInput

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "READABLE_VERSIONS", "digest", "load", "read_metadata", "save"]

FORMAT_NAME = "asen.symmetry_input"
FORMAT_VERSION = 2
#: versions :func:`load` reads: 1 (no visibility record; loads with ``certificate.visibility`` None) and 2
READABLE_VERSIONS = (1, 2)

_REQUIRED = ("vertex_colors", "edge_index", "edge_colors", "group_generators", "metadata")
_OPTIONAL = ("lifted_generators",)
_ZEROS = "0" * 64
_DIGEST_FIELD = re.compile(rb'("sha256"\s*:\s*")([0-9a-fA-F]{64})(")')
_ORDER_FIELDS = ("requested_order", "achieved_order", "index")
#: ``inp.meta`` keys that never go into the JSON ``meta`` object; :func:`load` refuses a file whose ``meta``
#: has one (``lifted_generators`` is trusted only as the validated array of that name)
_NOT_IN_JSON_META = ("lifted_generators", "loaded_from", "sha256")
_JSON_SCALARS = (str, bool, int, float, type(None))


# ------------------------------------------------------------------------------------------ digest
def _with_digest(raw: bytes, hexdigest: str) -> bytes:
    """``raw`` with the 64 hex digits of its one ``"sha256"`` field replaced by ``hexdigest``."""
    matches = list(_DIGEST_FIELD.finditer(raw))
    if len(matches) != 1:
        raise ValueError(f'metadata must contain exactly one "sha256" field, found {len(matches)}')
    m = matches[0]
    return raw[: m.start(2)] + hexdigest.encode("ascii") + raw[m.end(2) :]


def _blank(raw: bytes) -> bytes:
    return _with_digest(raw, _ZEROS)


def digest(arrays: Mapping[str, np.ndarray], metadata: bytes) -> str:
    """SHA-256 (hex) over the arrays other than ``metadata``, by name, then the blanked metadata bytes.

    Each array contributes ``name``, its dtype string (``"<i8"``), its shape (``"2,40"``), each followed
    by a NUL byte, then its C-order bytes. ``metadata`` contributes ``b"metadata\\0"`` and its bytes with
    the digest's 64 hex digits replaced by ASCII zeros, so the digest can be checked on the stored bytes.

    Examples
    --------
    >>> import numpy as np
    >>> meta = b'{"sha256": "' + b"0" * 64 + b'"}'
    >>> len(digest({"a": np.arange(3)}, meta))
    64
    """
    h = hashlib.sha256()
    for name in sorted(k for k in arrays if k != "metadata"):
        a = np.ascontiguousarray(arrays[name])
        shape = ",".join(str(s) for s in a.shape)
        h.update(f"{name}\0{a.dtype.str}\0{shape}\0".encode("ascii"))
        h.update(a.tobytes())
    h.update(b"metadata\0")
    h.update(_blank(metadata))
    return h.hexdigest()


# -------------------------------------------------------------------------------------------- save
def _narrow(a: np.ndarray) -> np.ndarray:
    """Little-endian ``int32`` when every value fits, else ``int64``."""
    a = np.asarray(a)
    fits = a.size == 0 or (a.min() >= np.iinfo(np.int32).min and a.max() <= np.iinfo(np.int32).max)
    return np.ascontiguousarray(a, dtype="<i4" if fits else "<i8")


def _json_float(x: float) -> float | str:
    return x if math.isfinite(x) else str(x)  # JSON has no inf/nan; float("inf") reads the string back


def _certificate_record(cert: Certificate | None) -> dict[str, Any] | None:
    if cert is None:
        return None
    rec = cert.to_dict()
    for key in _ORDER_FIELDS:  # decimal strings: exact in every JSON reader, not only Python's
        if key in rec:
            rec[key] = str(int(rec[key]))
    return {k: _json_float(v) if isinstance(v, float) else v for k, v in rec.items()}


def _plain_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-scalar entries of ``inp.meta`` (``lifted_generators`` travels as an array)."""
    return {
        str(k): v
        for k, v in meta.items()
        if k not in _NOT_IN_JSON_META
        and isinstance(v, _JSON_SCALARS)
        and not (isinstance(v, float) and not math.isfinite(v))
    }


def _metadata(inp: SymmetryInput, arrays: Mapping[str, np.ndarray]) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "num_points": inp.num_points,
        "num_vertices": inp.num_vertices,
        "num_aux": inp.num_aux,
        "num_edges": int(arrays["edge_colors"].size),
        "mode": inp.mode,
        "aux_description": inp.aux_description,
        "group_name": inp.group.name,
        "group_order": str(inp.group.order()),
        "certificate": _certificate_record(inp.certificate),
        "meta": _plain_meta(inp.meta),
        "arrays": {k: {"dtype": a.dtype.str, "shape": list(a.shape)} for k, a in sorted(arrays.items())},
        "sha256": _ZEROS,
    }


def save(inp: SymmetryInput, path: str | os.PathLike, *, sidecar: bool = True) -> Path:
    """Write ``inp`` to ``path`` (that exact name; ``.npz`` recommended) and, by default, ``<path>.json``.

    Parameters
    ----------
    inp
        The input to store (certified or not; the certificate, if any, is stored as a record).
    path
        Destination file; replaced atomically if it exists.
    sidecar
        Also write the metadata, pretty-printed, to ``<path>.json`` for people and tools. The copy inside
        the ``.npz`` is the authoritative one; :func:`load` never reads the sidecar.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ValueError, FileNotFoundError
        ``path`` or the sidecar's name is empty, is not a regular file, or its folder is missing
        (:func:`writable_path`); nothing is written then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from asen.breaking import symmetry_breaking_input
    >>> inp = symmetry_breaking_input("cyclic(5)", mode="sparse")
    >>> path = save(inp, pathlib.Path(tempfile.mkdtemp()) / "c5.npz")
    >>> back = load(path)
    >>> bool((back.pair_colors == inp.pair_colors).all()), back.certificate.exact
    (True, True)
    """
    if not isinstance(inp, SymmetryInput):
        raise TypeError(f"inp must be a SymmetryInput, got {type(inp).__name__}")
    path = writable_path(path)
    side = writable_path(str(path) + ".json") if sidecar else None
    arrays: dict[str, np.ndarray] = {
        "vertex_colors": _narrow(inp.vertex_colors),
        "edge_index": _narrow(inp.edge_index),
        "edge_colors": _narrow(inp.edge_colors),
        "group_generators": _narrow(as_rows(inp.group.generators, inp.num_points)),
    }
    lifted = inp.meta.get("lifted_generators")
    if lifted is not None and inp.num_aux:
        arrays["lifted_generators"] = _narrow(as_rows(lifted, inp.num_vertices))
    meta = _metadata(inp, arrays)
    raw = json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8")
    meta["sha256"] = digest(arrays, raw)
    raw = _with_digest(raw, meta["sha256"])
    arrays["metadata"] = np.frombuffer(raw, dtype=np.uint8)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        os.replace(tmp, path)
    except OSError as exc:  # named by the user's path, not the temporary one
        raise _cannot_write(exc, path) from exc
    finally:
        tmp.unlink(missing_ok=True)
    if side is not None:
        try:
            side.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
        except OSError as exc:
            raise _cannot_write(exc, side) from exc
    return path


def _cannot_write(exc: OSError, target: Path) -> OSError:
    """``exc`` (same class) naming ``target`` instead of whatever file the system call was given."""
    return type(exc)(f"cannot write {str(target)!r}: {exc.strerror or exc}")


def writable_path(path: str | os.PathLike) -> Path:
    """``path`` as a :class:`~pathlib.Path` once it can be written as a regular file.

    Raises
    ------
    ValueError
        ``path`` is empty, or names something that exists and is not a regular file (a directory, a FIFO, a
        device): writing would replace it or block on it.
    FileNotFoundError
        Its folder does not exist.
    """
    text = os.fspath(path)
    if not text:
        raise ValueError("the output path is empty")
    path = Path(text)
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        kind = (
            "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        )
        raise ValueError(f"cannot write {text!r}: it is {kind}, not a regular file")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {text!r}: no such directory {str(path.parent)!r}")
    return path


# -------------------------------------------------------------------------------------------- load
def _read(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and the parsed metadata of a file, after checking its structure and digest."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{str(path)!r} is a directory, not a symmetry-input file")
    if not path.exists():
        raise FileNotFoundError(f"no such file: {str(path)!r}")
    if not path.is_file():  # a FIFO or a device: reading would block or never end
        raise ValueError(f"{str(path)!r} is not a regular file (a FIFO, socket or device)")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{str(path)!r} is not a symmetry-input file: not an .npz (zip) archive")
    arrays: dict[str, np.ndarray] = {}
    try:
        with np.load(path, allow_pickle=False) as npz:
            for name in npz.files:
                arrays[name] = npz[name]
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError, zlib.error, NotImplementedError,
            RuntimeError) as exc:  # corrupt deflate data, an unsupported compression method, encryption
        raise ValueError(f"{str(path)!r} is not a readable .npz archive: {exc}") from exc
    missing = [k for k in _REQUIRED if k not in arrays]
    if missing:
        raise ValueError(f"{str(path)!r} is not a symmetry-input file: missing array(s) {missing}")
    extra = sorted(set(arrays) - set(_REQUIRED) - set(_OPTIONAL))
    if extra:
        raise ValueError(f"{str(path)!r} has unexpected array(s) {extra} (format version {FORMAT_VERSION})")
    raw_arr = arrays["metadata"]
    if raw_arr.dtype != np.uint8 or raw_arr.ndim != 1:
        raise ValueError(
            f"metadata must be a 1-D uint8 array, got {raw_arr.dtype} with shape {raw_arr.shape}"
        )
    raw = raw_arr.tobytes()
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"metadata of {str(path)!r} is not UTF-8 JSON: {exc}") from exc
    if not isinstance(meta, dict):
        kind = type(meta).__name__
        raise ValueError(f"metadata of {str(path)!r} must be a JSON object, got {kind}")  # noqa: TRY004
    if meta.get("format") != FORMAT_NAME:
        raise ValueError(f"{str(path)!r} is not a symmetry-input file: format is {meta.get('format')!r}")
    version = meta.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise ValueError(
            f"unknown format version {version!r} in {str(path)!r} (this asen reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))})"
        )
    stored = meta.get("sha256")
    if not isinstance(stored, str) or not re.fullmatch(r"[0-9a-f]{64}", stored):
        raise ValueError(f"metadata 'sha256' must be 64 lowercase hex digits, got {stored!r}")
    if digest(arrays, raw) != stored:
        raise ValueError(f"digest mismatch in {str(path)!r}: the file was modified after it was written")
    listed = meta.get("arrays")
    actual = {k: {"dtype": a.dtype.str, "shape": list(a.shape)} for k, a in arrays.items() if k != "metadata"}
    if listed != actual:
        raise ValueError(f"metadata 'arrays' {listed!r} does not describe the stored arrays {actual!r}")
    return arrays, meta


def read_metadata(path: str | os.PathLike) -> dict[str, Any]:
    """The embedded metadata of a symmetry-input file (structure and digest checked)."""
    return _read(path)[1]


def _int_array(arrays: Mapping[str, np.ndarray], name: str, shape: tuple[int | None, ...]) -> np.ndarray:
    a = arrays[name]
    if a.dtype.kind not in "iu":
        raise ValueError(f"array {name!r} must have an integer dtype, got {a.dtype}")
    if a.ndim != len(shape) or any(s is not None and s != t for s, t in zip(shape, a.shape)):
        want = (
            "("
            + ", ".join("?" if s is None else str(s) for s in shape)
            + ("," if len(shape) == 1 else "")
            + ")"
        )
        raise ValueError(f"array {name!r} must have shape {want}, got {a.shape}")
    return a.astype(np.int64)


def _count(meta: Mapping[str, Any], key: str) -> int:
    value = meta.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"metadata {key!r} must be a non-negative integer, got {value!r}")
    return value


def _json_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The metadata's ``meta`` object (scalar notes) as :func:`save` writes it, checked.

    Its entries become ``inp.meta``, so a key that :func:`save` never writes (``lifted_generators``, which
    :func:`asen.breaking.certify` would use, is trusted only as the validated array) is refused.
    """
    notes = meta.get("meta", {})
    if not isinstance(notes, dict):
        raise ValueError(f"metadata 'meta' must be a JSON object, got {type(notes).__name__}")  # noqa: TRY004
    for key, value in notes.items():
        if key in _NOT_IN_JSON_META:
            raise ValueError(f"metadata 'meta' must not contain {key!r} (asen never writes it there)")
        if not isinstance(value, _JSON_SCALARS):
            raise ValueError(
                f"metadata 'meta' entry {key!r} must be a string, number, boolean or null, got "
                f"{type(value).__name__}"
            )
    return dict(notes)


def load(path: str | os.PathLike) -> SymmetryInput:
    """Read a file written by :func:`save`, checking structure, dtypes, shapes, values and the digest.

    Returns
    -------
    SymmetryInput
        With the stored certificate record restored (:meth:`Certificate.from_dict`, including its
        visibility record; version 1 files have none, so ``certificate.visibility`` is None), or None when
        the file was saved uncertified. The record is not re-checked here; :func:`asen.breaking.certify`
        re-derives it with nauty. ``meta["loaded_from"]`` names the file.

    Raises
    ------
    FileNotFoundError
        No file at ``path``.
    ValueError
        Not an ``.npz`` (or not a regular file), missing or unexpected arrays, wrong dtypes or shapes, bad
        JSON, a ``meta`` object that is not scalar notes, unknown format version, digest mismatch, or
        contents that contradict each other.
    """
    arrays, meta = _read(path)
    n, N, E = _count(meta, "num_points"), _count(meta, "num_vertices"), _count(meta, "num_edges")
    if N < n:
        raise ValueError(f"metadata num_vertices={N} is smaller than num_points={n}")
    if meta.get("mode") not in MODES:
        raise ValueError(f"metadata 'mode' must be one of {MODES}, got {meta.get('mode')!r}")
    vc = _int_array(arrays, "vertex_colors", (N,))
    edge_index = _int_array(arrays, "edge_index", (2, E))
    edge_colors = _int_array(arrays, "edge_colors", (E,))
    gens = _int_array(arrays, "group_generators", (None, n))
    if E and (edge_index.min() < 0 or edge_index.max() >= N):
        raise ValueError(f"edge_index must hold vertex ids in 0..{N - 1}")
    if E and edge_colors.min() < 1:
        raise ValueError("edge_colors must be >= 1 (colour 0 is the background and is not listed)")
    codes = edge_index[0] * N + edge_index[1]
    if np.unique(codes).size != E:
        raise ValueError("edge_index lists an arc more than once")
    if vc.size and vc.min() < 0:
        raise ValueError("vertex_colors must be non-negative")
    order = meta.get("group_order")
    if not isinstance(order, str) or not re.fullmatch(r"[0-9]+", order) or int(order) < 1:
        raise ValueError(f"metadata 'group_order' must be a positive decimal string, got {order!r}")
    name = meta.get("group_name")
    if name is not None and not isinstance(name, str):
        raise ValueError(f"metadata 'group_name' must be a string or null, got {name!r}")
    try:
        group = PermGroup(gens, n, order=int(order), name=name)
        group.order()  # the stated order is checked while the stabiliser chain is built
    except (ValueError, TypeError) as exc:
        raise ValueError(f"group_generators do not define the stored group: {exc}") from exc
    extra = _json_meta(meta)
    if "lifted_generators" in arrays:
        lifted = _int_array(arrays, "lifted_generators", (gens.shape[0], N))
        if not np.array_equal(np.sort(lifted, axis=1), np.broadcast_to(np.arange(N), lifted.shape)):
            raise ValueError(f"every row of lifted_generators must be a permutation of 0..{N - 1}")
        if not np.array_equal(lifted[:, :n], gens):
            raise ValueError("lifted_generators do not restrict to group_generators on the points")
        extra["lifted_generators"] = lifted
    pair_colors = np.zeros((N, N), dtype=np.int64)
    pair_colors[edge_index[0], edge_index[1]] = edge_colors
    aux = meta.get("aux_description", "")
    if not isinstance(aux, str):
        raise ValueError(f"metadata 'aux_description' must be a string, got {aux!r}")  # noqa: TRY004
    extra["loaded_from"] = str(path)
    try:
        inp = SymmetryInput(group=group, vertex_colors=vc, pair_colors=pair_colors, mode=meta["mode"],
                            aux_description=aux, meta=extra)  # fmt: skip
    except ValueError as exc:
        raise ValueError(f"inconsistent symmetry input in {str(path)!r}: {exc}") from exc
    record = meta.get("certificate")
    if record is not None:
        if not isinstance(record, dict):
            raise ValueError(f"metadata 'certificate' must be an object or null, got {type(record).__name__}")
        if meta["version"] < 2 and "visibility" in record:
            raise ValueError("a version 1 certificate record cannot carry a visibility record")
        inp.certificate = Certificate.from_dict(record, num_points=n)  # witnesses, probes: n columns
        if inp.certificate.requested_order != int(order):
            raise ValueError(
                f"the certificate record's requested order {inp.certificate.requested_order} is not the "
                f"stored group order {order}"
            )
    return inp
