"""Permutation groups: conventions, stabiliser chains, catalogue, nauty automorphisms.

Conventions (see :mod:`asen.groups.perm`): points ``0..n-1``; a permutation is the int array of images
``i -> p[i]``; products read left to right like sympy (``compose(p, q)``: ``p`` first); ``g`` moves the
value at point ``i`` to point ``g[i]``; several point axes (images) flatten row-major.
"""

from .chain import StabilizerChain
from .group import PermGroup, as_rng
from .perm import (
    act,
    act_axes,
    act_pairs,
    as_perm,
    compose,
    cycle_notation,
    cycles,
    identity,
    inverse,
    is_identity,
)

__all__ = [
    "PermGroup",
    "StabilizerChain",
    "act",
    "act_axes",
    "act_pairs",
    "as_perm",
    "as_rng",
    "compose",
    "cycle_notation",
    "cycles",
    "identity",
    "inverse",
    "is_identity",
]
