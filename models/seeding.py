"""Deterministic seeding: one call for every random source, and a scoped seed for building modules.

``seed_everything(seed)`` seeds Python, numpy and torch (all devices) and, by default, switches torch to
its deterministic kernels. ``torch_seed(seed)`` seeds only the torch generator inside a ``with`` block and
restores the outer state afterwards, so ``ASEN(..., seed=0)`` builds the same weights whatever ran before.

Examples
--------
>>> import torch
>>> with torch_seed(0):
...     a = torch.rand(2)
>>> with torch_seed(0):
...     b = torch.rand(2)
>>> bool(torch.equal(a, b))
True
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Iterator

import numpy as np
import torch

__all__ = ["seed_everything", "torch_seed"]


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, got {seed!r}")
    return int(seed)


def seed_everything(seed: int, *, deterministic: bool = True) -> None:
    """Seed ``random``, ``numpy`` and ``torch`` (CPU and every GPU) with ``seed``.

    Parameters
    ----------
    seed
        A non-negative integer.
    deterministic
        Also ask torch for deterministic kernels (``torch.use_deterministic_algorithms(True,
        warn_only=True)``, cuDNN deterministic, no cuDNN autotuning) and set ``CUBLAS_WORKSPACE_CONFIG``
        when it is unset. Kernels without a deterministic version warn instead of raising.

    Raises
    ------
    TypeError
        If ``seed`` is not a non-negative integer.
    """
    seed = _check_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)  # seeds every CUDA device too
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False


@contextlib.contextmanager
def torch_seed(seed: int | None) -> Iterator[None]:
    """Run the block with torch's CPU generator seeded by ``seed``; restore the previous state after.

    ``seed=None`` leaves the generator alone (the block draws from the global stream as usual).
    """
    if seed is None:
        yield
        return
    seed = _check_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield
