"""Names renamed in the house-in-order refactor still work for one release, with a DeprecationWarning."""

import numpy as np
import pytest

import asen.groups as groups
from asen.groups import colored_automorphisms, even_flips, parse_spec, signature
from asen.groups.perm import parity


def test_parity_group_alias_warns_and_is_even_flips():
    with pytest.warns(DeprecationWarning, match="use asen.groups.even_flips"):
        old = groups.parity
    assert old is even_flips
    assert old(3).order() == 4


def test_parity_spec_name_warns_and_builds_even_flips():
    with pytest.warns(DeprecationWarning, match="'parity' is deprecated; use 'even_flips'"):
        G = parse_spec("parity(4)")
    assert G == even_flips(4) and G.name == "even_flips(4)"


def test_coloured_automorphisms_alias_warns():
    with pytest.warns(DeprecationWarning, match="use asen.groups.colored_automorphisms"):
        old = groups.coloured_automorphisms
    assert old is colored_automorphisms


def test_unknown_attribute_still_raises():
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        groups.not_a_name  # noqa: B018


def test_signature_is_the_sign_of_parity():
    rows = np.array([[0, 1, 2], [1, 0, 2], [1, 2, 0], [2, 1, 0]])
    assert signature(rows).tolist() == [1, -1, 1, -1]
    assert (signature(rows) == 1 - 2 * parity(rows)).all()
