"""The unit of work of :func:`asen.breaking.certify_batch`: one group, certified, as plain data.

A *job* is a JSON-ready dict ``{"name", "group": {"degree", "generators", "name"?}, "options": {...}}``
(:func:`make_jobs` builds them from specs, groups or ``groups.jsonl`` lines), so it travels unchanged to a
process-pool worker, a Dask worker or a child interpreter. :func:`run_job` certifies it and returns a
*result*: the status (``"exact"``, ``"overgroup"``, ``"over budget"``, ``"failed"``, ``"timeout"``), the
certificate's figures, and the finished file as bytes (``npz``, ``sidecar``). Workers never write to the
output folder: the caller checks the bytes and renames them into place.

With a ``timeout`` the job runs in a child interpreter (:func:`_child_main`) that is
killed when the time is up; this works the same inside a pool worker and inside a (daemonic) Dask worker,
and a child that crashes is reported with its exit status.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..groups import PermGroup
from ..groups.io import from_json
from ..groups.spec import as_group

__all__ = ["STATUSES", "cost_order", "file_name", "limit_blas_threads", "make_jobs", "read_jobs", "run_job", "status_of"]

#: every status a row of a batch summary can have
STATUSES = ("exact", "overgroup", "over budget", "failed", "timeout")

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CHILD = "import sys; from asen.breaking.batch_jobs import _child_main; _child_main(sys.argv[1])"


#: the thread-count variables of OpenMP, OpenBLAS and MKL (read by child interpreters at start-up)
_BLAS_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def limit_blas_threads(threads: int) -> None:
    """Pool-worker initialiser: at most ``threads`` BLAS/OpenMP threads in this process and in the child
    interpreters it starts (``timeout=``). Without it, P workers on P cores each start one BLAS thread per
    core and oversubscribe the machine. (Dask's nannies do the same for their workers; the local pool's
    speed-up itself was not benchmarked, the 0.49x of benchmarks/README.md is the Dask run.)"""
    from threadpoolctl import threadpool_limits

    for var in _BLAS_VARS:
        os.environ[var] = str(threads)
    threadpool_limits(limits=threads)  # the libraries numpy/scipy loaded before this ran


def cost_order(jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``jobs`` longest first by a cheap estimate: larger degree, then larger group order (stable otherwise).

    The search's cost grows steeply with the degree (degree <= 8 well under a second, degree 12 up to
    minutes), and within a degree the large non-2-closed groups need the large auxiliary orbits (the two
    slowest of GAP's 474 transitive groups of degree <= 12, T12_297 and T12_298, have order 518400, A_12 is
    third). A pool that starts them first does not end with one worker finishing them while the others idle
    (measured: 2 workers 811 s with degree-only order, both slow groups on one worker; benchmarks/README.md).

    Examples
    --------
    >>> [j["name"] for j in cost_order(make_jobs(["cyclic(3)", "cyclic(6)", "dihedral(6)"], {}))]
    ['dihedral_6', 'cyclic_6', 'cyclic_3']
    """
    orders = [from_json(job["group"]).order() for job in jobs]
    rank = sorted(range(len(jobs)), key=lambda k: (-int(jobs[k]["group"]["degree"]), -orders[k]))
    return [jobs[k] for k in rank]


def file_name(name: str) -> str:
    """The file stem for a group name: letters, digits, ``._-`` kept, other runs become ``_``.

    Examples
    --------
    >>> file_name("dihedral(8)"), file_name("T12_301")
    ('dihedral_8', 'T12_301')
    """
    stem = _SAFE.sub("_", name).strip("_.")
    if not stem:
        raise ValueError(f"group name {name!r} gives an empty file name; give the group a name")
    return stem[:120]


def _named(item: Any, k: int) -> tuple[str, PermGroup]:
    """``(name, group)`` for one entry of the ``groups`` argument of :func:`make_jobs`."""
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return item[0], as_group(item[1])
    if isinstance(item, Mapping):
        obj = dict(item)
        name = obj.get("name")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"group entry {k}: 'name' must be a string, got {name!r}")
        if "spec" in obj:
            G = as_group(obj["spec"])
            return name or str(obj["spec"]), G
        if "generators" in obj:
            G = from_json(obj)
            return name or f"group{k}", G
        raise ValueError(f"group entry {k} needs 'spec' or 'degree' and 'generators', got keys {sorted(obj)}")
    if isinstance(item, str):
        return item, as_group(item)
    G = as_group(item)
    return G.name or f"group{k}", G


def make_jobs(groups: Iterable[Any], options: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One job per group, in order; groups are parsed here, so a bad entry fails before any work.

    ``groups`` holds specs (``"dihedral(8)"``, ``"gap:..."``, ``"@g.json"``), :class:`PermGroup`\\ s,
    ``(name, group)`` pairs or dicts (``{"name", "spec"}`` or the group JSON schema of
    :mod:`asen.groups.io`). Two groups whose names give the same file name raise ``ValueError``.
    """
    jobs: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for k, item in enumerate(groups):
        name, G = _named(item, k)
        stem = file_name(name)
        if stem in seen:
            raise ValueError(
                f"groups {seen[stem]!r} and {name!r} would share the file {stem}.npz; give them distinct names"
            )
        seen[stem] = name
        group = {
            "degree": G.degree,
            "generators": G.generators.reshape(-1, G.degree).tolist(),
            "name": G.name,
        }
        jobs.append({"name": stem, "label": name, "group": group, "options": dict(options)})
    return jobs


def read_jobs(path: str | os.PathLike) -> list[Any]:
    """The entries of a ``groups.jsonl`` file: one JSON value a line (a spec string or an object).

    Blank lines and lines starting with ``#`` are skipped. An object is ``{"name": ..., "spec": ...}`` or
    a group in the JSON schema of :mod:`asen.groups.io` (``degree``, 0-based ``generators``, ``name``).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such groups file: {str(path)!r}")
    entries = []
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(
                f'{path}:{lineno}: not a JSON value ({exc.msg}); quote specs: "dihedral(8)"'
            ) from exc
        if not isinstance(value, (str, dict)):
            raise TypeError(
                f"{path}:{lineno}: expected a spec string or an object, got {type(value).__name__}"
            )
        entries.append(value)
    return entries


def status_of(exact: bool, mode: str) -> str:
    """``"exact"``; else ``"overgroup"`` in closure mode, ``"over budget"`` when the exact search ran out."""
    if exact:
        return "exact"
    return "overgroup" if mode == "closure" else "over budget"


def _where() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _failed(job: Mapping[str, Any], status: str, error: str, seconds: float) -> dict[str, Any]:
    return {
        "name": job["name"],
        "status": status,
        "error": error,
        "seconds": round(seconds, 3),
        "worker": _where(),
    }


def _certify(job: Mapping[str, Any]) -> dict[str, Any]:
    """Certify ``job`` in this process (the import is here: pool workers start light)."""
    from .files import save
    from .realise import symmetry_breaking_input

    start = time.perf_counter()
    opts = job["options"]
    try:
        G = from_json(job["group"])
        inp = symmetry_breaking_input(
            G, mode=opts["mode"], budget=opts["budget"], aux_kinds=tuple(opts["aux_kinds"]),
            visible=opts["visible"], frames=opts["frames"], engine=opts["engine"],
        )  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - reported in the summary, never raised out of a worker
        return _failed(job, "failed", f"{type(exc).__name__}: {exc}", time.perf_counter() - start)
    seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="asen-batch-") as tmp:
        path = save(inp, Path(tmp) / f"{job['name']}.npz")
        npz, sidecar = path.read_bytes(), Path(f"{path}.json").read_text("utf-8")
    cert = inp.certificate
    return {
        "name": job["name"],
        "status": status_of(inp.exact, inp.mode),
        "exact": inp.exact,
        "order": int(cert.requested_order),
        "achieved_order": int(cert.achieved_order),
        "aux_vertices": inp.num_aux,
        "aux_description": inp.aux_description,
        "note": inp.meta.get("best_effort"),
        "error": None,
        "seconds": round(seconds, 3),
        "worker": _where(),
        "npz": npz,
        "sidecar": sidecar,
    }


def run_job(job: Mapping[str, Any], timeout: float | None = None) -> dict[str, Any]:
    """Certify one job and return its result; with ``timeout`` (seconds) in a child interpreter.

    The timeout counts from when the child has imported asen (about a second of start-up is not counted).

    Never raises for a group that fails: its result has ``status`` ``"failed"`` (with ``error``) or
    ``"timeout"``.
    """
    if timeout is None:
        return _certify(job)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="asen-batch-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-c", _CHILD, str(out)]
        proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        proc.stdout.readline()  # "ready": imports done, so the clock counts the certification only
        try:
            _, stderr = proc.communicate(json.dumps(job), timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return _failed(job, "timeout", f"not finished within {timeout:g} s", time.perf_counter() - start)
        if proc.returncode != 0 or not out.exists():
            how = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit status {proc.returncode}"
            tail = stderr.strip().splitlines()[-1:] or [""]
            error = f"the process certifying it died ({how}) {tail[0]}".strip()
            return _failed(job, "failed", error, time.perf_counter() - start)
        result = json.loads(out.read_text("utf-8"))
        npz = Path(tmp) / "result.npz"
        if npz.exists():
            result["npz"] = npz.read_bytes()
        return result


def _child_main(out: str) -> None:
    """The child interpreter of :func:`run_job`: certify the job on stdin, write OUT (and OUT's ``.npz``)."""
    from . import files, realise  # noqa: F401 - imported before the clock starts

    print("ready", flush=True)
    result = _certify(json.loads(sys.stdin.read()))
    npz = result.pop("npz", None)
    out_path = Path(out)
    if npz is not None:
        out_path.with_suffix(".npz").write_bytes(npz)
    tmp = out_path.with_name(out_path.name + ".tmp")
    tmp.write_text(json.dumps(result), "utf-8")
    os.replace(tmp, out_path)  # the parent reads the result only once it is complete
