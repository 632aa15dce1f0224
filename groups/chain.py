"""Stabiliser chains (base and strong generating set) with numpy transversals.

For a base ``b_0, ..., b_{k-1}`` the chain ``G = G^(0) >= G^(1) >= ... >= G^(k) = 1`` has
``G^(j) = G_{b_0..b_{j-1}}`` and level ``j`` stores the orbit ``Delta_j = b_j^{G^(j)}`` with a
transversal ``u_p`` (``u_p(b_j) = p``). Every ``g`` in ``G`` factors uniquely as
``g = u^(k-1) * ... * u^(0)`` (left-to-right products, "u^(k-1) first"), so
``|G| = prod_j |Delta_j|``; sifting strips one factor per level and decides membership.

Construction is randomised Schreier--Sims (product-replacement random elements, residues added as
strong generators) followed by a *deterministic* check, so results are exact, never probabilistic:

* a known order (catalogue groups) proves completeness once ``prod |Delta_j|`` reaches it, because the
  partial chain's product never exceeds ``|G|``; ``n!`` (and ``n!/2`` for even generators) are such
  bounds for every group;
* otherwise every Schreier generator ``u_p s u_{s(p)}^-1`` of every level must sift to the identity
  (Schreier's lemma), checked in numpy batches.

Transversals are built breadth-first on points first (a Schreier tree), then materialised row by row
as arrays of the smallest integer dtype, so an orbit of 4096 points on a degree-4096 group is one
``4096 x 4096`` ``int16`` table built by gathers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .perm import compose, inverse, perm_dtype

__all__ = ["StabilizerChain"]

_CHUNK_ENTRIES = 1 << 22  # rows x degree per numpy batch (about 32 MB of int64)


class _Level:
    """One level of the chain: base point, generators, orbit, Schreier tree and lazy transversal."""

    __slots__ = ("base_point", "gens", "orbit", "pos", "parent", "via", "_table", "_ntable", "_stack")

    def __init__(self, base_point: int, degree: int):
        self.base_point = base_point
        self.gens: list[np.ndarray] = []
        self.orbit = np.array([base_point], dtype=np.int64)
        self.pos = np.full(degree, -1, dtype=np.int64)
        self.pos[base_point] = 0
        self.parent = np.array([-1], dtype=np.int64)
        self.via = np.array([-1], dtype=np.int64)
        self._table = np.arange(degree, dtype=perm_dtype(degree))[None, :].copy()
        self._ntable = 1
        self._stack: np.ndarray | None = None

    def add_generators(self, new: Sequence[np.ndarray]) -> None:
        """Append generators and extend the orbit breadth-first (new generators on old points first)."""
        first_new = len(self.gens)
        self.gens.extend(new)
        self._stack = None
        frontier = self.orbit
        gen_ids = range(first_new, len(self.gens))
        orbit_parts, parent_parts, via_parts = [self.orbit], [self.parent], [self.via]
        size = self.orbit.size
        while frontier.size:
            found_pts, found_par, found_via = [], [], []
            for gi in gen_ids:
                img = self.gens[gi][frontier]
                fresh = self.pos[img] < 0
                if not fresh.any():
                    continue
                pts, first = np.unique(img[fresh], return_index=True)
                pts = pts[np.argsort(first)]
                first = np.sort(first)
                srcs = frontier[fresh][first]
                self.pos[pts] = np.arange(size, size + pts.size)
                size += pts.size
                found_pts.append(pts)
                found_par.append(self.pos[srcs])
                found_via.append(np.full(pts.size, gi, dtype=np.int64))
            if not found_pts:
                break
            frontier = np.concatenate(found_pts)
            orbit_parts.append(frontier)
            parent_parts.append(np.concatenate(found_par))
            via_parts.append(np.concatenate(found_via))
            gen_ids = range(len(self.gens))
        if len(orbit_parts) > 1:
            self.orbit = np.concatenate(orbit_parts)
            self.parent = np.concatenate(parent_parts)
            self.via = np.concatenate(via_parts)

    @property
    def stack(self) -> np.ndarray:
        if self._stack is None:
            n = self.pos.size
            self._stack = np.stack(self.gens) if self.gens else np.empty((0, n), dtype=np.int64)
        return self._stack

    def table(self) -> np.ndarray:
        """Transversal rows ``u_p`` for every orbit position, materialised on demand."""
        total = self.orbit.size
        if self._ntable < total:
            n = self.pos.size
            table = np.empty((total, n), dtype=self._table.dtype)
            table[: self._ntable] = self._table[: self._ntable]
            stack = self.stack
            start = self._ntable
            while start < total:
                par = self.parent[start:]
                late = np.flatnonzero(par >= start)
                stop = start + (int(late[0]) if late.size else par.size)
                rows = table[self.parent[start:stop]]
                table[start:stop] = stack[self.via[start:stop, None], rows]
                start = stop
            self._table, self._ntable = table, total
        return self._table


class StabilizerChain:
    """Base and strong generating set of ``<generators>`` on ``degree`` points.

    Parameters
    ----------
    generators
        Array of shape ``(k, degree)`` (validated permutations).
    degree
        Number of points.
    base
        Points to put first in the base (in this order), e.g. ``[w]`` to read off ``G_w``.
    order
        The group's order if known; completeness is then proved by counting. A wrong value raises.
    seed
        Seed of the random elements used during construction (results do not depend on it).
    random_source
        Another chain of the same group; its uniform random elements speed up a change of base.
    """

    def __init__(
        self,
        generators: np.ndarray,
        degree: int,
        *,
        base: Sequence[int] = (),
        order: int | None = None,
        seed: int = 0,
        random_source: StabilizerChain | None = None,
    ):
        self.degree = int(degree)
        self.levels: list[_Level] = []
        self._strong: list[np.ndarray] = []
        self._depth: list[int] = []
        ident = np.arange(self.degree)
        gens = [np.asarray(g, dtype=np.int64) for g in generators]
        self._gens = [g for g in gens if not np.array_equal(g, ident)]
        for b in base:
            self._append_level(int(b))
        for g in self._gens:
            self._add_strong(g)
        self._complete(order, np.random.default_rng(seed), random_source)

    # ------------------------------------------------------------------ structure
    @property
    def base(self) -> tuple[int, ...]:
        return tuple(lev.base_point for lev in self.levels)

    @property
    def orbit_sizes(self) -> tuple[int, ...]:
        return tuple(int(lev.orbit.size) for lev in self.levels)

    @property
    def strong_generators(self) -> np.ndarray:
        if not self._strong:
            return np.empty((0, self.degree), dtype=np.int64)
        return np.stack(self._strong)

    def order(self) -> int:
        """``prod_j |Delta_j|`` as an exact Python integer."""
        return math.prod(self.orbit_sizes)

    def level_generators(self, j: int) -> np.ndarray:
        """Strong generators of ``G^(j)``, the pointwise stabiliser of the first ``j`` base points."""
        rows = [s for s, d in zip(self._strong, self._depth) if d >= j]
        return np.stack(rows) if rows else np.empty((0, self.degree), dtype=np.int64)

    def transversal(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        """``(orbit, table)`` of level ``j``: ``table[k]`` maps ``base[j]`` to ``orbit[k]``."""
        lev = self.levels[j]
        return lev.orbit, lev.table()

    # ------------------------------------------------------------------ queries
    def sift(self, perms: np.ndarray, start: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Sift a batch ``(m, n)`` through levels ``start..``.

        Returns the residues and, per row, the index of the level where sifting stopped (its base
        image lies outside the orbit), or ``len(levels)`` when it passed every level. A row lies in
        ``G^(start)`` iff it passes and its residue is the identity.
        """
        h = np.array(perms, dtype=np.int64, copy=True).reshape(-1, self.degree)
        stop = np.full(h.shape[0], len(self.levels), dtype=np.int64)
        active = np.arange(h.shape[0])
        for j in range(start, len(self.levels)):
            if not active.size:
                break
            lev = self.levels[j]
            k = lev.pos[h[active, lev.base_point]]
            bad = k < 0
            if bad.any():
                stop[active[bad]] = j
                active, k = active[~bad], k[~bad]
            moved = lev.orbit[k] != lev.base_point
            active_moved, k = active[moved], k[moved]
            if active_moved.size:
                uinv = inverse(lev.table()[k].astype(np.int64))
                h[active_moved] = np.take_along_axis(uinv, h[active_moved], axis=1)
        return h, stop

    def contains(self, perms: np.ndarray) -> np.ndarray:
        """Membership of each row of ``perms`` (shape ``(m, n)``) as a boolean array."""
        out = np.empty(len(perms), dtype=bool)
        step = max(1, _CHUNK_ENTRIES // max(self.degree, 1))
        ident = np.arange(self.degree)
        for s in range(0, len(perms), step):
            h, stop = self.sift(perms[s : s + step])
            out[s : s + step] = (stop == len(self.levels)) & (h == ident).all(axis=1)
        return out

    def random_elements(self, m: int, rng: np.random.Generator) -> np.ndarray:
        """``m`` independent uniform elements: ``u^(k-1) * ... * u^(0)`` with uniform transversal picks."""
        out = np.broadcast_to(np.arange(self.degree, dtype=np.int64), (m, self.degree)).copy()
        for lev in reversed(self.levels):
            if lev.orbit.size == 1:
                continue
            rows = lev.table()[rng.integers(0, lev.orbit.size, size=m)].astype(np.int64)
            out = np.take_along_axis(rows, out, axis=1)
        return out

    def tail(self, j: int) -> StabilizerChain:
        """The chain of ``G^(j)`` (levels ``j..``), sharing the level tables."""
        sub = object.__new__(StabilizerChain)
        sub.degree = self.degree
        sub.levels = self.levels[j:]
        keep = [i for i, d in enumerate(self._depth) if d >= j]
        sub._strong = [self._strong[i] for i in keep]
        sub._depth = [self._depth[i] - j for i in keep]
        sub._gens = list(sub._strong)
        return sub

    # ------------------------------------------------------------------ construction
    def _append_level(self, point: int) -> None:
        j = len(self.levels)
        self.levels.append(_Level(point, self.degree))
        gens = []
        for i, s in enumerate(self._strong):
            if self._depth[i] == j:
                if s[point] == point:
                    self._depth[i] = j + 1
                gens.append(s)
        if gens:
            self.levels[j].add_generators(gens)

    def _add_strong(self, h: np.ndarray) -> None:
        """Add ``h`` (fixing ``b_0..b_{d-1}``) to the generators of levels ``0..d``."""
        depth = 0
        while depth < len(self.levels) and h[self.levels[depth].base_point] == self.levels[depth].base_point:
            depth += 1
        if depth == len(self.levels):
            moved = np.flatnonzero(h != np.arange(self.degree))
            if not moved.size:
                return
            self._strong.append(h)
            self._depth.append(depth)
            self._append_level(int(moved[0]))
            return
        self._strong.append(h)
        self._depth.append(depth)
        for j in range(depth + 1):
            self.levels[j].add_generators([h])

    def _residue(self, g: np.ndarray) -> np.ndarray | None:
        h, stop = self.sift(g[None, :])
        if stop[0] == len(self.levels) and np.array_equal(h[0], np.arange(self.degree)):
            return None
        return h[0]

    def _complete(
        self, order: int | None, rng: np.random.Generator, random_source: StabilizerChain | None
    ) -> None:
        if not self._gens:
            if order not in (None, 1):
                raise ValueError(f"order={order} given for the trivial group")
            return
        bound = self._order_bound(order)
        draw = self._random_draw(rng, random_source)
        misses = 0
        patience = 40
        while self.order() < bound:
            h = self._residue(draw())
            if h is None:
                misses += 1
                if order is None and misses >= patience:
                    break
                if order is not None and misses >= 50 * patience:
                    raise ValueError(
                        f"the generators do not reach the stated order {order}; "
                        f"found a subgroup of order {self.order()} after {misses} random elements"
                    )
                continue
            misses = 0
            self._add_strong(h)
        if self.order() > bound:
            raise ValueError(f"the generators generate a group of order >= {self.order()}, not {order}")
        if self.order() < bound:
            self._verify()

    def _order_bound(self, order: int | None) -> int:
        """An upper bound on ``|G|`` that is attained only by a complete chain."""
        if order is not None:
            return int(order)
        n = self.degree
        if all(_is_even(g) for g in self._gens):
            return math.factorial(n) // 2 if n > 1 else 1
        return math.factorial(n)

    def _random_draw(self, rng: np.random.Generator, random_source: StabilizerChain | None):
        if random_source is not None:
            return lambda: random_source.random_elements(1, rng)[0]
        slots = [g.copy() for g in self._gens]
        while len(slots) < 10:
            slots.append(slots[len(slots) % len(self._gens)].copy())
        acc = np.arange(self.degree)
        state = {"acc": acc}

        def step() -> np.ndarray:
            i, j = rng.choice(len(slots), size=2, replace=False)
            if rng.random() < 0.5:
                slots[i] = compose(slots[i], slots[j])
            else:
                slots[i] = compose(slots[j], slots[i])
            state["acc"] = compose(state["acc"], slots[i])
            return state["acc"]

        for _ in range(60):
            step()
        return step

    def _verify(self) -> None:
        """Schreier's lemma, batched: every Schreier generator of level j must sift through j+1.."""
        j = len(self.levels) - 1
        while j >= 0:
            h = self._first_failing_schreier_generator(j)
            if h is None:
                j -= 1
                continue
            self._add_strong(h)
            j = len(self.levels) - 1

    def _first_failing_schreier_generator(self, j: int) -> np.ndarray | None:
        lev = self.levels[j]
        if not lev.gens:
            return None
        table = lev.table()
        step = max(1, _CHUNK_ENTRIES // max(self.degree, 1))
        ident = np.arange(self.degree)
        for gi, s in enumerate(lev.gens):
            images = lev.pos[s[lev.orbit]]
            # tree edges u_p * s = u_{s(p)} give the identity: skip them
            nontree = ~((lev.parent[images] == np.arange(lev.orbit.size)) & (lev.via[images] == gi))
            ks = np.flatnonzero(nontree)
            for c in range(0, ks.size, step):
                k = ks[c : c + step]
                u = table[k].astype(np.int64)
                v = s[u]  # u_p then s
                w = inverse(table[images[k]].astype(np.int64))
                cand = np.take_along_axis(w, v, axis=1)  # then u_{s(p)}^-1
                res, stop = self.sift(cand, start=j + 1)
                bad = (stop != len(self.levels)) | (res != ident).any(axis=1)
                if bad.any():
                    return res[int(np.flatnonzero(bad)[0])]
        return None


def _is_even(p: np.ndarray) -> bool:
    """Parity from the cycle count: sign = (-1)^(n - #cycles)."""
    n = p.size
    seen = np.zeros(n, dtype=bool)
    ncyc = 0
    # pointer jumping would be faster; degree is small relative to everything else here
    for i in range(n):
        if not seen[i]:
            ncyc += 1
            j = i
            while not seen[j]:
                seen[j] = True
                j = p[j]
    return (n - ncyc) % 2 == 0
