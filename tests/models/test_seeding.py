"""Tests for asen.models.seeding."""

import random

import numpy as np
import pytest
import torch

from asen.models import seed_everything, torch_seed


def test_seed_everything_repeats_every_stream():
    def draw():
        return random.random(), float(np.random.rand()), float(torch.rand(1))

    seed_everything(3)
    first = draw()
    seed_everything(3)
    assert draw() == first
    assert torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(False)


def test_torch_seed_is_scoped():
    torch.manual_seed(0)
    outer = torch.rand(1)
    torch.manual_seed(0)
    with torch_seed(5):
        inner = torch.rand(1)
    assert torch.equal(torch.rand(1), outer)  # the outer stream did not move
    with torch_seed(5):
        assert torch.equal(torch.rand(1), inner)


def test_bad_seeds():
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        seed_everything(-1)
    with pytest.raises(TypeError, match="seed must be a non-negative int"), torch_seed("1"):
        pass
