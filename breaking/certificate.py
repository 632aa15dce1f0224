"""Certificates: ``Aut(v)|Omega`` recomputed by nauty and compared with the requested ``G``.

A certificate proves ``Aut(v)|Omega = G`` from two independent facts:

* ``G <= Aut(v)|Omega``: each generator of ``G``, lifted to ``Omega ⊔ Y``, preserves every vertex and arc
  colour (checked on the arrays, ``O(N^2)`` per generator);
* ``Aut(v)|Omega <= G``: every generator nauty returns for ``Aut(v')`` lies in ``G`` (a Schreier--Sims
  sift), where ``v'`` is ``v`` or a *coarsening* of it (some arc classes merged into the background).
  Coarsening only enlarges the automorphism group, so the inclusion transfers to ``v``.

Orders are exact integers from Schreier--Sims; nauty's floating-point group size is kept only as a note.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..groups import PermGroup
from ..groups.automorphisms import nauty_automorphisms, restricted_automorphisms
from .visibility import Visibility

__all__ = ["Certificate", "certify", "nauty_automorphisms", "restricted_automorphisms"]


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
        ``log10`` of nauty's own floating-point ``|Aut(v')|`` for the run that decided (information only).
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
        if self.visibility is not None:
            if not isinstance(self.visibility, Visibility):
                raise ValueError(f"visibility must be a Visibility or None, got {type(self.visibility).__name__}")
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
        }

    @classmethod
    def from_dict(cls, obj: dict[str, Any]) -> Certificate:
        """Read a :meth:`to_dict` record; ``ValueError`` naming the first missing or malformed field."""
        if not isinstance(obj, dict):
            raise ValueError(f"not a certificate record: expected a JSON object, got {type(obj).__name__}")
        try:
            cert = cls(
                requested_order=_field(obj, "requested_order", int),
                achieved_order=_field(obj, "achieved_order", int),
                exact=_field(obj, "exact", bool),
                witnesses=_witnesses(obj),
                classes_used=_field(obj, "classes_used", int),
                nauty_log10_order=_field(obj, "nauty_log10_order", float),
                seconds=_field(obj, "seconds", float),
                notes=_notes(obj),
                visibility=None if obj.get("visibility") is None else Visibility.from_dict(obj["visibility"]),
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
    if kind is int and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    ok = (
        isinstance(value, bool)
        if kind is bool
        else isinstance(value, (int, float) if kind is float else int) and not isinstance(value, bool)
    )
    if not ok:
        raise ValueError(f"not a certificate record: {name} must be {kind.__name__}, got {value!r}")
    return kind(value)


def _witnesses(obj: dict[str, Any]) -> np.ndarray:
    """The ``(w, n)`` witness permutations of a record (``[]`` for none)."""
    rows = obj["witnesses"]
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in r) for r in rows
    ):
        raise ValueError("not a certificate record: witnesses must be a list of integer lists")
    if len({len(r) for r in rows}) > 1:
        raise ValueError("not a certificate record: witnesses must all have the same length")
    return np.asarray(rows, dtype=np.int64)


def _notes(obj: dict[str, Any]) -> list[str]:
    notes = obj.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(x, str) for x in notes):
        raise ValueError("not a certificate record: notes must be a list of strings")
    return list(notes)


def lifts_preserve(lifted: np.ndarray, vertex_colors: np.ndarray, pair_colors: np.ndarray) -> bool:
    """True when every row of ``lifted`` maps colours onto themselves: ``c[g(x)] = c[x]``, ``a[g(x), g(y)] = a[x, y]``."""
    for g in lifted:
        if not np.array_equal(vertex_colors[g], vertex_colors):
            return False
        if not np.array_equal(pair_colors[np.ix_(g, g)], pair_colors):
            return False
    return True


def certify(
    inp: Any,
    group: PermGroup | None = None,
    *,
    keep_classes: np.ndarray | None = None,
) -> Certificate:
    """Recompute ``Aut(v)|Omega`` with nauty and compare it with ``group`` (default: ``inp.group``).

    Parameters
    ----------
    inp
        A :class:`~asen.breaking.SymmetryInput`.
    group
        The group the input should realise; defaults to the input's own.
    keep_classes
        Arc colour ids of a coarsening to try first (others merged into the background); when its
        automorphisms already lie in ``G`` the full input need not go through nauty.

    Returns
    -------
    Certificate
    """
    start = time.perf_counter()
    G = inp.group if group is None else group
    n = inp.num_points
    if G.degree != n:
        raise ValueError(f"the group has degree {G.degree}, the input has {n} points")
    vc, pc = inp.vertex_colors, inp.pair_colors
    notes: list[str] = []

    # G <= Aut(v)|Omega
    lifted = inp.meta.get("lifted_generators")
    same_group = group is None or group is inp.group or group == inp.group
    if same_group and (lifted is not None or inp.num_aux == 0):
        lifts = G.generators if inp.num_aux == 0 else np.asarray(lifted, dtype=np.int64)
        if len(lifts) != len(inp.group.generators) or (
            len(lifts) and not np.array_equal(lifts[:, :n], inp.group.generators)
        ):
            raise ValueError("the stored lifted generators do not restrict to the group's generators")
        contains_g = lifts_preserve(lifts, vc, pc)
    else:
        contains_g = None  # decided below from the full automorphism group

    # Aut(v)|Omega <= G, through a coarsening when one is offered
    runs = []
    if keep_classes is not None:
        coarse = np.where(np.isin(pc, keep_classes), pc, 0)
        runs.append((coarse, int(np.unique(keep_classes[keep_classes > 0]).size)))
    runs.append((pc, int(np.unique(pc[pc > 0]).size)))
    for colours, used in runs:
        gens, log10_order = restricted_automorphisms(vc, colours, n)
        inside = G.chain.contains(gens) if len(gens) else np.ones(0, dtype=bool)
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
    cert = Certificate(
        requested_order=G.order(),
        achieved_order=achieved,
        exact=achieved == G.order(),
        witnesses=witnesses,
        classes_used=used,
        nauty_log10_order=log10_order,
        seconds=time.perf_counter() - start,
        notes=notes,
    )
    cert.validate()
    return cert
