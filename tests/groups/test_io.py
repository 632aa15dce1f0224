"""Group JSON files and GAP cycle notation: round trips and clear errors."""

import doctest
import json
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asen.groups.io as gio
from asen.groups import PermGroup, cycle_notation
from asen.groups.catalogue import cyclic, dihedral, symmetric, trivial, young
from asen.groups.geometric import p4m
from asen.groups.io import (
    from_json,
    load_group,
    parse_gap_generators,
    parse_gap_permutation,
    save_group,
    to_gap,
    to_json,
)
from asen.groups.products import wreath

CATALOGUE_SAMPLE = [dihedral(6), young(2, 3), wreath(symmetric(3), symmetric(2)), p4m(4), trivial(3)]


# ----------------------------------------------------------------------------- JSON
def test_to_json_schema():
    assert to_json(dihedral(4)) == {
        "name": "dihedral(4)",
        "degree": 4,
        "order": 8,
        "generators": [[1, 2, 3, 0], [0, 3, 2, 1]],
    }
    assert to_json(PermGroup([[1, 0]]), with_order=False) == {"degree": 2, "generators": [[1, 0]]}


@pytest.mark.parametrize("G", CATALOGUE_SAMPLE, ids=lambda G: G.name)
def test_json_round_trip(G, tmp_path):
    H = from_json(json.loads(json.dumps(to_json(G))))
    assert H == G and H.name == G.name and np.array_equal(H.generators, G.generators)
    path = tmp_path / "g.json"
    save_group(G, path)
    K = load_group(path)
    assert K == G and K.name == G.name and K.degree == G.degree


def test_huge_order_is_an_exact_json_number(tmp_path):
    path = tmp_path / "s40.json"
    save_group(symmetric(40), path)
    assert json.loads(path.read_text())["order"] == math.factorial(40)
    assert load_group(path).order() == math.factorial(40)


@pytest.mark.parametrize(
    "obj,exc,match",
    [
        ([1, 2], TypeError, "must be an object"),
        ({"generators": [[0]]}, ValueError, "missing the key 'degree'"),
        ({"degree": 2}, ValueError, "missing the key 'generators'"),
        ({"degree": "2", "generators": []}, TypeError, "'degree' must be an integer"),
        ({"degree": True, "generators": []}, TypeError, "'degree' must be an integer"),
        ({"degree": -1, "generators": []}, ValueError, "'degree' must be >= 0"),
        ({"degree": 2, "generators": "(1,2)"}, TypeError, "'generators' must be a list"),
        ({"degree": 2, "generators": [[1.0, 0]]}, TypeError, "generator 0 must be a list of integers"),
        ({"degree": 3, "generators": [[1, 0]]}, ValueError, "generator 0 has length 2, expected degree 3"),
        ({"degree": 3, "generators": [[0, 1, 2], [1, 1, 2]]}, ValueError, "generator 1 repeats the image 1"),
        ({"degree": 2, "generators": [[0, 2]]}, ValueError, "entry 2 outside 0..1"),
        ({"degree": 2, "generators": [], "name": 5}, TypeError, "'name' must be a string"),
        ({"degree": 2, "generators": [], "order": 0}, ValueError, "'order' must be a positive integer"),
        ({"degree": 3, "generators": [[1, 2, 0]], "order": 6}, ValueError, "'order' is 6, but .* order 3"),
    ],
)
def test_from_json_errors(obj, exc, match):
    with pytest.raises(exc, match=match):
        from_json(obj)


def test_load_group_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match=r"bad\.json: not valid JSON"):
        load_group(bad)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"degree": 2}')
    with pytest.raises(ValueError, match=r"wrong\.json: group JSON is missing the key 'generators'"):
        load_group(wrong)
    with pytest.raises(FileNotFoundError, match="No such file or directory.*absent.json"):
        load_group(tmp_path / "absent.json")
    with pytest.raises(ValueError, match="is a directory"):
        load_group(tmp_path)


def test_extra_keys_are_ignored():
    assert from_json({"degree": 2, "generators": [[1, 0]], "comment": "S2"}).order() == 2


# ----------------------------------------------------------------------------- GAP notation
@pytest.mark.parametrize(
    "text,degree,expected",
    [
        ("(1,2,3)(4,5)", None, [1, 2, 0, 4, 3]),
        ("( 1 , 2 )\n(3,4)", None, [1, 0, 3, 2]),
        ("(1,3)", 5, [2, 1, 0, 3, 4]),
        ("()", 3, [0, 1, 2]),
        ("()", None, []),
        ("(4)", None, [0, 1, 2, 3]),
    ],
)
def test_parse_gap_permutation(text, degree, expected):
    assert parse_gap_permutation(text, degree).tolist() == expected


@pytest.mark.parametrize(
    "text,degree,match",
    [
        ("(1,2)(2,3)", None, "point 2 appears twice"),
        ("(1,2,1)", None, "point 1 appears twice"),
        ("(0,1)", None, "point 0: GAP points are 1-based at position 1"),
        ("(1,2", None, "unclosed"),
        ("(1,2)x", None, "expected '\\(' but found 'x' at position 5"),
        ("(1;2)", None, "expected ',' or '\\)'"),
        ("(1,,2)", None, "expected a point"),
        ("(-1,2)", None, "expected a point but found '-'"),
        ("1,2", None, "expected '\\('"),
        ("", None, "empty permutation"),
        ("(1,7)", 5, "moves point 7, more than degree=5"),
        ("(1,2),(1,3)", None, "found ','"),
    ],
)
def test_parse_gap_permutation_errors(text, degree, match):
    with pytest.raises(ValueError, match=match):
        parse_gap_permutation(text, degree)


def test_parse_gap_permutation_rejects_non_strings():
    with pytest.raises(TypeError, match="text must be a string"):
        parse_gap_permutation([1, 2])


@pytest.mark.parametrize(
    "text,degree,expected",
    [
        ("(1,2),(1,2,3)", None, [[1, 0, 2], [1, 2, 0]]),  # commas between and inside cycles
        ("(1,2)(3,4),(1,3)", None, [[1, 0, 3, 2], [2, 1, 0, 3]]),
        ("[(1,2), (2,3)]", None, [[1, 0, 2], [0, 2, 1]]),
        ("Group([(1,2,3),(1,2)])", None, [[1, 2, 0], [1, 0, 2]]),
        ("Group((1,2),(3,4))", None, [[1, 0, 2, 3], [0, 1, 3, 2]]),
        ("Group([()])", 2, [[0, 1]]),
        ("(1,2)", 4, [[1, 0, 2, 3]]),
    ],
)
def test_parse_gap_generators(text, degree, expected):
    assert parse_gap_generators(text, degree).tolist() == expected


def test_parse_gap_generators_empty_list_and_errors():
    assert parse_gap_generators("[]", 3).shape == (0, 3)
    with pytest.raises(ValueError, match="unbalanced '\\)' at position 5"):
        parse_gap_generators("(1,2)),(3,4)")
    with pytest.raises(ValueError, match="empty permutation .* at position 6"):
        parse_gap_generators("(1,2),,(3,4)")
    with pytest.raises(ValueError, match="point 3 appears twice"):
        parse_gap_generators("(1,2),(3,4,3)")


@pytest.mark.parametrize("G", CATALOGUE_SAMPLE + [symmetric(1)], ids=lambda G: G.name)
def test_to_gap_round_trips(G):
    text = to_gap(G)
    assert text.startswith("Group([") and text.endswith("])")
    gens = parse_gap_generators(text, G.degree)
    assert PermGroup(gens, G.degree) == G


def test_to_gap_examples():
    assert to_gap(cyclic(3)) == "Group([(1,2,3)])"
    assert to_gap(trivial(4)) == "Group([()])"


def test_docstring_examples():
    assert doctest.testmod(gio).failed == 0


# ----------------------------------------------------------------------------- properties
@settings(max_examples=100, deadline=None)
@given(st.integers(1, 30).flatmap(lambda n: st.permutations(range(n))))
def test_random_permutation_gap_round_trip(perm):
    p = np.array(perm)
    assert np.array_equal(parse_gap_permutation(cycle_notation(p), degree=p.size), p)


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 12).flatmap(lambda n: st.lists(st.permutations(range(n)), min_size=1, max_size=4)),
)
def test_random_generator_lists_round_trip_through_gap_and_json(perms):
    G = PermGroup(perms)
    assert np.array_equal(parse_gap_generators(to_gap(G), G.degree), G.generators)
    assert np.array_equal(from_json(to_json(G)).generators, G.generators)


def test_a_group_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "g.json"
    path.write_bytes('{"name": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(ValueError, match="^" + re.escape(f"{path}: not UTF-8 text")):
        load_group(path)
