"""Shared setup for the verifier's tests.

* The helper modules next to the tests (``verify_models``, ``verify_factories``) are importable: this
  folder goes on ``sys.path`` (the suite runs with ``--import-mode=importlib``, which adds nothing).
* torch runs single-threaded here (restored afterwards): the models are tiny, and thread start-up
  dominates on a busy 2-core machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
