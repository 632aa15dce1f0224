"""Group specs: every catalogue name parses, names round-trip, nesting works, errors say where."""

import doctest
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import asen.groups.spec as spec_module
from asen.groups import PermGroup
from asen.groups.catalogue import cyclic, dihedral, symmetric
from asen.groups.io import save_group
from asen.groups.products import direct_product, wreath
from asen.groups.spec import CATALOGUE, parse, resolve

# one example per catalogue name, with its order
EXAMPLES = {
    "trivial": ("trivial(4)", 1),
    "symmetric": ("symmetric(5)", 120),
    "alternating": ("alternating(5)", 60),
    "cyclic": ("cyclic(7)", 7),
    "dihedral": ("dihedral(8)", 16),
    "reversal": ("reversal(6)", 2),
    "young": ("young(2,3)", 12),
    "even_flips": ("even_flips(4)", 8),
    "symmetric_on_subsets": ("symmetric_on_subsets(5,2)", 120),
    "affine_line": ("affine_line(7)", 42),
    "psl2": ("psl2(7)", 168),
    "mathieu": ("mathieu(11)", 7920),
    "direct_product": ("direct_product(cyclic(2), cyclic(3))", 6),
    "product": ("product(cyclic(4), symmetric(3))", 24),
    "wreath": ("wreath(symmetric(3), symmetric(2))", 72),
    "torus_translations": ("torus_translations(4,4)", 16),
    "grid_rotations": ("grid_rotations(5)", 4),
    "grid_dihedral": ("grid_dihedral(4,4)", 8),
    "grid_flips": ("grid_flips(2,3)", 4),
    "p4": ("p4(5)", 100),
    "p4m": ("p4m(8)", 512),
    "cube_rotations": ("cube_rotations(on=faces)", 24),
    "tetrahedral_rotations": ("tetrahedral_rotations", 12),
    "icosahedral_rotations": ("icosahedral_rotations(on='edges')", 60),
}


def test_every_catalogue_name_has_an_example():
    assert set(EXAMPLES) == set(CATALOGUE) - set(spec_module.DEPRECATED_NAMES)
    assert set(spec_module.DEPRECATED_NAMES.values()) <= set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_parse_and_names_round_trip(name):
    text, order = EXAMPLES[name]
    G = parse(text)
    assert G.order() == order
    H = parse(G.name)
    assert H.name == G.name and H == G


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_order_hint_agrees_with_schreier_sims_without_it(name):
    G = parse(EXAMPLES[name][0])
    assert PermGroup(G.generators, G.degree).order() == G.order()


def test_nesting_and_aliases():
    assert parse("product(cyclic(4), symmetric(3))") == direct_product(cyclic(4), symmetric(3))
    W = parse("wreath(wreath(cyclic(2), cyclic(2)), product(cyclic(2), dihedral(3)))")
    assert W == wreath(wreath(cyclic(2), cyclic(2)), direct_product(cyclic(2), dihedral(3)))
    assert W.order() == 8**5 * 12


def test_whitespace_and_bare_names():
    assert parse("  dihedral ( 8 )  ").name == "dihedral(8)"
    assert parse("product(tetrahedral_rotations, cyclic(3))").order() == 36
    assert parse("cube_rotations()").name == "cube_rotations(on=vertices)"


@pytest.mark.parametrize(
    "text,match",
    [
        ("dihedal(8)", r"position 0: unknown group 'dihedal'; did you mean 'dihedral'\?"),
        ("foo(1)", "position 0: unknown group 'foo'; known names: affine_line"),
        ("product(cyclic(2), cyclc(3))", "position 19: unknown group 'cyclc'"),
        ("dihedral(8", "position 10: expected '\\)' but found the end"),
        ("dihedral(8))", "position 11: unexpected '\\)' after a complete spec"),
        ("dihedral(8,)", "position 11: expected an argument of dihedral"),
        ("dihedral(8, 3)", r"position 0: dihedral takes 1 argument, got 2; signature dihedral\(int\)"),
        ("wreath(cyclic(2))", "wreath takes 2 arguments, got 1"),
        ("young()", "young takes at least 1 argument"),
        ("grid_rotations(1,2,3)", "grid_rotations takes 1 to 2 arguments"),
        ("dihedral(cyclic(3))", "position 9: argument 1 of dihedral must be an integer, got a group"),
        ("wreath(3, cyclic(2))", "position 7: argument 1 of wreath must be a group, got the integer 3"),
        ("product(cyclic(2), 5)", "position 19: argument 2 of product must be a group"),
        ("dihedral(0)", "position 0: dihedral: n must be an integer >= 1, got 0"),
        ("psl2(8)", "psl2: p must be a prime, got 8"),
        ("mathieu(10)", "mathieu: Mathieu groups act on n in .* points, got 10"),
        ("grid_rotations(3, 4)", "grid_rotations needs a square image"),
        ("dihedral(on=faces)", "dihedral has no keyword 'on'"),
        ("cube_rotations(on=corners)", "position 18: cube_rotations: on='corners' is not one of vertices"),
        ("cube_rotations(on=3)", "keyword 'on' of cube_rotations needs a word value"),
        ("cube_rotations(on=faces, on=edges)", "keyword 'on' given twice"),
        ("dihedral($)", "position 9: expected an argument of dihedral but found '\\$'"),
        ("8", "position 0: expected a group name but found '8'"),
        ("", "expected a group name but found the end"),
        ("cyclic(\uff13)", "position 7: expected an argument of cyclic but found '\uff13'"),  # full-width 3
        ("cyclic(\u0663)", "position 7: expected an argument of cyclic"),  # Arabic-Indic 3
        ("symmetric(99999999999999999999)", "position 0: symmetric: n = 99999999999999999999 is too large"),
        ("young(2, 99999999999999999999)", "position 0: young: block size 1 = 9+ is too large"),
    ],
)
def test_parse_errors_name_the_problem_and_position(text, match):
    with pytest.raises(ValueError, match=match):
        parse(text)


def test_parse_rejects_non_strings():
    with pytest.raises(TypeError, match="spec must be a string"):
        parse(8)


def test_parse_does_not_evaluate_python():
    with pytest.raises(ValueError, match="unknown group '__import__'"):
        parse("__import__('os')")


# ----------------------------------------------------------------------------- resolve
def test_resolve_catalogue_spec():
    assert resolve("dihedral(8)") == dihedral(8)


def test_resolve_json_file(tmp_path):
    path = tmp_path / "w.json"
    save_group(wreath(cyclic(3), cyclic(2)), path)
    G = resolve(f"@{path}")
    assert G.order() == 18 and G.name == "wreath(cyclic(3), cyclic(2))"
    with pytest.raises(FileNotFoundError, match="No such file or directory.*absent.json"):
        resolve(f"@{tmp_path / 'absent.json'}")
    with pytest.raises(ValueError, match="'@' must be followed by the path"):
        resolve("@")


def test_resolve_gap():
    G = resolve("gap:(1,2)(3,4),(1,3)")
    assert G.degree == 4 and G.order() == 8
    assert G.name == "gap:(1,2)(3,4),(1,3)"
    H = resolve("gap:(1,2);degree=5")
    assert H.degree == 5 and H.name == "gap:(1,2);degree=5" and len(H.orbits()) == 4
    assert resolve(H.name) == H
    assert resolve("GAP:Group([(1,2,3),(1,2)])") == symmetric(3)
    assert resolve("gap:();degree=3").order() == 1


@pytest.mark.parametrize(
    "text,match",
    [
        ("gap:(1,2);deg=3", "must be ';degree=N'"),
        ("gap:", "names no points; append ';degree=N'"),
        ("gap:(1,2,2)", "point 2 appears twice"),
        ("gap:(1,5);degree=3", "moves point 5, more than degree=3"),
        ("gap:(\uff11,\uff12)", "expected a point but found '\uff11'"),  # full-width digits
        ("gap:(1,2);degree=\uff13", "must be ';degree=N'"),
    ],
)
def test_resolve_gap_errors(text, match):
    with pytest.raises(ValueError, match=match):
        resolve(text)


def test_docstring_examples():
    assert doctest.testmod(spec_module).failed == 0


# ----------------------------------------------------------------------------- properties
# (spec, degree, order) triples, combined with the order formulas of products and wreaths
_ATOMS = st.sampled_from(
    [
        ("cyclic(2)", 2, 2),
        ("cyclic(3)", 3, 3),
        ("symmetric(3)", 3, 6),
        ("dihedral(4)", 4, 8),
        ("young(1,2)", 3, 2),
    ]
)


def _wreath(pair):
    (g, a, og), (h, b, oh) = pair
    return f"wreath({g}, {h})", a * b, og**b * oh


def _product(parts):
    return (
        f"product({', '.join(p[0] for p in parts)})",
        sum(p[1] for p in parts),
        math.prod(p[2] for p in parts),
    )


_SPECS = st.recursive(
    _ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(_wreath), st.lists(inner, min_size=1, max_size=3).map(_product)
    ),
    max_leaves=3,
)


@settings(max_examples=40, deadline=None)
@given(case=_SPECS)
def test_random_nested_specs_round_trip_and_have_the_product_order(case):
    text, degree, order = case
    G = parse(text)
    assert (G.degree, G.order()) == (degree, order)
    H = parse(G.name)
    assert H.name == G.name and H == G


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 30), pads=st.lists(st.sampled_from(["", " ", "\t", "\n  "]), min_size=5, max_size=5))
def test_whitespace_between_tokens_does_not_matter(n, pads):
    text = f"{pads[0]}dihedral{pads[1]}({pads[2]}{n}{pads[3]}){pads[4]}"
    assert parse(text).order() == (2 * n if n >= 3 else n)
