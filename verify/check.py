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

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..groups import PermGroup, as_rng
from .evaluate import FunctionCallError
from .measure import Measurement
from .prepare import UNION_NOTE, Prepared, prepare_check, sample_elements, search_strategy
from .report import Counterexample, EquivarianceReport
from .shrink import shrink_input

__all__ = ["check_equivariance", "finish_report"]

Example = tuple[np.ndarray, ...]

TRAIN_MODE_SPREAD = 1e-3  # relative difference of two training-mode evaluations that counts as random


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
    if shrink and prep.layout is not None:
        from .graph_shrink import shrink_graph

        small = shrink_graph(harness, prep.layout, example, g)
        example, g, harness, calls = small.example, small.element, small.harness, small.calls
    elif shrink:

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
        **_graph_fields(prep),
    )


def _graph_fields(prep: Prepared) -> dict[str, Any]:
    """Argument names and actions for the counterexample of a graph check (rendered as edge lists)."""
    if prep.layout is None:
        return {}
    return {"names": list(prep.names), "axes": list(prep.in_axes)}


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
        **_graph_fields(prep),
    )


def _nonfinite_error(prep: Prepared, i: int, j: int) -> FunctionCallError:
    """The error for example ``i``, whose output ``j`` is not finite: which value, where, on what input."""
    y = np.asarray(prep.harness.outputs([prep.examples[i]])[0][j])
    where = np.argwhere(~np.isfinite(y)) if y.dtype.kind in "fc" else np.zeros((0, y.ndim), int)
    at = f" at index {tuple(int(v) for v in where[0])}" if len(where) else ""
    at += f" (and {len(where) - 1} more entries)" if len(where) > 1 else ""
    value = "inf" if len(where) and not np.isnan(y[tuple(where[0])]) else "NaN"
    family = prep.families[i] if i < len(prep.families) else "given"
    name = prep.harness.evaluator.name
    return FunctionCallError(
        f"{name} returned {value} in output {j}{at} for input {i} (family {family!r}), "
        "whose values are all finite: NaN/inf in fn(g.x) and g.fn(x) cannot be compared, so nothing would be "
        "checked there. Make the function finite (a division by zero, the log of 0, an overflow?) or pass "
        "inputs= on which it is"
    )


def check_equivariance(
    fn: Callable[..., Any],
    group: PermGroup | str,
    inputs: Any = None,
    *,
    in_axes: Any = None,
    out_axes: Any = None,
    batch_axis: int | str | None = "auto",
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
        tuple with one per argument, exactly as ``fn`` takes them), PyTorch Geometric ``Data`` objects
        (``fn(data)`` is called; node attributes move, ``edge_index`` is relabelled, edge attributes stay),
        or a hypothesis strategy of examples (searched with ``hypothesis.find``, which shrinks a failure; do
        not call it inside ``@given``).
    in_axes, out_axes
        Where the points lie (see :class:`~asen.verify.TensorAction`): an int axis, ``"1*2"`` (image),
        ``"1,2"`` (pairs), ``"none"`` (invariant), ``"index"`` (node indices such as ``edge_index``,
        relabelled ``g[edge_index]``), or a list with one entry per argument / output. Defaults: what ``fn``
        declares in its own ``in_axes`` / ``out_axes`` attributes (:meth:`asen.models.ASEN.bind` does), else
        axis 1 (axis 0 when ``batch_axis`` is None) and outputs like the first argument. For ``Data`` inputs the actions
        follow the attributes (``in_axes={"edge_index": "none"}`` overrides one); outputs default to ``0``.
    batch_axis
        The axis along which ``fn`` takes a batch (many images of one input are stacked on it), or None.
        ``"auto"`` (default) is 0, except for graph inputs (an ``"index"`` argument or ``Data``): there
        many graphs go through ``fn`` as one disjoint union, unless ``fn`` treats a graph differently inside
        a union (then one graph per call, with a note); ``"graph"`` makes that difference a failure.
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
        If shapes do not match the group's degree (or the group has no points), axes are out of range, or
        ``fn`` raises or returns NaN/inf for a finite input (:class:`~asen.verify.FunctionCallError`).
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
        prep.examples, meas, minimal = search_strategy(prep, perms)
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
    """Turn a measurement into an :class:`EquivarianceReport` (shrinking a failure).

    Raises :class:`~asen.verify.FunctionCallError` when ``fn(x)`` holds NaN or inf for a finite input
    ``x``: ``fn(g.x)`` and ``g.fn(x)`` would then agree as NaN, and the check would pass on nothing.
    """
    bad = np.flatnonzero(meas.nonfinite >= 0)
    if bad.size:
        raise _nonfinite_error(prep, int(bad[0]), int(meas.nonfinite[bad[0]]))
    G = prep.group
    fails = meas.fails
    passed = not fails.any()
    i, k = np.unravel_index(int(np.argmax(meas.ratio)), meas.ratio.shape)
    ident_col = np.flatnonzero((perms == np.arange(G.degree)).all(axis=1))
    deterministic = not (ident_col.size and fails[:, ident_col[0]].any())
    if not deterministic:
        batch_ratio = np.zeros(len(prep.examples))
    elif prep.batch_ratios is not None and len(prep.batch_ratios) == len(prep.examples):
        batch_ratio = prep.batch_ratios  # measured when the graph unions were probed
    else:
        batch_ratio = prep.harness.batch_ratios(prep.examples)
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
            meas = Measurement.concatenate([meas, prep.harness.measure([minimal], perms)])
            row, shrink = len(prep.examples) - 1, False
        counter = _counterexample(prep, perms, meas, shrink=shrink, family_of=prep.families, row=row)
    tols = prep.harness.tolerances()
    tol = next((t for t in tols if t.dtype != "exact"), tols[0] if tols else None)
    # a random function also changes inside a union: the note on unions would only mislead then
    own = [n for n in prep.notes if deterministic and not random_in_train or not n.startswith(UNION_NOTE)]
    notes = list(dict.fromkeys(meas.notes)) + notes_extra + own
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
