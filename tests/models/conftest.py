"""Make the helper modules of this folder (``models_*.py``) importable under ``--import-mode=importlib``."""

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


import pytest
import torch


@pytest.fixture(autouse=True)
def float64_default():
    """Every model test runs in float64 (equivariance errors near 1e-16) on one thread (tiny tensors gain
    nothing from more, and lose much on a busy machine); both settings are restored after."""
    old_dtype, old_threads = torch.get_default_dtype(), torch.get_num_threads()
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    yield
    torch.set_default_dtype(old_dtype)
    torch.set_num_threads(old_threads)
