"""Certify a library of groups: one file per group, a summary, resumable, on a process pool or Dask.

``certify_batch(groups, out_dir)`` runs :func:`~asen.breaking.symmetry_breaking_input` for every group
and writes ``out_dir/<name>.npz`` (+ ``.npz.json``, :mod:`asen.breaking.files`) and
``out_dir/batch_summary.json``. Work runs on a local :class:`concurrent.futures.ProcessPoolExecutor` or,
with ``client=``, on a Dask cluster (``pip install 'asen[dask]'``); either way the workers only return
bytes and this process checks them (digest, group) and renames them into place, so a worker that dies
cannot leave a partial file under a final name.

Resuming: a group whose file is already in ``out_dir`` is skipped once the file loads (structure and
digest, :func:`~asen.breaking.load`) and stores the same group and mode; a file that does not is moved
aside to ``<name>.npz.rejected`` and the group is redone, the reason in its row. ``verify="certify"``
also re-derives each stored certificate with nauty, which catches a file rewritten with a fresh digest.

A local worker process that dies takes its pool with it; the groups then in flight are rerun one at a
time, so the group that kills its worker is told apart from its neighbours and reported ``"failed"``
after ``retries`` reruns. On Dask the scheduler does this itself (``distributed.scheduler.allowed-failures``)
and a group that keeps killing workers comes back as ``KilledWorker``, reported the same way.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .auxiliary import AUX_KINDS, DEFAULT_BUDGET, _check_frames
from .batch_jobs import STATUSES, cost_order, limit_blas_threads, make_jobs, run_job, status_of
from .files import load
from .realise import default_mode
from .symmetry_input import MODES

__all__ = ["SUMMARY_NAME", "BatchSummary", "certify_batch", "dask_client"]

#: the summary file :func:`certify_batch` writes into ``out_dir``
SUMMARY_NAME = "batch_summary.json"
_PART = ".asen-part-"
_COLUMNS = ("name", "status", "order", "achieved_order", "aux_vertices", "seconds", "note")


@dataclass
class BatchSummary:
    """What :func:`certify_batch` did: one row per group, in input order.

    Attributes
    ----------
    rows
        Dicts with ``name``, ``label`` (as given), ``status`` (one of :data:`STATUSES`), ``exact``,
        ``order``, ``achieved_order``, ``aux_vertices``, ``aux_description``, ``seconds``, ``worker``,
        ``file`` (None unless a certified file is in ``out_dir``), ``skipped`` (already there),
        ``redone`` (why an existing file was rejected, or None), ``interrupted`` (local pool: how often a
        worker died while it was in flight; it was then rerun), ``error`` and ``note``.
    out_dir
        The folder written.
    seconds
        Wall time of the run.
    backend
        ``"local:<processes>"`` or ``"dask:<scheduler address>"``.
    """

    rows: list[dict[str, Any]]
    out_dir: Path
    seconds: float
    backend: str
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = {s: sum(r["status"] == s for r in self.rows) for s in STATUSES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "asen.batch_summary", "version": 1, "backend": self.backend,
            "seconds": round(self.seconds, 3), "counts": self.counts,
            "skipped": sum(bool(r["skipped"]) for r in self.rows),
            "redone": sum(r["redone"] is not None for r in self.rows), "rows": self.rows,
        }  # fmt: skip

    def table(self) -> str:
        """A fixed-width text table of the rows and a totals line."""
        cells = [[_cell(r, k) for k in _COLUMNS] for r in self.rows]
        widths = [max([len(k)] + [len(c[i]) for c in cells]) for i, k in enumerate(_COLUMNS)]
        line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()
        totals = ", ".join(f"{n} {s}" for s, n in self.counts.items())
        done = sum(bool(r["skipped"]) for r in self.rows)
        tail = f"{len(self.rows)} groups: {totals}; {done} already in {self.out_dir}; {self.seconds:.1f} s"
        return "\n".join([line(_COLUMNS), line(["-" * w for w in widths]), *map(line, cells), tail])


def _cell(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if key == "note":
        value = row.get("error") or row.get("redone") and f"redone: {row['redone']}" or value
        return "" if value is None else str(value)[:90]
    if key == "status" and row.get("skipped"):
        return f"{value} (kept)"
    return "" if value is None else str(value)


# ----------------------------------------------------------------------------------- resume, commit
def _stored_row(job: Mapping[str, Any], path: Path, verify: str) -> dict[str, Any]:
    """The row of a group already in ``out_dir``; ``ValueError`` naming why the file cannot be kept."""
    inp = load(path)  # structure, dtypes and the SHA-256 digest
    want = np.asarray(job["group"]["generators"], dtype=np.int64).reshape(-1, job["group"]["degree"])
    have = inp.group.generators.reshape(-1, inp.num_points)
    if inp.num_points != job["group"]["degree"] or not np.array_equal(have, want):
        raise ValueError("it stores a different group")
    mode = job["options"]["mode"]
    if mode == "auto":
        mode = default_mode(inp.group)
    if inp.mode != mode:
        raise ValueError(f"it was built in mode {inp.mode!r}, not {mode!r}")
    cert = inp.certificate
    if cert is None:
        raise ValueError("it has no certificate")
    if verify == "certify":
        from .certificate import certify

        fresh = certify(inp)
        if fresh.exact != cert.exact or fresh.achieved_order != cert.achieved_order:
            raise ValueError(
                f"its certificate record says |Aut(v)|Omega| = {cert.achieved_order}, nauty says {fresh.achieved_order}"
            )
    return {
        "status": status_of(bool(cert.exact), inp.mode), "exact": bool(cert.exact),
        "order": int(cert.requested_order), "achieved_order": int(cert.achieved_order),
        "aux_vertices": inp.num_aux, "aux_description": inp.aux_description, "note": inp.meta.get("best_effort"),
        "error": None, "seconds": 0.0, "worker": None,
    }  # fmt: skip


def _reject(path: Path) -> None:
    """Move a file that cannot be kept (and its sidecar) out of the way: ``<name>.npz.rejected``."""
    os.replace(path, path.with_name(path.name + ".rejected"))
    sidecar = Path(f"{path}.json")
    if sidecar.exists():
        os.replace(sidecar, Path(f"{path}.rejected.json"))


def _commit(out_dir: Path, job: Mapping[str, Any], result: dict[str, Any]) -> str | None:
    """Write a worker's bytes under a temporary name, check them, rename into place; the file name."""
    npz = result.pop("npz", None)
    sidecar = result.pop("sidecar", None)
    if npz is None:
        return None
    final = out_dir / f"{job['name']}.npz"
    token = uuid.uuid4().hex[:12]
    tmp = out_dir / f"{_PART}{job['name']}-{token}.npz"
    tmp_json = out_dir / f"{_PART}{job['name']}-{token}.json"
    try:
        tmp.write_bytes(npz)
        _stored_row(job, tmp, "digest")  # what a resumed run will check, checked before the rename
        if sidecar is not None:
            tmp_json.write_text(sidecar, "utf-8")
            os.replace(tmp_json, Path(f"{final}.json"))
        os.replace(tmp, final)
    except ValueError as exc:
        result.update(status="failed", error=f"the worker's file did not check: {exc}")
        return None
    finally:
        tmp.unlink(missing_ok=True)
        tmp_json.unlink(missing_ok=True)
    return final.name


def _write_summary(out_dir: Path, summary: BatchSummary) -> None:
    tmp = out_dir / f"{_PART}summary-{uuid.uuid4().hex[:12]}.json"
    tmp.write_text(json.dumps(summary.to_dict(), indent=1) + "\n", "utf-8")
    os.replace(tmp, out_dir / SUMMARY_NAME)


# ----------------------------------------------------------------------------------------- backends
def _run_local(jobs: list[dict[str, Any]], processes: int, threads: int, timeout: float | None, retries: int,
               done: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:  # fmt: skip
    """Run ``jobs`` on a process pool of workers with ``threads`` BLAS threads each; ``done(job, result)`` for
    each, also for those whose worker died."""
    import concurrent.futures as cf
    import multiprocessing as mp
    from concurrent.futures.process import BrokenProcessPool

    queue, alone = deque(jobs), deque()  # alone: in flight when a pool broke; rerun one at a time
    deaths: dict[str, int] = {}
    interrupted: dict[str, int] = {}  # how often a pool broke while it was in flight

    def finish(job: dict[str, Any], result: dict[str, Any]) -> None:
        done(job, {**result, "interrupted": interrupted.get(job["name"], 0)})

    ctx = mp.get_context("spawn")
    while queue or alone:
        broken: list[dict[str, Any]] = []
        with cf.ProcessPoolExecutor(
            processes, mp_context=ctx, initializer=limit_blas_threads, initargs=(threads,)
        ) as pool:
            flight: dict[cf.Future, dict[str, Any]] = {}
            while (queue or alone or flight) and not broken:
                while alone and not flight:
                    job = alone.popleft()
                    flight[pool.submit(run_job, job, timeout)] = job
                while queue and not alone and len(flight) < processes:
                    job = queue.popleft()
                    flight[pool.submit(run_job, job, timeout)] = job
                finished, _ = cf.wait(flight, return_when=cf.FIRST_COMPLETED)
                for fut in finished:
                    job = flight.pop(fut)
                    try:
                        finish(job, fut.result())
                    except BrokenProcessPool:
                        broken.append(job)
            if broken:  # every other future of the pool fails the same way
                for fut, job in flight.items():
                    cf.wait([fut])
                    broken.append(job)
                pool.shutdown(wait=True, cancel_futures=True)
        for job in broken:
            interrupted[job["name"]] = interrupted.get(job["name"], 0) + 1
        if len(broken) == 1:  # it ran alone: it killed its worker
            job = broken[0]
            deaths[job["name"]] = deaths.get(job["name"], 0) + 1
            if deaths[job["name"]] > retries:
                n = deaths[job["name"]]
                error = f"its worker process died ({n} time{'s' if n > 1 else ''}, running alone)"
                failed = {"name": job["name"], "status": "failed", "error": error, "seconds": 0.0}
                finish(job, {**failed, "worker": None})
            else:
                alone.append(job)
        else:
            alone.extend(broken)


def dask_client(client: Any) -> tuple[Any, bool]:
    """``(Client, owned)`` for a ``distributed.Client`` or a scheduler address (``"tcp://host:8786"``)."""
    try:
        import distributed
    except ImportError as exc:
        raise ImportError(
            "batch certification on Dask needs dask.distributed: pip install 'asen[dask]'"
        ) from exc
    if isinstance(client, distributed.Client):
        return client, False
    if isinstance(client, str):
        if "://" not in client:
            raise ValueError(
                f"client must be a dask Client or a scheduler address like 'tcp://host:8786', got {client!r}"
            )
        return distributed.Client(client, timeout="30s"), True
    raise TypeError(
        f"client must be a dask.distributed.Client or a scheduler address, got {type(client).__name__}"
    )


def _run_dask(client: Any, jobs: list[dict[str, Any]], timeout: float | None,
              done: Callable[[dict[str, Any], dict[str, Any]], None]) -> None:  # fmt: skip
    import distributed

    token = uuid.uuid4().hex[:8]
    futures = {
        client.submit(
            run_job, job, timeout, key=f"asen-certify-{job['name']}-{token}", pure=False, priority=len(jobs) - k
        ): job
        for k, job in enumerate(jobs)
    }  # the scheduler starts higher priorities first: the jobs in the given (largest-first) order
    for fut in distributed.as_completed(list(futures)):
        job = futures[fut]
        try:
            result = fut.result()
        except distributed.scheduler.KilledWorker as exc:
            result = {"status": "failed", "error": f"Dask workers died running it (KilledWorker: {exc})"}
        except Exception as exc:  # noqa: BLE001 - a cluster-side error outside run_job, reported
            result = {"status": "failed", "error": f"{type(exc).__name__} on the Dask cluster: {exc}"}
        result.setdefault("seconds", 0.0)
        result.setdefault("worker", None)
        done(job, result)
        fut.release()


# ------------------------------------------------------------------------------------------ the call
def certify_batch(
    groups: Iterable[Any],
    out_dir: str | os.PathLike,
    *,
    mode: str = "exact",
    budget: int = DEFAULT_BUDGET,
    aux_kinds: tuple[str, ...] = AUX_KINDS,
    visible: bool = True,
    frames: int | None = None,
    engine: str = "auto",
    client: Any = None,
    processes: int | None = None,
    threads_per_worker: int | None = None,
    timeout: float | None = None,
    retries: int = 1,
    verify: str = "digest",
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> BatchSummary:
    """Certify every group into ``out_dir`` (one ``.npz`` + JSON each) and write ``batch_summary.json``.

    Parameters
    ----------
    groups
        Specs, :class:`~asen.groups.PermGroup`\\ s, ``(name, group)`` pairs or dicts (``{"name", "spec"}``
        or the group JSON schema); see :func:`asen.breaking.batch_jobs.make_jobs`. Names become file names.
    out_dir
        Created if needed; groups already certified there are kept (after checking) and not redone.
    mode, budget, aux_kinds, visible, frames, engine
        As for :func:`~asen.breaking.symmetry_breaking_input`.
    client
        None (local process pool), a ``dask.distributed.Client`` or a scheduler address ``"tcp://..."``.
    processes
        Local pool size (default: the CPU count); ignored with ``client``.
    threads_per_worker
        BLAS/OpenMP threads in each local pool worker (default: CPU count // ``processes``, at least 1, so
        the pool does not oversubscribe the cores); ignored with ``client`` (Dask's nannies start their
        workers with one BLAS thread).
    timeout
        Seconds per group; each group then runs in its own interpreter and is stopped, reported
        ``"timeout"``, when its time is up. None: no limit.
    retries
        Local pool: how many times a group whose worker died while it ran alone is rerun before it is
        reported ``"failed"``.
    verify
        ``"digest"`` (default): a stored file must load with its digest; ``"certify"``: its certificate is
        also re-derived with nauty.
    on_result
        Called with each row as it completes (the CLI prints progress with it).

    Returns
    -------
    BatchSummary
        One row per group in input order; also written to ``out_dir/batch_summary.json``.

    Raises
    ------
    ValueError, TypeError
        Bad options or group entries (before any work starts).
    ImportError
        ``client`` given without dask.distributed installed.

    Examples
    --------
    >>> import tempfile
    >>> s = certify_batch(["cyclic(4)", "alternating(4)"], tempfile.mkdtemp(), processes=1)
    >>> [(r["name"], r["status"], r["file"]) for r in s.rows]
    [('cyclic_4', 'exact', 'cyclic_4.npz'), ('alternating_4', 'exact', 'alternating_4.npz')]
    """
    if mode not in (*MODES, "auto"):
        raise ValueError(f"mode must be one of {MODES} or 'auto', got {mode!r}")
    if verify not in ("digest", "certify"):
        raise ValueError(f"verify must be 'digest' or 'certify', got {verify!r}")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0
    ):
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be a non-negative int, got {retries!r}")
    if processes is not None and (
        isinstance(processes, bool) or not isinstance(processes, int) or processes < 1
    ):
        raise ValueError(f"processes must be a positive int or None, got {processes!r}")
    if threads_per_worker is not None and (
        isinstance(threads_per_worker, bool) or not isinstance(threads_per_worker, int) or threads_per_worker < 1
    ):
        raise ValueError(f"threads_per_worker must be a positive int or None, got {threads_per_worker!r}")
    options = {"mode": mode, "budget": int(budget), "aux_kinds": list(aux_kinds), "visible": bool(visible),
               "frames": None if mode == "auto" and frames is None else _check_frames(frames, mode),
               "engine": engine}  # fmt: skip
    jobs = make_jobs(groups, options)
    start = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(f"{_PART}*"):  # left by a run that was killed (one batch per folder at a time)
        stale.unlink(missing_ok=True)
    rows: dict[str, dict[str, Any]] = {}
    pending = []
    for job in jobs:
        base = {"name": job["name"], "label": job["label"], "degree": job["group"]["degree"], "file": None,
                "skipped": False, "redone": None, "interrupted": 0}  # fmt: skip
        path = out / f"{job['name']}.npz"
        if path.exists():
            try:
                rows[job["name"]] = {
                    **base,
                    **_stored_row(job, path, verify),
                    "file": path.name,
                    "skipped": True,
                }
                if on_result is not None:
                    on_result(rows[job["name"]])
                continue
            except (ValueError, TypeError) as exc:
                base["redone"] = f"{path.name}: {exc}"
                _reject(path)
        rows[job["name"]] = base
        pending.append(job)
    pending = cost_order(pending)  # rows stay in input order; the work starts with the longest jobs

    def done(job: dict[str, Any], result: dict[str, Any]) -> None:
        row = rows[job["name"]]
        row["file"] = _commit(out, job, result)
        row.update({k: v for k, v in result.items() if k != "name"})
        for key in ("exact", "order", "achieved_order", "aux_vertices", "aux_description", "note", "error"):
            row.setdefault(key, None)
        if on_result is not None:
            on_result(row)

    if client is not None:
        dask, owned = dask_client(client)
        backend = f"dask:{dask.scheduler.address}"
        try:
            _run_dask(dask, pending, timeout, done)
        finally:
            if owned:
                dask.close()
    else:
        processes = processes or os.cpu_count() or 1
        threads = threads_per_worker or max(1, (os.cpu_count() or 1) // processes)
        backend = f"local:{processes}"
        if pending:
            _run_local(pending, processes, threads, timeout, retries, done)
    missing = [j["name"] for j in jobs if "status" not in rows[j["name"]]]
    assert not missing, f"groups without a result: {missing}"  # every group is reported, never dropped
    summary = BatchSummary([rows[j["name"]] for j in jobs], out, time.perf_counter() - start, backend)
    _write_summary(out, summary)
    return summary
