"""DDP on 2 gloo processes gives the weights of one single-process step on the concatenated batch.

One test spawns both processes for every check (starting torch twice costs seconds on 2 cores).
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from asen.experiments import distributed
from asen.experiments.harness import TaskData, build_model, train
from asen.models import ASEN

ROOT = Path(__file__).resolve().parents[2]


def _mixed_model():
    model = ASEN(in_dim=3, out_dim=2, width=16, num_layers=3, heads=2, head="pooled", seed=0)
    model.add_symmetry("d6", "dihedral(6)", seed=1)
    model.add_symmetry("a5", "alternating(5)", seed=2)  # exact: 20 auxiliary vertices
    return model


def _mixed_batch():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(10, 6, 3, generator=g)
    syms = ["d6", "a5", "a5", "d6", "d6", "a5", "d6", "a5", "a5", "d6"]  # mixed degrees 6 and 5
    y = torch.randint(0, 2, (10,), generator=g)
    return x, syms, y


def _tasks():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(24, 6, 2, generator=g)
    y_point = torch.randint(0, 3, (24, 6), generator=g)
    y_point[::5, 0] = -1  # ignored labels: the shards hold different numbers of labelled entries
    x2 = torch.randn(24, 5, 2, generator=g)
    y_pooled = torch.randint(0, 2, (24,), generator=g)
    return [
        TaskData("pt", x, y_point, x[:4], y_point[:4], head="point", num_classes=3, symmetry="cyclic(6)"),
        TaskData(
            "pl", x2, y_pooled, x2[:4], y_pooled[:4], head="pooled", num_classes=2, symmetry="dihedral(5)"
        ),
    ]


def _grads(model):
    """The gradients of the last step (``train`` leaves them in place)."""
    return {k: p.grad.clone() for k, p in model.named_parameters() if p.grad is not None}


def _worker(rank, world, init, out):
    dist.init_process_group("gloo", init_method=init, rank=rank, world_size=world)
    torch.set_num_threads(1)
    try:
        model = _mixed_model()
        step = distributed.wrap(model)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        x, syms, y = _mixed_batch()
        loss = distributed.ddp_step(step, opt, x, syms, y)
        tasks = _tasks()
        harness_model = build_model(tasks, width=8, num_layers=1, heads=1, seed=0)
        losses = train(harness_model, tasks, steps=1, batch_size=7, lr=0.01, seed=0, progress=False)
        if rank == 0:
            torch.save({"mixed": model.state_dict(), "loss": loss, "harness": _grads(harness_model),
                        "losses": losses}, out)  # fmt: skip
        distributed.teardown()  # both ranks done before either leaves (gloo aborts otherwise, now and then)
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()


def _assert_same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        if not isinstance(a[k], torch.Tensor):  # _extra_state: hyperparameters
            assert a[k] == b[k], k
            continue
        assert torch.allclose(a[k], b[k], atol=1e-6, rtol=1e-5), k


def test_two_gloo_processes_match_one_process_on_the_whole_batch(tmp_path):
    out = tmp_path / "rank0.pt"
    mp.spawn(_worker, args=(2, f"file://{tmp_path / 'init'}", str(out)), nprocs=2, join=True)
    got = torch.load(out, weights_only=True)
    model = _mixed_model()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, syms, y = _mixed_batch()
    loss = torch.nn.functional.cross_entropy(model(x, syms), y)
    loss.backward()
    opt.step()
    _assert_same(got["mixed"], model.state_dict())
    assert got["loss"] == pytest.approx(float(loss), rel=1e-5)
    tasks = _tasks()
    single = build_model(tasks, width=8, num_layers=1, heads=1, seed=0)
    losses = train(single, tasks, steps=1, batch_size=7, lr=0.01, seed=0, progress=False)
    # Adam's first steps are +-lr * sign(grad), ill-conditioned where a gradient is float noise; so the
    # harness (Adam) step is compared on its loss and gradients (batch of 7 over 2 ranks: shards of 4 and 3)
    assert got["losses"] == pytest.approx(losses, rel=1e-5)
    _assert_same(got["harness"], _grads(single))


def test_shard_splits_samples_in_rank_order():
    parts = [distributed.shard(7, index=r, world=3) for r in range(3)]
    assert [list(range(7))[p] for p in parts] == [[0, 1, 2], [3, 4], [5, 6]]
    assert distributed.shard(1, index=1, world=2) == slice(1, 1)
    with pytest.raises(ValueError, match="index"):
        distributed.shard(4, index=2, world=2)


def test_setup_outside_torchrun_says_how_to_launch(monkeypatch):
    for key in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
        monkeypatch.delenv(key, raising=False)
    with pytest.raises(ValueError, match="torchrun"):
        distributed.setup()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _failure(proc: subprocess.CompletedProcess) -> str:
    """What a failed torchrun said: the lines naming an error in any rank (a rank's own traceback comes
    before the launcher's summary), then the end of stderr."""
    lines = [ln for ln in proc.stderr.splitlines() if any(w in ln for w in ("Error", "error:", "terminate", "Abort"))]
    return "\n".join(lines[:20]) + "\n...\n" + proc.stderr[-1500:]


@pytest.mark.slow
def test_example_script_under_torchrun():
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-port",
           str(_free_port()), str(ROOT / "experiments" / "distributed_example.py"), "--distributed",
           "--steps", "3", "--json"]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, _failure(proc)
    assert '"world_size": 2' in proc.stdout


def test_experiment_cli_under_torchrun_trains_on_two_ranks_and_rank_0_reports(tmp_path):
    """``torchrun --nproc-per-node 2 asen experiment multitask --quick --distributed``, end to end."""
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "--master-port",
           str(_free_port()), "-m", "asen.cli.main", "experiment", "multitask", "--quick", "--distributed",
           "--no-progress", "--out", str(tmp_path / "out")]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert proc.returncode == 0, _failure(proc)
    assert proc.stdout.count("setting in") == 1  # one report, from rank 0
    assert {"multitask.csv", "multitask_summary.json"} <= {p.name for p in (tmp_path / "out").iterdir()}
