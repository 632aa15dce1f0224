"""``PermGroup``: a permutation group given by generators, backed by a cached stabiliser chain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from .chain import StabilizerChain, check_count
from .orbits import orbit_ids as _orbit_ids
from .perm import as_perm, as_perms, cycle_notation, is_sympy_permutation
from .transversals import take_rows as _take_rows

__all__ = ["PermGroup", "as_rng"]

SeedLike = int | np.random.Generator | None

DEFAULT_ELEMENTS_LIMIT = 100_000


def as_rng(seed: SeedLike) -> np.random.Generator:
    """The one way ``seed=`` is read everywhere: an int, a ``numpy.random.Generator`` or None."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an int, a numpy.random.Generator or None, got {type(seed).__name__}")


class PermGroup:
    """The group ``<generators>`` of permutations of ``0..degree-1`` (see :mod:`asen.groups.perm`).

    Parameters
    ----------
    generators
        Permutations as arrays of images, all of one length, or sympy ``Permutation`` objects (padded
        with fixed points to ``degree``, by default the largest ``size``). An empty list (with
        ``degree``) or identity-only generators give the trivial group.
    degree
        Number of points (``0`` allowed: the trivial group on no points); required when ``generators``
        is empty, checked otherwise.
    order
        The order if known (catalogue groups): the stabiliser chain is complete as soon as the product
        of its basic orbits reaches it. A value the generators cannot reach raises ``ValueError``, and
        so does a smaller one that a generator fails to sift against; without ``order`` the chain
        proves its own completeness (``n!``, orbit/block bounds or Schreier generators).
    name
        A readable name such as ``"dihedral(8)"``.

    Examples
    --------
    >>> G = PermGroup([[1, 2, 3, 0], [3, 2, 1, 0]])   # D_4 on a square
    >>> G.order(), G.is_transitive(), G.stabilizer(0).order()
    (8, True, 2)
    """

    def __init__(
        self,
        generators: Iterable[Any],
        degree: int | None = None,
        *,
        order: int | None = None,
        name: str | None = None,
    ):
        if isinstance(generators, np.ndarray) and generators.ndim == 2:
            gens_in: list[Any] = list(generators)
        elif isinstance(generators, (str, bytes)):
            raise TypeError("generators must be a list of permutations, not a string")
        else:
            gens_in = list(generators)
        if degree is not None:
            degree = check_count(degree, "degree")
        elif any(is_sympy_permutation(g) for g in gens_in):  # sympy sizes may differ: pad to the largest
            degree = max(g.size if is_sympy_permutation(g) else np.size(g) for g in gens_in)
        gens: list[np.ndarray] = []
        for i, g in enumerate(gens_in):
            p = as_perm(g, degree, name=f"generator {i}")
            if degree is None:
                degree = p.size
            gens.append(p)
        if degree is None:
            raise ValueError("an empty generator list needs degree= to say how many points")
        if order is not None and (
            isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1
        ):
            raise ValueError(f"order must be a positive integer, got {order!r}")
        self._degree = degree
        self._generators = np.stack(gens) if gens else np.empty((0, degree), dtype=np.int64)
        self._generators.setflags(write=False)
        self._order_hint = None if order is None else int(order)
        self.name = name
        self._orbit_ids: np.ndarray | None = None

    # ----------------------------------------------------------------- stored, cheap
    @property
    def degree(self) -> int:
        """Number of points ``n``."""
        return self._degree

    @property
    def generators(self) -> np.ndarray:
        """Generators as a read-only ``(k, n)`` int64 array."""
        return self._generators

    @cached_property
    def chain(self) -> StabilizerChain:
        """The stabiliser chain, computed on first access and cached (later accesses return it).

        The first access runs Schreier--Sims (:class:`StabilizerChain`): sifts of ``O(b n)`` each
        (base length ``b <= log2 |G|``), of random elements until a counting bound is reached (the
        ``order`` given, ``n!``, orbit/block bounds), else of up to ``sum_j |Delta_j| k_j`` Schreier
        generators (``k_j`` strong generators of level ``j``); its tables take ``O(n sum_j |Delta_j|)``.
        """
        return StabilizerChain(self._generators, self._degree, order=self._order_hint)

    @classmethod
    def _from_chain(cls, chain: StabilizerChain, name: str | None = None) -> PermGroup:
        gens = chain.strong_generators
        group = cls(gens, chain.degree, name=name)
        group._order_hint = chain.order()
        group.chain = chain  # seeds the cached property
        return group

    # ----------------------------------------------------------------- computed
    def order(self) -> int:
        """``|G| = prod_j |Delta_j|`` as an exact integer (Schreier--Sims, proved complete)."""
        return self.chain.order()

    def is_trivial(self) -> bool:
        return self.order() == 1

    def contains(self, p: Any) -> bool:
        """``p in G`` by sifting; ``p`` is validated as a permutation of degree ``n``."""
        return bool(self.chain.contains(as_perm(p, self._degree)[None, :])[0])

    def __contains__(self, p: Any) -> bool:
        return self.contains(p)

    def contains_many(self, perms: Any) -> np.ndarray:
        """Membership of every row of a ``(m, n)`` array of permutations."""
        arr = np.asarray(perms)
        if arr.ndim != 2 or arr.shape[1] != self._degree:
            raise ValueError(f"expected an array of shape (m, {self._degree}), got {arr.shape}")
        return self.chain.contains(as_perms(arr, self._degree))

    def random_element(self, seed: SeedLike = None) -> np.ndarray:
        """One uniformly random element."""
        return self.random_elements(1, seed=seed)[0]

    def random_elements(self, m: int, *, seed: SeedLike = None) -> np.ndarray:
        """``m`` independent uniformly distributed elements as an ``(m, n)`` int64 array.

        One uniform transversal pick per level of the chain, so exactly uniform (not product
        replacement); the same ``seed`` gives the same elements.
        """
        return self.chain.random_elements(check_count(m, "m"), as_rng(seed))

    def elements(self, *, limit: int = DEFAULT_ELEMENTS_LIMIT) -> np.ndarray:
        """All elements as an ``(|G|, n)`` array (identity first); refuses groups larger than ``limit``.

        Row order follows the chain: ``u^(0)^-1 * ... * u^(k-1)^-1`` with the last level's index
        varying fastest, so every element appears exactly once.
        """
        order = self.order()
        if order > limit:
            raise ValueError(
                f"the group has {order} elements, more than limit={limit}; raise limit= to list them"
            )
        n = self._degree
        out = np.arange(n, dtype=np.int64)[None, :]
        for lev in self.chain.levels:
            itab = lev.itable()
            size = itab.shape[0]
            if size == 1:
                continue
            # new[i, k] = out[i] then u_k^-1
            rows = np.tile(np.arange(size), len(out))
            out = _take_rows(itab.reshape(-1), rows, np.repeat(out, size, axis=0), n).astype(np.int64)
        return out

    def orbit_ids(self) -> np.ndarray:
        """Orbit label of each point: the smallest point of its orbit."""
        if self._orbit_ids is None:
            self._orbit_ids = _orbit_ids(self._generators)
            self._orbit_ids.setflags(write=False)
        return self._orbit_ids

    def orbits(self) -> list[np.ndarray]:
        """The orbits as sorted arrays, ordered by their smallest point."""
        ids = self.orbit_ids()
        if not ids.size:
            return []
        order = np.argsort(ids, kind="stable")
        cuts = np.flatnonzero(np.diff(ids[order])) + 1
        return np.split(order, cuts)

    def orbit(self, point: int) -> np.ndarray:
        """The orbit of ``point`` (sorted)."""
        self._check_point(point)
        ids = self.orbit_ids()
        return np.flatnonzero(ids == ids[point])

    def is_transitive(self) -> bool:
        return self._degree <= 1 or bool((self.orbit_ids() == 0).all())

    def stabilizer(self, point: int) -> PermGroup:
        """The point stabiliser ``G_point = {g : g(point) = point}``, with its own stabiliser chain.

        ``|G| = |point^G| |G_point|``. See :meth:`pointwise_stabilizer` for how it is computed.
        """
        return self.pointwise_stabilizer([point])

    def pointwise_stabilizer(self, points: Sequence[int]) -> PermGroup:
        """``G_(points)``: the elements fixing every given point.

        Each point in the orbit of the first base point costs only a conjugation of the chain's tail
        (``G_x = u_x^-1 G_b u_x``); other points rebuild the chain with that point first.
        """
        points = [self._check_point(p) for p in points]
        chain = self.chain
        for p in points:
            chain = chain.stabilizer(p)
        name = None if self.name is None else f"stabilizer({self.name}, {points})"
        return PermGroup._from_chain(chain, name=name)

    def chain_with_base(self, base: Sequence[int]) -> StabilizerChain:
        """A stabiliser chain whose base starts with ``base`` (by conjugation where possible)."""
        base = [self._check_point(p) for p in base]
        return self.chain.rebased(base)

    def is_subgroup(self, other: PermGroup) -> bool:
        """``self <= other``: same degree and every generator of ``self`` lies in ``other``."""
        if not isinstance(other, PermGroup):
            raise TypeError(f"expected a PermGroup, got {type(other).__name__}")
        if other.degree != self._degree:
            return False
        if not len(self._generators):
            return True
        return bool(other.chain.contains(self._generators).all())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PermGroup):
            return NotImplemented
        return self.is_subgroup(other) and self.order() == other.order()

    __hash__ = None  # type: ignore[assignment]  # equality is as sets; groups are not hashable

    def __repr__(self) -> str:
        label = self.name or f"<{len(self._generators)} generators>"
        return f"PermGroup({label}, degree={self._degree})"

    def describe(self) -> dict[str, Any]:
        """Summary used by the CLI: degree, exact order, generator count, orbits, transitivity."""
        return {
            "name": self.name,
            "degree": self._degree,
            "order": self.order(),
            "num_generators": len(self._generators),
            "orbits": len(self.orbits()),
            "transitive": self.is_transitive(),
            "generators_gap": [cycle_notation(g) for g in self._generators],
        }

    # ----------------------------------------------------------------- sympy interchange
    def to_sympy(self):
        """As a ``sympy.combinatorics.PermutationGroup`` (same 0-based array forms)."""
        from sympy.combinatorics import Permutation, PermutationGroup

        if not len(self._generators):
            return PermutationGroup([Permutation(list(range(self._degree)))])
        return PermutationGroup([Permutation(g.tolist()) for g in self._generators])

    @classmethod
    def from_sympy(cls, group: Any, *, name: str | None = None) -> PermGroup:
        """From a ``sympy.combinatorics.PermutationGroup`` (or a list of sympy ``Permutation``)."""
        gens = list(getattr(group, "generators", group))
        if not gens:
            raise ValueError("a sympy group with no generators has no degree; pass degree= to PermGroup")
        degree = max([g.size for g in gens] + [int(getattr(group, "degree", 0))])
        return cls([list(g.array_form) + list(range(g.size, degree)) for g in gens], degree, name=name)

    # ----------------------------------------------------------------- helpers
    def _check_point(self, point: Any) -> int:
        if (
            isinstance(point, bool)
            or not isinstance(point, (int, np.integer))
            or not 0 <= point < self._degree
        ):
            raise ValueError(f"point must be an integer in 0..{self._degree - 1}, got {point!r}")
        return int(point)
