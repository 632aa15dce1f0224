"""Orbital classes as arc lists, without the ``n x n`` orbital matrix.

:func:`asen.groups.orbitals` fills the whole ``n x n`` matrix (``n^2`` int32: 1 GiB at ``n = 16384``),
but a sparse certificate keeps a handful of orbitals with a few arcs per point. With the same numbering
(orbital id = offset of the ``G``-orbit ``Delta`` + rank of the suborbit, ``Delta`` in the order of
``group.orbits()``), the orbital of ``(w, z)`` for the representative ``w = min Delta`` is

    { (x, u_x(z')) : x in Delta, z' in S },   S = the G_w-orbit of z,   u_x(w) = x,

so the arcs of one class need only the suborbit ``S`` and the transversal restricted to the columns
``S``: a ``|Delta| x |S|`` table, built by a breadth-first walk of the Schreier tree (one gather per
tree level). Sizes (``|Delta| |S|``) and the greedy search order come from the suborbit sizes alone.

Examples
--------
>>> from asen.groups import dihedral, orbitals
>>> oc = OrbitalClasses(dihedral(6))
>>> oc.num_classes, oc.sizes.tolist()              # orbitals of D_6: distance 0..3 on the hexagon
(4, [6, 12, 12, 6])
>>> src, dst, colour = oc.arcs([2])                 # colour 2 = orbital id 1: the hexagon's edges
>>> bool((orbitals(dihedral(6))[src, dst] == 1).all()), src.size
(True, 12)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .group import PermGroup

__all__ = ["OrbitalClasses"]


class OrbitalClasses:
    """The orbitals of ``G`` as arc classes with colours ``id + 1`` (the closure input's pair colours).

    Attributes
    ----------
    group
        ``G`` on ``n`` points.
    num_classes
        Number of orbitals ``r``; colours ``1..r``.
    sizes
        ``(r,)`` arcs per orbital (``|Delta| |S|``), indexed by orbital id.
    vertex_colors
        ``(n,)`` index of each point's ``G``-orbit (what the closure input colours vertices with).
    diagonal
        Colours of the diagonal orbitals (loops ``(x, x)``; they repeat the vertex colours).
    """

    def __init__(self, group: PermGroup):
        self.group = group
        n = group.degree
        self.vertex_colors = np.zeros(n, np.int64)
        self._orbits: list[np.ndarray] = []
        self._stab_gens: list[np.ndarray] = []
        self._labels: list[np.ndarray] = []  # per orbit: suborbit rank of every point
        self._offsets: list[int] = []
        sizes: list[np.ndarray] = []
        diagonal: list[int] = []
        offset = 0
        for k, delta in enumerate(group.orbits()):
            rep = int(delta[0])
            chain = group.chain_with_base([rep])
            stab = PermGroup(chain.level_generators(1), n)
            uniq, local = np.unique(stab.orbit_ids(), return_inverse=True)
            local = local.ravel().astype(np.int64)
            self.vertex_colors[delta] = k
            self._orbits.append(np.asarray(delta, np.int64))
            self._stab_gens.append(stab.generators)
            self._labels.append(local)
            self._offsets.append(offset)
            sizes.append(delta.size * np.bincount(local, minlength=uniq.size))
            diagonal.append(offset + int(local[rep]) + 1)
            offset += uniq.size
        self.num_classes = offset
        self.sizes = np.concatenate(sizes).astype(np.int64) if sizes else np.empty(0, np.int64)
        self.diagonal = np.array(diagonal, np.int64)

    # ------------------------------------------------------------------ search order
    def candidates(self) -> np.ndarray:
        """Non-diagonal colours in the order the greedy search tries them.

        The same order as :func:`asen.groups.candidate_classes` on the closure input: first the classes
        joining each orbit representative ``w`` to ``s(w)`` for each generator ``s``, then the rest by
        size (ties by colour).
        """
        diagonal = set(self.diagonal.tolist())
        first: list[int] = []
        for k, delta in enumerate(self._orbits):
            w = int(delta[0])
            for s in self.group.generators:
                c = self._offsets[k] + int(self._labels[k][s[w]]) + 1
                if c not in diagonal and c not in first:
                    first.append(c)
        colours = np.argsort(self.sizes, kind="stable") + 1
        chosen = set(first) | diagonal
        rest = [c for c in colours.tolist() if c not in chosen]
        return np.array(first + rest, dtype=np.int64)

    # ------------------------------------------------------------------ arcs
    def arcs(self, colours: Sequence[int] | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(src, dst, colour)`` int64 arrays of every arc in the given classes (colours ``1..r``)."""
        colours = np.unique(np.asarray(colours, dtype=np.int64))
        if colours.size and (colours[0] < 1 or colours[-1] > self.num_classes):
            raise ValueError(f"colours must lie in 1..{self.num_classes}")
        offsets = np.array(self._offsets + [self.num_classes], np.int64)
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for k, delta in enumerate(self._orbits):
            mine = colours[(colours - 1 >= offsets[k]) & (colours - 1 < offsets[k + 1])]
            if not mine.size:
                continue
            local = self._labels[k]
            wanted = np.isin(local, mine - 1 - offsets[k])
            columns = np.flatnonzero(wanted)  # the points z' of the chosen suborbits
            points, table = self._transversal(k, columns)  # table[i, j] = u_{points[i]}(columns[j])
            src = np.repeat(points, columns.size)
            dst = table.ravel()
            colour = np.tile(offsets[k] + local[columns] + 1, points.size)
            parts.append((src, dst, colour))
        if not parts:
            empty = np.empty(0, np.int64)
            return empty, empty.copy(), empty.copy()
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(3))  # type: ignore[return-value]

    def _transversal(self, k: int, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(points, table)``: the orbit ``Delta_k`` in visiting order and ``u_x(columns)`` per point ``x``.

        A breadth-first walk from ``w``: a newly reached ``x = s(p)`` gets ``u_x = u_p`` then ``s``, so
        ``u_x(z) = s[u_p(z)]``; one gather per generator and tree level.
        """
        gens = self.group.generators
        w = int(self._orbits[k][0])
        seen = np.zeros(self.group.degree, bool)
        seen[w] = True
        frontier = np.array([w], np.int64)
        images = columns[None, :].astype(np.int64)  # u_w = identity
        points, tables = [frontier], [images]
        while frontier.size:
            new_points, new_images = [], []
            for s in gens:
                x = s[frontier]
                fresh = ~seen[x]
                if not fresh.any():
                    continue
                x = x[fresh]
                x, first = np.unique(x, return_index=True)
                seen[x] = True
                new_points.append(x)
                new_images.append(s[images[fresh][first]])
            if not new_points:
                break
            frontier = np.concatenate(new_points)
            images = np.concatenate(new_images)
            points.append(frontier)
            tables.append(images)
        return np.concatenate(points), np.concatenate(tables)
