"""Verification reports: plain objects with named fields, ``to_dict``/``from_dict``, ``validate`` and a
readable ``str``.

:class:`EquivarianceReport` is what :func:`~asen.verify.check_equivariance` returns; it nests a
:class:`Counterexample` when the check fails. :class:`ExactnessReport` is what
:func:`~asen.verify.check_exact_symmetry` returns: the equivariance report, one :class:`OutsideCheck`
per permutation tested outside the group, and the largest group the function was seen to respect.
``to_dict()`` gives JSON-ready values (arrays become nested lists); ``from_dict(to_dict())`` round-trips.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from ..groups import cycle_notation

__all__ = ["Counterexample", "EquivarianceReport", "ExactnessReport", "OutsideCheck"]

_MAX_LISTED = 6


def _num(x: float) -> str:
    return f"{x:.3g}" if math.isfinite(x) else str(x)


def _coerce(cls: type, d: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``d`` that are fields of ``cls``, with float fields read by ``float()`` ("inf" too)."""
    out = {}
    for f in fields(cls):
        if f.name in d:
            v = d[f.name]
            out[f.name] = float(v) if f.type == "float" and v is not None else v
    return out


def _perm_text(p: list[int], *, limit: int = 12) -> str:
    """``(1,2,3) = [1, 2, 0]``, the array shortened for large degrees."""
    arr = p if len(p) <= limit else p[:limit] + ["..."]
    return f"{cycle_notation(np.asarray(p))} = [{', '.join(str(a) for a in arr)}]"


def _array_text(a: np.ndarray) -> str:
    """Small arrays in full; large ones as shape, zero count and the first non-zero entries."""
    if a.size == 0:
        return f"empty array of shape {a.shape}"
    if a.size <= 24:
        return " ".join(np.array2string(a, separator=", ", threshold=50, precision=4).split())
    nz = np.flatnonzero(a.reshape(-1))
    head = f"shape {a.shape}, {nz.size} non-zero of {a.size}"
    if not nz.size:
        return head + " (all zeros)"
    vals = np.unique(a.reshape(-1)[nz])
    if vals.size <= 3:
        head += f" (values {', '.join(_num(float(v)) for v in vals)})"
    shown = ", ".join(
        f"{[int(v) for v in np.unravel_index(int(i), a.shape)]}={_num(float(a.reshape(-1)[i]))}"
        for i in nz[:_MAX_LISTED]
    )
    return head + ": " + shown + (", ..." if nz.size > _MAX_LISTED else "")


def _edges_text(ei: np.ndarray, *, limit: int = 12) -> str:
    """An edge list: ``3 undirected edges: 0-1, 1-2, 2-0`` (both directions stored) or ``0->1, ...``."""
    pairs = list(zip(ei[0].tolist(), ei[1].tolist()))
    if not pairs:
        return "no edges"
    counts: dict[tuple[int, int], int] = {}
    for p in pairs:
        counts[p] = counts.get(p, 0) + 1
    undirected = all(counts.get((v, u), 0) == c for (u, v), c in counts.items())
    if undirected:
        shown = [(u, v) for u, v in pairs if u < v] + [(u, v) for u, v in pairs if u == v]
        head = f"{len(shown)} undirected edge{'s' if len(shown) != 1 else ''} ({len(pairs)} stored)"
        items = [f"{u}-{v}" for u, v in shown]
    else:
        head = f"{len(pairs)} directed edge{'s' if len(pairs) != 1 else ''}"
        items = [f"{u}->{v}" for u, v in pairs]
    body = ", ".join(items[:limit]) + (", ..." if len(items) > limit else "")
    return f"{head}: {body}"


@dataclass
class Counterexample:
    """A (shrunk) input ``x`` and element ``g`` with ``fn(g.x) != g.fn(x)``.

    ``output``/``index`` locate the largest deviation, where ``g.fn(x)`` is ``expected`` and
    ``fn(g.x)`` is ``got``.
    """

    element: list[int]
    inputs: list[np.ndarray]
    family: str
    abs_error: float
    rel_error: float
    output: int
    index: list[int]
    expected: float
    got: float
    shrink_calls: int = 0
    precision: str = "float64"
    kind: str = "equivariance"  # or "batch": fn(x) alone (expected) differs from fn(x) inside a batch (got)
    names: list[str] = field(default_factory=list)  # graph checks: the argument names (x, edge_index, ...)
    axes: list[str] = field(default_factory=list)  # graph checks: each argument's action ("0", "index", ...)

    @property
    def cycles(self) -> str:
        return cycle_notation(np.asarray(self.element))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["inputs"] = [np.asarray(a).tolist() for a in self.inputs]
        d["input_dtypes"] = [str(np.asarray(a).dtype) for a in self.inputs]
        d["cycles"] = self.cycles
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Counterexample:
        kw = _coerce(cls, d)
        dts = d.get("input_dtypes") or [None] * len(d["inputs"])
        kw["inputs"] = [np.asarray(a, dtype=dt) for a, dt in zip(d["inputs"], dts)]
        return cls(**kw)

    def _input_lines(self) -> list[str]:
        out = []
        for j, a in enumerate(self.inputs):
            name = self.names[j] if j < len(self.names) else f"x[{j}]"
            arr = np.asarray(a)
            is_edges = (
                j < len(self.axes)
                and arr.ndim == 2
                and arr.shape[0] == 2
                and arr.dtype.kind in "iu"
                and (self.axes[j] == "index" or "index" in name)
            )
            out.append(f"      {name} = {_edges_text(arr) if is_edges else _array_text(arr)}")
        return out

    def lines(self, degree: int | None = None) -> list[str]:
        if self.kind == "batch":
            out = [
                f"  counterexample: fn(x) depends on the other inputs in its batch (input family {self.family!r})"
            ]
            out += self._input_lines()
            out.append(
                f"    output {self.output} at {self.index}: fn(x) alone = {_num(self.expected)}, in a batch = "
                f"{_num(self.got)}  (abs {_num(self.abs_error)}, rel {_num(self.rel_error)}, {self.precision})"
            )
            return out
        out = [
            f"  counterexample: g = {_perm_text(self.element)}",
            f"    input (family {self.family!r}, "
            + (
                f"shrunk in {self.shrink_calls} batched call{'s' if self.shrink_calls > 1 else ''}):"
                if self.shrink_calls
                else "not shrunk):"
            ),
        ]
        if degree is not None and len(self.element) != degree:
            out[-1] = out[-1][:-2] + f", to a graph on {len(self.element)} of the {degree} nodes):"
        out += self._input_lines()
        out.append(
            f"    output {self.output} at {self.index}: g.fn(x) = {_num(self.expected)}, fn(g.x) = {_num(self.got)}"
            f"  (abs {_num(self.abs_error)}, rel {_num(self.rel_error)}, {self.precision})"
        )
        return out


@dataclass
class EquivarianceReport:
    """Outcome of comparing ``fn(g.x)`` with ``g.fn(x)`` over inputs x and elements g of a group."""

    passed: bool
    function: str
    group: str
    degree: int
    group_order: int
    num_checks: int
    num_inputs: int
    num_elements: int
    max_abs_error: float
    max_rel_error: float
    max_ratio: float
    rtol: float
    atol: float
    precision: str
    in_axes: list[str]
    out_axes: list[str]
    deterministic: bool = True
    batch_independent: bool = True
    random_in_train_mode: bool = False
    checked_in_float64: int = 0
    worst_element: list[int] | None = None
    worst_family: str | None = None
    counterexample: Counterexample | None = None
    seed: int | None = None
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def worst_cycles(self) -> str | None:
        """The worst element in GAP cycle notation (1-based)."""
        return None if self.worst_element is None else cycle_notation(np.asarray(self.worst_element))

    def validate(self) -> None:
        """Raise ``ValueError`` when the fields contradict each other."""
        if self.num_checks < 0 or self.num_inputs < 0 or self.num_elements < 0:
            raise ValueError("num_checks, num_inputs and num_elements must be >= 0")
        if self.passed and self.counterexample is not None:
            raise ValueError("a passed report cannot carry a counterexample")
        if self.passed and self.max_ratio > 1:
            raise ValueError(f"a passed report has max_ratio {self.max_ratio} > 1")
        if self.worst_element is not None and sorted(self.worst_element) != list(range(self.degree)):
            raise ValueError(f"worst_element is not a permutation of degree {self.degree}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["counterexample"] = None if self.counterexample is None else self.counterexample.to_dict()
        d["worst_cycles"] = self.worst_cycles
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EquivarianceReport:
        kw = _coerce(cls, d)
        if kw.get("counterexample") is not None:
            kw["counterexample"] = Counterexample.from_dict(kw["counterexample"])
        report = cls(**kw)
        report.validate()
        return report

    def __str__(self) -> str:
        verdict = "PASSED" if self.passed else "FAILED"
        lines = [
            (
                f"equivariance of {self.function} under {self.group} (degree {self.degree}, order {self.group_order}): "
                f"{verdict}"
            ),
            (
                f"  checks: {self.num_checks} ({self.num_inputs} inputs x {self.num_elements} elements), "
                f"in_axes {self.in_axes}, out_axes {self.out_axes}, seed {self.seed}"
            ),
            (
                f"  max error: abs {_num(self.max_abs_error)}, rel {_num(self.max_rel_error)} "
                f"({_num(self.max_ratio)} x allowed; {self.precision}: rtol {self.rtol:g}, atol {self.atol:g})"
            ),
        ]
        if self.checked_in_float64:
            lines.append(f"  {self.checked_in_float64} borderline check(s) re-checked in float64")
        if self.worst_element is not None:
            lines.append(
                f"  worst element: {_perm_text(self.worst_element)} on a {self.worst_family!r} input"
            )
        if not self.deterministic:
            lines.append(
                "  NOT DETERMINISTIC: two evaluations of the same input differ (dropout? random noise?)"
            )
        if self.random_in_train_mode:
            lines.append(
                "  RANDOM IN TRAINING MODE: the module was left in training mode with dropout or noise active"
            )
        if not self.batch_independent:
            lines.append(
                "  BATCH-DEPENDENT: fn(x) changes with the other inputs of its batch (pooling over the batch axis?)"
            )
        if self.counterexample is not None:
            lines.extend(self.counterexample.lines(self.degree))
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


@dataclass
class OutsideCheck:
    """One permutation outside the group: where it came from and whether the function respects it."""

    element: list[int]
    source: str
    respected: bool
    max_rel_error: float
    max_ratio: float

    @property
    def cycles(self) -> str:
        return cycle_notation(np.asarray(self.element))

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "cycles": self.cycles}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OutsideCheck:
        return cls(**_coerce(cls, d))


@dataclass
class ExactnessReport:
    """Outcome of :func:`~asen.verify.check_exact_symmetry`: equivariant to G and to nothing tested outside.

    ``respected_generators`` generate the group the function was seen to respect (the asked group's
    generators plus every respected outside permutation); ``respected_name`` names it when it is a
    catalogue group of the same degree.
    """

    passed: bool
    equivariance: EquivarianceReport
    outside: list[OutsideCheck]
    respected_order: int
    respected_name: str | None
    respected_generators: list[list[int]]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def respected(self) -> list[OutsideCheck]:
        return [o for o in self.outside if o.respected]

    def respected_group(self):
        """The respected group as a :class:`~asen.groups.PermGroup`."""
        from ..groups import PermGroup

        return PermGroup(self.respected_generators, self.equivariance.degree, name=self.respected_name)

    def validate(self) -> None:
        self.equivariance.validate()
        if self.passed and (self.respected or not self.equivariance.passed):
            raise ValueError(
                "a passed exactness report must be equivariant and respect nothing outside the group"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "equivariance": self.equivariance.to_dict(),
            "outside": [o.to_dict() for o in self.outside],
            "respected_order": self.respected_order,
            "respected_name": self.respected_name,
            "respected_generators": self.respected_generators,
            "seconds": self.seconds,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ExactnessReport:
        report = cls(
            passed=d["passed"],
            equivariance=EquivarianceReport.from_dict(d["equivariance"]),
            outside=[OutsideCheck.from_dict(o) for o in d["outside"]],
            respected_order=int(d["respected_order"]),
            respected_name=d.get("respected_name"),
            respected_generators=[list(g) for g in d["respected_generators"]],
            seconds=d.get("seconds", 0.0),
            notes=list(d.get("notes", [])),
        )
        report.validate()
        return report

    def __str__(self) -> str:
        eq = self.equivariance
        verdict = "PASSED" if self.passed else "FAILED"
        asked = f"{eq.group} (order {eq.group_order})"
        sources: dict[str, int] = {}
        for o in self.outside:
            key = o.source.split(" ")[0]
            sources[key] = sources.get(key, 0) + 1
        lines = [
            f"exact symmetry of {eq.function} under {eq.group}: {verdict}",
            (
                f"  equivariant to {eq.group}: {'yes' if eq.passed else 'NO'} ({eq.num_checks} checks, "
                f"max rel error {_num(eq.max_rel_error)}, {eq.precision})"
            ),
            (
                f"  outside the group: {len(self.outside)} permutations tested "
                f"({', '.join(f'{k} {v}' for k, v in sources.items()) or 'none: the group is S_n'}), "
                f"{len(self.respected)} respected"
            ),
        ]
        for o in self.respected[:_MAX_LISTED]:
            lines.append(
                f"    respects {_perm_text(o.element)} [{o.source}], max rel error {_num(o.max_rel_error)}"
            )
        if len(self.respected) > _MAX_LISTED:
            lines.append(f"    ... and {len(self.respected) - _MAX_LISTED} more")
        name = self.respected_name or f"a group of order {self.respected_order}"
        if self.respected and eq.passed:
            lines.append(
                f"  your model is equivariant to {name} (order {self.respected_order}), you asked for {asked}"
            )
        elif eq.passed:
            closest = min(self.outside, key=lambda o: o.max_ratio, default=None)
            if closest is not None:
                lines.append(
                    f"  nearest miss: {_perm_text(closest.element)} [{closest.source}], "
                    f"max rel error {_num(closest.max_rel_error)} ({_num(closest.max_ratio)} x allowed)"
                )
        else:
            lines.append(f"  respected group seen: {name} (order {self.respected_order})")
            if eq.counterexample is not None:
                lines.extend(eq.counterexample.lines(eq.degree))
        lines.extend(f"  note: {n}" for n in self.notes + eq.notes)
        return "\n".join(lines)
