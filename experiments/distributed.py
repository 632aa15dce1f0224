"""ASEN training on several processes with ``torch.distributed`` (DistributedDataParallel).

Launch with ``torchrun`` (it sets ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK`` and the rendezvous address)::

    torchrun --nproc-per-node 2 $(which asen) experiment multitask --quick --distributed
    torchrun --nproc-per-node 2 experiments/distributed_example.py --distributed

:func:`setup` joins the process group: ``gloo`` on CPU, ``nccl`` when CUDA is present (one GPU per
process, ``cuda:LOCAL_RANK``). Every process holds the whole data set and draws the *same* global batch;
each takes its shard of the samples (:func:`shard`; a mixed-symmetry batch is sharded by sample, each
sample keeping its symmetry name), and DDP averages the gradients. The loss of a shard is scaled so that
the average over processes is the loss of the whole batch,

.. math:: \\ell_r = W \\cdot \\frac{\\sum_{i \\in \\text{shard}_r} \\mathrm{CE}_i}{\\#\\{\\text{labelled entries of the batch}\\}},
   \\qquad \\frac{1}{W} \\sum_r \\nabla \\ell_r = \\nabla \\mathcal{L}_{\\text{batch}},

so one step on ``W`` processes gives the weights of one single-process step on the concatenated batch
(up to float summation order; ``tests/experiments/test_distributed.py``). With the process group
initialised, :func:`asen.experiments.harness.train` runs :func:`train_distributed` and only rank 0
writes an experiment's files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = [
    "check_jobs",
    "ddp_step",
    "is_active",
    "is_main_process",
    "rank",
    "setup",
    "shard",
    "shard_loss",
    "teardown",
    "train_distributed",
    "world_size",
    "wrap",
]


def is_active() -> bool:
    """True once the default process group is initialised (by :func:`setup` or the caller)."""
    return dist.is_available() and dist.is_initialized()


def rank() -> int:
    return dist.get_rank() if is_active() else 0


def world_size() -> int:
    return dist.get_world_size() if is_active() else 1


def is_main_process() -> bool:
    """Rank 0, or no process group: the process that prints and writes files."""
    return rank() == 0


def setup(device: str = "cpu", *, backend: str | None = None) -> str:
    """Join the process group torchrun describes; returns the torch device this process should use.

    ``backend`` defaults to ``"nccl"`` when ``device`` is a CUDA device (then ``cuda:LOCAL_RANK``) and
    ``"gloo"`` otherwise. Torch threads are capped at ``cpu_count // local processes``. Calling it again
    in the same process returns the device without re-initialising.

    Raises
    ------
    ValueError
        Not launched by torchrun (no ``RANK``/``WORLD_SIZE``), or CUDA asked for where there is none.
    """
    missing = [k for k in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT") if k not in os.environ]
    if missing and not is_active():
        raise ValueError(
            f"--distributed needs torchrun (missing {', '.join(missing)}): "
            "torchrun --nproc-per-node 2 $(which asen) experiment NAME --distributed"
        )
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.device(device).type == "cuda"
    if cuda and not torch.cuda.is_available():
        raise ValueError(f"device {device!r}: no CUDA device on this machine; use --device cpu (gloo)")
    if not is_active():
        backend = backend or ("nccl" if cuda else "gloo")
        if cuda:
            torch.cuda.set_device(local_rank)
        dist.init_process_group(backend=backend)
        local = int(os.environ.get("LOCAL_WORLD_SIZE", world_size()))
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // local))
    return f"cuda:{local_rank}" if cuda else device


def teardown() -> None:
    """Wait for every rank, then leave the process group. A rank that exits while another still holds its
    gloo connections can abort in the group's destructor ("terminate called without an active exception")."""
    if is_active():
        dist.barrier()
        dist.destroy_process_group()


def check_jobs(jobs: int) -> None:
    """Distributed runs train one unit at a time across all processes: ``jobs`` must be 1."""
    if is_active() and jobs != 1:
        raise ValueError(f"--distributed trains each run on all processes; use --jobs 1, got {jobs}")


def shard(count: int, *, index: int | None = None, world: int | None = None) -> slice:
    """Process ``index``'s (default: this rank's) contiguous share of ``count`` samples, in rank order.

    Shares differ in size by at most one.

    Examples
    --------
    >>> [shard(5, index=r, world=2) for r in range(2)]
    [slice(0, 3, None), slice(3, 5, None)]
    """
    r = rank() if index is None else index
    w = world_size() if world is None else world
    if not 0 <= r < w:
        raise ValueError(f"index must be in 0..{w - 1}, got {r}")
    base, extra = divmod(count, w)
    start = r * base + min(r, extra)
    return slice(start, start + base + (r < extra))


def shard_loss(logits: Tensor, y: Tensor, labelled: int, world: int) -> Tensor:
    """``world * sum(CE over this shard) / labelled``: averaged over ranks, the mean CE of the batch."""
    ce = F.cross_entropy(
        logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-1, reduction="sum"
    )
    return ce * (world / max(labelled, 1))


class _Step(nn.Module):
    """The model and a loss over several (task, batch) pairs: one DDP forward and backward per step."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, batches: Sequence[tuple[str | None, Any, Tensor, Tensor, int]], world: int) -> Tensor:
        total = None
        for task, symmetry, x, y, labelled in batches:
            if len(x) == 0:
                continue
            loss = shard_loss(self.model(x, symmetry, task=task), y, labelled, world)
            total = loss if total is None else total + loss
        if total is None:  # an empty shard everywhere on this rank: a zero that still joins the reduction
            total = sum(p.sum() * 0.0 for p in self.model.parameters())
        return total


def wrap(model: nn.Module) -> nn.Module:
    """``model`` and its batch loss inside DistributedDataParallel (rank 0's weights and buffers are broadcast).

    Without a process group, the same loss module on one process (shards are then the whole batch).
    """
    if not is_active():
        return _Step(model)
    device = next(model.parameters()).device
    ids = [device.index] if device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(_Step(model), device_ids=ids, find_unused_parameters=True)


def _reduced(value: Tensor) -> float:
    """The batch loss: the mean over ranks of the scaled shard losses."""
    v = value.detach().clone()
    if not is_active():
        return float(v)
    dist.all_reduce(v)
    return float(v) / world_size()


def ddp_step(
    step: nn.Module,
    opt: torch.optim.Optimizer,
    x: Tensor,
    symmetry: str | Sequence[str],
    y: Tensor,
    *,
    task: str | None = None,
) -> float:
    """One optimiser step on a batch every rank holds in full; each rank computes its shard of samples.

    ``step`` is what :func:`wrap` returns. ``symmetry`` is one name or a list of ``B`` names (a
    mixed-symmetry batch, sharded with its samples). Returns the loss of the whole batch.
    """
    part = shard(len(x))
    syms = symmetry if isinstance(symmetry, str) else list(symmetry)[part]
    labelled = int((y >= 0).sum())
    opt.zero_grad(set_to_none=True)
    loss = step([(task, syms, x[part], y[part], labelled)], world_size())
    loss.backward()
    opt.step()
    return _reduced(loss)


def train_distributed(
    model: nn.Module,
    tasks: Sequence[Any],
    *,
    steps: int,
    batch_size: int = 32,
    lr: float = 1e-3,
    weight_decay: float = 0.0,
    seed: int = 0,
    progress: bool = True,
    desc: str = "train",
) -> list[float]:
    """:func:`asen.experiments.harness.train` on every process of the group, each on its shard.

    The global batches are drawn exactly as the single-process ``train`` draws them (same seed, same
    queues), so the run follows the single-process one up to float summation order.
    """
    from ..models.seeding import torch_seed
    from .harness import _progress

    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps!r}")
    device = next(model.parameters()).device
    rng = np.random.default_rng(seed)
    step = wrap(model)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    data = [(t, t.x_train.to(device), t.y_train.to(device)) for t in tasks]
    queues: list[list[int]] = [[] for _ in tasks]
    losses: list[float] = []
    world = world_size()
    model.train()
    bar = _progress(range(steps), desc=desc, disable=not (progress and is_main_process()))
    with torch_seed(seed):
        for _ in bar:
            batches = []
            for k, (t, x, y) in enumerate(data):
                b = min(batch_size, len(x))
                if len(queues[k]) < b:
                    queues[k] = queues[k] + rng.permutation(len(x)).tolist()
                idx, queues[k] = queues[k][:b], queues[k][b:]
                mine = idx[shard(b)]
                batches.append((t.name, t.symmetry, x[mine], y[mine], int((y[idx] >= 0).sum())))
            opt.zero_grad(set_to_none=True)
            loss = step(batches, world)
            loss.backward()
            opt.step()
            losses.append(_reduced(loss))
    model.eval()
    return losses
