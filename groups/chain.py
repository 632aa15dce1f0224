"""Stabiliser chains (base and strong generating set) with numpy transversals.

For a base ``b_0, ..., b_{k-1}`` the chain ``G = G^(0) >= G^(1) >= ... >= G^(k) = 1`` has
``G^(j) = G_{b_0..b_{j-1}}`` and level ``j`` stores the orbit ``Delta_j = b_j^{G^(j)}`` with a
transversal ``u_p`` (``u_p(b_j) = p``). Every ``g`` in ``G`` factors uniquely as
``g = u^(k-1) * ... * u^(0)`` (left-to-right products, "u^(k-1) first"), so
``|G| = prod_j |Delta_j|``; sifting strips one factor per level and decides membership.

Construction is randomised Schreier--Sims (product-replacement random elements, residues added as
strong generators) followed by a *deterministic* check, so results are exact, never probabilistic:

* an upper bound on ``|G|`` proves completeness once ``prod |Delta_j|`` reaches it, because the
  partial chain's product never exceeds ``|G|``. The bound is the known order when one is given
  (catalogue groups; the generators must then also sift, which catches most wrong values), else
  ``n!`` (``n!/2`` for even generators), else the product of the orders of the transitive
  constituents, else for a transitive group with a block system of ``m`` blocks
  ``|G^Sigma| |G_B^B|^m``; the constituent orders are computed exactly by the same rules, so a wreath
  or direct product is proved by counting alone;
* otherwise every Schreier generator ``u_p s u_{s(p)}^-1`` of every level must sift to the identity
  (Schreier's lemma), checked bottom-up in numpy batches; level 0 uses only the given generators
  (they generate ``G``), deeper levels the strong generators fixing the earlier base points.

Transversals are built breadth-first on points first (a Schreier tree, ``parent``/``via``: the
Schreier vector), then materialised as tables of the *inverse* transversal elements in the smallest
integer dtype, so sifting is one flat gather per level and an orbit of 4096 points on a degree-4096
group is one ``4096 x 4096`` ``int16`` table. The forward table of :meth:`StabilizerChain.transversal`
is derived from it on demand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from .perm import compose, inverse, parity, perm_dtype

__all__ = ["StabilizerChain"]

_CHUNK_ENTRIES = 1 << 22  # rows x degree per numpy batch (about 32 MB of int64)
_PATIENCE = 40  # random elements in a row that sift to the identity before the random phase stops
_EAGER_TABLE_ENTRIES = 1 << 20  # levels with orbit x degree up to this materialise on first use
_MAX_WALK = 512  # longer Schreier-tree paths materialise the table instead of walking


def _take_rows(flat: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """``T[rows[i], cols[i, :]]`` for a table ``T`` with rows of length ``n``, given as ``flat = T.ravel()``.

    One flat gather; the index arithmetic runs in int32 when the table is small enough (halving the
    memory traffic, which is what these gathers are bound by).
    """
    idt = np.int32 if flat.size < 2**31 else np.int64
    return flat.take(cols.astype(idt, copy=False) + (rows.astype(idt) * idt(n))[:, None])


class _Level:
    """One level of the chain: base point, generators, orbit, Schreier tree and lazy transversal tables."""

    __slots__ = (
        "base_point",
        "degree",
        "gens",
        "orbit",
        "pos",
        "parent",
        "via",
        "_itab",
        "_nrows",
        "_tab",
        "_ntab",
        "_stack",
        "_istack",
    )

    def __init__(self, base_point: int, degree: int):
        self.base_point = base_point
        self.degree = degree
        self.gens: list[np.ndarray] = []
        self.orbit = np.array([base_point], dtype=np.int64)
        self.pos = np.full(degree, -1, dtype=np.int64)
        self.pos[base_point] = 0
        self.parent = np.array([-1], dtype=np.int64)
        self.via = np.array([-1], dtype=np.int64)
        self._itab = np.arange(degree, dtype=perm_dtype(degree))[None, :].copy()
        self._nrows = 1
        self._tab: np.ndarray | None = None
        self._ntab = 0
        self._stack: np.ndarray | None = None
        self._istack: np.ndarray | None = None

    def add_generators(self, new: Sequence[np.ndarray]) -> None:
        """Append generators and extend the orbit breadth-first (new generators on old points first).

        Each BFS layer is one gather over all generators at once; a point found first (generator-major,
        then frontier order) gets the generator and frontier point that reached it as its tree edge.
        """
        first_new = len(self.gens)
        for g in new:
            self._push(g)
        stack = self.stack()
        frontier, gen_lo = self.orbit, first_new
        orbit_parts, parent_parts, via_parts = [self.orbit], [self.parent], [self.via]
        size = self.orbit.size
        while frontier.size:
            images = stack[gen_lo:, frontier].reshape(-1)  # generator-major
            fresh = np.flatnonzero(self.pos[images] < 0)
            if not fresh.size:
                break
            pts, first = np.unique(images[fresh], return_index=True)
            order = np.argsort(first)
            pts, hit = pts[order].astype(np.int64), fresh[first[order]]
            via, src = np.divmod(hit, frontier.size)
            self.pos[pts] = np.arange(size, size + pts.size)
            size += pts.size
            orbit_parts.append(pts)
            parent_parts.append(self.pos[frontier[src]])
            via_parts.append(via + gen_lo)
            frontier, gen_lo = pts, 0
        if len(orbit_parts) > 1:
            self.orbit = np.concatenate(orbit_parts)
            self.parent = np.concatenate(parent_parts)
            self.via = np.concatenate(via_parts)

    def append_closed(self, g: np.ndarray) -> None:
        """Append a generator under which the orbit is already closed (the Schreier tree stays)."""
        self._push(g)

    def _push(self, g: np.ndarray) -> None:
        """Append ``g`` to the generator list and to the stacked array (grown by doubling)."""
        k = len(self.gens)
        self.gens.append(g)
        buf = self._stack
        if buf is None or buf.shape[0] == k:
            grown = np.empty((max(4, 2 * k), self.degree), dtype=self._itab.dtype)
            if k:
                grown[:k] = buf[:k]
            self._stack = buf = grown
        buf[k] = g
        self._istack = None

    def stack(self) -> np.ndarray:
        """The level's generators as one ``(k, n)`` array of the table dtype (a view, do not write)."""
        if self._stack is None:
            self._stack = np.empty((4, self.degree), dtype=self._itab.dtype)
        return self._stack[: len(self.gens)]

    def istack(self) -> np.ndarray:
        """Inverses of :meth:`stack`."""
        if self._istack is None:
            self._istack = inverse(self.stack())
        return self._istack

    def _fill(self, table: np.ndarray, nrows: int, stack: np.ndarray, forward: bool) -> np.ndarray:
        """Extend a transversal table from ``nrows`` rows to the whole orbit, one BFS layer per gather."""
        total = self.orbit.size
        n = self.degree
        if table.shape[0] < total:
            grown = np.empty((min(max(total, 2 * table.shape[0]), n), n), dtype=table.dtype)
            grown[:nrows] = table[:nrows]
            table = grown
        flat, gflat = table.reshape(-1), stack.reshape(-1)
        start = nrows
        while start < total:
            par = self.parent[start:total]
            late = np.flatnonzero(par >= start)
            stop = start + (int(late[0]) if late.size else par.size)
            parents, via = self.parent[start:stop], self.via[start:stop]
            if forward:  # u_child = u_parent * s: u_child[i] = s[u_parent[i]]
                table[start:stop] = _take_rows(gflat, via, table[parents], n)
            else:  # u_child^-1 = s^-1 * u_parent^-1: u_child^-1[i] = u_parent^-1[s^-1[i]]
                table[start:stop] = _take_rows(flat, parents, stack[via], n)
            start = stop
        return table

    def itable(self) -> np.ndarray:
        """Rows ``u_p^-1`` for every orbit position, materialised on demand (a view, do not write)."""
        total = self.orbit.size
        if self._nrows < total:
            self._itab = self._fill(self._itab, self._nrows, self.istack(), forward=False)
            self._nrows = total
        return self._itab[:total]

    def inverse_element(self, k: int) -> np.ndarray:
        """``u_p^-1`` for orbit position ``k`` (an array of the table dtype; do not write to it).

        Read from the table when it is materialised (or small); otherwise composed along the Schreier
        tree, ``u_p^-1 = s_{a_1}^-1 * ... * s_{a_m}^-1`` for the path ``p -> ... -> b`` with labels
        ``a_1, ..., a_m``, so a few sifts on a large level never build its ``|Delta| x n`` table.
        """
        if k < self._nrows or self.orbit.size * self.degree <= _EAGER_TABLE_ENTRIES:
            return self.itable()[k]
        path = []
        node = k
        while node >= self._nrows:
            path.append(int(self.via[node]))
            node = int(self.parent[node])
            if len(path) > _MAX_WALK:
                return self.itable()[k]
        istack = self.istack()
        out = np.arange(self.degree)
        for a in path:
            out = istack[a][out]
        return self._itab[node][out]

    def table(self) -> np.ndarray:
        """Rows ``u_p`` (forward transversal), materialised on demand (a view, do not write)."""
        total = self.orbit.size
        if self._tab is None:
            self._tab = np.arange(self.degree, dtype=self._itab.dtype)[None, :].copy()
            self._ntab = 1
        if self._ntab < total:
            self._tab = self._fill(self._tab, self._ntab, self.stack(), forward=True)
            self._ntab = total
        return self._tab[:total]

    def conjugated(self, t: np.ndarray, tinv: np.ndarray) -> _Level:
        """The level of ``t^-1 G t``: points relabelled by ``t``, elements ``x -> t^-1 x t``."""
        out = object.__new__(_Level)
        out.base_point = int(t[self.base_point])
        out.degree = self.degree
        out.gens = [t[g[tinv]] for g in self.gens]
        stack = self.stack()
        out.orbit = t[self.orbit]
        out.pos = self.pos[tinv]
        out.parent = self.parent
        out.via = self.via
        itab = self._itab[: self._nrows]  # only what is materialised; the rest fills lazily
        out._itab = t.astype(itab.dtype)[itab[:, tinv]]
        out._nrows = self._nrows
        out._tab = None
        out._ntab = 0
        out._stack = t.astype(stack.dtype)[stack[:, tinv]] if len(stack) else None
        out._istack = None
        return out


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
        The group's order if known; completeness is then proved by counting. A value the generators
        cannot reach raises ``ValueError``; so does a smaller one when a generator fails to sift.
    seed
        Seed of the random elements used during construction (results do not depend on it).
    random_source
        Another chain of the same group; its uniform random elements speed up a change of base.

    Examples
    --------
    >>> import numpy as np
    >>> c = StabilizerChain(np.array([[1, 2, 3, 0], [3, 2, 1, 0]]), 4)   # D_4 on a square
    >>> c.base, c.orbit_sizes, c.order()
    ((0, 1), (4, 2), 8)
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
        self._start(generators, degree, base)
        self._complete(order, np.random.default_rng(seed), random_source)

    def _start(self, generators: np.ndarray, degree: int, base: Sequence[int]) -> None:
        """The partial chain of the given generators alone (each one a strong generator)."""
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

    @classmethod
    def _deterministic(cls, generators: np.ndarray, degree: int) -> StabilizerChain:
        """Deterministic Schreier--Sims: the given generators, then Schreier generators only.

        No random elements and no counting bounds: the reference the tests hold the fast paths to.
        """
        chain = object.__new__(cls)
        chain._start(generators, degree, ())
        chain._verify()
        return chain

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

        Returns the residues (int64) and, per row, the index of the level where sifting stopped (its
        base image lies outside the orbit), or ``len(levels)`` when it passed every level. A row lies
        in ``G^(start)`` iff it passes and its residue is the identity.
        """
        h = np.array(perms, dtype=perm_dtype(self.degree), copy=True).reshape(-1, self.degree)
        stop = self._sift_inplace(h, start)
        return h.astype(np.int64), stop

    def _sift_inplace(self, h: np.ndarray, start: int = 0) -> np.ndarray:
        """Sift the rows of ``h`` (table dtype) in place; return the stop level of each row."""
        nlev = len(self.levels)
        stop = np.full(h.shape[0], nlev, dtype=np.int64)
        active = np.arange(h.shape[0])
        n = self.degree
        for j in range(start, nlev):
            if not active.size:
                break
            lev = self.levels[j]
            b = lev.base_point
            img = h[active, b]
            moved = img != b
            if not moved.any():
                continue
            rows, img = active[moved], img[moved]
            k = lev.pos[img]
            bad = k < 0
            if bad.any():
                stop[rows[bad]] = j
                active = active[stop[active] == nlev]
                rows, k = rows[~bad], k[~bad]
                if not rows.size:
                    continue
            # h <- h * u^-1, i.e. h[i] <- u^-1[h[i]]
            itab = lev.itable().reshape(-1)
            if rows.size == h.shape[0]:
                h[...] = _take_rows(itab, k, h, n)
            else:
                h[rows] = _take_rows(itab, k, h[rows], n)
        return stop

    def contains(self, perms: np.ndarray) -> np.ndarray:
        """Membership of each row of ``perms`` (shape ``(m, n)``) as a boolean array."""
        out = np.empty(len(perms), dtype=bool)
        step = max(1, _CHUNK_ENTRIES // max(self.degree, 1))
        dt = perm_dtype(self.degree)
        ident = np.arange(self.degree, dtype=dt)
        for s in range(0, len(perms), step):
            h = np.array(perms[s : s + step], dtype=dt, copy=True).reshape(-1, self.degree)
            stop = self._sift_inplace(h)
            out[s : s + step] = (stop == len(self.levels)) & (h == ident).all(axis=1)
        return out

    def random_elements(self, m: int, rng: np.random.Generator) -> np.ndarray:
        """``m`` independent uniform elements as an int64 ``(m, n)`` array.

        Each is ``(u^(k-1) * ... * u^(0))^-1 = u^(0)^-1 * ... * u^(k-1)^-1`` for independent uniform
        transversal picks; the inverse of a uniform element is uniform.
        """
        n = self.degree
        out = np.broadcast_to(np.arange(n, dtype=perm_dtype(n)), (m, n))
        for lev in self.levels:
            size = lev.orbit.size
            if size == 1:
                continue
            out = _take_rows(lev.itable().reshape(-1), rng.integers(0, size, size=m), out, n)
        return out.astype(np.int64)

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

    # ------------------------------------------------------------------ change of base
    def _conjugated(self, t: np.ndarray) -> StabilizerChain:
        """The chain of ``t^-1 G t`` (base ``t(b_i)``); for ``t`` in ``G`` a chain of ``G`` itself."""
        t = np.asarray(t, dtype=np.int64)
        tinv = inverse(t)
        out = object.__new__(StabilizerChain)
        out.degree = self.degree
        out.levels = [lev.conjugated(t, tinv) for lev in self.levels]
        out._strong = [t[s[tinv]] for s in self._strong]
        out._depth = list(self._depth)
        out._gens = [t[s[tinv]] for s in self._gens]
        return out

    def _transversal_element(self, j: int, point: int) -> np.ndarray:
        """``u_point`` of level ``j`` (maps ``base[j]`` to ``point``, which must lie in the orbit)."""
        lev = self.levels[j]
        return inverse(lev.inverse_element(int(lev.pos[point])))

    def _with_first_base_point(self, point: int) -> StabilizerChain | None:
        """A chain of the same group whose base starts with ``point``, or None if that needs a rebuild."""
        if self.levels and self.levels[0].base_point == point:
            return self
        if all(s[point] == point for s in self._strong):  # G fixes point: prepend a trivial level
            out = object.__new__(StabilizerChain)
            out.degree = self.degree
            out.levels = [_Level(point, self.degree), *self.levels]
            out._strong = list(self._strong)
            out._depth = [d + 1 for d in self._depth]
            out._gens = list(self._gens)
            return out
        if self.levels[0].pos[point] >= 0:  # point = u(b_0): conjugating by u in G moves b_0 there
            return self._conjugated(self._transversal_element(0, point))
        return None

    def _stabilizer(self, point: int) -> StabilizerChain:
        """The chain of ``G_point`` (conjugating the tail when ``point`` lies in the first basic orbit)."""
        if self.levels and self.levels[0].base_point == point:
            return self.tail(1)
        if all(s[point] == point for s in self._strong):
            return self
        lev = self.levels[0]
        if lev.pos[point] >= 0:
            return self.tail(1)._conjugated(self._transversal_element(0, point))
        rebuilt = StabilizerChain(
            self.strong_generators, self.degree, base=[point], order=self.order(), random_source=self
        )
        return rebuilt.tail(1)

    def _rebased(self, points: Sequence[int]) -> StabilizerChain:
        """A chain of the same group whose base starts with ``points``."""
        if not points:
            return self
        head = self._with_first_base_point(int(points[0]))
        if head is None:
            return StabilizerChain(
                self.strong_generators, self.degree, base=points, order=self.order(), random_source=self
            )
        if len(points) == 1:
            return head
        rest = head.tail(1)._rebased(points[1:])
        out = object.__new__(StabilizerChain)
        out.degree = self.degree
        out.levels = [head.levels[0], *rest.levels]
        top = [s for s, d in zip(head._strong, head._depth) if d == 0]
        out._strong = top + rest._strong
        out._depth = [0] * len(top) + [d + 1 for d in rest._depth]
        out._gens = list(head._gens)
        return out

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

    def _add_strong(self, h: np.ndarray) -> int:
        """Add ``h`` (fixing ``b_0..b_{d-1}``) to the generators of levels ``0..d``; return ``d``."""
        depth = 0
        nlev = len(self.levels)
        while depth < nlev and h[self.levels[depth].base_point] == self.levels[depth].base_point:
            depth += 1
        if depth == nlev:
            moved = np.flatnonzero(h != np.arange(self.degree))
            if not moved.size:
                return depth
            self._strong.append(h)
            self._depth.append(depth)
            self._extend_levels(self.levels, h)  # h fixes every base point but may move other points
            self._append_level(int(moved[0]))
            return depth
        self._strong.append(h)
        self._depth.append(depth)
        self._extend_levels(self.levels[: depth + 1], h)
        return depth

    @staticmethod
    def _extend_levels(levels: list[_Level], h: np.ndarray) -> None:
        """Add ``h`` to each level; one vectorised test finds the levels whose orbit it leaves closed."""
        if not levels:
            return
        inside = np.stack([lev.pos for lev in levels]) >= 0
        closed = (inside[:, h] | ~inside).all(axis=1)
        for lev, done in zip(levels, closed):
            if done:  # the Schreier tree stays; only the generator list grows
                lev.append_closed(h)
            else:
                lev.add_generators([h])

    def _sift_one(self, h: np.ndarray) -> tuple[np.ndarray, int]:
        """Sift one permutation: the int64 residue and the level where it stopped (``len(levels)``: passed)."""
        stop = len(self.levels)
        for j, lev in enumerate(self.levels):
            p = h[lev.base_point]
            if p == lev.base_point:
                continue
            k = lev.pos[p]
            if k < 0:
                stop = j
                break
            h = lev.inverse_element(int(k))[h]
        return h.astype(np.int64), stop

    def _complete(
        self, order: int | None, rng: np.random.Generator, random_source: StabilizerChain | None
    ) -> None:
        if not self._gens:
            if order not in (None, 1):
                raise ValueError(f"order={order} given for the trivial group")
            return
        bound = self._order_bound(order)
        draw = self._random_draw(rng, random_source)
        patience = _PATIENCE if order is None else 50 * _PATIENCE
        self._random_phase(bound, draw, patience)
        if self.order() < bound and order is not None:
            raise ValueError(
                f"the generators do not reach the stated order {order}; found a subgroup of order "
                f"{self.order()} after {patience} random elements in a row sifted to the identity"
            )
        if self.order() > bound:
            raise ValueError(f"the generators generate a group of order >= {self.order()}, not {order}")
        if order is not None:
            self._check_generators_sift(order)
            return
        if self.order() < bound:
            structural = _structural_bound(self)
            if structural is not None and structural < bound:
                self._random_phase(structural, draw, 4 * _PATIENCE)
                if self.order() == structural:
                    return
        if self.order() < bound:
            self._verify()

    def _random_phase(self, bound: int, draw: Callable[[], np.ndarray], patience: int) -> None:
        """Add residues of random elements until the order reaches ``bound`` or ``patience`` misses."""
        ident = np.arange(self.degree)
        misses = 0
        while self.order() < bound and misses < patience:
            h, stop = self._sift_one(draw())
            if stop == len(self.levels) and np.array_equal(h, ident):
                misses += 1
                continue
            misses = 0
            self._add_strong(h.copy())

    def _check_generators_sift(self, order: int) -> None:
        """With a stated order: every given generator must sift (a cheap check of the stated value)."""
        ident = np.arange(self.degree)
        if not all(
            stop == len(self.levels) and np.array_equal(h, ident)
            for h, stop in map(self._sift_one, self._gens)
        ):
            raise ValueError(
                f"order={order} is smaller than the order of the group the generators generate"
            )

    def _order_bound(self, order: int | None) -> int:
        """An upper bound on ``|G|`` that is attained only by a complete chain."""
        if order is not None:
            return int(order)
        n = self.degree
        if parity(np.stack(self._gens)).max() == 0:
            return math.factorial(n) // 2 if n > 1 else 1
        return math.factorial(n)

    def _random_draw(
        self, rng: np.random.Generator, random_source: StabilizerChain | None
    ) -> Callable[[], np.ndarray]:
        if random_source is not None:
            return lambda: random_source.random_elements(1, rng)[0]
        slots = [g.copy() for g in self._gens]
        while len(slots) < 10:
            slots.append(slots[len(slots) % len(self._gens)].copy())
        nslots = len(slots)
        state = {"acc": np.arange(self.degree)}

        def step() -> np.ndarray:
            i = int(rng.integers(nslots))
            j = int(rng.integers(nslots - 1))
            j += j >= i
            if rng.random() < 0.5:
                slots[i] = slots[j][slots[i]]  # slots[i] then slots[j]
            else:
                slots[i] = slots[i][slots[j]]  # slots[j] then slots[i]
            state["acc"] = slots[i][state["acc"]]
            return state["acc"]

        for _ in range(60):
            step()
        return step

    # ------------------------------------------------------------------ deterministic verification
    def _verify(self) -> None:
        """Schreier's lemma, batched and bottom-up: Schreier generators of level j sift through j+1.."""
        j = len(self.levels) - 1
        while j >= 0:
            h = self._failing_schreier_generator(j)
            if h is None:
                j -= 1
                continue
            # h fixes b_0..b_j; levels below its depth keep their generators and stay verified
            j = self._add_strong(h)

    def _failing_schreier_generator(self, j: int) -> np.ndarray | None:
        """A Schreier generator ``u_p s u_{s(p)}^-1`` of level ``j`` that does not sift, or None."""
        lev = self.levels[j]
        if lev.orbit.size == 1 or not lev.gens:
            return None
        if j == 0:
            applies, failing = self._level0_by_regular_normal_subgroup()
            if applies:
                return failing
        n = self.degree
        # generators of G^(j): the given ones at level 0 (they come first in level 0's list)
        ngen = len(self._gens) if j == 0 else len(lev.gens)
        stack = lev.stack()[:ngen]
        size = lev.orbit.size
        images = lev.pos[stack[:, lev.orbit]]  # (ngen, size): position of s(orbit[k])
        # tree edges u_p * s = u_{s(p)} give the identity: skip them
        tree = (lev.parent[images] == np.arange(size)) & (lev.via[images] == np.arange(ngen)[:, None])
        gi, ks = np.nonzero(~tree)
        if not gi.size:
            return None
        table = lev.table()
        gen_flat = stack.reshape(-1)
        step = max(1, _CHUNK_ENTRIES // max(n, 1))
        for c in range(0, gi.size, step):
            g, k = gi[c : c + step], ks[c : c + step]
            q = images[g, k]
            if g[0] == g[-1]:  # one generator (gi is sorted): a 1-D lookup, no index arithmetic
                v = stack[g[0]].take(table[k])  # u_p then s
            else:
                v = _take_rows(gen_flat, g, table[k], n)
            # u_p s u_q^-1 is trivial iff u_p s = u_q: a row comparison, no gather
            live = ~(v == table[q]).all(axis=1)
            if not live.any():
                continue
            itab_flat = lev.itable().reshape(-1)
            cand = _distinct_rows(_take_rows(itab_flat, q[live], v[live], n))  # then u_q^-1
            stop = self._sift_inplace(cand, start=j + 1)
            bad = (stop != len(self.levels)) | (cand != np.arange(n, dtype=cand.dtype)).any(axis=1)
            if bad.any():
                return cand[int(np.flatnonzero(bad)[0])].astype(np.int64)
        return None

    def _level0_by_regular_normal_subgroup(self) -> tuple[bool, np.ndarray | None]:
        """Level 0 of a group with an abelian regular normal subgroup among its generators (tori, C_n, D_n).

        If some given generators ``R`` commute, fix every point outside ``Delta_0`` and are transitive on
        it, then ``<R>`` is regular on ``Delta_0``; if every other generator ``s`` normalises it
        (``s^-1 r s`` commutes with ``R``: the centraliser of a regular abelian group is itself), then with
        ``<R>`` as transversal every Schreier generator of ``s`` in ``R`` is trivial and every one of another
        ``s`` equals ``s w_s^-1`` (``w_s`` in ``<R>`` with ``w_s(b_0) = s(b_0)``). So ``G_{b_0}`` is generated
        by these few elements and only they need to sift. Returns ``(applies, failing residue or None)``.
        """
        lev = self.levels[0]
        gens = self._gens
        k = len(gens)
        outside = np.flatnonzero(lev.pos < 0)
        fixes_outside = [bool((g[outside] == outside).all()) for g in gens]
        commute = [[np.array_equal(a[b], b[a]) for b in gens] for a in gens]
        for first in range(k):
            if not fixes_outside[first]:
                continue
            ring = [first]
            for i in range(k):
                if i != first and fixes_outside[i] and all(commute[i][r] for r in ring):
                    ring.append(i)
            regular = np.stack([gens[i] for i in ring])
            ids = _orbit_ids(regular)
            if (ids[lev.orbit] != ids[lev.base_point]).any():
                continue  # <R> is not transitive on Delta_0
            others = [gens[i] for i in range(k) if i not in ring]
            if not all(_normalises(s, regular) for s in others):
                continue
            if not others:
                return True, None
            tree = _point_tree(regular, lev.base_point)
            b = lev.base_point
            cand = np.stack([inverse(_walk(tree, regular, int(s[b])))[s] for s in others])  # s then w^-1
            cand = cand.astype(perm_dtype(self.degree))
            stop = self._sift_inplace(cand, start=1)
            bad = (stop != len(self.levels)) | (cand != np.arange(self.degree, dtype=cand.dtype)).any(axis=1)
            return True, (cand[int(np.flatnonzero(bad)[0])].astype(np.int64) if bad.any() else None)
        return False, None


def _normalises(s: np.ndarray, regular: np.ndarray) -> bool:
    """``s^-1 r s`` commutes with every row of ``regular`` for every row ``r`` (so lies in ``<regular>``)."""
    sinv = inverse(s)
    for r in regular:
        y = s[r[sinv]]  # s^-1, then r, then s
        if not all(np.array_equal(y[r2], r2[y]) for r2 in regular):
            return False
    return True


def _point_tree(gens: np.ndarray, root: int) -> tuple[np.ndarray, np.ndarray]:
    """Breadth-first tree of the orbit of ``root``: ``(parent point, generator index)`` per point (-1: none)."""
    n = gens.shape[1]
    parent = np.full(n, -1, dtype=np.int64)
    via = np.full(n, -1, dtype=np.int64)
    seen = np.zeros(n, dtype=bool)
    seen[root] = True
    frontier = np.array([root])
    while frontier.size:
        images = gens[:, frontier].reshape(-1)
        fresh = np.flatnonzero(~seen[images])
        if not fresh.size:
            break
        pts, first = np.unique(images[fresh], return_index=True)
        hit = fresh[first]
        gi, src = np.divmod(hit, frontier.size)
        seen[pts] = True
        parent[pts], via[pts] = frontier[src], gi
        frontier = pts
    return parent, via


def _walk(tree: tuple[np.ndarray, np.ndarray], gens: np.ndarray, point: int) -> np.ndarray:
    """The product of generators along the tree path from the root to ``point`` (maps root to point)."""
    parent, via = tree
    labels = []
    while parent[point] >= 0:
        labels.append(int(via[point]))
        point = int(parent[point])
    out = np.arange(gens.shape[1])
    for gi in reversed(labels):  # root first
        out = gens[gi][out]
    return out


def _distinct_rows(rows: np.ndarray, *, sample: int = 32) -> np.ndarray:
    """A subset of the rows containing every distinct row (exact; cheap when most rows repeat).

    Rows are grouped by a key computed from a few columns (equal rows, equal keys); a row equal to its
    group's first row is dropped, any other row is kept, so nothing distinct is ever lost.
    """
    m, n = rows.shape
    if m <= 8:
        return rows
    cols = np.linspace(0, n - 1, num=min(sample, n)).astype(np.int64)
    weights = np.random.default_rng(0).integers(1, 2**62, size=cols.size)
    keys = rows[:, cols].astype(np.int64) @ weights  # wraps on overflow; only equality matters
    _, first, group = np.unique(keys, return_index=True, return_inverse=True)
    if first.size == m:
        return rows
    same = (rows == rows[first[group]]).all(axis=1)
    same[first] = False
    return rows[~same]


# ---------------------------------------------------------------------- structural upper bounds
_BLOCK_TRIES = 8  # minimal-block searches (Atkinson) before giving up on a block system
_MAX_BLOCK_FACTOR_DEGREE = 256  # the block bound recurses only into groups of at most this degree


def _structural_bound(chain: StabilizerChain) -> int | None:
    """An upper bound on ``|<gens>|`` from orbits and blocks, or None when none applies.

    Intransitive: ``|G| <= prod_O |G^O|`` over the orbits ``O`` (moved points only). Transitive with
    a nontrivial block system ``Sigma`` of ``m`` blocks ``B``: ``|G| <= |G^Sigma| |G_B^B|^m`` (the
    kernel of the action on blocks embeds in ``prod_B G_B^B`` and the blocks are conjugate). Every
    factor is the exact order of a group of smaller degree (computed by :class:`StabilizerChain`).
    """
    gens = np.stack(chain._gens)
    n = gens.shape[1]
    ids = _orbit_ids(gens)
    moved = np.flatnonzero((gens != np.arange(n)).any(axis=0))
    labels = np.unique(ids[moved])
    target = chain.order()  # what the bound has to equal to help (the chain is usually complete by now)
    if labels.size > 1:
        orbits = [np.flatnonzero(ids == lab) for lab in labels]
        if math.prod(o.size for o in orbits) > target:  # each constituent has order >= its degree
            return None
        return math.prod(_order_of(_restrict(gens, o)) for o in orbits)
    npts = moved.size
    # a block system of m blocks of size k gives a bound >= m k^m (transitive actions)
    sizes = [(npts // k, k) for k in range(2, npts // 2 + 1) if npts % k == 0]
    if not sizes or min(m * k**m for m, k in sizes) > target:
        return None
    local = _restrict(gens, moved) if moved.size < n else gens
    relabel = np.full(n, -1, dtype=np.int64)
    relabel[moved] = np.arange(moved.size)
    # a block containing b_0 is a union of (G_{b_0})-orbits: try one point of each orbit of the partial
    # stabiliser the chain already has
    b0 = int(relabel[chain.levels[0].base_point])
    sub = chain.level_generators(1)
    sub = relabel[sub[:, moved]] if len(sub) else np.empty((0, moved.size), dtype=np.int64)
    sub_ids = _orbit_ids(sub)
    reps = np.unique(sub_ids)
    for x in reps[reps != sub_ids[b0]][:_BLOCK_TRIES]:
        blocks = _minimal_block(local, b0, int(x))
        if blocks is not None:
            m = int(blocks.max()) + 1
            if m * (npts // m) ** m > target:
                continue
            return _block_bound(local, blocks)
    return None


def _order_of(gens: np.ndarray) -> int:
    return StabilizerChain(gens, gens.shape[1]).order()


def _restrict(gens: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Generators restricted to an invariant set ``pts`` (renumbered ``0..len(pts)-1``)."""
    relabel = np.full(gens.shape[1], -1, dtype=np.int64)
    relabel[pts] = np.arange(pts.size)
    return relabel[gens[:, pts]]


def _orbit_ids(gens: np.ndarray) -> np.ndarray:
    """Smallest point of each point's orbit under the rows of ``gens`` (label propagation)."""
    n = gens.shape[1]
    lab = np.arange(n)
    while gens.size:
        old = lab
        for g in gens:
            low = np.minimum(lab, lab[g])  # a point takes its image's label
            low[g] = np.minimum(low[g], lab)  # and an image its preimage's (g is a bijection)
            lab = low
        while True:  # pointer jumping: follow labels to their roots
            nxt = lab[lab]
            if np.array_equal(nxt, lab):
                break
            lab = nxt
        if np.array_equal(lab, old):
            break
    return lab


def _minimal_block(gens: np.ndarray, a: int, b: int) -> np.ndarray | None:
    """Atkinson's algorithm: block labels of the finest block system joining ``a`` and ``b``.

    Returns None when that system is trivial (one block).
    """
    m = gens.shape[1]
    parent = list(range(m))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    glist = [g.tolist() for g in gens]
    parent[b] = a
    classes = m - 1
    queue = [(a, b)]
    while queue:
        x, y = queue.pop()
        for g in glist:
            rx, ry = find(g[x]), find(g[y])
            if rx != ry:
                parent[ry] = rx
                classes -= 1
                if classes == 1:
                    return None
                queue.append((g[x], g[y]))
    roots = np.array([find(x) for x in range(m)])
    return np.unique(roots, return_inverse=True)[1].reshape(-1)


def _block_bound(gens: np.ndarray, labels: np.ndarray) -> int | None:
    """``|G^Sigma| |G_B^B|^m`` for the block system ``labels`` (block ids ``0..m-1``) of transitive ``<gens>``."""
    npts = gens.shape[1]
    nblocks = int(labels.max()) + 1
    k = npts // nblocks
    if max(nblocks, k) > _MAX_BLOCK_FACTOR_DEGREE:
        return None
    first = np.zeros(nblocks, dtype=np.int64)
    first[labels[::-1]] = np.arange(npts)[::-1]
    on_blocks = labels[gens[:, first]]  # on_blocks[i, c]: image of block c under generator i
    top = _order_of(on_blocks)
    # reps[c] maps block 0 to block c (breadth-first over the action on blocks)
    reps = np.empty((nblocks, npts), dtype=np.int64)
    reps[0] = np.arange(npts)
    found = np.zeros(nblocks, dtype=bool)
    found[0] = True
    frontier = [0]
    while frontier:
        nxt = []
        for c in frontier:
            for i, g in enumerate(gens):
                d = int(on_blocks[i, c])
                if not found[d]:
                    found[d] = True
                    reps[d] = g[reps[c]]  # reps[c] then g
                    nxt.append(d)
        frontier = nxt
    # Schreier generators reps[c] * g * reps[g(c)]^-1 generate the setwise stabiliser of block 0
    inv_reps = inverse(reps)
    block0 = np.flatnonzero(labels == 0)
    relabel = np.full(npts, -1, dtype=np.int64)
    relabel[block0] = np.arange(k)
    rows = []
    for i, g in enumerate(gens):
        targets = on_blocks[i]  # (nblocks,)
        s = np.take_along_axis(inv_reps[targets], g[reps], axis=1)  # (nblocks, npts)
        rows.append(relabel[s[:, block0]])
    local = np.unique(np.concatenate(rows), axis=0)
    return top * _order_of(local) ** nblocks
