"""A 16-joint skeleton graph, the subgroups of its automorphism group, and two honest synthetic tasks.

The skeleton (pelvis, spine, neck, head, two arms of three joints, two legs of three joints) has
automorphism group ``Z2 x Z2`` (swap the arms, swap the legs; nauty confirms it). Its subgroups, plus the
extremes, are the candidate symmetries of the selection experiment:

=========  ======================================  =====
name       group                                    order
=========  ======================================  =====
trivial    identity                                 1
arms       swap the arms only                       2
legs       swap the legs only                       2
mirror     swap left and right (arms and legs)      2
aut        Aut(skeleton) = arms x legs              4
sym        S_16 (the model cannot see the graph)    16!
=========  ======================================  =====

Each sample is one scalar per joint, ``x ~ N(0, 1)^16``. For a limb ``L`` (the chain of three joints
that hangs off the torso) let ``e_L = x_1 + 2 x_2 + 3 x_3`` from the torso outwards (a moment arm), and
let ``t = (x_head - x_spine) + 0.5 (x_neck - x_pelvis)`` be a posture term. Which joints form a
limb, and in which order, is graph structure, so a model blind to the graph (``sym``) cannot compute any
label. Two tasks:

* ``gait`` -- contralateral coordination, the walking pattern:
  ``y = [-(e_LA - e_RA)(e_LL - e_RL) + 0.3 (e_LA + e_RA - e_LL - e_RL) + t > 0]``. Swapping left and
  right (both pairs of limbs) keeps ``y``; swapping the arms alone flips the product's sign, so its
  symmetry is exactly ``mirror`` (order 2), not ``aut``.
* ``balance`` -- which pair of limbs is more lopsided: ``y = [|e_LA - e_RA| - |e_LL - e_RL| + t > 0]``;
  each swap keeps ``y``, so its symmetry is ``aut`` (order 4).

The weights along a limb break permutations inside a limb, ``t`` those of the torso, the middle term of
``gait`` the exchange of arms with legs: ``asen.verify`` finds no permutation outside the stated group
that keeps the labels (tests/experiments/test_selection_graph.py).

Samples whose label sits within ``margin`` of the decision boundary are rejected (no ambiguous labels).

Examples
--------
>>> skeleton_group("aut").order(), skeleton_group("mirror").order()
(4, 2)
>>> X, y = sample_graph_task("gait", 4, seed=0)
>>> X.shape, y.tolist() == gait_label(X).tolist()
((4, 16), True)
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np

from ..groups import PermGroup, as_rng, symmetric

__all__ = [
    "EDGES",
    "GRAPH_TASKS",
    "JOINTS",
    "LIMBS",
    "SKELETON_GROUPS",
    "TRUE_SYMMETRY",
    "balance_label",
    "gait_label",
    "sample_graph_task",
    "skeleton_graph",
    "skeleton_group",
]

JOINTS = (
    "pelvis", "spine", "neck", "head",
    "l_shoulder", "l_elbow", "l_wrist", "r_shoulder", "r_elbow", "r_wrist",
    "l_hip", "l_knee", "l_ankle", "r_hip", "r_knee", "r_ankle",
)  # fmt: skip
NUM_JOINTS = len(JOINTS)

#: limb -> its three edges, the attachment to the torso first
LIMBS: dict[str, tuple[tuple[int, int], ...]] = {
    "l_arm": ((2, 4), (4, 5), (5, 6)),
    "r_arm": ((2, 7), (7, 8), (8, 9)),
    "l_leg": ((0, 10), (10, 11), (11, 12)),
    "r_leg": ((0, 13), (13, 14), (14, 15)),
}
EDGES: tuple[tuple[int, int], ...] = ((0, 1), (1, 2), (2, 3)) + sum(LIMBS.values(), ())

_ARMS = {4: 7, 5: 8, 6: 9}
_LEGS = {10: 13, 11: 14, 12: 15}


def _swap(pairs: dict[int, int]) -> np.ndarray:
    p = np.arange(NUM_JOINTS)
    for a, b in pairs.items():
        p[a], p[b] = b, a
    return p


#: name -> builder of the candidate symmetry on the 16 joints
SKELETON_GROUPS: dict[str, Callable[[], PermGroup]] = {
    "trivial": lambda: PermGroup([], degree=NUM_JOINTS, order=1, name="trivial"),
    "arms": lambda: PermGroup([_swap(_ARMS)], order=2, name="arms"),
    "legs": lambda: PermGroup([_swap(_LEGS)], order=2, name="legs"),
    "mirror": lambda: PermGroup([_swap({**_ARMS, **_LEGS})], order=2, name="mirror"),
    "aut": lambda: PermGroup([_swap(_ARMS), _swap(_LEGS)], order=4, name="aut"),
    "sym": lambda: symmetric(NUM_JOINTS),
}


def skeleton_graph():
    """The skeleton as a networkx graph on nodes ``0..15`` with a ``joint`` name attribute."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from((i, {"joint": name}) for i, name in enumerate(JOINTS))
    g.add_edges_from(EDGES)
    return g


@cache
def skeleton_group(name: str) -> PermGroup:
    """The candidate symmetry ``name`` of :data:`SKELETON_GROUPS` (cached)."""
    if name not in SKELETON_GROUPS:
        raise ValueError(f"name must be one of {list(SKELETON_GROUPS)}, got {name!r}")
    return SKELETON_GROUPS[name]()


def _limb_energy(X: np.ndarray) -> dict[str, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 3:  # (B, n, 1): the verifier's layout
        X = X[..., 0]
    e = {k: sum((w + 1) * X[:, v] for w, (_, v) in enumerate(edges)) for k, edges in LIMBS.items()}
    e["torso"] = (X[:, 3] - X[:, 1]) + 0.5 * (X[:, 2] - X[:, 0])
    return e


def _gait_margin(X: np.ndarray) -> np.ndarray:
    e = _limb_energy(X)
    arms, legs = e["l_arm"] - e["r_arm"], e["l_leg"] - e["r_leg"]
    return -arms * legs + 0.3 * (e["l_arm"] + e["r_arm"] - e["l_leg"] - e["r_leg"]) + e["torso"]


def _balance_margin(X: np.ndarray) -> np.ndarray:
    e = _limb_energy(X)
    return np.abs(e["l_arm"] - e["r_arm"]) - np.abs(e["l_leg"] - e["r_leg"]) + e["torso"]


def gait_label(X: np.ndarray) -> np.ndarray:
    """The ``gait`` label (module notes) for ``X (B, 16)`` or ``(B, 16, 1)``; float64 0/1."""
    return (_gait_margin(X) > 0).astype(np.float64)


def balance_label(X: np.ndarray) -> np.ndarray:
    """The ``balance`` label (module notes) for ``X (B, 16)`` or ``(B, 16, 1)``; float64 0/1."""
    return (_balance_margin(X) > 0).astype(np.float64)


#: task -> (label function, margin function)
GRAPH_TASKS = {"gait": (gait_label, _gait_margin), "balance": (balance_label, _balance_margin)}
#: task -> name of its true symmetry in SKELETON_GROUPS
TRUE_SYMMETRY = {"gait": "mirror", "balance": "aut"}


def sample_graph_task(
    task: str, num: int, *, margin: float = 0.1, seed: int | np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    """``num`` samples ``(X (num, 16) float32, y (num,) int64)`` of ``task``, ambiguous ones rejected.

    A sample is kept when its margin (the quantity whose sign is the label) is at least ``margin`` away
    from zero; classes come out close to balanced because swapping the arms flips both labels' margins'
    signs for ``gait`` and the tasks are symmetric in distribution.
    """
    if task not in GRAPH_TASKS:
        raise ValueError(f"task must be one of {sorted(GRAPH_TASKS)}, got {task!r}")
    label, margin_fn = GRAPH_TASKS[task]
    rng = as_rng(seed)
    kept: list[np.ndarray] = []
    have = 0
    while have < num:
        X = rng.standard_normal((2 * (num - have) + 16, NUM_JOINTS))
        X = X[np.abs(margin_fn(X)) >= margin]
        kept.append(X)
        have += len(X)
    X = np.concatenate(kept)[:num]
    return X.astype(np.float32), label(X).astype(np.int64)
