"""Measuring ``fn(g.x) - g.fn(x)`` for many inputs and group elements in few batched calls.

:class:`Harness` holds the function (through an :class:`~asen.verify.evaluate.Evaluator`), how the
group acts on its arguments and outputs, and the tolerance rule of :mod:`asen.verify.tolerance`.
:meth:`Harness.measure` evaluates, per example, the example itself and all its images ``g.x`` in one
batch (the identity among them shows whether ``fn`` is deterministic), compares each output with
``g.fn(x)`` and re-checks borderline results in float64. NaN matching NaN counts as agreement, so a
reference ``fn(x)`` with NaN or inf for a finite ``x`` is recorded (``Measurement.nonfinite``) and the
report refuses it (:func:`asen.verify.check.finish_report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .evaluate import Evaluator, FunctionCallError
from .axes import TensorAction
from .tolerance import FAIL_ABOVE, PASS_BELOW, Tolerance

__all__ = ["Deviation", "Harness", "Measurement"]

Example = tuple[np.ndarray, ...]


@dataclass
class Measurement:
    """Errors of every (example, element) pair: arrays of shape ``(num_examples, num_elements)``."""

    abs_err: np.ndarray
    rel_err: np.ndarray
    ratio: np.ndarray
    in_float64: np.ndarray  # which pairs were decided by a float64 re-check
    borderline: np.ndarray  # borderline pairs that could not be re-checked (decided by ratio > 1)
    notes: list[str] = field(default_factory=list)
    #: per example: the first output where ``fn(x)`` itself holds NaN or inf although ``x`` is finite, else -1
    nonfinite: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.nonfinite is None:
            self.nonfinite = np.full(self.ratio.shape[0], -1, dtype=np.int64)

    @classmethod
    def concatenate(cls, parts: list[Measurement]) -> Measurement:
        """The rows of several measurements of the same elements, stacked."""
        fields = ("abs_err", "rel_err", "ratio", "in_float64", "borderline")
        arrays = (np.concatenate([getattr(p, f) for p in parts]) for f in fields)
        notes = list(dict.fromkeys(n for p in parts for n in p.notes))
        return cls(*arrays, notes=notes, nonfinite=np.concatenate([p.nonfinite for p in parts]))

    @property
    def fails(self) -> np.ndarray:
        """Boolean ``(num_examples, num_elements)``: the pair breaks equivariance."""
        return self.ratio > 1.0


@dataclass
class Deviation:
    """Where one check deviates most: output index, position, expected ``g.fn(x)`` and got ``fn(g.x)``."""

    output: int
    index: tuple[int, ...]
    expected: float
    got: float
    abs_err: float
    rel_err: float
    ratio: float


class Harness:
    """``fn`` with its actions and tolerance, ready to measure equivariance errors.

    Parameters
    ----------
    evaluator
        How ``fn`` is called.
    degree
        Number of points.
    in_actions
        One normalised :class:`TensorAction` per argument.
    out_actions
        One action per output, or a single action for all outputs (normalised at the first call).
    rtol, atol
        Overrides of the dtype-derived tolerance.
    confirm
        Re-check borderline results in float64.
    """

    def __init__(
        self,
        evaluator: Evaluator,
        degree: int,
        in_actions: Sequence[TensorAction],
        out_actions: Sequence[TensorAction] | TensorAction,
        *,
        rtol: float | None = None,
        atol: float | None = None,
        confirm: bool = True,
    ):
        self.evaluator = evaluator
        self.degree = degree
        self.in_actions = tuple(in_actions)
        self._out_spec = out_actions
        self.out_actions: tuple[TensorAction, ...] | None = None
        self.rtol, self.atol = rtol, atol
        self.confirm = confirm
        self._twin: Harness | None = None
        self._twin_error: str | None = None

    # ------------------------------------------------------------------ tolerance
    def tolerances(self) -> list[Tolerance]:
        """One tolerance per output: the working precision for floating outputs, exact for integers."""
        prec = self.evaluator.working_precision()
        out = []
        for name in self.evaluator.output_dtypes:
            floating = name.startswith(("float", "bfloat", "complex"))
            dtype = prec if floating else None
            out.append(Tolerance.for_dtype(dtype, rtol=self.rtol, atol=self.atol))
        return out

    def precision(self) -> str:
        """The working precision, or ``"exact"`` when every output is integer or boolean."""
        if self.evaluator.output_dtypes and all(t.dtype == "exact" for t in self.tolerances()):
            return "exact"
        return self.evaluator.working_precision() or "exact"

    # ------------------------------------------------------------------ measuring
    def outputs(self, calls: Sequence[Example]) -> list[tuple[np.ndarray, ...]]:
        with self.evaluator.session():
            outs = self.evaluator(calls)
        self._normalise_outputs(outs[0])
        return outs

    def _normalise_outputs(self, first: tuple[np.ndarray, ...]) -> None:
        if self.out_actions is not None and len(self.out_actions) == len(first):
            return
        spec = self._out_spec
        if isinstance(spec, TensorAction):
            spec = (spec,) * len(first)
        if len(spec) != len(first):
            raise ValueError(
                f"out_axes lists {len(spec)} entries, but the function returns {len(first)} output(s)"
            )
        self.out_actions = tuple(
            a.normalised(y.shape, self.degree, name=f"output {j}")
            for j, (a, y) in enumerate(zip(spec, first))
        )

    def _images(self, example: Example, perms: np.ndarray) -> list[Example]:
        moved = [a.apply_many(perms, x) for a, x in zip(self.in_actions, example)]
        return [tuple(m[k] for m in moved) for k in range(len(perms))]

    def measure(
        self, examples: Sequence[Example], perms: np.ndarray, *, confirm: bool | None = None
    ) -> Measurement:
        """Errors of every element in ``perms`` on every example (one row per example).

        Borderline pairs (``0.1 < ratio <= 100`` in less than float64) are re-measured in float64 when
        ``confirm`` (default: the harness's setting) and the function accepts float64.
        """
        perms = np.asarray(perms, dtype=np.int64).reshape(-1, self.degree)
        ne, m = len(examples), len(perms)
        calls: list[Example] = []
        for ex in examples:
            calls.append(ex)
            calls.extend(self._images(ex, perms))
        outs = self.outputs(calls)
        tols = self.tolerances()
        abs_err = np.zeros((ne, m))
        rel_err = np.zeros((ne, m))
        ratio = np.zeros((ne, m))
        nonfinite = np.full(ne, -1, dtype=np.int64)
        for i in range(ne):
            base = i * (m + 1)
            ref, tests = outs[base], outs[base + 1 : base + 1 + m]
            if all(map(_finite, examples[i])):  # NaN in, NaN out is fine; from finite data it is not
                nonfinite[i] = next((j for j, y in enumerate(ref) if not _finite(y)), -1)
            for j, (act, tol) in enumerate(zip(self.out_actions, tols)):
                expected = act.apply_many(perms, ref[j])
                got = _stack([t[j] for t in tests], expected.shape)
                e, s = _errors(got, expected)
                r = np.array([tol.ratio(err=ek, scale=sk) for ek, sk in zip(e, s)])
                better = r > ratio[i]
                ratio[i] = np.where(better, r, ratio[i])
                abs_err[i] = np.maximum(abs_err[i], e)
                rel = np.where(s > 0, e / np.where(s > 0, s, 1.0), np.where(e > 0, np.inf, 0.0))
                rel_err[i] = np.maximum(rel_err[i], rel)
        meas = Measurement(
            abs_err, rel_err, ratio, np.zeros((ne, m), bool), np.zeros((ne, m), bool), nonfinite=nonfinite
        )
        can = any(t.can_confirm for t in tols)
        grey = (ratio > PASS_BELOW) & (ratio <= FAIL_ABOVE) & can
        if grey.any():
            self._confirm(meas, examples, perms, grey, self.confirm if confirm is None else confirm)
        return meas

    def _confirm(
        self,
        meas: Measurement,
        examples: Sequence[Example],
        perms: np.ndarray,
        grey: np.ndarray,
        confirm: bool,
    ) -> None:
        rows = np.flatnonzero(grey.any(axis=1))
        sub = None
        twin = self.float64_twin() if confirm else None
        if twin is not None:
            try:
                sub = twin.measure([examples[i] for i in rows], perms, confirm=False)
            except (FunctionCallError, RuntimeError, TypeError) as exc:
                self._twin, self._twin_error = None, f"float64 evaluation failed: {type(exc).__name__}: {exc}"
        if sub is None:
            meas.borderline |= grey
            why = "confirm=False" if not confirm else self._twin_error
            meas.notes.append(
                f"{int(grey.sum())} borderline check(s) decided by ratio > 1 without a float64 re-check ({why})"
            )
            return
        for a, i in enumerate(rows):
            g = grey[i]
            meas.abs_err[i, g] = sub.abs_err[a, g]
            meas.rel_err[i, g] = sub.rel_err[a, g]
            meas.ratio[i, g] = sub.ratio[a, g]
            meas.in_float64[i, g] = True

    def float64_twin(self) -> Harness | None:
        """This harness in float64, or None (with the reason kept) when ``fn`` cannot run in float64."""
        if self._twin is None and self._twin_error is None:
            try:
                ev = self.evaluator.float64()
            except Exception as exc:  # noqa: BLE001 - deepcopy of an arbitrary module can fail in many ways
                self._twin_error = f"no float64 copy: {type(exc).__name__}: {exc}"
                return None
            self._twin = Harness(
                ev,
                self.degree,
                self.in_actions,
                self._out_spec,
                rtol=self.rtol,
                atol=self.atol,
                confirm=False,
            )
        return self._twin

    def batch_ratios(self, examples: Sequence[Example], *, confirm: bool | None = None) -> np.ndarray:
        """Per example: how far ``fn(x)`` evaluated alone is from ``fn(x)`` evaluated in one batch with the rest.

        A correct per-sample function gives ratios well below 1; pooling over the batch axis or batch
        statistics give large ones. Borderline ratios are re-measured in float64 like :meth:`measure`.
        """
        if self.evaluator.batch_axis is None or len(examples) < 2:
            return np.zeros(len(examples))
        together = self.outputs(examples)
        tols = self.tolerances()
        ratio = np.zeros(len(examples))
        for i, ex in enumerate(examples):
            alone = self.outputs([ex])[0]
            for a, b, tol in zip(alone, together[i], tols):
                if a.shape != b.shape:
                    ratio[i] = np.inf
                    continue
                e = float(_diff(a, b).max(initial=0.0))
                ratio[i] = max(ratio[i], tol.ratio(err=e, scale=_scale(a, b)))
        grey = (ratio > PASS_BELOW) & (ratio <= FAIL_ABOVE) & any(t.can_confirm for t in tols)
        if grey.any() and (self.confirm if confirm is None else confirm):
            twin = self.float64_twin()
            if twin is not None:
                try:
                    ratio = np.where(grey, twin.batch_ratios(examples, confirm=False), ratio)
                except (FunctionCallError, RuntimeError, TypeError):
                    pass  # the float32 ratio (> 0.1) stands; > 1 decides
        return ratio

    # ------------------------------------------------------------------ details
    def deviation(self, example: Example, g: np.ndarray) -> Deviation:
        """Where ``fn(g.x)`` deviates most from ``g.fn(x)`` (one fresh evaluation)."""
        g = np.asarray(g, dtype=np.int64)
        outs = self.outputs([example] + self._images(example, g[None, :]))
        tols = self.tolerances()
        best: Deviation | None = None
        for j, (act, tol) in enumerate(zip(self.out_actions, tols)):
            expected = act.apply(g, outs[0][j])
            got = outs[1][j]
            if got.shape != expected.shape:
                return Deviation(j, (), float("nan"), float("nan"), float("inf"), float("inf"), float("inf"))
            diff = _diff(got, expected)
            idx = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
            e = float(diff.max()) if diff.size else 0.0
            s = _scale(got, expected)
            r = tol.ratio(err=e, scale=s)
            if best is None or r > best.ratio:
                rel = e / s if s > 0 else (float("inf") if e > 0 else 0.0)
                best = Deviation(
                    j, tuple(int(i) for i in idx), _item(expected, idx), _item(got, idx), e, rel, r
                )
        assert best is not None
        return best


def _finite(a: np.ndarray) -> bool:
    """No NaN or inf in a floating or complex array (integer and boolean arrays always pass)."""
    return a.dtype.kind not in "fc" or bool(np.isfinite(a).all())


def _item(a: np.ndarray, idx: tuple[int, ...]) -> float:
    return float(a[idx]) if a.size else float("nan")


def _stack(arrays: list[np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Stack per-element outputs; a shape that differs from ``g.fn(x)``'s becomes all-NaN (a failure)."""
    out = np.full(shape, np.nan, dtype=np.result_type(*[a.dtype for a in arrays], np.float64))
    for k, a in enumerate(arrays):
        if a.shape == shape[1:]:
            out[k] = a
    return out


def _diff(got: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``|got - expected|`` with matching NaNs and equal infinities counted as equal."""
    g = got.astype(np.float64) if got.dtype.kind in "biu" else got
    e = expected.astype(np.float64) if expected.dtype.kind in "biu" else expected
    with np.errstate(invalid="ignore", over="ignore"):
        d = np.abs(g - e).astype(np.float64)
    same = (g == e) | (np.isnan(g) & np.isnan(e))
    d[same] = 0.0
    d[np.isnan(d)] = np.inf
    return d


def _scale(got: np.ndarray, expected: np.ndarray) -> float:
    vals = [
        np.abs(a[np.isfinite(a)]).max(initial=0.0)
        for a in (got.astype(np.float64), expected.astype(np.float64))
    ]
    return float(max(vals))


def _errors(got: np.ndarray, expected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per leading index: max abs error and magnitude scale."""
    m = got.shape[0]
    d = _diff(got, expected).reshape(m, -1)
    e = d.max(axis=1, initial=0.0)
    g = np.abs(np.where(np.isfinite(got), got, 0).astype(np.float64)).reshape(m, -1)
    x = np.abs(np.where(np.isfinite(expected), expected, 0).astype(np.float64)).reshape(m, -1)
    s = np.maximum(g.max(axis=1, initial=0.0), x.max(axis=1, initial=0.0))
    return e, s
