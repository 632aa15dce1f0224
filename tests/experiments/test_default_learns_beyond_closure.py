"""The default ASEN learns a task beyond the 2-closure from the default exact input (issue 12).

Cube chirality (:mod:`asen.experiments.closure_data`): the label is the handedness of three marked cube
vertices, invariant under the rotations ``O`` and flipped by every reflection, so ``O`` is the exact
symmetry and its 2-closure ``O_h`` the paper's. ``ASEN(width=32)`` with nothing else set, given
``add_symmetry(name, O)``, must learn it in a small budget and be verified exactly ``O``-invariant; the
same model on the orbital (closure) input is ``O_h``-invariant, so on mirror pairs it is at chance.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from asen.breaking import closure_witnesses, symmetry_breaking_input
from asen.experiments.closure_data import closure_task_group, sample_closure_task
from asen.groups import act
from asen.models import ASEN
from asen.verify import check_exact_symmetry

STEPS = 150


def _train(model: ASEN, X: torch.Tensor, y: torch.Tensor, *, steps: int, seed: int = 0, name: str = "o") -> None:
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(seed)
    model.train()
    for _ in range(steps):
        idx = torch.randint(0, len(X), (32,), generator=g)
        loss = F.cross_entropy(model(X[idx], name), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()


def _accuracy(model: ASEN, X: torch.Tensor, y: torch.Tensor, name: str = "o") -> float:
    with torch.no_grad():
        return float((model(X, name).argmax(-1) == y).float().mean())


def test_the_default_asen_learns_cube_chirality_and_is_exactly_o_invariant():
    O = closure_task_group("chirality")
    X, y = sample_closure_task("chirality", 1500, seed=0)
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    # every other option at its default. Seed 0 leaves the plateau by step 100; not every initialisation
    # does within 600 steps (3 of 4 seeds in a probe; docs/results.md has the per-seed figures)
    model = ASEN(in_dim=5, out_dim=2, head="pooled", width=32, seed=0)
    model.add_symmetry("o", O, seed=1)
    _train(model, X[:1000], y[:1000], steps=STEPS)
    assert _accuracy(model, X[1000:], y[1000:]) >= 0.95
    fn = lambda x: model(torch.as_tensor(x, dtype=torch.float32), "o")
    report = check_exact_symmetry(fn, O, inputs=[X[1000:1032]], in_axes=1, out_axes="none", seed=0)
    assert report.passed and report.respected_order == 24  # O itself, no reflection respected


def test_the_same_model_on_the_closure_input_cannot_leave_chance():
    O = closure_task_group("chirality")
    X, y = sample_closure_task("chirality", 64, seed=1)
    (h,) = closure_witnesses(O)[:1]  # a reflection: flips every label
    mirrored = act(h, X, axis=1)
    model = ASEN(in_dim=5, out_dim=2, head="pooled", width=32, seed=0)
    model.add_symmetry("o", symmetry_breaking_input(O, mode="closure"), seed=1)
    X2 = torch.as_tensor(np.concatenate([X, mirrored]), dtype=torch.float32)
    y2 = torch.as_tensor(np.concatenate([y, 1 - y]))
    _train(model, X2, y2, steps=20)
    with torch.no_grad():
        out = model(X2, "o")
    # O_h-invariant whatever the weights: each sample and its mirror image get the same output
    assert torch.allclose(out[:64], out[64:], atol=1e-5)
    assert _accuracy(model, X2, y2) == 0.5


def test_orbital_sum_learns_the_sign_of_a5_from_its_sparse_frames():
    # mode="sparse" frames A_5 (60 frames pruned to the frame-point arcs, run as message passing); the
    # orbital_sum body with the library's other defaults learns the sign (seed 0: 1.0 by step 250; the
    # same recipe learns A_6's, docs/results.md "Session 10")
    A5 = closure_task_group("sign", 5)
    inp = symmetry_breaking_input(A5, mode="sparse")
    assert inp.exact and inp.num_aux == 60 and not (inp.pair_colors[5:, 5:] > 0).any()
    X, y = sample_closure_task("sign", 1500, n=5, seed=0)
    X, y = torch.as_tensor(X), torch.as_tensor(y)
    model = ASEN(in_dim=X.shape[-1], out_dim=2, head="pooled", base="orbital_sum", num_layers=2, width=32, seed=0)
    model.add_symmetry("a5", inp, seed=1)
    _train(model, X[:1000], y[:1000], steps=350, name="a5")
    assert _accuracy(model, X[1000:], y[1000:], name="a5") >= 0.95
    fn = lambda x: model(torch.as_tensor(x, dtype=torch.float32), "a5")
    report = check_exact_symmetry(fn, A5, inputs=[X[1000:1032]], in_axes=1, out_axes="none", seed=0)
    assert report.passed and report.respected_order == 60  # A_5 itself: the odd permutations flip it
