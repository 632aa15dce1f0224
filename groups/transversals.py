"""One level of a stabiliser chain: basic orbit, Schreier tree and transversal tables.

Level ``j`` of a chain for ``G`` with base ``b_0, b_1, ...`` holds the orbit
``Delta_j = b_j^{G^(j)}`` of the strong generators fixing ``b_0..b_{j-1}``, found breadth-first: each
orbit point ``p`` records the tree edge (``parent``, ``via``) that reached it, so
``u_p = u_parent * s_via`` maps ``b_j`` to ``p`` (a Schreier vector). The elements are materialised
lazily, one numpy gather per BFS layer, as a table of *inverse* elements ``u_p^-1`` in the smallest
integer dtype: sifting is then ``h <- u_p^-1[h]``, one flat gather per level, and an orbit of 4096
points of a degree-4096 group is one ``4096 x 4096`` ``int16`` table (32 MB). A single element is
composed along the tree instead when its level's table is large and not built yet.

Examples
--------
>>> import numpy as np
>>> lev = Level(0, 4)
>>> lev.add_generators([np.array([1, 2, 3, 0]), np.array([3, 2, 1, 0])])   # D_4 on a square
>>> lev.orbit.tolist(), lev.table()[:, 0].tolist()     # table[k] maps the base point 0 to orbit[k]
([0, 1, 3, 2], [0, 1, 3, 2])
>>> lev.parent.tolist(), lev.via.tolist()              # the Schreier tree: 2 is reached from 1 by generator 0
([-1, 0, 0, 1], [-1, 0, 1, 0])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .perm import inverse, perm_dtype

__all__ = ["CHUNK_ENTRIES", "Level", "take_rows"]

CHUNK_ENTRIES = 1 << 22  # rows x degree per numpy batch (about 32 MB of int64)
_EAGER_TABLE_ENTRIES = 1 << 20  # levels with orbit x degree up to this materialise on first use
_MAX_WALK = 512  # longer Schreier-tree paths materialise the table instead of walking


def take_rows(flat: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    """``T[rows[i], cols[i, :]]`` for a table ``T`` with rows of length ``n``, given as ``flat = T.ravel()``.

    One flat gather; the index arithmetic runs in int32 when the table is small enough (halving the
    memory traffic, which is what these gathers are bound by).
    """
    idt = np.int32 if flat.size < 2**31 else np.int64
    return flat.take(cols.astype(idt, copy=False) + (rows.astype(idt) * idt(n))[:, None])


class Level:
    """One level of the chain: base point, generators, orbit, Schreier tree and lazy transversal tables."""

    __slots__ = (
        "_istack",
        "_itab",
        "_nrows",
        "_ntab",
        "_stack",
        "_tab",
        "base_point",
        "degree",
        "gens",
        "orbit",
        "parent",
        "pos",
        "via",
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
                table[start:stop] = take_rows(gflat, via, table[parents], n)
            else:  # u_child^-1 = s^-1 * u_parent^-1: u_child^-1[i] = u_parent^-1[s^-1[i]]
                table[start:stop] = take_rows(flat, parents, stack[via], n)
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

    def conjugated(self, t: np.ndarray, tinv: np.ndarray) -> Level:
        """The level of ``t^-1 G t``: points relabelled by ``t``, elements ``x -> t^-1 x t``."""
        out = object.__new__(Level)
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
