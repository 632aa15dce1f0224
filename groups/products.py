"""Products of permutation groups on disjoint and blocked point sets.

* :func:`direct_product` puts the factors side by side on disjoint blocks of points
  (the intransitive action on the disjoint union).
* :func:`wreath` is the imprimitive wreath product: copies of ``G`` inside blocks that ``H`` permutes.

Names are parseable specs when every factor has one (``"wreath(symmetric(3), symmetric(2))"``),
otherwise ``None``.

Examples
--------
>>> from asen.groups.catalogue import cyclic, symmetric
>>> direct_product(cyclic(4), symmetric(3)).order(), wreath(symmetric(3), symmetric(2)).order()
(24, 72)
"""

from __future__ import annotations

import math

import numpy as np

from .group import PermGroup

__all__ = ["direct_product", "wreath"]


def _check_group(G: object, what: str) -> PermGroup:
    if not isinstance(G, PermGroup):
        raise TypeError(f"{what} must be a PermGroup, got {type(G).__name__}")
    return G


def _joined_name(head: str, groups: tuple[PermGroup, ...]) -> str | None:
    if any(G.name is None for G in groups):
        return None
    return f"{head}({', '.join(G.name for G in groups)})"  # type: ignore[misc]


def direct_product(*groups: PermGroup) -> PermGroup:
    """Direct product ``G_1 x ... x G_k`` acting on the disjoint union of the factors' points.

    ``G_1`` moves points ``0..n_1-1``, ``G_2`` the next ``n_2`` points, and so on;
    ``|G_1 x ... x G_k| = |G_1| ... |G_k|``. The spec ``product(...)`` is an alias.

    Parameters
    ----------
    *groups
        One or more :class:`PermGroup`.

    Examples
    --------
    >>> from asen.groups.catalogue import cyclic
    >>> G = direct_product(cyclic(2), cyclic(3)); G.degree, G.order(), G.name
    (5, 6, 'direct_product(cyclic(2), cyclic(3))')
    """
    if not groups:
        raise ValueError("direct_product needs at least one group")
    groups = tuple(_check_group(G, f"factor {j}") for j, G in enumerate(groups))
    degree = sum(G.degree for G in groups)
    gens = []
    offset = 0
    for G in groups:
        for g in G.generators:
            p = np.arange(degree, dtype=np.int64)
            p[offset : offset + G.degree] = g + offset
            gens.append(p)
        offset += G.degree
    order = math.prod(G.order() for G in groups)
    return PermGroup(gens, degree, order=order, name=_joined_name("direct_product", groups))


def wreath(G: PermGroup, H: PermGroup) -> PermGroup:
    """Imprimitive wreath product ``G wr H`` on ``a * b`` points (``G`` on ``a``, ``H`` on ``b`` points).

    Block ``k`` is the points ``k*a .. k*a + a - 1``; the base group ``G^b`` moves points inside
    blocks (point ``k*a + i`` to ``k*a + g(i)``) and ``H`` permutes blocks (``k*a + i`` to
    ``h(k)*a + i``). ``|G wr H| = |G|^b |H|``.

    Parameters
    ----------
    G
        The group inside each block (degree ``a``).
    H
        The group permuting the blocks (degree ``b``).

    Examples
    --------
    >>> from asen.groups.catalogue import symmetric
    >>> W = wreath(symmetric(2), symmetric(3)); W.degree, W.order()
    (6, 48)
    """
    G = _check_group(G, "G")
    H = _check_group(H, "H")
    a, b = G.degree, H.degree
    degree = a * b
    points = np.arange(degree, dtype=np.int64).reshape(b, a)
    gens = []
    # one copy of G per H-orbit of blocks is enough: H conjugates it into the other blocks
    for block in (int(orbit[0]) for orbit in H.orbits()):
        for g in G.generators:
            p = points.copy()
            p[block] = block * a + g
            gens.append(p.reshape(-1))
    for h in H.generators:
        gens.append((h[:, None] * a + np.arange(a)[None, :]).reshape(-1))
    order = G.order() ** b * H.order()
    return PermGroup(gens, degree, order=order, name=_joined_name("wreath", (G, H)))
