r"""``check_equivariance``: does ``fn(g.x) == g.fn(x)`` hold for the elements of a group?

The check draws inputs (default families from :mod:`asen.verify.inputs`, user examples, or a
hypothesis strategy) and group elements (the identity, every generator and ``num_elements`` uniform
random elements; every element when the group is that small), evaluates each input together with all
its images in one batched call, and compares with the dtype- and magnitude-aware rule of
:mod:`asen.verify.tolerance`. A failure is shrunk to a simple input and the simplest failing element.

.. math:: \text{passed} \iff \max_{x, g} \frac{\max|fn(g.x) - g.fn(x)|}{\mathrm{atol} + \mathrm{rtol}
          \cdot \max(|fn(g.x)|, |g.fn(x)|)} \le 1

Examples
--------
>>> import numpy as np
>>> from asen.groups.catalogue import cyclic
>>> W = np.array([0.5, -1.0, 2.0])            # a circular convolution: C_5-equivariant
>>> conv = lambda x: sum(w * np.roll(x, k, axis=1) for k, w in enumerate(W))
>>> check_equivariance(conv, cyclic(5), shapes=(1, 5, 2)).passed
True
>>> bias = lambda x: conv(x) + np.arange(5.0)[None, :, None]   # position-dependent bias
>>> report = check_equivariance(bias, cyclic(5), shapes=(1, 5, 2))
>>> report.passed, report.counterexample.inputs[0].tolist()   # shrunk to all zeros
(False, [[[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]])
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng
from .evaluate import Evaluator, is_torch_module, is_torch_tensor
from .inputs import generate_inputs
from .measure import Harness, Measurement
from .report import Counterexample, EquivarianceReport
from .shrink import shrink_input
from .spec import TensorAction, as_action, as_actions

__all__ = [
    "DEFAULT_FEATURES",
    "Prepared",
    "check_equivariance",
    "finish_report",
    "prepare_check",
    "sample_elements",
]

Example = tuple[np.ndarray, ...]

DEFAULT_FEATURES = 4  # feature width of generated inputs when a module does not reveal its own
TRAIN_MODE_SPREAD = 1e-3  # relative difference of two training-mode evaluations that counts as random


@dataclass
class Prepared:
    """Everything a check needs: the group, the harness, the examples and how they were described."""

    group: PermGroup
    harness: Harness
    examples: list[Example]
    families: list[str]
    strategy: Any
    in_axes: list[str]
    out_axes: list[str]
    seed: Any
    num_inputs: int
    train: bool | None = None


def _as_group(group: Any) -> PermGroup:
    if isinstance(group, PermGroup):
        return group
    if isinstance(group, str):
        from ..groups.spec import resolve

        return resolve(group)
    raise TypeError(f"group must be a PermGroup or a group spec string, got {type(group).__name__}")


def _is_strategy(obj: Any) -> bool:
    try:
        from hypothesis.strategies import SearchStrategy
    except ImportError:  # pragma: no cover - hypothesis is a dependency
        return False
    return isinstance(obj, SearchStrategy)


def _to_numpy(a: Any) -> tuple[np.ndarray, Any]:
    """An argument as a numpy array plus its original dtype (torch dtype for tensors)."""
    if is_torch_tensor(a):
        import torch

        t = a.detach().cpu()
        if t.dtype in (torch.float16, torch.bfloat16):
            return t.float().numpy().copy(), a.dtype
        return t.numpy().copy(), a.dtype
    arr = np.array(a)
    return arr, arr.dtype


def _normalise_example(raw: Any) -> tuple[Example, list[Any]]:
    items = tuple(raw) if isinstance(raw, (tuple, list)) else (raw,)
    pairs = [_to_numpy(a) for a in items]
    return tuple(p[0] for p in pairs), [p[1] for p in pairs]


def _guess_features(fn: Any) -> int:
    if is_torch_module(fn):
        for m in fn.modules():
            for attr in ("in_features", "in_channels"):
                value = getattr(m, attr, None)
                if isinstance(value, int) and value > 0:
                    return value
    return DEFAULT_FEATURES


def _shapes_list(shapes: Any) -> list[tuple[int, ...]]:
    if isinstance(shapes, (tuple, list)) and shapes and all(isinstance(s, (int, np.integer)) for s in shapes):
        return [tuple(int(s) for s in shapes)]
    if isinstance(shapes, (tuple, list)) and shapes and all(isinstance(s, (tuple, list)) for s in shapes):
        return [tuple(int(v) for v in s) for s in shapes]
    raise TypeError(
        f"shapes must be a tuple of ints or a list of such tuples (one per argument), got {shapes!r}"
    )


def prepare_check(
    fn: Callable[..., Any],
    group: PermGroup | str,
    inputs: Any = None,
    *,
    in_axes: Any = None,
    out_axes: Any = None,
    batch_axis: int | None = 0,
    shapes: Any = None,
    dtype: Any = None,
    num_inputs: int = 8,
    float64: bool = False,
    train: bool | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    confirm: bool = True,
    backend: str | None = None,
    seed: int | np.random.Generator | None = 0,
) -> Prepared:
    """Validate the arguments of a check and build its harness and inputs (see :func:`check_equivariance`)."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    G = _as_group(group)
    n = G.degree
    if not isinstance(num_inputs, (int, np.integer)) or num_inputs < 1:
        raise ValueError(f"num_inputs must be a positive integer, got {num_inputs!r}")
    if batch_axis is not None and (not isinstance(batch_axis, (int, np.integer)) or batch_axis < 0):
        raise ValueError(f"batch_axis must be a non-negative int or None, got {batch_axis!r}")
    strategy = inputs if _is_strategy(inputs) else None
    given: list[Example] = []
    arg_dtypes: list[Any] = []
    if inputs is not None and strategy is None:
        raw_list = [inputs] if isinstance(inputs, np.ndarray) or is_torch_tensor(inputs) else list(inputs)
        if not raw_list:
            raise ValueError("inputs is empty: give at least one example, or None to generate them")
        for raw in raw_list:
            ex, dts = _normalise_example(raw)
            given.append(ex)
            arg_dtypes = arg_dtypes or dts
    if backend is None:
        torchy = is_torch_module(fn) or any(str(d).startswith("torch.") for d in arg_dtypes)
        backend = "torch" if torchy else "numpy"
    num_args = len(given[0]) if given else (len(_shapes_list(shapes)) if shapes is not None else 1)
    default_axis = 1 if batch_axis == 0 else 0
    in_spec = as_actions(default_axis if in_axes is None else in_axes, num_args, what="in_axes")
    out_spec = in_spec[0] if out_axes is None else out_axes
    out_actions: Any = (
        list(as_actions(out_spec, len(out_spec), what="out_axes"))
        if isinstance(out_spec, (list, tuple))
        else as_action(out_spec, what="out_axes")
    )
    if given:
        in_actions = [
            a.normalised(x.shape, n, name=f"argument {j}") for j, (a, x) in enumerate(zip(in_spec, given[0]))
        ]
        for i, ex in enumerate(given):
            if len(ex) != num_args:
                raise ValueError(f"example {i} has {len(ex)} argument(s), example 0 has {num_args}")
            for j, (a, x) in enumerate(zip(in_spec, ex)):
                a.normalised(x.shape, n, name=f"example {i}, argument {j}")
        examples, families = given, ["given"] * len(given)
    else:
        if shapes is None:
            if in_spec[0] != TensorAction.points(default_axis):
                raise ValueError(
                    f"in_axes={in_spec[0]!s} is not the default layout (batch, n, features) with the points on "
                    f"axis {default_axis}: pass shapes= to generate inputs, e.g. shapes=(1, H, W, C) for images"
                )
            feats = _guess_features(fn)
            shape_list = [((1, n, feats) if batch_axis == 0 else (n, feats))] * num_args
        else:
            shape_list = _shapes_list(shapes)
            if len(shape_list) != num_args:
                raise ValueError(f"shapes lists {len(shape_list)} argument(s), in_axes {num_args}")
        in_actions = [
            a.normalised(s, n, name=f"argument {j}") for j, (a, s) in enumerate(zip(in_spec, shape_list))
        ]
        np_dtype = np.dtype(dtype) if dtype is not None else _default_dtype(fn, backend)
        if strategy is None:
            drawn = generate_inputs(
                shape_list, [np_dtype] * num_args, in_actions, n, num_inputs=int(num_inputs), seed=seed
            )
            examples, families = [d[0] for d in drawn], [d[1] for d in drawn]
        else:
            examples, families = [], []
        arg_dtypes = [np_dtype] * num_args
    if backend == "torch":
        arg_dtypes = [_torch_dtype(d) for d in arg_dtypes]
    evaluator = Evaluator(
        fn, backend=backend, arg_dtypes=arg_dtypes, batch_axis=batch_axis, float64=float64, train=train
    )
    harness = Harness(evaluator, n, in_actions, out_actions, rtol=rtol, atol=atol, confirm=confirm)
    out_text = [str(a) for a in out_actions] if isinstance(out_actions, list) else [str(out_actions)]
    return Prepared(
        G,
        harness,
        examples,
        families,
        strategy,
        [str(a) for a in in_actions],
        out_text,
        seed,
        int(num_inputs),
        train,
    )


def _default_dtype(fn: Any, backend: str) -> np.dtype:
    if backend == "torch":
        if is_torch_module(fn):
            for t in list(fn.parameters()) + list(fn.buffers()):
                if t.is_floating_point():
                    return np.dtype(np.float64) if str(t.dtype) == "torch.float64" else np.dtype(np.float32)
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def _torch_dtype(d: Any) -> Any:
    import torch

    if isinstance(d, torch.dtype):
        return d
    return torch.from_numpy(np.zeros(0, dtype=d)).dtype


def sample_elements(G: PermGroup, num_elements: int, *, seed: Any) -> np.ndarray:
    """Identity, generators and ``num_elements`` uniform random elements (all elements of small groups)."""
    n = G.degree
    if num_elements < 0:
        raise ValueError(f"num_elements must be >= 0, got {num_elements}")
    ident = np.arange(n, dtype=np.int64)[None, :]
    gens = G.generators.astype(np.int64)
    if G.order() <= 2 * (1 + len(gens) + num_elements):
        rest = G.elements()
    else:
        rest = np.concatenate([gens, G.random_elements(num_elements, seed=seed)])
    rows = np.concatenate([ident, gens, rest])
    _, first = np.unique(rows, axis=0, return_index=True)
    return rows[np.sort(first)]


def _support(p: np.ndarray) -> int:
    return int((p != np.arange(p.size)).sum())


def _simplest(perms: np.ndarray, fails: np.ndarray, ratio: np.ndarray) -> int:
    """Index of the failing element moving fewest points (then with the largest error)."""
    ks = np.flatnonzero(fails)
    return int(min(ks, key=lambda k: (_support(perms[k]), -ratio[k])))


def _counterexample(
    prep: Prepared,
    perms: np.ndarray,
    meas: Measurement,
    *,
    shrink: bool,
    family_of: Sequence[str],
    row: int | None = None,
) -> Counterexample:
    fails = meas.fails
    if row is not None and fails[row].any():  # a given (already shrunk) failing input
        k = _simplest(perms, fails[row], meas.ratio[row])
        i = row
    else:
        k = _simplest(perms, fails.any(axis=0), meas.ratio.max(axis=0))
        i = int(np.argmax(np.where(fails[:, k], meas.ratio[:, k], -1)))
    use64 = bool(meas.in_float64[i, k])
    harness = prep.harness.float64_twin() if use64 else prep.harness
    assert harness is not None
    example, calls = prep.examples[i], 0
    g = perms[k]
    if shrink:

        def still_fails(cands: Sequence[Example]) -> np.ndarray:
            return harness.measure(list(cands), g[None, :], confirm=False).ratio[:, 0] > 1

        example, calls = shrink_input(example, still_fails)
        again = harness.measure([example], perms, confirm=False)
        if again.fails[0].any():
            k = _simplest(perms, again.fails[0], again.ratio[0])
            g = perms[k]
    dev = harness.deviation(example, g)
    return Counterexample(
        element=[int(v) for v in g],
        inputs=list(example),
        family=family_of[i],
        abs_error=dev.abs_err,
        rel_error=dev.rel_err,
        output=dev.output,
        index=list(dev.index),
        expected=dev.expected,
        got=dev.got,
        shrink_calls=calls,
        precision=harness.precision(),
    )


def _batch_counterexample(prep: Prepared, i: int) -> Counterexample:
    """``fn(x)`` alone differs from ``fn(x)`` inside a batch: report it with the identity element."""
    h = prep.harness
    example = prep.examples[i]
    alone = h.outputs([example])[0]
    together = h.outputs(prep.examples)[i]
    best = (0.0, 0, (), 0.0, 0.0, 0.0)
    for j, (a, b) in enumerate(zip(alone, together)):
        if a.shape != b.shape or not a.size:
            continue
        d = np.abs(a.astype(np.float64) - b.astype(np.float64))
        idx = np.unravel_index(int(np.argmax(d)), d.shape)
        scale = float(max(np.abs(a).max(), np.abs(b).max()))
        if d[idx] >= best[0]:
            rel = float(d[idx]) / scale if scale else 0.0
            best = (float(d[idx]), j, tuple(int(v) for v in idx), float(a[idx]), float(b[idx]), rel)
    return Counterexample(
        element=list(range(prep.group.degree)),
        inputs=list(example),
        family=prep.families[i],
        abs_error=best[0],
        rel_error=best[5],
        output=best[1],
        index=list(best[2]),
        expected=best[3],
        got=best[4],
        precision=h.precision(),
        kind="batch",
    )


def _search_strategy(prep: Prepared, perms: np.ndarray) -> tuple[list[Example], Measurement, Example | None]:
    """Draw examples from the hypothesis strategy with ``hypothesis.find``, which also shrinks a failure."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis.errors import NoSuchExample

    seen: list[tuple[Example, Measurement]] = []

    def breaks(raw: Any) -> bool:
        ex, _ = _normalise_example(raw)
        meas = prep.harness.measure([ex], perms)
        seen.append((ex, meas))
        return bool(meas.fails.any())

    conf = settings(
        max_examples=prep.num_inputs,
        database=None,
        deadline=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    seed = prep.seed if isinstance(prep.seed, int) else int(as_rng(prep.seed).integers(2**31))
    try:
        found = find(prep.strategy, breaks, settings=conf, random=random.Random(seed))
        minimal = _normalise_example(found)[0]
    except NoSuchExample:
        minimal = None
    if not seen:
        raise ValueError("the inputs strategy produced no examples")
    examples = [s[0] for s in seen]
    meas = Measurement(
        *(
            np.concatenate([getattr(s[1], f) for s in seen])
            for f in ("abs_err", "rel_err", "ratio", "in_float64", "borderline")
        ),
        notes=sorted({n for s in seen for n in s[1].notes}),
    )
    return examples, meas, minimal


def check_equivariance(
    fn: Callable[..., Any],
    group: PermGroup | str,
    inputs: Any = None,
    *,
    in_axes: Any = None,
    out_axes: Any = None,
    batch_axis: int | None = 0,
    shapes: Any = None,
    dtype: Any = None,
    num_inputs: int = 8,
    num_elements: int = 16,
    float64: bool = False,
    train: bool | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    confirm: bool = True,
    shrink: bool = True,
    backend: str | None = None,
    seed: int | np.random.Generator | None = 0,
) -> EquivarianceReport:
    """Check ``fn(g.x) == g.fn(x)`` on inputs ``x`` and elements ``g`` of ``group``; return a report.

    Parameters
    ----------
    fn
        A ``torch.nn.Module``, or a function of torch tensors or numpy arrays, taking one tensor per argument
        and returning a tensor or a tuple of tensors.
    group
        A :class:`~asen.groups.PermGroup` or a spec such as ``"dihedral(10)"``.
    inputs
        None (generate ``num_inputs`` inputs of ``shapes``), a list of examples (each an array/tensor, or a
        tuple with one per argument, exactly as ``fn`` takes them), or a hypothesis strategy of examples
        (searched with ``hypothesis.find``, which shrinks a failure; do not call it inside ``@given``).
    in_axes, out_axes
        Where the points lie (see :class:`~asen.verify.TensorAction`): an int axis, ``"1*2"`` (image),
        ``"1,2"`` (pairs), ``"none"`` (invariant), or a list with one entry per argument / output. Defaults:
        axis 1 (axis 0 when ``batch_axis`` is None); outputs like the first argument.
    batch_axis
        The axis along which ``fn`` takes a batch (many images of one input are stacked on it), or None.
    shapes
        Shape of each generated argument, batch axis (of size 1) included; default ``(1, n, F)`` with ``F``
        the ``in_features`` of the module's first layer (else 4).
    dtype
        dtype of generated inputs (default: the module's parameter dtype, float32, or float64 for numpy).
    num_inputs, num_elements
        How many inputs; how many random group elements besides the identity and the generators.
    float64
        Evaluate in float64 (a float64 copy of a module).
    train
        ``False``: check a module in eval mode; ``True``: check it in its own training flags; ``None``
        (default): eval mode, and when the module was left in training mode, also evaluate a copy of it
        twice in that mode: if dropout (or other noise) makes the two differ, the check fails, since the
        module as it stands is random. Flags are restored afterwards.
    rtol, atol
        Override the dtype-derived tolerance (:mod:`asen.verify.tolerance`).
    confirm
        Re-check borderline results in float64.
    shrink
        Shrink a failing input.
    backend
        ``"torch"`` or ``"numpy"`` (default: torch for modules and tensor inputs).
    seed
        Seed for inputs and elements.

    Returns
    -------
    EquivarianceReport

    Raises
    ------
    TypeError
        If ``fn`` is not callable or an argument has the wrong type.
    ValueError
        If shapes do not match the group's degree, axes are out of range, or ``fn`` raises
        (:class:`~asen.verify.FunctionCallError`).
    """
    start = time.perf_counter()
    prep = prepare_check(
        fn, group, inputs, in_axes=in_axes, out_axes=out_axes, batch_axis=batch_axis, shapes=shapes,
        dtype=dtype, num_inputs=num_inputs, float64=float64, train=train, rtol=rtol, atol=atol,
        confirm=confirm, backend=backend, seed=seed,
    )  # fmt: skip
    rng = as_rng(seed)
    G = prep.group
    perms = sample_elements(G, int(num_elements), seed=rng)
    minimal = None
    if prep.strategy is None:
        meas = prep.harness.measure(prep.examples, perms)
    else:
        prep.examples, meas, minimal = _search_strategy(prep, perms)
        prep.families = ["hypothesis"] * len(prep.examples)
    return finish_report(prep, perms, meas, start=start, shrink=shrink, minimal=minimal)


def finish_report(
    prep: Prepared,
    perms: np.ndarray,
    meas: Measurement,
    *,
    start: float,
    shrink: bool = True,
    minimal: Example | None = None,
) -> EquivarianceReport:
    """Turn a measurement into an :class:`EquivarianceReport` (shrinking a failure)."""
    G = prep.group
    fails = meas.fails
    passed = not fails.any()
    i, k = np.unravel_index(int(np.argmax(meas.ratio)), meas.ratio.shape)
    ident_col = np.flatnonzero((perms == np.arange(G.degree)).all(axis=1))
    deterministic = not (ident_col.size and fails[:, ident_col[0]].any())
    batch_ratio = prep.harness.batch_ratios(prep.examples) if deterministic else np.zeros(len(prep.examples))
    batch_independent = not (batch_ratio > 1).any()
    passed = passed and batch_independent
    random_in_train = False
    notes_extra = []
    ev = prep.harness.evaluator
    if prep.train is None and ev.in_training_mode():
        spread = ev.random_in_training_mode(prep.examples[:2])
        random_in_train = spread > TRAIN_MODE_SPREAD
        if random_in_train:
            passed = False
            notes_extra.append(
                f"the module was left in training mode, where two evaluations of one input differ by "
                f"{spread:.3g} of the output (dropout?): it is random as it stands. The numbers above are "
                "for eval mode; call model.eval() or pass train=False to check only that"
            )
    counter = None
    if not batch_independent:
        counter = _batch_counterexample(prep, int(np.argmax(batch_ratio)))
    elif fails.any():
        row = None
        if minimal is not None:
            prep.examples.append(minimal)
            prep.families.append("hypothesis (shrunk)")
            meas = _append(meas, prep.harness.measure([minimal], perms))
            row, shrink = len(prep.examples) - 1, False
        counter = _counterexample(prep, perms, meas, shrink=shrink, family_of=prep.families, row=row)
    tols = prep.harness.tolerances()
    tol = next((t for t in tols if t.dtype != "exact"), tols[0] if tols else None)
    notes = list(dict.fromkeys(meas.notes)) + notes_extra
    if meas.in_float64.any():
        notes.append("errors of borderline checks are their float64 values")
    report = EquivarianceReport(
        passed=bool(passed),
        function=prep.harness.evaluator.name,
        group=G.name or repr(G),
        degree=G.degree,
        group_order=G.order(),
        num_checks=int(meas.ratio.size),
        num_inputs=len(prep.examples),
        num_elements=len(perms),
        max_abs_error=float(meas.abs_err.max(initial=0.0)),
        max_rel_error=float(meas.rel_err.max(initial=0.0)),
        max_ratio=float(meas.ratio.max(initial=0.0)),
        rtol=tol.rtol if tol else 0.0,
        atol=tol.atol if tol else 0.0,
        precision=prep.harness.precision(),
        in_axes=prep.in_axes,
        out_axes=prep.out_axes,
        deterministic=bool(deterministic),
        batch_independent=bool(batch_independent),
        random_in_train_mode=bool(random_in_train),
        checked_in_float64=int(meas.in_float64.sum()),
        worst_element=[int(v) for v in perms[k]] if meas.ratio.max(initial=0.0) > 0 else None,
        worst_family=prep.families[i] if meas.ratio.max(initial=0.0) > 0 else None,
        counterexample=counter,
        seed=prep.seed if isinstance(prep.seed, (int, type(None))) else None,
        seconds=round(time.perf_counter() - start, 4),
        notes=notes,
    )
    return report


def _append(a: Measurement, b: Measurement) -> Measurement:
    return Measurement(
        *(
            np.concatenate([getattr(a, f), getattr(b, f)])
            for f in ("abs_err", "rel_err", "ratio", "in_float64", "borderline")
        ),
        notes=a.notes + b.notes,
    )
