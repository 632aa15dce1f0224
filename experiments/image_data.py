"""8x8 digits (scikit-learn) with the symmetry groups of the 8x8 grid, and group-augmented splits.

The images are ``load_digits`` (1797 handwritten digits, 8x8 pixels, intensities 0..16, shipped inside
scikit-learn) flattened row-major, so pixel ``(r, c)`` is point ``8 r + c`` (the convention of
:mod:`asen.groups.geometric`). A *condition* names the group whose random elements move every image,
train and test alike: ``"upright"`` moves nothing, ``"shifted"`` applies random cyclic shifts (torus
translations), ``"rotated"`` random quarter turns (C4), ``"rotflip"`` rotations and flips (D4) and
``"p4m"`` all of them on the torus. The label (the digit) is carried along, so in condition ``T`` the
class distribution is invariant under ``T`` and a model that is invariant under a group containing ``T``
loses nothing the nuisance did not already destroy.

.. math:: x' = g \\cdot x,\\quad (g \\cdot x)[g[i]] = x[i],\\quad g \\sim \\mathrm{Uniform}(T)

Examples
--------
>>> X, y = load_digit_images()
>>> X.shape, y.shape, float(X.max())
((1797, 64), (1797,), 1.0)
>>> sorted(IMAGE_GROUPS)[:3]
['c4', 'd4', 'p4']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from ..groups import (
    PermGroup,
    as_rng,
    grid_dihedral,
    grid_rotations,
    p4,
    p4m,
    symmetric,
    torus_translations,
    trivial,
)

from .extras import import_extra

__all__ = [
    "CONDITIONS",
    "IMAGE_GROUPS",
    "SIDE",
    "ImageSplit",
    "augment",
    "image_group",
    "image_split",
    "load_digit_images",
]

SIDE = 8  # the digits are 8x8
NUM_POINTS = SIDE * SIDE

#: symmetry name -> builder of the group on the 64 pixels
IMAGE_GROUPS: dict[str, Callable[[], PermGroup]] = {
    "trivial": lambda: trivial(NUM_POINTS),
    "torus": lambda: torus_translations(SIDE, SIDE),
    "c4": lambda: grid_rotations(SIDE),
    "d4": lambda: grid_dihedral(SIDE),
    "p4": lambda: p4(SIDE),
    "p4m": lambda: p4m(SIDE),
    "s64": lambda: symmetric(NUM_POINTS),
}

#: data condition -> the group whose random elements move the images (None: no movement)
CONDITIONS: dict[str, str | None] = {
    "upright": None,
    "shifted": "torus",
    "rotated": "c4",
    "rotflip": "d4",
    "p4m": "p4m",
}


@cache
def image_group(name: str) -> PermGroup:
    """The group ``name`` of :data:`IMAGE_GROUPS` on the 64 pixels (cached)."""
    if name not in IMAGE_GROUPS:
        raise ValueError(f"name must be one of {sorted(IMAGE_GROUPS)}, got {name!r}")
    return IMAGE_GROUPS[name]()


@lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    # the data ship inside scikit-learn: no download
    load_digits = import_extra("sklearn.datasets", "the 8x8 digits (image experiments)").load_digits
    d = load_digits()
    X = (d.images.reshape(len(d.images), NUM_POINTS) / 16.0).astype(np.float32)
    return X, d.target.astype(np.int64)


def load_digit_images() -> tuple[np.ndarray, np.ndarray]:
    """``(X, y)``: ``X (1797, 64)`` float32 intensities in ``[0, 1]``, ``y (1797,)`` digits 0..9 (copies)."""
    X, y = _digits()
    return X.copy(), y.copy()


def augment(X: np.ndarray, group: PermGroup | None, *, seed: int | np.random.Generator | None) -> np.ndarray:
    """Move every row of ``X (B, 64)`` by its own uniform random element of ``group`` (None: a copy)."""
    X = np.asarray(X)
    if group is None or len(X) == 0:
        return X.copy()
    if X.shape[1] != group.degree:
        raise ValueError(f"X must have {group.degree} columns for this group, got shape {X.shape}")
    g = group.random_elements(len(X), seed=seed)  # (B, n): (g.x)[g[i]] = x[i]
    out = np.empty_like(X)
    np.put_along_axis(out, g, X, axis=1)
    return out


@dataclass
class ImageSplit:
    """One train/test split: ``X_* (m, 64)`` float32, ``y_* (m,)`` int64, and the condition it follows."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    condition: str


def image_split(
    condition: str = "upright", *, train_size: int | None = None, test_size: int = 500, seed: int = 0
) -> ImageSplit:
    """A stratified split of the digits, both halves moved by the condition's group.

    Parameters
    ----------
    condition
        One of :data:`CONDITIONS`.
    train_size
        Number of training images drawn from the non-test part (None: all of it, 1297).
    test_size
        Held-out images; the test set depends only on ``test_size`` (not on ``seed``), so every model and
        seed is scored on the same images.
    seed
        Picks the training subset and the random group elements.
    """
    if condition not in CONDITIONS:
        raise ValueError(f"condition must be one of {sorted(CONDITIONS)}, got {condition!r}")
    X, y = _digits()
    fixed = np.random.default_rng(12345)
    test_idx = np.concatenate([
        fixed.permutation(np.flatnonzero(y == c))[: test_size // 10 + (c < test_size % 10)] for c in range(10)
    ])
    rest = np.setdiff1d(np.arange(len(X)), test_idx)
    rng = as_rng(seed)
    if train_size is not None:
        if not 10 <= train_size <= rest.size:
            raise ValueError(f"train_size must be between 10 and {rest.size}, got {train_size!r}")
        rest = rng.permutation(rest)[:train_size]
    group = None if CONDITIONS[condition] is None else image_group(CONDITIONS[condition])
    aug_test = augment(X[test_idx], group, seed=np.random.default_rng(54321))
    return ImageSplit(augment(X[rest], group, seed=rng), y[rest].copy(), aug_test, y[test_idx].copy(), condition)
