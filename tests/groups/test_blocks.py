"""Block systems (groups/blocks.py): known groups first, then invariance and sympy cross-checks."""

from __future__ import annotations

import numpy as np
from group_gens import draw_partial_permutation, symmetric_gens, wreath_gens
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation, PermutationGroup

from asen.groups.blocks import block_action, block_stabiliser_action, minimal_block
from asen.groups.chain import StabilizerChain

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def dihedral_gens(n: int) -> np.ndarray:
    return np.stack([np.roll(np.arange(n), -1), (-np.arange(n)) % n])


def order_of(gens: np.ndarray) -> int:
    return StabilizerChain(gens, gens.shape[1]).order()


@st.composite
def transitive_generator_lists(draw, *, max_degree: int = 9, max_extra: int = 2):
    """An ``n``-cycle on shuffled points plus up to ``max_extra`` permutations: always transitive."""
    n = draw(st.integers(2, max_degree))
    order = np.array(draw(st.permutations(range(n))))
    cycle = np.empty(n, dtype=np.int64)
    cycle[order] = np.roll(order, -1)
    extra = [draw_partial_permutation(draw, n) for _ in range(draw(st.integers(0, max_extra)))]
    return np.stack([cycle, *extra])


def test_minimal_blocks_of_known_groups():
    # S_2 wr S_3: the pairs {0,1}, {2,3}, {4,5} are the blocks joining 0 and 1
    assert minimal_block(wreath_gens(2, 3), 0, 1).tolist() == [0, 0, 1, 1, 2, 2]
    # D_6 on a hexagon: opposite corners form blocks; S_5 is primitive
    assert minimal_block(dihedral_gens(6), 0, 3).tolist() == [0, 1, 2, 0, 1, 2]
    assert minimal_block(symmetric_gens(5), 0, 2) is None


def test_block_actions_of_a_wreath_product():
    """S_4 wr S_3 on 3 blocks of 4: S_3 on the blocks, S_4 on block 0 from its setwise stabiliser."""
    gens = wreath_gens(4, 3)
    labels = minimal_block(gens, 0, 1)
    assert labels.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    top = block_action(gens, labels)
    assert top.shape == (len(gens), 3) and order_of(top) == 6
    local = block_stabiliser_action(gens, labels)
    assert local.shape[1] == 4 and order_of(local) == 24
    # D_6: S_3 on the three diagonals; the setwise stabiliser of the diagonal {0, 3} swaps its ends
    labels = minimal_block(dihedral_gens(6), 0, 3)
    assert order_of(block_action(dihedral_gens(6), labels)) == 6
    assert order_of(block_stabiliser_action(dihedral_gens(6), labels)) == 2


@SETTINGS
@given(transitive_generator_lists(), st.data())
def test_minimal_block_is_an_invariant_partition_matching_sympy(gens, data):
    n = gens.shape[1]
    b = data.draw(st.integers(1, n - 1))
    labels = minimal_block(gens, 0, b)
    S = PermutationGroup([Permutation(g.tolist()) for g in gens])
    sympy_blocks = len(set(S.minimal_block([0, b])))
    if labels is None:
        assert sympy_blocks == 1
        return
    m = int(labels.max()) + 1
    assert m == sympy_blocks and labels[0] == labels[b]
    assert (np.bincount(labels) == n // m).all()  # blocks of one size
    top = block_action(gens, labels)
    assert np.array_equal(top[:, labels], labels[gens])  # g maps block labels[x] to labels[g(x)]
    assert order_of(top) * order_of(block_stabiliser_action(gens, labels)) ** m >= S.order()
