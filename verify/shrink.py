"""Shrinking a failing input to a simpler one that still fails, a batch of candidates per call.

Given an input (one array per argument) and a predicate ``fails(candidates) -> bool array`` that
evaluates many candidates at once, :func:`shrink_input` tries, in order:

1. whole-input simplifications, simplest first: all zeros, all ones, signs (``-1, 0, 1``), integers;
2. zeroing blocks of the non-zero entries, delta-debugging style (halve the block size when no block
   can be zeroed; keep every block that can);
3. simplifying the surviving entries one by one: to ``1`` or ``-1``, then to the nearest integer.

Each step is one batched evaluation of at most ``max_candidates`` candidates, and the result is
shrunk towards "mostly zeros with small integers". The predicate is re-evaluated on the final answer,
so a non-deterministic failure never yields an input that passes.

Examples
--------
>>> import numpy as np
>>> x = (np.array([0.3, -2.7, 5.1, 0.9]),)
>>> fails = lambda cands: np.array([c[0][2] > 0.5 for c in cands])    # fails when entry 2 > 0.5
>>> shrink_input(x, fails)[0][0].tolist()
[0.0, 0.0, 1.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["shrink_input"]

Example = tuple[np.ndarray, ...]
Predicate = Callable[[Sequence[Example]], np.ndarray]


def _flat(example: Example) -> np.ndarray:
    return np.concatenate([a.reshape(-1).astype(np.float64) for a in example]) if example else np.zeros(0)


def _unflat(flat: np.ndarray, like: Example) -> Example:
    out = []
    start = 0
    for a in like:
        part = flat[start : start + a.size].reshape(a.shape) + 0.0  # no negative zeros
        out.append(part.astype(a.dtype) if a.dtype.kind != "b" else part != 0)
        start += a.size
    return tuple(out)


class _Search:
    def __init__(self, example: Example, fails: Predicate, max_calls: int, max_candidates: int):
        self.like = example
        self.flat = _flat(example)
        self.fails = fails
        self.calls_left = max_calls
        self.max_candidates = max_candidates

    def first_failing(self, candidates: list[np.ndarray]) -> int | None:
        """Index of the first candidate (simplest first) that still fails, or None."""
        fresh = [c for c in candidates if not np.array_equal(c, self.flat)]
        if not fresh or self.calls_left <= 0:
            return None
        fresh = fresh[: self.max_candidates]
        self.calls_left -= 1
        verdict = np.asarray(self.fails([_unflat(c, self.like) for c in fresh]), dtype=bool)
        hits = np.flatnonzero(verdict)
        if not hits.size:
            return None
        self.flat = fresh[int(hits[0])]
        return int(hits[0])

    def whole(self) -> None:
        x = self.flat
        cands = [np.zeros_like(x), np.ones_like(x), np.sign(x), np.rint(x)]
        self.first_failing(cands)

    def blocks(self) -> None:
        size = None
        while self.calls_left > 0:
            nz = np.flatnonzero(self.flat)
            if not nz.size:
                return
            if size is None:
                size = max(1, -(-nz.size // 2))
            chunks = [nz[i : i + size] for i in range(0, nz.size, size)]
            if len(chunks) > self.max_candidates:  # too fine for one batch: coarsen
                size = -(-nz.size // self.max_candidates)
                chunks = [nz[i : i + size] for i in range(0, nz.size, size)]
            cands = []
            for c in chunks:
                y = self.flat.copy()
                y[c] = 0
                cands.append(y)
            if self.first_failing(cands) is None:
                if size == 1:
                    return
                size = max(1, size // 2)

    def entries(self) -> None:
        for target in (lambda v: np.sign(v), np.rint):
            changed = True
            while changed and self.calls_left > 0:
                changed = False
                nz = np.flatnonzero(self.flat)
                cands = []
                for i in nz:
                    y = self.flat.copy()
                    y[i] = target(y[i])
                    if y[i] != self.flat[i]:
                        cands.append(y)
                if cands and self.first_failing(cands) is not None:
                    changed = True


def shrink_input(
    example: Example, fails: Predicate, *, max_calls: int = 40, max_candidates: int = 64
) -> tuple[Example, int]:
    """A simpler input that still fails, and the number of batched evaluations used.

    Parameters
    ----------
    example
        The failing input, one numpy array per argument.
    fails
        Evaluates a list of candidate inputs at once; True where the candidate still fails.
    max_calls
        Budget of batched evaluations.
    max_candidates
        Candidates per evaluation.

    Returns
    -------
    (example, calls)
        The shrunk input (the original when nothing simpler fails) and the evaluations spent.
    """
    search = _Search(example, fails, max_calls, max_candidates)
    search.whole()
    search.blocks()
    search.entries()
    result = _unflat(search.flat, example)
    used = max_calls - search.calls_left
    if not np.array_equal(search.flat, _flat(example)) and not bool(np.asarray(fails([result]))[0]):
        return example, used + 1  # a flaky failure: keep the input that was seen to fail
    return result, used
