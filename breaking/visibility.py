"""Visibility: can a colour-refinement-bounded model *use* a symmetry-breaking input?

A certificate proves ``Aut(v)|Omega = G``: no permutation outside ``G`` preserves ``v``. A message-passing
model is weaker than an isomorphism test, though. For a probe ``h`` outside ``G`` (by default a generator of
the 2-closure ``G^(2)`` outside ``G``, the permutations an orbital model cannot see), the model can only
respond to ``h`` if it can tell the input ``(v, x)`` from ``(v, h.x)``. With generic data the points are
individualised, so we ask colour refinement (1-WL, :mod:`asen.groups.refinement`) on the disjoint union of
``(v, x)`` and ``(v, h.x)``:

* copy 0 is ``v`` with point ``i`` given the unique label ``i`` (auxiliary vertices: no label);
* copy ``j`` is ``v`` with point ``h_j[i]`` given label ``i`` (``(h.x)[h[i]] = x[i]``, the convention of
  :mod:`asen.groups.perm`);
* initial colours are (vertex colour, diagonal arc colour, label); arcs carry the joint type
  ``(a(u, w), a(w, u))``, every ordered pair of the complete digraph counted (refinement walks only the pairs
  off the most frequent arc colour; the rest is exact arithmetic on the per-copy histogram, see
  :mod:`asen.groups.refinement`).

``rounds[j]`` is the first round after which copy ``j``'s colour histogram differs from copy 0's (1-WL tells
the two graphs apart), ``point_rounds[j]`` the first round after which the points' colours differ (a model
read on the points, as ASEN is, needs that many layers; in a complete digraph it is ``rounds[j]`` or one
more). ``None`` means *never*: the refinement of the union became stable with the two copies equal, so no
model bounded by colour refinement (GNNs, GATv2, orbital-sum bodies, any attention reading arc colours)
can ever respond to ``h``: it stays ``h``-invariant on that input.

Why generators suffice for "never": the set of ``h`` whose copy is never told apart is closed under
composition (rename the labels of ``(v, x) ~ (v, k.x)`` to get ``(v, k.x) ~ (v, hk.x)``), hence a group
containing ``G``. If every generator of ``G^(2)`` outside ``G`` is never told apart, a colour-refinement
model stays ``G^(2)``-invariant. The converse needs care: every generator being told apart does not prove
that every element of ``G^(2) \\ G`` is, which is why random elements of ``G^(2) \\ G`` are probed too.
A finite number of rounds is necessary for a model to use the breaking, not sufficient: a mean-aggregating
or too narrow body may still miss what 1-WL separates.

Hashed multisets (seeded) can only merge colour classes, never split them: a collision makes visibility
look worse (later or ``None``), never better.

Examples
--------
>>> from asen.breaking import symmetry_breaking_input
>>> from asen.groups import alternating
>>> A6 = alternating(6)
>>> oriented = symmetry_breaking_input(A6, mode="exact", visible=False)      # 40 oriented 3-subsets
>>> oriented.num_aux, visibility(oriented).worst
(40, None)
>>> tuples = symmetry_breaking_input(A6, mode="exact", aux_kinds=("tuples",)) # 120 ordered 3-tuples
>>> tuples.num_aux, visibility(tuples).worst
(120, 2)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..groups import PermGroup
from ..groups.closure import closure_witnesses
from ..groups.perm import as_perm, as_rows
from ..groups.refinement import iter_color_refinement, iter_color_refinement_dense

__all__ = ["DEFAULT_RANDOM_PROBES", "Visibility", "VisibilityWarning", "default_probes", "visibility"]

DEFAULT_RANDOM_PROBES = 4
METHOD = "1-WL on (v, x) + (v, h.x), points individualised, joint arc types, 64-bit hashed multisets"


class VisibilityWarning(UserWarning):
    """A model cannot use (all of) an exact input's breaking: invisible to colour refinement, or needing
    more rounds than the model has layers (raised by :meth:`asen.models.ASEN.add_symmetry`).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", VisibilityWarning)   # silence it where that is intended
    ...     issubclass(VisibilityWarning, UserWarning)
    True
    """


@dataclass(frozen=True, eq=False)
class Visibility:
    """Per-probe colour-refinement rounds after which ``(v, x)`` and ``(v, h.x)`` are told apart.

    Attributes
    ----------
    probes
        ``(k, n)`` the probed permutations ``h`` of the points (outside ``G``).
    sources
        Where each probe came from: ``"witness"`` (a generator of ``G^(2)`` outside ``G``), ``"closure"``
        (a random element of ``G^(2)`` outside ``G``), or the caller's labels (``"given"`` by default).
    rounds
        Per probe: the first round after which the two copies' colour histograms differ, or None (never).
    point_rounds
        Per probe: the first round after which the points' colours differ (what a model read on the points
        needs), or None. Never smaller than ``rounds``.
    rounds_run
        Refinement rounds computed.
    decided
        True when every None is proven: the refinement ran until stable (or every probe was told apart).
        False when ``max_rounds`` stopped it first; the Nones then only say "not within ``rounds_run``".
    seed
        Seed of the hashed multisets.
    seconds
        Time taken.
    """

    probes: np.ndarray
    sources: tuple[str, ...]
    rounds: tuple[int | None, ...]
    point_rounds: tuple[int | None, ...]
    rounds_run: int
    decided: bool = True
    seed: int = 0
    seconds: float = 0.0
    method: str = field(default=METHOD)

    def __post_init__(self) -> None:
        probes = np.asarray(self.probes, dtype=np.int64)
        if probes.size == 0 and probes.ndim != 2:
            probes = probes.reshape(0, 0)
        object.__setattr__(self, "probes", probes)
        object.__setattr__(self, "sources", tuple(str(s) for s in self.sources))
        object.__setattr__(self, "rounds", tuple(None if r is None else int(r) for r in self.rounds))
        object.__setattr__(
            self, "point_rounds", tuple(None if r is None else int(r) for r in self.point_rounds)
        )
        self.validate()

    # ------------------------------------------------------------------ summary
    @property
    def num_probes(self) -> int:
        return len(self.rounds)

    @property
    def worst(self) -> int | None:
        """Rounds that tell every probe apart (0 without probes: nothing beyond ``G^(2)`` to see), or None."""
        return _worst(self.rounds)

    @property
    def worst_point(self) -> int | None:
        """Like :attr:`worst` for the points' colours (layers a point-read model needs), or None."""
        return _worst(self.point_rounds)

    @property
    def visible(self) -> bool:
        """Every probe is told apart after finitely many rounds."""
        return self.worst is not None

    @property
    def num_invisible(self) -> int:
        return sum(r is None for r in self.rounds)

    @property
    def closure_invisible(self) -> bool:
        """Every ``"witness"`` probe (generators of ``G^(2)`` outside ``G``) stays unseparated (proven):
        a colour-refinement model stays ``G^(2)``-invariant on this input."""
        wit = [r for r, s in zip(self.rounds, self.sources) if s == "witness"]
        return bool(wit) and self.decided and all(r is None for r in wit)

    def summary(self) -> str:
        """One clause: ``"visible to message passing after 2 rounds (points after 3)"`` or why not.

        Examples
        --------
        >>> import numpy as np
        >>> Visibility(np.zeros((0, 3), int), (), (), (), 0).summary()
        'visible to message passing: nothing beyond the 2-closure to separate (0 rounds)'
        """
        if not self.num_probes:
            return "visible to message passing: nothing beyond the 2-closure to separate (0 rounds)"
        w, p = self.worst, self.worst_point
        if w is not None:
            unit = "round" if w == 1 else "rounds"
            return f"visible to message passing after {w} {unit} (points after {p})"
        if not self.decided:
            return (
                f"not told apart within {self.rounds_run} rounds for {self.num_invisible} of {self.num_probes} "
                "probes (refinement stopped before it was stable)"
            )
        if self.closure_invisible:
            return "invisible to message passing: a colour-refinement model stays G^(2)-invariant"
        return (
            f"partly invisible to message passing: {self.num_invisible} of {self.num_probes} probes are never "
            "told apart by colour refinement"
        )

    def describe(self, exact: bool | None = None) -> str:
        """The line the CLI prints: ``"exact; visible to message passing after 2 rounds (points after 3)"``,
        ``"exact, but invisible to message passing: ..."``; without ``exact`` just :meth:`summary`."""
        clause = self.summary()
        if exact is None:
            return clause
        if not exact:
            return f"overgroup only; {clause}"
        return f"exact; {clause}" if self.visible else f"exact, but {clause}"

    # ------------------------------------------------------------------ records
    def validate(self) -> None:
        """Raise ``ValueError`` when the fields contradict each other."""
        k = len(self.rounds)
        if len(self.point_rounds) != k or len(self.sources) != k or self.probes.shape[0] != k:
            raise ValueError("a visibility record needs one probe, source, round and point round per probe")
        if self.probes.ndim != 2:
            raise ValueError(f"visibility probes must be a (k, n) array, got shape {self.probes.shape}")
        n = self.probes.shape[1]
        for p in self.probes:
            if not np.array_equal(np.sort(p), np.arange(n)):
                raise ValueError(f"visibility probe {p.tolist()} is not a permutation of 0..{n - 1}")
        if not isinstance(self.rounds_run, (int, np.integer)) or self.rounds_run < 0:
            raise ValueError(f"rounds_run must be a non-negative integer, got {self.rounds_run!r}")
        for r, p in zip(self.rounds, self.point_rounds):
            for x in (r, p):
                if x is not None and not 0 <= x <= self.rounds_run:
                    raise ValueError(f"a visibility round {x} lies outside 0..rounds_run={self.rounds_run}")
            if p is not None and (r is None or r > p):
                raise ValueError("points cannot be told apart before the whole copies are")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record (``None`` rounds become ``null``); ``worst``/``visible`` are for readers only."""
        return {
            "probes": self.probes.tolist(),
            "sources": list(self.sources),
            "rounds": list(self.rounds),
            "point_rounds": list(self.point_rounds),
            "rounds_run": int(self.rounds_run),
            "decided": bool(self.decided),
            "seed": int(self.seed),
            "seconds": float(self.seconds),
            "method": self.method,
            "worst": self.worst,
            "worst_point": self.worst_point,
            "visible": self.visible,
        }

    @classmethod
    def from_dict(cls, obj: dict[str, Any], num_points: int | None = None) -> Visibility:
        """Inverse of :meth:`to_dict`; raises ``ValueError`` on a malformed or self-contradictory record.

        ``num_points`` (``n``) is checked against the probes' length and gives a record without probes
        the ``(0, n)`` probes a fresh :func:`visibility` has (a JSON ``[]`` does not say ``n``; default
        ``(0, 0)``).

        Examples
        --------
        >>> import numpy as np
        >>> v = Visibility(np.array([[1, 0, 2]]), ("given",), (1,), (2,), 2)
        >>> Visibility.from_dict(v.to_dict()).point_rounds
        (2,)
        >>> Visibility.from_dict(Visibility(np.zeros((0, 3), int), (), (), (), 0).to_dict(), 3).probes.shape
        (0, 3)
        """
        if not isinstance(obj, dict):
            raise ValueError(f"a visibility record must be an object, got {type(obj).__name__}")  # noqa: TRY004

        def rounds(key: str) -> tuple[int | None, ...]:
            vals = obj[key]
            if not isinstance(vals, list) or any(
                v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in vals
            ):
                raise ValueError(f"visibility {key!r} must be a list of integers or nulls")
            return tuple(vals)

        try:
            probes = obj["probes"]
            width = len(probes[0]) if probes else num_points or 0
            if num_points is not None and width != num_points:
                raise ValueError(f"visibility probes must have {num_points} columns, got {width}")
            vis = cls(
                probes=np.asarray(probes, dtype=np.int64).reshape(len(probes), width),
                sources=tuple(obj["sources"]),
                rounds=rounds("rounds"),
                point_rounds=rounds("point_rounds"),
                rounds_run=int(obj["rounds_run"]),
                decided=bool(obj.get("decided", True)),
                seed=int(obj.get("seed", 0)),
                seconds=float(obj.get("seconds", 0.0)),
                method=str(obj.get("method", METHOD)),
            )
        except (KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"not a visibility record: {exc}") from exc
        for key in ("worst", "worst_point", "visible"):
            if key in obj and obj[key] != getattr(vis, key):
                raise ValueError(
                    f"visibility record says {key}={obj[key]!r}, its rounds give {getattr(vis, key)!r}"
                )
        return vis


def _worst(rounds: Sequence[int | None]) -> int | None:
    if any(r is None for r in rounds):
        return None
    return max(rounds, default=0)


# ---------------------------------------------------------------------------------------------- probes
def default_probes(
    group: PermGroup,
    *,
    random_probes: int = DEFAULT_RANDOM_PROBES,
    seed: int = 0,
    witnesses: np.ndarray | None = None,
) -> list[tuple[np.ndarray, str]]:
    """Generators of ``G^(2)`` outside ``G`` (``"witness"``) and random elements of ``G^(2) \\ G``
    (``"closure"``); empty when ``G`` is 2-closed.

    ``witnesses`` (generators of ``G^(2)`` outside ``G``, e.g. the closure input's certificate witnesses)
    skips the nauty run of :func:`asen.groups.closure_witnesses`.

    Examples
    --------
    >>> from asen.groups import alternating, dihedral
    >>> probes = default_probes(alternating(4), random_probes=2)
    >>> sorted({s for _, s in probes}), [s for _, s in probes].count("closure"), default_probes(dihedral(5))
    (['closure', 'witness'], 2, [])
    """
    n = group.degree
    witnesses = (
        closure_witnesses(group) if witnesses is None else as_rows(np.asarray(witnesses, np.int64), n)
    )
    found = [(w, "witness") for w in witnesses]
    if not len(witnesses) or random_probes <= 0:
        return found
    closure = PermGroup(np.concatenate([group.generators, witnesses]), n)
    seen = {tuple(w.tolist()) for w in witnesses}
    draws = closure.random_elements(8 * random_probes, seed=seed)
    for h in draws[~group.chain.contains(draws)]:
        key = tuple(h.tolist())
        if key not in seen and len(found) < len(witnesses) + random_probes:
            seen.add(key)
            found.append((h, "closure"))
    return found


def _as_probes(probes: Any, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """``(k, n)`` probes and their sources from an array-like or a list of ``(permutation, source)``."""
    if isinstance(probes, np.ndarray) or not len(probes) or not isinstance(probes[0], tuple):
        arr = as_rows(np.asarray(probes, dtype=np.int64), n) if len(probes) else np.zeros((0, n), np.int64)
        sources = ("given",) * arr.shape[0]
    else:
        arr = as_rows(np.array([np.asarray(p) for p, _ in probes], dtype=np.int64), n)
        sources = tuple(str(s) for _, s in probes)
    arr = as_rows(np.array([as_perm(p, n, name="probe") for p in arr], dtype=np.int64), n)
    return arr, sources


# ---------------------------------------------------------------------------------------------- compute
def visibility(
    inp: Any,
    probes: Any = None,
    *,
    group: PermGroup | None = None,
    random_probes: int = DEFAULT_RANDOM_PROBES,
    max_rounds: int | None = None,
    seed: int = 0,
) -> Visibility:
    """After how many colour-refinement rounds ``(v, x)`` and ``(v, h.x)`` differ, per probe ``h``.

    Parameters
    ----------
    inp
        A :class:`~asen.breaking.SymmetryInput` (certified or not).
    probes
        Permutations of the points to probe: a ``(k, n)`` array-like (source ``"given"``) or a list of
        ``(permutation, source)`` pairs (what :func:`asen.verify.exactness.outside_candidates` returns).
        Default :func:`default_probes` of ``group``: the generators of ``G^(2)`` outside ``G`` and
        ``random_probes`` random elements of ``G^(2) \\ G``; none when ``G`` is 2-closed (an exact input
        without auxiliary vertices proves that without nauty).
    group
        ``G`` for the default probes (default: ``inp.group``).
    random_probes
        How many random elements of ``G^(2) \\ G`` the default probes add.
    max_rounds
        Give up after this many rounds (the result then says ``decided=False`` if some probe is still
        unseparated and the refinement was not stable). Default: until stable, at most ``N`` rounds.
    seed
        Seeds the random probes and the hashed multisets.

    Returns
    -------
    Visibility

    Examples
    --------
    >>> from asen.breaking import closure_input, symmetry_breaking_input
    >>> from asen.groups import alternating, cube_rotations, dihedral
    >>> visibility(symmetry_breaking_input(cube_rotations(on="vertices"), mode="exact")).worst
    1
    >>> visibility(closure_input(alternating(5))).summary()      # every witness is an automorphism
    'invisible to message passing: a colour-refinement model stays G^(2)-invariant'
    >>> visibility(symmetry_breaking_input(dihedral(7), mode="exact")).worst    # 2-closed: nothing to see
    0
    """
    start = time.perf_counter()
    G = inp.group if group is None else group
    n, N = inp.num_points, inp.num_vertices
    if G.degree != n:
        raise ValueError(f"the group has degree {G.degree}, the input has {n} points")
    if probes is None:
        same = group is None or group is inp.group or group == inp.group
        built_here = "loaded_from" not in inp.meta  # a file's exact flag is its writer's claim: probe it
        if same and inp.num_aux == 0 and inp.exact and built_here:
            probes = []  # Aut of a coloured digraph on Omega is 2-closed: G = G^(2), no witnesses
        else:
            probes = default_probes(G, random_probes=random_probes, seed=seed)
    H, sources = _as_probes(probes, n)
    if n == 0:  # no points: nothing to tell apart
        H, sources = H[:0], ()
    k = H.shape[0]
    if k == 0:
        return Visibility(H, (), (), (), 0, True, seed, time.perf_counter() - start)

    if inp.stored_as_arcs:  # walk the arcs (self-loops join the vertex colours inside the refinement)
        src, dst, colour = inp.arc_arrays()
        base = np.asarray(inp.vertex_colors, dtype=np.int64)
    else:
        pc = inp.pair_colors
        diag = np.diagonal(pc)
        base = inp.vertex_colors * (int(diag.max()) + 1) + diag
    labels = np.full((k + 1, N), n, dtype=np.int64)
    labels[0, :n] = np.arange(n)
    inverse = np.empty_like(H)
    np.put_along_axis(inverse, H, np.arange(n)[None, :].repeat(k, 0), axis=1)
    labels[1:, :n] = inverse  # copy j: point h[i] carries label i
    init = base[None, :] * (n + 1) + labels

    rounds: list[int | None] = [None] * k
    point_rounds: list[int | None] = [None] * k
    if inp.stored_as_arcs:
        it = iter_color_refinement(init, src, dst, colour, complete=True, background=0, seed=seed)
    else:
        it = iter_color_refinement_dense(init, pc, seed=seed)
    decided, r = True, -1
    for r, col in enumerate(it):
        hist = np.sort(col, axis=1)
        apart = (hist[1:] != hist[0]).any(axis=1)
        pts_apart = (np.take_along_axis(col[1:, :n], H, axis=1) != col[0, :n]).any(axis=1)
        for j in np.flatnonzero(apart):
            if rounds[j] is None:
                rounds[j] = r
        for j in np.flatnonzero(pts_apart):
            if point_rounds[j] is None:
                point_rounds[j] = r
        if all(p is not None for p in point_rounds):
            break
        if max_rounds is not None and r >= max_rounds:
            decided = next(it, None) is None  # stable right here: the Nones are proven after all
            break
    return Visibility(H, sources, tuple(rounds), tuple(point_rounds), max(r, 0), decided, seed,
                      time.perf_counter() - start)  # fmt: skip
