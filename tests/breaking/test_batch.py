"""certify_batch: files, summary, resume, forged files, timeouts, dying workers, Dask (real LocalCluster)."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from asen.breaking import certify_batch, load, save, symmetry_breaking_input
from asen.breaking.batch import SUMMARY_NAME
from asen.breaking.batch_jobs import file_name, make_jobs, read_jobs

SMALL = ["cyclic(5)", "alternating(5)", "dihedral(6)", "alternating(6)"]


def _arrays(path):
    inp = load(path)
    return inp.vertex_colors, inp.edge_index, inp.edge_colors, inp.certificate.achieved_order


def _same_certificates(dir_a, dir_b, names):
    for name in names:
        for a, b in zip(_arrays(dir_a / f"{name}.npz"), _arrays(dir_b / f"{name}.npz")):
            assert np.array_equal(a, b), name


def _no_partial_files(out):
    assert not [p.name for p in out.iterdir() if p.name.startswith(".asen-part-")]


# ------------------------------------------------------------------------------------ local pool
def test_writes_one_file_per_group_and_a_summary(tmp_path):
    s = certify_batch(SMALL + [("a5_closure", "alternating(5)")], tmp_path, processes=2)
    assert [r["status"] for r in s.rows] == ["exact"] * 5
    assert [r["name"] for r in s.rows] == [
        "cyclic_5",
        "alternating_5",
        "dihedral_6",
        "alternating_6",
        "a5_closure",
    ]
    for r in s.rows:
        assert load(tmp_path / r["file"]).exact and (tmp_path / f"{r['file']}.json").exists()
    summary = json.loads((tmp_path / SUMMARY_NAME).read_text())
    assert summary["counts"]["exact"] == 5 and len(summary["rows"]) == 5
    assert "5 exact" in s.table()
    _no_partial_files(tmp_path)


def test_closure_mode_reports_overgroup(tmp_path):
    (row,) = certify_batch(["alternating(5)"], tmp_path, mode="closure", processes=1).rows
    assert row["status"] == "overgroup" and row["achieved_order"] == 120


def test_auto_mode_resolves_per_group_and_resumes(tmp_path):
    # default_mode: A_6 (360 elements, not 2-closed) gets its sparse frames, A_5 (60) and C_5 stay exact
    first = certify_batch(["cyclic(5)", "alternating(5)", "alternating(6)"], tmp_path, mode="auto", processes=1)
    modes = {r["name"]: load(tmp_path / r["file"]).mode for r in first.rows}
    assert modes == {"cyclic_5": "exact", "alternating_5": "exact", "alternating_6": "sparse"}
    assert all(r["status"] == "exact" for r in first.rows)
    again = certify_batch(["cyclic(5)", "alternating(5)", "alternating(6)"], tmp_path, mode="auto", processes=1)
    assert all(r["skipped"] for r in again.rows)
    (a6,) = certify_batch(["alternating(6)"], tmp_path, mode="exact", processes=1).rows
    assert not a6["skipped"] and "built in mode 'sparse', not 'exact'" in a6["redone"]
    with pytest.raises(ValueError, match="mode must be one of"):
        certify_batch(["cyclic(5)"], tmp_path, mode="dense", processes=1)


def test_over_budget_is_reported(tmp_path):
    (row,) = certify_batch(["alternating(5)"], tmp_path, budget=3, processes=1).rows
    assert row["status"] == "over budget" and not row["exact"] and "budget" not in (row["error"] or "")


def test_resume_skips_checked_files_and_redoes_forged_ones(tmp_path):
    first = certify_batch(SMALL, tmp_path, processes=2)
    stamp = {r["name"]: (tmp_path / r["file"]).stat().st_mtime_ns for r in first.rows}
    path = tmp_path / "alternating_5.npz"
    data = dict(np.load(path, allow_pickle=False))
    data["vertex_colors"] = data["vertex_colors"].copy()
    data["vertex_colors"][-1] += 1  # a changed colour, digest left as it was
    np.savez_compressed(path, **data)
    (tmp_path / "cyclic_5.npz").write_bytes(b"not a zip")  # corrupt
    again = certify_batch(SMALL, tmp_path, processes=2)
    by = {r["name"]: r for r in again.rows}
    assert by["dihedral_6"]["skipped"] and by["alternating_6"]["skipped"]
    assert (tmp_path / "dihedral_6.npz").stat().st_mtime_ns == stamp["dihedral_6"]
    assert "digest mismatch" in by["alternating_5"]["redone"] and not by["alternating_5"]["skipped"]
    assert "not an .npz" in by["cyclic_5"]["redone"]
    assert all(r["status"] == "exact" for r in again.rows)
    assert (tmp_path / "alternating_5.npz.rejected").exists()
    assert load(tmp_path / "alternating_5.npz").exact
    assert json.loads((tmp_path / SUMMARY_NAME).read_text())["redone"] == 2


def test_forged_file_with_a_fresh_digest_is_caught_by_verify_certify(tmp_path):
    G = "alternating(5)"
    certify_batch([G], tmp_path, processes=1)
    forged = symmetry_breaking_input(G, mode="closure")  # S_5 input relabelled as an exact A_5 one
    forged.mode = "exact"
    forged.certificate.exact, forged.certificate.achieved_order = True, 60
    forged.certificate.witnesses = np.zeros((0, 5), dtype=np.int64)
    save(forged, tmp_path / "alternating_5.npz")  # a valid digest: only nauty can tell
    kept = certify_batch([G], tmp_path, processes=1)
    assert kept.rows[0]["skipped"]
    redone = certify_batch([G], tmp_path, processes=1, verify="certify")
    assert "nauty says 120" in redone.rows[0]["redone"] and redone.rows[0]["status"] == "exact"


def test_a_file_of_another_group_is_redone(tmp_path):
    certify_batch([("g", "cyclic(5)")], tmp_path, processes=1)
    (row,) = certify_batch([("g", "dihedral(5)")], tmp_path, processes=1).rows
    assert "different group" in row["redone"] and row["order"] == 10


def test_timeout_is_reported_and_leaves_no_file(tmp_path):
    s = certify_batch(["alternating(9)", "cyclic(3)"], tmp_path, processes=2, timeout=0.5)
    a9, c3 = s.rows
    assert a9["status"] == "timeout" and a9["file"] is None and c3["status"] == "exact"
    assert not (tmp_path / "alternating_9.npz").exists()
    _no_partial_files(tmp_path)


def _pool_workers():
    """Pids of this process's spawned pool workers (not the resource tracker)."""
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
            pids += [int(p) for p in children if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        except OSError:  # a thread or child that has just exited
            continue
    return pids


def _kill_first_worker(stop):
    while not stop.is_set():
        pids = _pool_workers()
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            return
        time.sleep(0.01)


@pytest.mark.parametrize("retries", [0, pytest.param(1, marks=pytest.mark.slow)])
def test_a_dying_worker_is_reported_never_dropped(tmp_path, retries):
    stop = threading.Event()
    killer = threading.Thread(target=_kill_first_worker, args=(stop,))
    killer.start()
    try:
        s = certify_batch(["alternating(8)", "cyclic(3)"], tmp_path, processes=1, retries=retries)
    finally:
        stop.set()
        killer.join()
    a8, c3 = s.rows
    assert a8["interrupted"] == 1 and c3["status"] == "exact"
    if retries == 0:
        assert a8["status"] == "failed" and "worker process died" in a8["error"] and a8["file"] is None
        assert not (tmp_path / "alternating_8.npz").exists()
    else:
        assert a8["status"] == "exact" and load(tmp_path / a8["file"]).exact
    _no_partial_files(tmp_path)


# ----------------------------------------------------------------------------------- bad input
def test_bad_input_raises_before_any_work(tmp_path):
    with pytest.raises(ValueError, match="share the file"):
        make_jobs([("a(1)", "cyclic(3)"), ("a_1", "cyclic(4)")], {})
    with pytest.raises(ValueError, match="mode must be"):
        certify_batch(["cyclic(3)"], tmp_path, mode="fast")
    with pytest.raises(ValueError, match="timeout"):
        certify_batch(["cyclic(3)"], tmp_path, timeout=0)
    with pytest.raises(ValueError, match="not-a-group"):
        certify_batch(["not-a-group(3)"], tmp_path)
    with pytest.raises(ValueError, match="scheduler address"):
        certify_batch(["cyclic(3)"], tmp_path, client="localhost")
    with pytest.raises(ValueError, match="threads_per_worker"):
        certify_batch(["cyclic(3)"], tmp_path, threads_per_worker=0)
    for frames in (-1, True):
        with pytest.raises(ValueError, match="frames"):
            certify_batch(["cyclic(3)"], tmp_path, frames=frames)
    assert not list(tmp_path.iterdir())


def test_frames_reach_the_workers(tmp_path):
    sizes = []
    for frames, sub in ((60, "framed"), (0, "searched")):
        s = certify_batch(["alternating(5)"], tmp_path / sub, frames=frames, processes=1)
        sizes.append(load(tmp_path / sub / s.rows[0]["file"]).num_aux)
    assert sizes == [60, 20]  # the 60 frames of A_5; the search's 20 ordered pairs


# --------------------------------------------------------------------------------- scheduling
def test_the_work_starts_with_the_largest_degree_then_order_and_rows_keep_input_order(tmp_path):
    started = []
    specs = ["cyclic(3)", "cyclic(6)", "dihedral(7)", "alternating(6)", "dihedral(6)"]
    s = certify_batch(specs, tmp_path, processes=1, on_result=lambda row: started.append(row["name"]))
    # one worker: the run order; degree 7, then degree 6 by order 360 > 12 > 6, then degree 3
    assert started == ["dihedral_7", "alternating_6", "dihedral_6", "cyclic_6", "cyclic_3"]
    assert [r["name"] for r in s.rows] == ["cyclic_3", "cyclic_6", "dihedral_7", "alternating_6", "dihedral_6"]


def test_pool_workers_and_their_children_get_the_thread_limit():
    """The pool initialiser caps the BLAS libraries numpy already loaded and the children's variables."""
    probe = (
        "import os, subprocess, sys, threadpoolctl, numpy\n"
        "from asen.breaking.batch_jobs import limit_blas_threads\n"
        "limit_blas_threads(1)\n"
        "blas = [i['num_threads'] for i in threadpoolctl.threadpool_info()]\n"
        "child = subprocess.run([sys.executable, '-c', 'import os; print(os.environ[\"OMP_NUM_THREADS\"])'],\n"
        "                       capture_output=True, text=True).stdout.strip()\n"
        "print(max(blas), len(blas), child)\n"
    )
    env = {**os.environ, "OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    most, libraries, child = out.stdout.split()
    assert int(libraries) >= 1 and most == "1" and child == "1"


def test_read_jobs_accepts_specs_and_objects(tmp_path):
    path = tmp_path / "groups.jsonl"
    path.write_text('# comment\n"cyclic(4)"\n\n{"name": "T3_1", "degree": 3, "generators": [[1, 2, 0]]}\n'
                    '{"name": "d5", "spec": "dihedral(5)"}\n')  # fmt: skip
    jobs = make_jobs(read_jobs(path), {})
    assert [j["name"] for j in jobs] == ["cyclic_4", "T3_1", "d5"]
    path.write_text("cyclic(4)\n")
    with pytest.raises(ValueError, match=":1: not a JSON value"):
        read_jobs(path)
    assert file_name("gap:(1,2,3)") == "gap_1_2_3"


# ------------------------------------------------------------------------------------------ Dask
@pytest.fixture(scope="module")
def dask_cluster():
    import dask  # the test extra installs dask[distributed]: a missing one fails these tests, never skips
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        yield client
        client.close()
        cluster.close()


def test_dask_two_workers_give_the_serial_certificates(tmp_path, dask_cluster):
    serial = certify_batch(SMALL, tmp_path / "serial", processes=1)
    dask = certify_batch(SMALL, tmp_path / "dask", client=dask_cluster)
    assert dask.backend.startswith("dask:tcp://")
    assert [r["status"] for r in dask.rows] == [r["status"] for r in serial.rows] == ["exact"] * 4
    assert len({r["worker"] for r in dask.rows}) == 2  # both workers took part
    _same_certificates(tmp_path / "serial", tmp_path / "dask", [r["name"] for r in serial.rows])
    resumed = certify_batch(SMALL, tmp_path / "dask", client=dask_cluster.scheduler.address)
    assert all(r["skipped"] for r in resumed.rows)


def test_dask_timeout_and_dying_worker_are_reported(tmp_path, dask_cluster):
    s = certify_batch(["alternating(9)", "cyclic(3)"], tmp_path, client=dask_cluster, timeout=0.5)
    assert [r["status"] for r in s.rows] == ["timeout", "exact"]
    done = threading.Event()

    def kill_the_worker_running_it():
        while not done.is_set():
            for addr, keys in dask_cluster.processing().items():
                if any("alternating_8" in str(k) for k in keys):
                    pid = dask_cluster.run(os.getpid, workers=[addr])[addr]
                    os.kill(pid, signal.SIGKILL)
                    return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_the_worker_running_it)
    killer.start()
    try:
        s = certify_batch(["alternating(8)", "cyclic(4)"], tmp_path, client=dask_cluster)
    finally:
        done.set()
        killer.join()
    a8, c4 = s.rows
    assert a8["status"] == "failed" and "KilledWorker" in a8["error"] and a8["file"] is None
    assert c4["status"] == "exact"
    _no_partial_files(tmp_path)
    dask_cluster.wait_for_workers(2, timeout=30)
