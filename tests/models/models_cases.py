"""Shared helpers for the model tests: hand-built inputs (Theorem A) and equivariance errors."""

from __future__ import annotations

import functools

import numpy as np
import torch

from asen.breaking import SymmetryInput, symmetry_breaking_input
from asen.groups import PermGroup, act, act_pairs, compose, inverse
from asen.groups.spec import parse
from asen.models import ASEN

# Relative equivariance tolerance in float64: in-group errors measure 1e-16 .. 2e-15, so 1e-11 leaves four
# orders of margin; a permutation outside the group must miss by more than OUTSIDE = 1e3 * TOL.
TOL = 1e-11
OUTSIDE = 1e3 * TOL


def _union_find_classes(perms: np.ndarray, size: int, pair: bool) -> np.ndarray:
    """Orbits of the points (pair=False) or ordered pairs (pair=True) of ``0..size-1`` under ``perms``."""
    m = size * size if pair else size
    parent = np.arange(m)

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    idx = np.arange(m)
    for p in perms:
        img = (p[idx // size] * size + p[idx % size]) if pair else p[idx]
        for a, b in zip(idx, img):
            ra, rb = find(int(a)), find(int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(int(a)) for a in idx])
    _, labels = np.unique(roots, return_inverse=True)
    return labels.reshape((size, size) if pair else (size,))


def theorem_a_input(group: PermGroup) -> SymmetryInput:
    """Theory notes §3.2 Theorem A, built by brute force: one auxiliary vertex per element of ``G``.

    ``G`` acts on ``Y = G`` by ``y_h -> y_{h g}`` (``compose(h, g)``), so the arc ``y_h -> x`` keeps its
    label ``h^-1(x)``; every vertex and pair of ``Omega ⊔ Y`` is coloured by its ``G``-orbit (a refinement
    of the labelled arcs, so ``Aut|Omega`` is still exactly ``G``).
    """
    elems = group.elements()
    n, k = group.degree, len(elems)
    index = {e.tobytes(): i for i, e in enumerate(elems)}
    ext = []
    for g in group.generators:
        on_y = np.array([index[compose(h, g).tobytes()] for h in elems]) + n
        ext.append(np.concatenate([g, on_y]))
    ext = np.array(ext) if ext else np.empty((0, n + k), dtype=np.int64)
    vertex = _union_find_classes(ext, n + k, pair=False)
    pairs = _union_find_classes(ext, n + k, pair=True) + 1
    return SymmetryInput(group, vertex, pairs, "exact", aux_description="Theorem A: one vertex per element")


def outside_element(group: PermGroup, *, seed: int = 0) -> np.ndarray:
    """A transposition not in ``group`` (every proper subgroup of ``S_n`` misses one)."""
    n = group.degree
    for a in range(n):
        for b in range(a + 1, n):
            t = np.arange(n)
            t[[a, b]] = [b, a]
            if not group.contains(t):
                return t
    raise AssertionError(f"{group} contains every transposition")


def moved_output(y: torch.Tensor, g: np.ndarray, head: str) -> torch.Tensor:
    if head == "pooled":
        return y
    if head == "pair":
        return act_pairs(g, y, axes=(1, 2))
    return act(g, y, axis=1)


def equivariance_error(model, name: str, g: np.ndarray, x: torch.Tensor, head: str = "point") -> float:
    """``max |f(g.x) - g.f(x)| / max |f(x)|`` for one permutation ``g`` of the points."""
    with torch.no_grad():
        y = model(x, name)
        yg = model(act(g, x, axis=1), name)
    return float((yg - moved_output(y, g, head)).abs().max() / y.abs().max())


def worst_in_group(
    model, name: str, group: PermGroup, x: torch.Tensor, head: str = "point", *, seed: int = 0
):
    """Largest equivariance error over all generators and a few random elements of ``group``."""
    perms = (
        list(group.generators) + list(group.random_elements(4, seed=seed)) + [inverse(group.generators[0])]
    )
    return max(equivariance_error(model, name, g, x, head) for g in perms)


@functools.cache
def breaking_input(spec: str, mode: str) -> SymmetryInput:
    """``asen.breaking.symmetry_breaking_input`` of a catalogue spec, computed once per test session."""
    return symmetry_breaking_input(parse(spec), mode=mode)


def small_model(
    base: str = "gatv2",
    *,
    head: str = "point",
    in_dim: int = 2,
    out_dim: int = 2,
    layers: int = 2,
    seed: int = 0,
    **kw,
) -> ASEN:
    """A tiny ASEN (width 16, 2 heads) for fast float64 tests."""
    return ASEN(in_dim, out_dim, head=head, base=base, width=16, num_layers=layers, heads=2, seed=seed, **kw)


def data(batch: int, n: int, dim: int = 2, *, seed: int = 0) -> torch.Tensor:
    return torch.randn(batch, n, dim, generator=torch.Generator().manual_seed(seed))
