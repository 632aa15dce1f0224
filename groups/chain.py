"""Stabiliser chains (base and strong generating set) with numpy transversals.

For a base ``b_0, ..., b_{k-1}`` the chain ``G = G^(0) >= G^(1) >= ... >= G^(k) = 1`` has
``G^(j) = G_{b_0..b_{j-1}}`` and level ``j`` stores the orbit ``Delta_j = b_j^{G^(j)}`` with a
transversal ``u_p`` (``u_p(b_j) = p``). Every ``g`` in ``G`` factors uniquely as
``g = u^(k-1) * ... * u^(0)`` (left-to-right products, "u^(k-1) first"), so
``|G| = prod_j |Delta_j|``; sifting strips one factor per level and decides membership.

Construction is randomised Schreier--Sims (product-replacement random elements, residues added as
strong generators) followed by a *deterministic* proof, so results are exact, never probabilistic:

* an upper bound on ``|G|`` proves completeness once ``prod |Delta_j|`` reaches it, because the
  partial chain's product never exceeds ``|G|``. The bound is the known order when one is given
  (catalogue groups; the generators must then also sift, which catches most wrong values), else
  ``n!`` (``n!/2`` for even generators), else an orbit or block bound
  (:mod:`asen.groups.order_bounds`, whose factors this module computes), which proves direct and
  wreath products by counting alone;
* otherwise every Schreier generator of every level must sift to the identity (Schreier's lemma,
  batched bottom-up in numpy: :mod:`asen.groups.schreier`).

Levels (orbit, Schreier tree, tables of inverse transversal elements) live in
:mod:`asen.groups.transversals`; sifting is one flat gather per level. A point stabiliser ``G_x`` with
``x`` in the first basic orbit is the chain's tail conjugated by one transversal element.

Public surface beyond the queries: :meth:`StabilizerChain.generators` (the given generators),
:meth:`~StabilizerChain.sift_inplace` and :meth:`~StabilizerChain.add_strong_generator` (what
:mod:`asen.groups.schreier` completes a chain with), :meth:`~StabilizerChain.partial` and
:meth:`~StabilizerChain.deterministic_schreier_sims` (the unverified start and the reference
construction), :meth:`~StabilizerChain.stabilizer` and :meth:`~StabilizerChain.rebased`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from . import schreier
from .order_bounds import structural_bound
from .perm import as_rows, inverse, parity, perm_dtype
from .transversals import CHUNK_ENTRIES, Level, take_rows

__all__ = ["StabilizerChain", "check_count"]

_PATIENCE = 40  # random elements in a row that sift to the identity before the random phase stops


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
    >>> c.stabilizer(0).order(), c.rebased([2]).base
    (2, (2, 3))
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
        self.levels: list[Level] = []
        self._strong: list[np.ndarray] = []
        self._depth: list[int] = []
        ident = np.arange(self.degree)
        gens = [np.asarray(g, dtype=np.int64) for g in generators]
        self._gens = _frozen_rows([g for g in gens if not np.array_equal(g, ident)], self.degree)
        for b in base:
            self._append_level(int(b))
        for g in self._gens:
            self.add_strong_generator(g)

    @classmethod
    def partial(cls, generators: np.ndarray, degree: int, *, base: Sequence[int] = ()) -> StabilizerChain:
        """The partial chain of ``generators`` alone: each one a strong generator, nothing proved.

        Its ``order()`` is a lower bound, ``prod_j |Delta_j| <= |G|``; :func:`asen.groups.schreier.verify`
        completes it. Arguments as for the constructor.
        """
        chain = object.__new__(cls)
        chain._start(generators, degree, base)
        return chain

    @classmethod
    def deterministic_schreier_sims(cls, generators: np.ndarray, degree: int) -> StabilizerChain:
        """Reference construction: deterministic Schreier--Sims, no random elements, no counting bounds.

        Starts from :meth:`partial` and adds Schreier generators ``u_p s u_{s(p)}^-1`` that fail to
        sift until every one sifts (Schreier's lemma, :func:`asen.groups.schreier.verify`). Slower
        than the constructor and independent of its random phase and order bounds: the tests hold
        the constructor's chains to it.

        Parameters
        ----------
        generators
            Array of shape ``(k, degree)`` (validated permutations).
        degree
            Number of points.

        Returns
        -------
        StabilizerChain
            A complete chain of ``<generators>``.

        Examples
        --------
        >>> import numpy as np
        >>> s5 = np.array([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])
        >>> StabilizerChain.deterministic_schreier_sims(s5, 5).order()
        120
        """
        chain = cls.partial(generators, degree)
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
    def generators(self) -> np.ndarray:
        """The given generators (identities dropped), read-only int64 ``(k, n)``: ``G = <generators>``.

        For a :meth:`tail` or :meth:`stabilizer` chain these are its strong generators.
        """
        return self._gens

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
        h = as_rows(np.array(perms, dtype=perm_dtype(self.degree), copy=True), self.degree)
        stop = self.sift_inplace(h, start)
        return h.astype(np.int64), stop

    def sift_inplace(self, h: np.ndarray, start: int = 0) -> np.ndarray:
        """:meth:`sift` without copies: the rows of ``h`` (shape ``(m, n)``) become their residues.

        ``h`` should have the table dtype ``perm_dtype(degree)`` (other integer dtypes work, slower).
        Returns the stop level of each row (``len(levels)``: passed every level).
        """
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
                h[...] = take_rows(itab, k, h, n)
            else:
                h[rows] = take_rows(itab, k, h[rows], n)
        return stop

    def contains(self, perms: np.ndarray) -> np.ndarray:
        """Membership of each row of ``perms`` (shape ``(m, n)``) as a boolean array."""
        out = np.empty(len(perms), dtype=bool)
        step = max(1, CHUNK_ENTRIES // max(self.degree, 1))
        dt = perm_dtype(self.degree)
        ident = np.arange(self.degree, dtype=dt)
        for s in range(0, len(perms), step):
            h = as_rows(np.array(perms[s : s + step], dtype=dt, copy=True), self.degree)
            stop = self.sift_inplace(h)
            out[s : s + step] = (stop == len(self.levels)) & (h == ident).all(axis=1)
        return out

    def random_elements(self, m: int, rng: np.random.Generator) -> np.ndarray:
        """``m`` independent uniform elements as an int64 ``(m, n)`` array.

        Each is ``(u^(k-1) * ... * u^(0))^-1 = u^(0)^-1 * ... * u^(k-1)^-1`` for independent uniform
        transversal picks; the inverse of a uniform element is uniform.
        """
        m = check_count(m, "m")
        n = self.degree
        out = np.broadcast_to(np.arange(n, dtype=perm_dtype(n)), (m, n))
        for lev in self.levels:
            size = lev.orbit.size
            if size == 1:
                continue
            out = take_rows(lev.itable().reshape(-1), rng.integers(0, size, size=m), out, n)
        return out.astype(np.int64)

    def tail(self, j: int) -> StabilizerChain:
        """The chain of ``G^(j)`` (levels ``j..``), sharing the level tables."""
        sub = object.__new__(StabilizerChain)
        sub.degree = self.degree
        sub.levels = self.levels[j:]
        keep = [i for i, d in enumerate(self._depth) if d >= j]
        sub._strong = [self._strong[i] for i in keep]
        sub._depth = [self._depth[i] - j for i in keep]
        sub._gens = _frozen_rows(sub._strong, self.degree)
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
        out._gens = _frozen_rows(t[self._gens[:, tinv]], self.degree)
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
            out.levels = [Level(point, self.degree), *self.levels]
            out._strong = list(self._strong)
            out._depth = [d + 1 for d in self._depth]
            out._gens = self._gens
            return out
        if self.levels[0].pos[point] >= 0:  # point = u(b_0): conjugating by u in G moves b_0 there
            return self._conjugated(self._transversal_element(0, point))
        return None

    def stabilizer(self, point: int) -> StabilizerChain:
        """The chain of ``G_point = {g in G : g(point) = point}``; ``|G| = |point^G| |G_point|``.

        The tail when ``point = b_0``; ``u^-1 G_{b_0} u`` (the tail conjugated by the transversal element
        ``u`` with ``u(b_0) = point``) when ``point`` lies in the first basic orbit; the chain itself when
        ``G`` fixes ``point``; otherwise a rebuild with base ``[point]`` (known order, so by counting).
        """
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

    def rebased(self, points: Sequence[int]) -> StabilizerChain:
        """A chain of the same group whose base starts with ``points`` (by conjugation where possible).

        Level by level: a point in the current first basic orbit costs a conjugation
        (``t^-1 G t = G`` for ``t`` in ``G``), a fixed point a trivial level, any other a rebuild.
        """
        if not points:
            return self
        head = self._with_first_base_point(int(points[0]))
        if head is None:
            return StabilizerChain(
                self.strong_generators, self.degree, base=points, order=self.order(), random_source=self
            )
        if len(points) == 1:
            return head
        rest = head.tail(1).rebased(points[1:])
        out = object.__new__(StabilizerChain)
        out.degree = self.degree
        out.levels = [head.levels[0], *rest.levels]
        top = [s for s, d in zip(head._strong, head._depth) if d == 0]
        out._strong = top + rest._strong
        out._depth = [0] * len(top) + [d + 1 for d in rest._depth]
        out._gens = head._gens
        return out

    # ------------------------------------------------------------------ construction
    def _append_level(self, point: int) -> None:
        j = len(self.levels)
        self.levels.append(Level(point, self.degree))
        gens = []
        for i, s in enumerate(self._strong):
            if self._depth[i] == j:
                if s[point] == point:
                    self._depth[i] = j + 1
                gens.append(s)
        if gens:
            self.levels[j].add_generators(gens)

    def add_strong_generator(self, h: np.ndarray) -> int:
        """Add ``h`` (fixing ``b_0..b_{d-1}``, moving ``b_d``) to the levels ``0..d``; return ``d``.

        ``h`` must be an element of ``G`` (int64, not written to later); the caller vouches for that.
        When ``h`` fixes every base point a new level is appended at its first moved point; the
        identity is ignored. Orbits and Schreier trees of the levels ``0..d`` grow to match.
        """
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
    def _extend_levels(levels: list[Level], h: np.ndarray) -> None:
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
        if not len(self._gens):
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
            structural = structural_bound(
                self._gens,
                _order_of,
                target=self.order(),  # the chain is usually complete by now: the bound must equal this
                base_point=self.levels[0].base_point,
                stabiliser_generators=self.level_generators(1),
            )
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
            self.add_strong_generator(h.copy())

    def _check_generators_sift(self, order: int) -> None:
        """With a stated order: every given generator must sift (a cheap check of the stated value)."""
        ident = np.arange(self.degree)
        if not all(
            stop == len(self.levels) and np.array_equal(h, ident)
            for h, stop in map(self._sift_one, self._gens)
        ):
            raise ValueError(f"order={order} is smaller than the order of the group the generators generate")

    def _order_bound(self, order: int | None) -> int:
        """An upper bound on ``|G|`` that is attained only by a complete chain."""
        if order is not None:
            return int(order)
        n = self.degree
        if parity(self._gens).max() == 0:
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
        """Complete the chain by Schreier generators (see :mod:`asen.groups.schreier`)."""
        schreier.verify(self)


def check_count(value: object, name: str) -> int:
    """``value`` as a non-negative Python int (numpy integers too, bools not), else a ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def _frozen_rows(rows: Sequence[np.ndarray] | np.ndarray, degree: int) -> np.ndarray:
    """``rows`` as one read-only int64 ``(k, degree)`` array (``k = 0`` allowed)."""
    out = np.stack(rows).astype(np.int64, copy=False) if len(rows) else np.empty((0, degree), dtype=np.int64)
    out.setflags(write=False)
    return out


def _order_of(gens: np.ndarray) -> int:
    """``|<gens>|`` by a fresh chain: the factors of :func:`asen.groups.order_bounds.structural_bound`."""
    return StabilizerChain(gens, gens.shape[1]).order()
