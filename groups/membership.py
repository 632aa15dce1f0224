"""Membership of a few permutations in a large group, without materialising the level tables.

``StabilizerChain.contains`` sifts a batch through every level with one gather per level into the
level's ``|Delta| x n`` table of inverse transversal elements: the fast path for many permutations,
but at ``n = 16384`` the first level's table alone is 512 MiB and takes seconds to fill. A certificate
sifts only a handful of engine generators, so below :data:`FEW` permutations on a level whose table is
not there yet each one is sifted alone, its transversal elements composed along the Schreier tree
(``Transversal.inverse_element``). Same answers, either way.
"""

from __future__ import annotations

import numpy as np

from .chain import StabilizerChain
from .perm import as_rows

__all__ = ["FEW", "contains"]

FEW = 64  # at most this many permutations are sifted one by one when the tables are large
_TABLE_ENTRIES = 1 << 20  # a first-level table up to this size is cheap enough to build


def contains(chain: StabilizerChain, perms: np.ndarray) -> np.ndarray:
    """Membership of each row of ``perms`` (``(m, n)``) in the group of ``chain``, as booleans.

    Examples
    --------
    >>> import numpy as np
    >>> from asen.groups import dihedral
    >>> contains(dihedral(5).chain, np.array([[1, 2, 3, 4, 0], [1, 0, 2, 3, 4]])).tolist()
    [True, False]
    """
    perms = as_rows(np.asarray(perms, dtype=np.int64), chain.degree)
    levels = getattr(chain, "levels", None)
    sift_one = getattr(chain, "_sift_one", None)
    if len(perms) > FEW or not levels or sift_one is None:
        return chain.contains(perms)
    first = levels[0]
    if first.orbit.size * chain.degree <= _TABLE_ENTRIES:
        return chain.contains(perms)
    identity = np.arange(chain.degree)
    out = np.empty(len(perms), dtype=bool)
    for i, p in enumerate(perms):
        residue, stop = sift_one(p)
        out[i] = stop == len(levels) and np.array_equal(residue, identity)
    return out
