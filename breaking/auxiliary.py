"""Exact realisation beyond the 2-closure with auxiliary vertices (theory.md §3.2–3.4).

``X = Omega ⊔ Y`` for a G-set ``Y``; vertex colours = ``G``-orbits on ``X``, arc colours = orbitals of
``G`` on ``X``. Then ``G <= Aut|Omega <= G^(2)``, and the search walks candidate ``Y`` in increasing size
(orbits on 2-subsets, ordered pairs, 3-subsets, ordered triples, ..., the regular orbit of a base tuple,
which is exact by Theorem A) and returns the first whose certificate is exact. Failing singles are
combined greedily (a union is kept when the certified group shrinks). Within the budget it never claims
more than the certificate proves: the best certified overgroup comes back with ``exact == False``.

By default the search also asks that a colour-refinement model can *use* the input
(:mod:`asen.breaking.visibility`): the smallest exact input whose visibility is finite, else the smallest
exact one, labelled (``visible=False`` restores the plain smallest exact input). A group of at most
:data:`DEFAULT_FRAMES` elements gets its regular orbit instead (``frames=``): one auxiliary vertex per
element, which sees every point in its own colour (learnt far more reliably than the smaller inputs).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..groups import PermGroup
from ..groups.chain import check_count
from ..groups.orbitals import orbitals
from .certificate import certify
from .closure import certified_closure_input
from .gsets import AuxOrbit, count_objects, extend_group, regular_orbit, tuple_orbits
from .symmetry_input import SymmetryInput
from .visibility import default_probes, visibility

__all__ = [
    "AUX_KINDS", "DEFAULT_BUDGET", "DEFAULT_FRAMES", "DEFAULT_MAX_GROWTH", "DEFAULT_MAX_OBJECTS",
    "DEFAULT_SPARSE_FRAMES", "aux_input", "candidate_orbits", "default_max_k", "exact_input",
]  # fmt: skip

DEFAULT_BUDGET = 2048
#: most objects of one kind and arity (k-subsets, oriented k-subsets, k-tuples) the search enumerates for
#: their orbits (vectorised: M_24's 735,471 8-subsets, whose smallest orbit is the 759 octads, in 0.9 s)
DEFAULT_MAX_OBJECTS = 1_000_000
#: the search first enumerates the kinds of at most this many objects (and 50 x the budget); the larger
#: ones (up to ``max_objects``) join only once no candidate of at most ``n^2`` objects is left, where an
#: input costs a model more than the ``n^2`` pairs of points and a smaller one is worth seconds
#: (M_22: 176 heptads instead of 1,232 6-subsets)
FIRST_PASS_OBJECTS = 200_000
MAX_UNION_TRIES = 8
#: how many times the smallest exact visible input's size the search pays for one needing fewer rounds
DEFAULT_MAX_GROWTH = 2.0
#: largest ``|G|`` whose default exact input is the regular orbit (one auxiliary vertex per element, a frame)
DEFAULT_FRAMES = 64
#: the same for ``mode="sparse"``: pruned, the frames cost about ``n |G|`` arcs instead of ``(n + |G|)^2``
#: pairs (A_6's 360 frames: 1,800 arcs). Built as arcs (:mod:`asen.breaking.sparse_frames`: M_11's 7,920
#: in 0.3 s), so the limit is what a model pays per sample, not the build
DEFAULT_SPARSE_FRAMES = 720
#: most single orbits (smallest first) whose visibility is computed in that search
MAX_ROUND_TRIES = 64
#: fewest (graph, point) rounds beyond the 2-closure: after one round the points' colours of (v, x) and
#: (v, h.x) are the same multisets for h in G^(2) (the auxiliary vertices are still only their orbit)
_FEWEST_ROUNDS = (1, 2)


def aux_input(group: PermGroup, orbits: list[AuxOrbit], *, mode: str = "exact") -> SymmetryInput:
    """The orbital colouring of ``G`` on ``Omega ⊔ Y`` (uncertified), lifted generators in ``meta``."""
    ext, lifted = extend_group(group, orbits)
    orb = orbitals(ext, dtype=np.int64)
    _, vertex_colors = np.unique(np.diagonal(orb), return_inverse=True)
    description = " + ".join(o.describe() for o in orbits)
    return SymmetryInput(
        group=group,
        vertex_colors=vertex_colors,
        pair_colors=orb + 1,
        mode=mode,
        aux_description=description,
        meta={"lifted_generators": lifted},
    )


def default_max_k(n: int) -> int:
    """Largest arity tried: ``ceil((n-1)/2)`` is what A_n needs (Theorem C doubles the arity), at least 3."""
    return max(3, n // 2)  # n // 2 == ceil((n - 1) / 2)


AUX_KINDS = ("subsets", "oriented", "tuples")


def _check_kinds(kinds: tuple[str, ...]) -> tuple[str, ...]:
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in AUX_KINDS]
    if bad or not kinds:
        raise ValueError(f"aux_kinds must be a non-empty subset of {AUX_KINDS}, got {kinds!r}")
    return kinds


def _check_max_growth(max_growth: float) -> float:
    """``max_growth`` as a float ``>= 1`` (``inf``: any size within the budget); bools and strings refused."""
    if isinstance(max_growth, bool) or not isinstance(max_growth, (int, float, np.integer, np.floating)):
        raise ValueError(f"max_growth must be a number >= 1, got {max_growth!r}")
    if not max_growth >= 1:  # NaN too
        raise ValueError(f"max_growth must be a number >= 1, got {max_growth!r}")
    return float(max_growth)


def _check_max_k(max_k: int | None) -> int | None:
    return None if max_k is None else check_count(max_k, "max_k")


def _check_frames(frames: int | None, mode: str = "exact") -> int:
    """``frames`` as an int; None is the mode's default (:data:`DEFAULT_SPARSE_FRAMES` for ``"sparse"``,
    else :data:`DEFAULT_FRAMES`)."""
    if frames is None:
        return DEFAULT_SPARSE_FRAMES if mode == "sparse" else DEFAULT_FRAMES
    if isinstance(frames, bool) or not isinstance(frames, (int, np.integer)) or frames < 0:
        raise ValueError(f"frames must be a non-negative integer or None, got {frames!r}")
    return int(frames)


def candidate_orbits(
    group: PermGroup,
    budget: int,
    *,
    max_k: int | None = None,
    kinds: tuple[str, ...] = AUX_KINDS,
    max_objects: int = DEFAULT_MAX_OBJECTS,
) -> list[AuxOrbit]:
    """Orbits on k-subsets, oriented k-subsets and ordered k-tuples (``2 <= k <= max_k``), smallest first.

    Only orbits of at most ``budget`` objects; k-subsets with ``k > n/2`` are skipped (complements carry the
    same information), and so is any kind and arity with more than ``max_objects`` objects.
    """
    budget, max_k = check_count(budget, "budget"), _check_max_k(max_k)
    max_objects = check_count(max_objects, "max_objects")
    found = [o for k, kind in _arities(group.degree, max_k, kinds, max_objects)
             for o in tuple_orbits(group, k, kind=kind, max_objects=max_objects)
             if o.size <= budget]  # fmt: skip
    found.sort(key=_queue_key)
    return found


def _arities(n: int, max_k: int | None, kinds: tuple[str, ...], max_objects: int) -> list[tuple[int, str]]:
    """The ``(k, kind)`` the search enumerates: ``2 <= k <= max_k``, at most ``max_objects`` objects, no
    k-subsets with ``k > n/2`` (their complements carry the same information), no oriented 2-subsets (they
    are ordered pairs)."""
    max_k = default_max_k(n) if max_k is None else max_k
    return [(k, kind) for k in range(2, min(max_k, n - 1) + 1) for kind in _check_kinds(kinds)
            if count_objects(n, k, kind) <= max_objects and (kind == "tuples" or k <= n // 2)
            and not (kind == "oriented" and k == 2)]  # fmt: skip


def _candidate_size(orbits: list[AuxOrbit]) -> int:
    return sum(o.size for o in orbits)


def _queue_key(item: AuxOrbit | list[AuxOrbit]) -> tuple:
    """Search order: total size, singles before unions, lower arity, plain subsets before oriented ones
    before tuples; the regular orbit (the search's last resort) after every other single."""
    orbits = [item] if isinstance(item, AuxOrbit) else item
    last = orbits[-1]
    regular = len(orbits) == 1 and last.kind == "regular"
    return (regular, _candidate_size(orbits), len(orbits), last.arity, _kind_rank(last))


def _rounds_key(vis) -> tuple[int, int]:
    return (vis.worst, vis.worst_point)


def _fewer_rounds(
    group: PermGroup,
    found: SymmetryInput,
    candidates: list[AuxOrbit],
    certified: list[AuxOrbit],
    probes: list,
    budget: int,
    max_growth: float,
    engine: str,
) -> SymmetryInput:
    """``found`` (exact, visible), or the single orbit within ``max_growth * |Y|`` that is exact and visible
    in the fewest rounds (then the smallest): visibility first (cheap) on the :data:`MAX_ROUND_TRIES`
    smallest candidates, nauty only on the improvements. Orbits in ``certified`` (already certified by the
    search: not exact, or part of ``found``) are not tried again."""
    best_key = _rounds_key(found.certificate.visibility)
    if best_key <= _FEWEST_ROUNDS:
        return found
    limit = int(min(budget, max_growth * found.num_aux))  # max_growth = inf: the budget
    done = {id(o) for o in certified}
    better = []
    for orb in [o for o in candidates if o.size <= limit and id(o) not in done][:MAX_ROUND_TRIES]:
        inp = aux_input(group, [orb])
        vis = visibility(inp, probes)
        key = _rounds_key(vis) if vis.visible else None
        if key is not None and key < best_key:
            better.append((key, orb.size, inp, vis))
    for _, _, inp, vis in sorted(better, key=lambda t: (t[0], t[1])):
        inp.certificate = certify(inp, engines=engine)
        if inp.exact:
            inp.certificate.visibility = vis
            return inp
    return found


def _frames_input(group: PermGroup, probes: list, engine: str) -> SymmetryInput | None:
    """The regular orbit's input, certified, when it is exact and visible (else None)."""
    inp = aux_input(group, [regular_orbit(group)])
    vis = visibility(inp, probes)
    if not vis.visible:
        return None
    inp.certificate = certify(inp, engines=engine)
    if not inp.exact:  # Theorem A says it is; the certificate is what the library trusts
        return None
    inp.certificate.visibility = vis
    return inp


def exact_input(
    group: PermGroup,
    *,
    budget: int = DEFAULT_BUDGET,
    max_k: int | None = None,
    aux_kinds: tuple[str, ...] = AUX_KINDS,
    visible: bool = True,
    max_growth: float = DEFAULT_MAX_GROWTH,
    frames: int = DEFAULT_FRAMES,
    engine: str = "auto",
    max_objects: int = DEFAULT_MAX_OBJECTS,
) -> SymmetryInput:
    """The smallest certified exact input found within ``budget`` auxiliary vertices, visible by default;
    the regular orbit (frames) when ``G`` is small.

    Parameters
    ----------
    group
        ``G`` on ``n`` points.
    budget
        Most auxiliary vertices allowed (``|Y| <= budget``).
    max_k
        Largest subset/tuple size tried before the regular orbit (default :func:`default_max_k`).
    aux_kinds
        Which objects may serve as auxiliary vertices: ``"subsets"``, ``"oriented"`` (k-subsets with an
        orientation: the smallest exact inputs for ``A_n``) and ``"tuples"`` (ordered k-tuples, whose arcs
        to the points say each member's position). All give certified ``Aut(v)|Omega = G``; what a
        message-passing model can *compute* from them differs (:mod:`asen.breaking.visibility`): colour
        refinement sees a subset's members as an unordered multiset, so an orientation carried only by
        parity can be invisible to it (``A_n``'s oriented subsets for ``n >= 6``), while ordered tuples
        hand each auxiliary vertex its members in order.
    visible
        True (default): return the smallest input that is exact *and* visible to colour refinement
        (:func:`~asen.breaking.visibility.visibility` finite for every probe of ``G^(2) \\ G``). Candidates
        are single orbits and, once the smallest exact orbit ``E`` turns out invisible, unions ``E + S``
        with one more orbit ``S`` (exact because ``E`` is: ``Aut`` preserves each orbit's vertex colour, so
        ``Aut|Omega`` lies in that of ``E``'s substructure), all in order of total size. When nothing
        exact and visible fits the budget, the smallest exact input comes back with its visibility saying
        "never" and a note in ``certificate.notes``. False: the smallest exact input, visible or not.
        Either way ``certificate.visibility`` is set.
    max_growth
        With ``visible``: once the smallest exact visible input ``E`` is found, a single orbit of at most
        ``max_growth * |Y_E|`` objects (and within ``budget``) that is exact and visible in fewer rounds
        (``(worst, worst_point)`` smaller) replaces it, fewest rounds first, then smallest. Each round
        is a layer a model must spend before it sees the breaking, and fewer rounds learn much faster
        (icosahedral chirality: 20 3-subsets, 3 point rounds, stay at chance with 4 layers for 1,800
        steps; 60 ordered pairs, 2 point rounds, reach 1.0 with 2 layers in 200, docs/results.md).
        ``1`` keeps ``E``.
    frames
        With ``visible`` and ``"tuples"`` among ``aux_kinds``: when ``G`` is not 2-closed and
        ``|G| <= min(frames, budget)``, the input is the regular orbit (Theorem A: ``|G|`` auxiliary vertices
        ``y_g``, the base tuple's images), if visible, instead of the search's result. Each ``y_g`` reads
        every point in its own arc colour (its stabiliser is trivial), so a body with per-colour maps (the
        orbital term) computes a learnt function of the data *in the frame* ``g`` at every ``y_g`` and pools
        over all frames (frame averaging). Smaller inputs make the body assemble the orientation over
        several vertices and are learnt far less reliably (default ASEN, 600 steps, docs/results.md,
        Session 9): icosahedral chirality, 30 edges 3 of 10 seeds, the 60 frames 9 of 10; A_5 sign, 20
        ordered pairs at chance, the 60 frames 1.0 in 3 of 3 seeds. ``0`` turns this off.
    engine
        Automorphism engine of every certificate: ``"auto"``, ``"nauty"``, ``"bliss"`` or ``"both"``.
    max_objects
        Kinds and arities with more objects than this are not searched (:func:`candidate_orbits`). Those
        with more than :data:`FIRST_PASS_OBJECTS` (or 50 x ``budget``) are enumerated one at a time, fewest
        objects first, only once no candidate of at most ``n^2`` objects is left (M_24's 759 octads come
        from its 735,471 8-subsets, in 3 s; the first pass alone finds 2,024 3-subsets).

    Returns
    -------
    SymmetryInput
        Certified. ``certificate.exact`` is False when nothing within the budget realises ``G``; the input is
        then the best certified overgroup found (and ``meta["best_effort"]`` says so).

    Examples
    --------
    >>> from asen.groups import alternating
    >>> A6 = alternating(6)
    >>> inp = exact_input(A6)                      # oriented 3-subsets alone are invisible, so + ordered pairs
    >>> inp.num_aux, inp.aux_description, inp.certificate.visibility.worst
    (70, 'orbit of 40 oriented 3-subsets + orbit of 30 ordered 2-tuples', 2)
    >>> smallest = exact_input(A6, visible=False)
    >>> smallest.num_aux, smallest.certificate.visibility.visible
    (40, False)
    """
    budget, max_k = check_count(budget, "budget"), _check_max_k(max_k)
    max_growth = _check_max_growth(max_growth)
    frames = _check_frames(frames)
    aux_kinds = _check_kinds(aux_kinds)
    max_objects = check_count(max_objects, "max_objects")
    best = certified_closure_input(group, mode="exact", engine=engine)
    if best.exact:
        best.certificate.visibility = visibility(best, [])  # 2-closed: nothing beyond G^(2) to see
        return best
    # the closure input's witnesses are the generators of G^(2) outside G: the probes, without more nauty
    probes = default_probes(group, witnesses=best.certificate.witnesses)
    if visible and "tuples" in aux_kinds and group.order() <= min(frames, budget):
        framed = _frames_input(group, probes, engine)
        if framed is not None:
            return framed
    n = group.degree
    first_cap = min(int(max_objects), FIRST_PASS_OBJECTS, 50 * max(budget, 1))
    candidates = candidate_orbits(group, budget, max_k=max_k, kinds=aux_kinds, max_objects=first_cap)
    if group.order() <= budget:
        candidates.append(regular_orbit(group))  # exact by Theorem A

    # the kinds past the first pass, fewest objects first, each enumerated only when the search needs it
    larger = sorted((count_objects(n, k, kind), k, kind)
                    for k, kind in _arities(n, max_k, aux_kinds, int(max_objects))
                    if count_objects(n, k, kind) > first_cap)  # fmt: skip
    batches = ([o for o in tuple_orbits(group, k, kind=kind, max_objects=count) if o.size <= budget]
               for count, k, kind in larger)  # fmt: skip
    return _search(group, candidates, best, probes, budget, visible, max_growth, engine, extend=batches,
                   extend_above=n * n)  # fmt: skip


def _unions(E: AuxOrbit, orbits: list[AuxOrbit], budget: int) -> list[list[AuxOrbit]]:
    """The candidates ``E + S`` for the other orbits ``S`` that fit the budget with ``E``."""
    return [[E, o] for o in orbits if o is not E and E.size + o.size <= budget]


def _merged(
    queue: list[list[AuxOrbit]], items: list[list[AuxOrbit]], *, by_size: bool
) -> list[list[AuxOrbit]]:
    """The queue with ``items`` joined: in :func:`_queue_key` order while no exact input is known, by total
    size alone once one is (a stable sort: the smallest exact and visible input wins, singles before unions
    of a size, and the regular orbit no longer waits for larger unions)."""
    return sorted(queue + items, key=_candidate_size if by_size else _queue_key)


def _kind_rank(orb: AuxOrbit) -> int:
    return AUX_KINDS.index(orb.kind) if orb.kind in AUX_KINDS else len(AUX_KINDS)


def _search(
    group: PermGroup,
    candidates: list[AuxOrbit],
    best: SymmetryInput,
    probes: list,
    budget: int,
    visible: bool,
    max_growth: float,
    engine: str,
    *,
    extend: Iterable[list[AuxOrbit]] = (),
    extend_above: int = 0,
) -> SymmetryInput:
    """The search of :func:`exact_input`: single ``candidates`` in order, unions with the smallest exact
    invisible one, then greedy unions of the failures; ``best`` is the input to beat when nothing is exact.
    ``extend`` yields batches of more orbits (the kinds too large for the first pass), one batch each time
    the next candidate has more than ``extend_above`` objects or none is left; they join in size order."""
    pool = list(candidates)  # the orbits unions and fewer-rounds replacements may use
    tried: list[tuple[AuxOrbit, int]] = []
    fallback: SymmetryInput | None = None  # the smallest exact input, invisible
    queue = [[orb] for orb in candidates]  # singles by size; unions E + S join once E is known
    batches, more = iter(extend), []
    while queue or more is not None:
        if more is not None and (not queue or _candidate_size(queue[0]) > extend_above):
            more = next(batches, None)
            if more is None:
                continue
            pool = sorted(pool + more, key=_queue_key)
            joined = [[o] for o in more] + ([] if fallback is None else _unions(E, more, budget))
            queue = _merged(queue, joined, by_size=fallback is not None)
            continue
        orbits = queue.pop(0)
        inp = aux_input(group, orbits)
        if fallback is not None:
            # an exact input is in hand: only exact *and* visible candidates matter, and visibility is
            # the cheaper test (unions with E are exact anyway; nauty runs only on visible ones)
            vis = visibility(inp, probes)
            if not vis.visible:
                continue
            keep = None
            if len(orbits) == 2:  # E + S: the arc classes inside Omega ⊔ Y_E already pin G down (cheap nauty)
                part = np.arange(group.degree + orbits[0].size)
                keep = np.unique(inp.pair_colors[np.ix_(part, part)])
            inp.certificate = certify(inp, keep_classes=keep, engines=engine)
            if inp.exact:
                inp.certificate.visibility = vis
                certified = [o for o, _ in tried] + orbits
                return _fewer_rounds(group, inp, pool, certified, probes, budget, max_growth, engine)
            continue
        inp.certificate = certify(inp, engines=engine)
        if inp.exact:
            inp.certificate.visibility = visibility(inp, probes)
            if not visible:
                return inp
            if inp.certificate.visibility.visible:
                certified = [o for o, _ in tried] + orbits
                return _fewer_rounds(group, inp, pool, certified, probes, budget, max_growth, engine)
            fallback = inp
            (E,) = orbits
            queue = _merged(queue, _unions(E, pool, budget), by_size=True)
            continue
        tried.append((orbits[0], inp.certificate.achieved_order))
        if inp.certificate.achieved_order < best.certificate.achieved_order:
            best = inp
    if fallback is not None:
        fallback.certificate.notes.append(
            f"no input that is exact and visible to colour refinement was found with at most {budget} "
            "auxiliary vertices; this is the smallest exact one, and a colour-refinement model cannot use "
            "all of its breaking (see certificate.visibility)"
        )
        return fallback
    # greedy unions of the failures (those that came closest first), while the budget allows
    chosen: list[AuxOrbit] = []
    current = best.certificate.achieved_order
    for orb, _ in sorted(tried, key=lambda t: (t[1], t[0].size))[:MAX_UNION_TRIES]:
        if sum(o.size for o in chosen) + orb.size > budget:
            continue
        inp = aux_input(group, chosen + [orb])
        inp.certificate = certify(inp, engines=engine)
        if inp.certificate.achieved_order < current:
            chosen.append(orb)
            current = inp.certificate.achieved_order
            best = inp
            if inp.exact:
                break
    best.certificate.visibility = visibility(best, probes)
    if best.exact:
        if visible and not best.certificate.visibility.visible:
            best.certificate.notes.append(
                "the exact input found (a greedy union) is not visible to colour refinement; no smaller "
                "visible one was searched for"
            )
        return best
    best.meta["best_effort"] = (
        f"no exact input with at most {budget} auxiliary vertices was found; the best certified group has "
        f"order {best.certificate.achieved_order} (index {best.certificate.index} over the requested group)"
    )
    return best
