"""Certificates: ``Aut(v)|Omega`` recomputed by nauty and/or bliss and compared with the requested ``G``.

A certificate proves ``Aut(v)|Omega = G`` from two independent facts:

* ``G <= Aut(v)|Omega``: each generator of ``G``, lifted to ``Omega ⊔ Y``, preserves every vertex and arc
  colour (checked on the arrays, ``O(N^2)`` per generator, or on the arc list, ``O(E log E)``, for inputs
  stored as arcs);
* ``Aut(v)|Omega <= G``: every generator the engine returns for ``Aut(v')`` lies in ``G`` (a
  Schreier--Sims sift), where ``v'`` is ``v`` or a *coarsening* of it (some arc classes merged into the
  background). Coarsening only enlarges the automorphism group, so the inclusion transfers to ``v``.

``engines=`` names the engine(s) (:mod:`asen.groups.engines`): one, or several, e.g.
``("nauty", "bliss")``, which re-derive ``Aut(v')`` independently; the certificate is refused
(:class:`EngineDisagreement`) unless they agree on the group order and on whether ``Aut(v')|Omega <= G``
(and, when it is not, on the group ``Aut(v')|Omega`` itself). The sift in ``G`` is done for each.
Orders are exact integers from Schreier--Sims; the engine's group size is kept only as a note.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..groups import PermGroup
from ..groups.automorphisms import nauty_automorphisms, restricted_automorphisms
from ..groups.colored_graph import colored_graph
from ..groups.engines import ENGINES, check_engine, choose_engine
from ..groups.membership import contains
from ..groups.perm import as_rows
from .visibility import Visibility

__all__ = ["Certificate", "EngineDisagreement", "certify", "nauty_automorphisms", "restricted_automorphisms"]


class EngineDisagreement(ValueError):
    """Two automorphism engines re-derived different groups for the same input: no certificate."""


@dataclass
class Certificate:
    """What nauty says about an input, compared with the requested group.

    Attributes
    ----------
    requested_order, achieved_order
        ``|G|`` and ``|Aut(v)|Omega|`` as exact integers.
    exact
        ``Aut(v)|Omega == G``.
    witnesses
        ``(w, n)`` generators of ``Aut(v)|Omega`` outside ``G`` (empty when exact).
    classes_used
        Number of arc colour classes the nauty run saw (fewer than the input has when a coarsening sufficed).
    nauty_log10_order
        ``log10`` of the engine's own ``|Aut(v')|`` for the run that decided (information only; the name
        is from when nauty was the only engine).
    engines
        The engine(s) that produced the certificate, e.g. ``("bliss",)`` or ``("nauty", "bliss")``
        (records written before there were two engines read as ``("nauty",)``).
    visibility
        :class:`~asen.breaking.visibility.Visibility`: after how many colour-refinement rounds a model
        can tell ``(v, x)`` from ``(v, h.x)`` for probes ``h`` in ``G^(2) \\ G``, or None when not computed
        (:func:`certify` leaves it None; :func:`~asen.breaking.symmetry_breaking_input` fills it in).
    """

    requested_order: int
    achieved_order: int
    exact: bool
    witnesses: np.ndarray
    classes_used: int
    nauty_log10_order: float
    seconds: float
    notes: list[str] = field(default_factory=list)
    visibility: Visibility | None = None
    engines: tuple[str, ...] = ("nauty",)

    @property
    def index(self) -> int:
        """``[Aut(v)|Omega : G]``."""
        return self.achieved_order // self.requested_order

    def validate(self) -> None:
        """Raise ``ValueError`` when the fields contradict each other."""
        if self.requested_order < 1 or self.achieved_order < self.requested_order:
            raise ValueError("a certificate's achieved order must be at least its requested order")
        if self.achieved_order % self.requested_order:
            raise ValueError("a certificate's achieved order must be a multiple of the requested order")
        if self.exact != (self.achieved_order == self.requested_order):
            raise ValueError("a certificate is exact exactly when both orders agree")
        if self.exact and len(self.witnesses):
            raise ValueError("an exact certificate cannot carry witnesses")
        if (
            not self.engines
            or any(e not in ENGINES for e in self.engines)
            or len(set(self.engines)) < len(self.engines)
        ):
            raise ValueError(
                f"a certificate's engines must be distinct names from {ENGINES}, got {self.engines!r}"
            )
        if self.visibility is not None:
            if not isinstance(self.visibility, Visibility):
                raise ValueError(
                    f"visibility must be a Visibility or None, got {type(self.visibility).__name__}"
                )
            self.visibility.validate()
            w = np.asarray(self.witnesses)
            if w.size and self.visibility.num_probes and w.shape[-1] != self.visibility.probes.shape[1]:
                raise ValueError("the visibility probes and the witnesses act on different numbers of points")

    def to_dict(self) -> dict[str, Any]:
        return {
            "requested_order": self.requested_order,
            "achieved_order": self.achieved_order,
            "index": self.index,
            "exact": self.exact,
            "witnesses": np.asarray(self.witnesses).tolist(),
            "classes_used": self.classes_used,
            "nauty_log10_order": self.nauty_log10_order,
            "seconds": self.seconds,
            "notes": list(self.notes),
            "visibility": None if self.visibility is None else self.visibility.to_dict(),
            "engines": list(self.engines),
        }

    @classmethod
    def from_dict(cls, obj: dict[str, Any], num_points: int | None = None) -> Certificate:
        """Read a :meth:`to_dict` record; ``ValueError`` naming the first missing or malformed field.

        ``num_points`` (``n``, when known) is checked against the witnesses' and the visibility probes'
        length, and gives empty ones the shape ``(0, n)`` of a fresh :func:`certify`.
        """
        if not isinstance(obj, dict):
            raise ValueError(f"not a certificate record: expected a JSON object, got {type(obj).__name__}")
        try:
            cert = cls(
                requested_order=_field(obj, "requested_order", int),
                achieved_order=_field(obj, "achieved_order", int),
                exact=_field(obj, "exact", bool),
                witnesses=_witnesses(obj, num_points),
                classes_used=_field(obj, "classes_used", int),
                nauty_log10_order=_field(obj, "nauty_log10_order", float),
                seconds=_field(obj, "seconds", float),
                notes=_notes(obj),
                visibility=None
                if obj.get("visibility") is None
                else Visibility.from_dict(obj["visibility"], num_points),
                engines=_engines(obj),
            )
        except KeyError as exc:
            raise ValueError(f"not a certificate record: {exc}") from exc
        cert.validate()
        for name in ("classes_used", "seconds"):
            if getattr(cert, name) < 0:
                raise ValueError(f"not a certificate record: {name} must be non-negative")
        if "index" in obj and _field(obj, "index", int) != cert.index:
            raise ValueError(
                f"not a certificate record: index {obj['index']!r} disagrees with the orders "
                f"({cert.achieved_order} / {cert.requested_order} = {cert.index})"
            )
        return cert


def _field(obj: dict[str, Any], name: str, kind: type) -> Any:
    """``obj[name]`` checked to be a JSON value of ``kind`` (int, float or bool; bools are not numbers).

    Integers may also be decimal strings: files store group orders that way (beyond 2^53, JSON readers
    in other languages lose digits of plain numbers).
    """
    value = obj[name]
    if kind is int and isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value, re.ASCII):
        return int(value)
    ok = (
        isinstance(value, bool)
        if kind is bool
        else isinstance(value, (int, float) if kind is float else int) and not isinstance(value, bool)
    )
    if not ok:
        raise ValueError(f"not a certificate record: {name} must be {kind.__name__}, got {value!r}")
    return kind(value)


def _witnesses(obj: dict[str, Any], num_points: int | None = None) -> np.ndarray:
    """The ``(w, n)`` witness permutations of a record (``[]`` for none: ``(0, num_points)`` when given)."""
    rows = obj["witnesses"]
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in r) for r in rows
    ):
        raise ValueError("not a certificate record: witnesses must be a list of integer lists")
    if len({len(r) for r in rows}) > 1:
        raise ValueError("not a certificate record: witnesses must all have the same length")
    if num_points is None:
        return np.asarray(rows, dtype=np.int64)
    if rows and len(rows[0]) != num_points:
        raise ValueError(f"not a certificate record: witnesses must have {num_points} columns")
    return np.asarray(rows, dtype=np.int64).reshape(len(rows), num_points)


def _engines(obj: dict[str, Any]) -> tuple[str, ...]:
    engines = obj.get("engines", ["nauty"])  # records from before bliss: nauty made them
    if not isinstance(engines, list) or not all(isinstance(x, str) for x in engines):
        raise ValueError("not a certificate record: engines must be a list of engine names")
    return tuple(engines)


def _notes(obj: dict[str, Any]) -> list[str]:
    notes = obj.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(x, str) for x in notes):
        raise ValueError("not a certificate record: notes must be a list of strings")
    return list(notes)


def lifts_preserve(lifted: np.ndarray, vertex_colors: np.ndarray, pair_colors: Any) -> bool:
    """True when every row of ``lifted`` maps colours onto themselves: ``c[g(x)] = c[x]``, ``a[g(x), g(y)] = a[x, y]``.

    ``pair_colors`` is the dense ``(N, N)`` matrix or the ``(src, dst, colour)`` arcs of colour ``>= 1``
    (each pair once): then ``g`` must map the arc set onto itself, colours included.
    """
    arcs = pair_colors if isinstance(pair_colors, tuple) else None
    if arcs is not None:
        N = vertex_colors.size
        src, dst, colour = arcs
        key = src * N + dst
        order = np.argsort(key, kind="stable")
        key, colour = key[order], colour[order]
    for g in lifted:
        if not np.array_equal(vertex_colors[g], vertex_colors):
            return False
        if arcs is None:
            if not np.array_equal(pair_colors[np.ix_(g, g)], pair_colors):
                return False
            continue
        moved = g[src[order]] * N + g[dst[order]]
        back = np.argsort(moved, kind="stable")
        if not (np.array_equal(moved[back], key) and np.array_equal(colour[back], colour)):
            return False
    return True


def _checked_lifts(lifted: Any, inp: Any) -> np.ndarray:
    """``inp.meta["lifted_generators"]`` as a ``(k, N)`` array, once every row is a permutation of the ``N``
    vertices extending the matching generator of ``inp.group``; ``ValueError`` naming what is wrong."""
    gens = as_rows(inp.group.generators, inp.num_points)
    k, n, N = gens.shape[0], inp.num_points, inp.num_vertices
    try:
        arr = np.asarray(lifted)
    except (ValueError, TypeError) as exc:  # ragged rows
        raise ValueError(f"the stored lifted generators are not a ({k}, {N}) integer array: {exc}") from exc
    if arr.size == 0:
        arr = arr.reshape(0, N) if k == 0 else arr
    elif arr.dtype.kind not in "iu":
        raise ValueError(f"the stored lifted generators must be integer permutations, got dtype {arr.dtype}")
    if arr.shape != (k, N):
        raise ValueError(
            f"the stored lifted generators must have shape ({k}, {N}) (one per generator, on all {N} "
            f"vertices), got {arr.shape}"
        )
    arr = arr.astype(np.int64)
    if not np.array_equal(np.sort(arr, axis=1), np.broadcast_to(np.arange(N), arr.shape)):
        raise ValueError(f"the stored lifted generators are not all permutations of 0..{N - 1}")
    if not np.array_equal(arr[:, :n], gens):
        raise ValueError("the stored lifted generators do not restrict to the group's generators")
    return arr


def _engine_names(engines: str | Sequence[str], inp: Any) -> tuple[str, ...]:
    """The engines to run, ``"auto"`` resolved on the input (``"both"`` is nauty and bliss)."""
    if isinstance(engines, str):
        engines = ENGINES if engines == "both" else (engines,)
    names = [check_engine(e) for e in engines]
    if "auto" in names:
        src, dst, colour = inp.arc_arrays() if getattr(inp, "stored_as_arcs", False) else (None, None, None)
        if src is None:
            cg = colored_graph(adjacency=inp.pair_colors, vertex_colors=inp.vertex_colors)
        else:
            cg = colored_graph(arcs=(src, dst, colour), vertex_colors=inp.vertex_colors)
        names = [choose_engine(cg) if e == "auto" else e for e in names]
    unique = tuple(dict.fromkeys(names))
    if not unique:
        raise ValueError("engines must name at least one engine")
    return unique


def _derive(vc: np.ndarray, structure: Any, n: int, G: PermGroup, names: tuple[str, ...]):
    """``(gens, log10 order, inside)`` from the first engine, after every engine agreed with it."""
    results = []
    for name in names:
        gens, log10_order = restricted_automorphisms(vc, structure, n, engine=name)
        inside = contains(G.chain, gens) if len(gens) else np.ones(0, dtype=bool)
        results.append((name, gens, log10_order, inside))
    first_name, gens, log10_order, inside = results[0]
    for name, other, other_log10, other_inside in results[1:]:
        if abs(other_log10 - log10_order) > 1e-6 * max(1.0, abs(log10_order)):
            raise EngineDisagreement(
                f"{first_name} and {name} disagree on |Aut(v)|: 10^{log10_order:.6f} against 10^{other_log10:.6f}"
            )
        if bool(inside.all()) != bool(other_inside.all()):
            says = {first_name: bool(inside.all()), name: bool(other_inside.all())}
            raise EngineDisagreement(f"the engines disagree on whether Aut(v)|Omega lies in G: {says}")
        if not inside.all():
            A, B = PermGroup(gens, n), PermGroup(other, n)
            if A.order() != B.order() or not contains(A.chain, other).all():
                raise EngineDisagreement(
                    f"{first_name} and {name} give different groups Aut(v)|Omega (orders {A.order()}, {B.order()})"
                )
    return gens, log10_order, inside


def certify(
    inp: Any,
    group: PermGroup | None = None,
    *,
    keep_classes: np.ndarray | None = None,
    engines: str | Sequence[str] = "auto",
) -> Certificate:
    """Recompute ``Aut(v)|Omega`` with nauty and/or bliss and compare it with ``group`` (default: ``inp.group``).

    Parameters
    ----------
    inp
        A :class:`~asen.breaking.SymmetryInput` (dense, or stored as arcs: then no ``N x N`` array is built).
    group
        The group the input should realise; defaults to the input's own.
    keep_classes
        Arc colour ids of a coarsening to try first (others merged into the background); when its
        automorphisms already lie in ``G`` the full input need not go through the engine.
    engines
        ``"auto"`` (default), ``"nauty"``, ``"bliss"``, ``"both"`` or a sequence such as
        ``("nauty", "bliss")``: each re-derives ``Aut(v')`` and they must agree.

    Returns
    -------
    Certificate
        ``engines`` names the engines that ran.

    Raises
    ------
    EngineDisagreement
        Two engines re-derived different groups.
    ValueError
        The input is not invariant under the group, or the degrees differ.

    Examples
    --------
    >>> from asen.breaking import symmetry_breaking_input
    >>> inp = symmetry_breaking_input("dihedral(8)", mode="sparse")
    >>> cert = certify(inp, engines=("nauty", "bliss"))
    >>> cert.exact, cert.engines
    (True, ('nauty', 'bliss'))
    """
    start = time.perf_counter()
    G = inp.group if group is None else group
    n = inp.num_points
    if G.degree != n:
        raise ValueError(f"the group has degree {G.degree}, the input has {n} points")
    names = _engine_names(engines, inp)
    vc = inp.vertex_colors
    if getattr(inp, "stored_as_arcs", False):
        src, dst, colour = inp.arc_arrays()
        full: Any = (src, dst, colour)
    else:
        pc = inp.pair_colors
        full, colour = pc, pc[pc > 0]
    notes: list[str] = []

    # G <= Aut(v)|Omega
    lifted = inp.meta.get("lifted_generators")
    same_group = group is None or group is inp.group or group == inp.group
    if same_group and (lifted is not None or inp.num_aux == 0):
        lifts = G.generators if inp.num_aux == 0 else _checked_lifts(lifted, inp)
        contains_g = lifts_preserve(lifts, vc, full)
    else:
        contains_g = None  # decided below from the full automorphism group

    # Aut(v)|Omega <= G, through a coarsening when one is offered
    runs = []
    if keep_classes is not None:
        if isinstance(full, tuple):
            keep = np.isin(colour, keep_classes)
            coarse: Any = (src[keep], dst[keep], colour[keep])
        else:
            coarse = np.where(np.isin(full, keep_classes), full, 0)
        runs.append((coarse, int(np.unique(keep_classes[keep_classes > 0]).size)))
    runs.append((full, int(np.unique(colour).size)))
    for structure, used in runs:
        gens, log10_order, inside = _derive(vc, structure, n, G, names)
        if inside.all():
            break
    witnesses = gens[~inside]

    if contains_g is None:
        aut = PermGroup(gens, n)
        contains_g = G.is_subgroup(aut)
        notes.append("G <= Aut(v)|Omega checked by sifting G's generators in Aut(v)|Omega")
    if not contains_g:
        raise ValueError(
            "the input is not invariant under the group: some generator of G does not preserve its colours"
        )
    if inside.all():
        achieved = G.order()
    else:
        achieved = PermGroup(gens, n).order()
    if len(names) > 1:
        notes.append(f"re-derived by {' and '.join(names)}, which agree")
    cert = Certificate(
        requested_order=G.order(),
        achieved_order=achieved,
        exact=achieved == G.order(),
        witnesses=witnesses,
        classes_used=used,
        nauty_log10_order=log10_order,
        seconds=time.perf_counter() - start,
        notes=notes,
        engines=names,
    )
    cert.validate()
    return cert
