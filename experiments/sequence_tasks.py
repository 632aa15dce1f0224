"""Sequence tasks with known symmetry groups: seeded generators, tie rejection, label functions.

Each :class:`SequenceTask` draws integer sequences ``x in {0..alphabet-1}^n``, rejects the ones whose label
would be ambiguous (ties), and labels them; its ``group`` is the true symmetry of the labels:
``labels(g.x) == g.labels(x)`` (per-position tasks) or ``labels(g.x) == labels(x)`` (whole-sequence
tasks) for every ``g`` in the group, and the labels break the ``larger`` group named with each task.

Per-position tasks (n = 10): ``palindrome_window``, ``longest_constant_run``, ``longest_monotone_run``
(reversal), ``max_window_sum``, ``max_window_product`` (dihedral), ``max_alternating_sum`` (cyclic only),
``set_intersection``, ``symmetric_difference``, ``target_sum`` (wreath ``S_5 wr S_2``).
Whole-sequence tasks (n = 8): ``palindrome_formable`` (``S_8``), ``detect_capital`` (``S_1 x S_7``),
``halves_intersection`` (``S_4 wr S_2``), ``max_window_sum_value`` (``D_8``), ``sort_sign`` (``A_8``,
not 2-closed).

Every task draws its inputs from its own stream, ``numpy.random.default_rng([seed, crc32(name)])``,
so no two tasks share inputs.

Examples
--------
>>> task = TASKS["max_window_sum"]
>>> x = np.array([[0, 9, 9, 9, 9, 0, 0, 0, 0, 1]])
>>> task.labels(x).tolist()
[[0, 1, 1, 1, 1, 0, 0, 0, 0, 0]]
>>> task.group().name, task.group().order()
('dihedral(10)', 20)
>>> tokens, labels = generate(task, 3, seed=0); tokens.shape, labels.shape
((3, 10), (3, 10))
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..groups import PermGroup
from ..groups.spec import parse

__all__ = [
    "PER_POSITION",
    "TASKS",
    "WHOLE_SEQUENCE",
    "SequenceTask",
    "features",
    "generate",
    "task_data",
]

Array = np.ndarray


@dataclass(frozen=True)
class SequenceTask:
    """A labelled family of integer sequences and the true symmetry group of its labels.

    Attributes
    ----------
    name, n, alphabet
        Task name, sequence length, token values ``0..alphabet-1``.
    head
        ``"point"`` (a label per position) or ``"pooled"`` (a label per sequence).
    num_classes
        Number of label values.
    group_spec
        The true group as a spec (``"dihedral(10)"``); :meth:`group` parses it.
    larger_spec
        A larger group the labels are *not* symmetric under (None when the group is ``S_n``).
    sample
        ``sample(rng, m) -> (m, n)`` candidate tokens (before tie rejection).
    valid
        ``valid(tokens) -> (m,)`` bool: False where the label would be ambiguous.
    labels
        ``labels(tokens) -> (m, n)`` or ``(m,)`` int labels (defined on valid tokens).
    """

    name: str
    n: int
    alphabet: int
    head: str
    num_classes: int
    group_spec: str
    larger_spec: str | None
    sample: Callable[[np.random.Generator, int], Array]
    valid: Callable[[Array], Array]
    labels: Callable[[Array], Array]
    description: str = ""

    def group(self) -> PermGroup:
        """The true symmetry group of the labels."""
        return parse(self.group_spec)

    def label_function(self) -> Callable[[Array], Array]:
        """``f(x)`` on ``(B, n, 1)`` float token values -> float labels ``(B, n)`` or ``(B,)`` (for asen.verify)."""

        def f(x: Array) -> Array:
            return self.labels(np.rint(np.asarray(x)[..., 0]).astype(np.int64)).astype(np.float64)

        return f


# ----------------------------------------------------------------------------- helpers
def _uniform(alphabet: int, n: int) -> Callable[[np.random.Generator, int], Array]:
    return lambda rng, m: rng.integers(0, alphabet, size=(m, n))


def _all_valid(x: Array) -> Array:
    return np.ones(len(x), dtype=bool)


def _run_lengths(same: Array) -> Array:
    """Length of the maximal run containing each position; ``same[:, i]`` links positions ``i`` and ``i+1``."""
    m, k = same.shape
    n = k + 1
    ends = np.ones((m, n), dtype=np.int64)  # run length up to i
    starts = np.ones((m, n), dtype=np.int64)  # run length from i
    for i in range(1, n):
        ends[:, i] = np.where(same[:, i - 1], ends[:, i - 1] + 1, 1)
    for i in range(n - 2, -1, -1):
        starts[:, i] = np.where(same[:, i], starts[:, i + 1] + 1, 1)
    return ends + starts - 1, ends


def _windows(x: Array, w: int = 4) -> Array:
    """``(m, n, w)`` cyclic windows: ``[:, j]`` holds ``x[j], x[j+1], ..., x[j+w-1]`` (indices mod n)."""
    n = x.shape[1]
    return x[:, (np.arange(n)[:, None] + np.arange(w)[None, :]) % n]


def _window_mask(start: Array, n: int, w: int = 4) -> Array:
    """``(m, n)`` 0/1: positions of the cyclic window of length ``w`` starting at ``start``."""
    offs = (np.arange(n)[None, :] - start[:, None]) % n
    return (offs < w).astype(np.int64)


def _unique_max(score: Array) -> Array:
    return (score == score.max(1, keepdims=True)).sum(1) == 1


def _plant(run: Callable[[np.random.Generator, int], Array], alphabet: int, n: int):
    """Sampler: uniform tokens with a run (from ``run(rng, length)``) of length 4..6 pasted at a random place."""

    def sample(rng: np.random.Generator, m: int) -> Array:
        x = rng.integers(0, alphabet, size=(m, n))
        for r in range(m):
            L = int(rng.integers(4, 7))
            s = int(rng.integers(0, n - L + 1))
            x[r, s : s + L] = run(rng, L)
        return x

    return sample


def _halves_sets(alphabet: int, n: int) -> Callable[[np.random.Generator, int], Array]:
    h = n // 2

    def sample(rng: np.random.Generator, m: int) -> Array:
        keys = rng.random((m, 2, alphabet))
        return np.argsort(keys, axis=2)[:, :, :h].reshape(m, n)

    return sample


def _halves_distinct(x: Array) -> Array:
    h = x.shape[1] // 2
    ok = np.ones(len(x), dtype=bool)
    for half in (x[:, :h], x[:, h:]):
        s = np.sort(half, axis=1)
        ok &= (s[:, 1:] != s[:, :-1]).all(1)
    return ok


def _other_half(x: Array) -> Array:
    """``(m, n, n/2)``: for each position, the tokens of the other half."""
    h = x.shape[1] // 2
    a, b = x[:, :h], x[:, h:]
    return np.concatenate([np.repeat(b[:, None], h, 1), np.repeat(a[:, None], h, 1)], axis=1)


# ----------------------------------------------------------------------------- per-position labels
def _palindrome_window(x: Array) -> Array:
    m, n = x.shape
    pal = (x[:, :-3] == x[:, 3:]) & (x[:, 1:-2] == x[:, 2:-1])  # window j..j+3 is a palindrome
    y = np.zeros((m, n), dtype=np.int64)
    for k in range(4):
        y[:, k : k + n - 3] |= pal
    return y


def _constant_runs(x: Array) -> tuple[Array, Array]:
    return _run_lengths(x[:, 1:] == x[:, :-1])


def _constant_valid(x: Array) -> Array:
    lengths, ends = _constant_runs(x)
    L = lengths.max(1)
    return (L >= 4) & ((ends == L[:, None]).sum(1) == 1)


def _constant_labels(x: Array) -> Array:
    lengths, _ = _constant_runs(x)
    return (lengths == lengths.max(1, keepdims=True)).astype(np.int64)


def _monotone_runs(x: Array) -> tuple[Array, Array, Array, Array]:
    inc, inc_end = _run_lengths(x[:, 1:] > x[:, :-1])
    dec, dec_end = _run_lengths(x[:, 1:] < x[:, :-1])
    return inc, inc_end, dec, dec_end


def _monotone_valid(x: Array) -> Array:
    inc, inc_end, dec, dec_end = _monotone_runs(x)
    L = np.maximum(inc.max(1), dec.max(1))
    count = (inc_end == L[:, None]).sum(1) + (dec_end == L[:, None]).sum(1)
    return (L >= 4) & (count == 1)


def _monotone_labels(x: Array) -> Array:
    inc, _, dec, _ = _monotone_runs(x)
    L = np.maximum(inc.max(1), dec.max(1))[:, None]
    return ((inc == L) | (dec == L)).astype(np.int64)


def _monotone_run(rng: np.random.Generator, L: int) -> Array:
    vals = np.sort(rng.choice(10, size=L, replace=False))
    return vals if rng.random() < 0.5 else vals[::-1]


def _window_score(kind: str) -> Callable[[Array], Array]:
    signs = np.array([1, -1, 1, -1])

    def score(x: Array) -> Array:
        w = _windows(x)
        if kind == "sum":
            return w.sum(2)
        if kind == "product":
            return np.prod(w + 1, axis=2)  # token t stands for the value t + 1 (no zeros)
        return (w * signs).sum(2)

    return score


def _window_task(kind: str) -> tuple[Callable[[Array], Array], Callable[[Array], Array]]:
    score = _window_score(kind)
    return (lambda x: _unique_max(score(x))), (lambda x: _window_mask(score(x).argmax(1), x.shape[1]))


def _intersection(x: Array) -> Array:
    return (x[:, :, None] == _other_half(x)).any(2).astype(np.int64)


def _target_sum(target: int) -> Callable[[Array], Array]:
    return lambda x: ((x[:, :, None] + _other_half(x)) == target).any(2).astype(np.int64)


# ----------------------------------------------------------------------------- whole-sequence labels
def _palindrome_formable(alphabet: int) -> Callable[[Array], Array]:
    def labels(x: Array) -> Array:
        counts = np.stack([(x == a).sum(1) for a in range(alphabet)], 1)
        return (2 * (counts // 2).sum(1) + (counts % 2).any(1)).astype(np.int64)

    return labels


def _capital_labels(x: Array) -> Array:
    cap = x >= 5  # tokens 0..4 are lower-case letters, 5..9 their capitals
    first, rest = cap[:, 0], cap[:, 1:]
    lower = ~first & ~rest.any(1)
    upper = first & rest.all(1)
    title = first & ~rest.any(1)
    return np.select([lower, upper, title], [0, 1, 2], 3).astype(np.int64)


def _capital_sample(rng: np.random.Generator, m: int) -> Array:
    letters = rng.integers(0, 5, size=(m, 8))
    kind = rng.integers(0, 4, size=m)
    cap = np.zeros((m, 8), dtype=bool)
    cap[kind == 1] = True
    cap[kind == 2, 0] = True
    mixed = kind == 3
    cap[mixed] = rng.random((int(mixed.sum()), 8)) < 0.5
    return letters + 5 * cap


def _sort_sign(x: Array) -> Array:
    """0 for an even permutation sorting ``x``, 1 for an odd one (values distinct)."""
    perm = np.argsort(x, axis=1)
    m, n = x.shape
    inversions = np.zeros(m, dtype=np.int64)
    for i in range(n):
        inversions += (perm[:, i : i + 1] > perm[:, i + 1 :]).sum(1)
    return inversions % 2


def _distinct(x: Array) -> Array:
    s = np.sort(x, axis=1)
    return (s[:, 1:] != s[:, :-1]).all(1)


def _max_window_value(x: Array) -> Array:
    return _windows(x).sum(2).max(1).astype(np.int64)


# ----------------------------------------------------------------------------- the catalogue
def _catalogue() -> dict[str, SequenceTask]:
    n, m = 10, 8
    T = SequenceTask
    wsum, wprod, walt = _window_task("sum"), _window_task("product"), _window_task("alt")
    tasks = [
        T(
            "palindrome_window",
            n,
            3,
            "point",
            2,
            "reversal(10)",
            "dihedral(10)",
            _uniform(3, n),
            _all_valid,
            _palindrome_window,
            "positions covered by a palindromic window of length 4",
        ),
        T(
            "longest_constant_run",
            n,
            3,
            "point",
            2,
            "reversal(10)",
            "dihedral(10)",
            _plant(lambda rng, L: np.full(L, rng.integers(0, 3)), 3, n),
            _constant_valid,
            _constant_labels,
            "positions of the unique longest constant run (length >= 4)",
        ),
        T(
            "longest_monotone_run",
            n,
            10,
            "point",
            2,
            "reversal(10)",
            "dihedral(10)",
            _plant(_monotone_run, 10, n),
            _monotone_valid,
            _monotone_labels,
            "positions of the unique longest strictly monotone run (>= 4)",
        ),
        T(
            "max_window_sum",
            n,
            10,
            "point",
            2,
            "dihedral(10)",
            "symmetric(10)",
            _uniform(10, n),
            wsum[0],
            wsum[1],
            "positions of the unique cyclic window of length 4 with the largest sum",
        ),
        T(
            "max_window_product",
            n,
            9,
            "point",
            2,
            "dihedral(10)",
            "symmetric(10)",
            _uniform(9, n),
            wprod[0],
            wprod[1],
            "positions of the unique cyclic window of length 4 with the largest product",
        ),
        T(
            "max_alternating_sum",
            n,
            10,
            "point",
            2,
            "cyclic(10)",
            "dihedral(10)",
            _uniform(10, n),
            walt[0],
            walt[1],
            "positions of the unique cyclic window with the largest x0 - x1 + x2 - x3",
        ),
        T(
            "set_intersection",
            n,
            10,
            "point",
            2,
            "wreath(symmetric(5),symmetric(2))",
            "symmetric(10)",
            _halves_sets(10, n),
            _halves_distinct,
            _intersection,
            "tokens that also occur in the other half",
        ),
        T(
            "symmetric_difference",
            n,
            12,
            "point",
            2,
            "wreath(symmetric(5),symmetric(2))",
            "symmetric(10)",
            _halves_sets(12, n),
            _halves_distinct,
            lambda x: 1 - _intersection(x),
            "tokens in the symmetric difference of the two halves",
        ),
        T(
            "target_sum",
            n,
            10,
            "point",
            2,
            "wreath(symmetric(5),symmetric(2))",
            "symmetric(10)",
            _halves_sets(10, n),
            _halves_distinct,
            _target_sum(9),
            "tokens t with 9 - t in the other half",
        ),
        T(
            "palindrome_formable",
            m,
            6,
            "pooled",
            m + 1,
            "symmetric(8)",
            None,
            _uniform(6, m),
            _all_valid,
            _palindrome_formable(6),
            "length of the longest palindrome formed from the letters",
        ),
        T(
            "detect_capital",
            m,
            10,
            "pooled",
            4,
            "young(1,7)",
            "symmetric(8)",
            _capital_sample,
            _all_valid,
            _capital_labels,
            "all lower / all capitals / only the first capital / other",
        ),
        T(
            "halves_intersection",
            m,
            8,
            "pooled",
            5,
            "wreath(symmetric(4),symmetric(2))",
            "symmetric(8)",
            _halves_sets(8, m),
            _halves_distinct,
            lambda x: _intersection(x)[:, : m // 2].sum(1),
            "size of the intersection of the two halves' sets",
        ),
        T(
            "max_window_sum_value",
            m,
            5,
            "pooled",
            17,
            "dihedral(8)",
            "symmetric(8)",
            _uniform(5, m),
            _all_valid,
            _max_window_value,
            "largest sum of a cyclic window of length 4",
        ),
        T(
            "sort_sign",
            m,
            10,
            "pooled",
            2,
            "alternating(8)",
            "symmetric(8)",
            _uniform(10, m),
            _distinct,
            _sort_sign,
            "sign of the permutation that sorts the (distinct) tokens",
        ),
    ]
    return {t.name: t for t in tasks}


TASKS: dict[str, SequenceTask] = _catalogue()
PER_POSITION: tuple[str, ...] = tuple(k for k, t in TASKS.items() if t.head == "point")
WHOLE_SEQUENCE: tuple[str, ...] = tuple(k for k, t in TASKS.items() if t.head == "pooled")


def _task(task: str | SequenceTask) -> SequenceTask:
    if isinstance(task, SequenceTask):
        return task
    if task not in TASKS:
        raise ValueError(f"task must be one of {sorted(TASKS)}, got {task!r}")
    return TASKS[task]


def generate(
    task: str | SequenceTask, m: int, *, seed: int | np.random.Generator | None = 0
) -> tuple[Array, Array]:
    """``m`` valid (tie-free) token sequences of ``task`` and their labels, from the task's own stream.

    An int ``seed`` is combined with the task name (``default_rng([seed, crc32(name)])``), so two tasks
    given the same seed still draw different inputs.
    """
    t = _task(task)
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 0:
        raise ValueError(f"m must be a non-negative int, got {m!r}")
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(None if seed is None else [int(seed), zlib.crc32(t.name.encode())])
    )
    kept: list[Array] = []
    have = 0
    for _ in range(1000):
        if have >= m:
            break
        cand = t.sample(rng, max(64, 2 * (m - have)))
        cand = cand[t.valid(cand)]
        kept.append(cand)
        have += len(cand)
    else:  # pragma: no cover - every sampler accepts a large fraction
        raise RuntimeError(f"task {t.name!r}: tie rejection kept only {have} of {m} samples")
    tokens = np.concatenate(kept)[:m] if kept else np.zeros((0, t.n), dtype=np.int64)
    return tokens.astype(np.int64), t.labels(tokens)


def features(tokens: Array, alphabet: int) -> Any:
    """One-hot features ``(m, n, alphabet)`` (float32 torch tensor) of integer tokens."""
    import torch

    return torch.nn.functional.one_hot(torch.as_tensor(tokens, dtype=torch.long), alphabet).float()


def task_data(task: str | SequenceTask, *, train: int, test: int, seed: int = 0, symmetry: str | None = None):
    """A :class:`~asen.experiments.harness.TaskData` with ``train`` + ``test`` fresh samples of ``task``.

    ``symmetry`` defaults to the task's true group spec.
    """
    import torch

    from .harness import TaskData

    t = _task(task)
    tokens, labels = generate(t, train + test, seed=seed)
    x = features(tokens, t.alphabet)
    y = torch.as_tensor(labels, dtype=torch.long)
    return TaskData(
        t.name,
        x[:train],
        y[:train],
        x[train:],
        y[train:],
        head=t.head,
        num_classes=t.num_classes,
        symmetry=symmetry or t.group_spec,
        meta={"group": t.group_spec, "n": t.n},
    )


def label_balance(task: str | SequenceTask, *, m: int = 2000, seed: int = 0) -> Sequence[float]:
    """Fraction of each label value among ``m`` samples (a sanity check of the generators)."""
    t = _task(task)
    _, y = generate(t, m, seed=seed)
    return (np.bincount(y.reshape(-1), minlength=t.num_classes) / y.size).round(3).tolist()
