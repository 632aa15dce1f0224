"""Explicit generators for the group-core tests (no catalogue, no order hints): S_n, A_n, S_a wr S_b, p4m."""

from __future__ import annotations

import numpy as np


def symmetric_gens(n: int) -> np.ndarray:
    """``S_n = <(0 1), (0 1 ... n-1)>``."""
    t = np.arange(n)
    t[[0, 1]] = [1, 0]
    return np.stack([t, np.roll(np.arange(n), -1)])


def alternating_gens(n: int) -> np.ndarray:
    """``A_n = <(0 1 2), (0 ... n-1) or (1 ... n-1)>`` (the long cycle even)."""
    c = np.arange(n)
    c[[0, 1, 2]] = [1, 2, 0]
    long = np.arange(n)
    if n % 2:
        long = np.roll(long, -1)
    else:
        long[1:] = np.roll(np.arange(1, n), -1)
    return np.stack([c, long])


def wreath_gens(a: int, b: int) -> np.ndarray:
    """``S_a wr S_b`` on ``a*b`` points, block ``k`` = points ``k*a .. k*a+a-1``."""
    gens = []
    for g in symmetric_gens(a):
        p = np.arange(a * b)
        p[:a] = g
        gens.append(p)
    for h in symmetric_gens(b):
        gens.append((h[:, None] * a + np.arange(a)[None, :]).reshape(-1))
    return np.stack(gens)


def p4m_gens(m: int) -> np.ndarray:
    """p4m on the ``m x m`` torus: two translations, a quarter turn, a reflection (pixel ``r*m+c``)."""
    r, c = np.divmod(np.arange(m * m), m)

    def pix(rr, cc):
        return (rr % m) * m + (cc % m)

    return np.stack([pix(r, c + 1), pix(r + 1, c), pix(c, -r), pix(r, -c)])
