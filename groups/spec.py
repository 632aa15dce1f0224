"""Group specs: the little language every ``asen`` command reads groups in.

:func:`parse` reads catalogue expressions with a recursive-descent parser (no ``eval``)::

    spec   := call
    call   := NAME [ "(" [ arg ("," arg)* ] ")" ]      # a bare NAME is a call with no arguments
    arg    := INT | NAME "=" (NAME | STRING) | call

e.g. ``"dihedral(8)"``, ``"product(cyclic(4), symmetric(3))"``, ``"wreath(symmetric(3), symmetric(2))"``,
``"young(2,3)"``, ``"cube_rotations(on=faces)"``. Every catalogue group's ``name`` is such a spec.
:func:`resolve` also accepts ``"@path.json"`` (a group file, see :mod:`asen.groups.io`) and
``"gap:(1,2)(3,4),(1,3)"`` (GAP cycle notation, 1-based) with an optional ``";degree=N"`` suffix
for trailing fixed points.

Examples
--------
>>> parse("product(cyclic(4), symmetric(3))").order()
24
>>> resolve("gap:(1,2),(1,2,3);degree=4").name
'gap:(1,2),(1,2,3);degree=4'
"""

from __future__ import annotations

import difflib
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .catalogue import (
    affine_line,
    alternating,
    cyclic,
    dihedral,
    even_flips,
    mathieu,
    psl2,
    reversal,
    symmetric,
    symmetric_on_subsets,
    trivial,
    young,
)
from .geometric import grid_dihedral, grid_flips, grid_rotations, p4, p4m, torus_translations
from .group import PermGroup
from .io import load_group, parse_gap_generators
from .perm import cycle_notation
from .products import direct_product, wreath
from .solids import cube_rotations, icosahedral_rotations, tetrahedral_rotations

__all__ = ["CATALOGUE", "as_group", "parse", "resolve"]


@dataclass(frozen=True)
class _Entry:
    """How a spec name is called: positional kinds ('int' or 'group'), how many, keyword choices."""

    func: Callable[..., PermGroup]
    kinds: tuple[str, ...] = ()
    min_args: int | None = None  # default: all of kinds
    variadic: bool = False  # the last kind repeats
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def signature(self, name: str) -> str:
        lo = len(self.kinds) if self.min_args is None else self.min_args
        args = [k if j < lo else f"[{k}]" for j, k in enumerate(self.kinds)]
        if self.variadic:
            args.append("...")
        args += [f"{k}={'|'.join(v)}" for k, v in self.keywords.items()]
        return f"{name}({', '.join(args)})"


_SOLID = {"on": ("vertices", "faces", "edges")}

#: Spec name -> how to call it. ``product`` is an alias of ``direct_product``.
#: old spec names kept for one release -> the name to use
DEPRECATED_NAMES = {"parity": "even_flips"}

CATALOGUE: dict[str, _Entry] = {
    "trivial": _Entry(trivial, ("int",)),
    "symmetric": _Entry(symmetric, ("int",)),
    "alternating": _Entry(alternating, ("int",)),
    "cyclic": _Entry(cyclic, ("int",)),
    "dihedral": _Entry(dihedral, ("int",)),
    "reversal": _Entry(reversal, ("int",)),
    "young": _Entry(young, ("int",), variadic=True),
    "even_flips": _Entry(even_flips, ("int",)),
    "parity": _Entry(even_flips, ("int",)),  # deprecated: DEPRECATED_NAMES
    "symmetric_on_subsets": _Entry(symmetric_on_subsets, ("int", "int")),
    "affine_line": _Entry(affine_line, ("int",)),
    "psl2": _Entry(psl2, ("int",)),
    "mathieu": _Entry(mathieu, ("int",)),
    "direct_product": _Entry(direct_product, ("group",), variadic=True),
    "product": _Entry(direct_product, ("group",), variadic=True),
    "wreath": _Entry(wreath, ("group", "group")),
    "torus_translations": _Entry(torus_translations, ("int", "int")),
    "grid_rotations": _Entry(grid_rotations, ("int", "int"), min_args=1),
    "grid_dihedral": _Entry(grid_dihedral, ("int", "int"), min_args=1),
    "grid_flips": _Entry(grid_flips, ("int", "int")),
    "p4": _Entry(p4, ("int",)),
    "p4m": _Entry(p4m, ("int",)),
    "cube_rotations": _Entry(cube_rotations, keywords=_SOLID),
    "tetrahedral_rotations": _Entry(tetrahedral_rotations, keywords=_SOLID),
    "icosahedral_rotations": _Entry(icosahedral_rotations, keywords=_SOLID),
}

#: ASCII only: ``\d`` and ``\w`` would also match other scripts' digits and letters (``cyclic(３)``)
_TOKEN = re.compile(
    r"\s*(?:(?P<int>-?\d+)|(?P<name>[A-Za-z_]\w*)|(?P<str>\"[^\"]*\"|'[^']*')|(?P<op>\S))", re.ASCII
)


@dataclass
class _Tok:
    kind: str  # 'int', 'name', 'str', 'op', 'end'
    text: str
    pos: int


class _Parser:
    def __init__(self, spec: str):
        self.spec = spec
        self.toks = [
            _Tok(m.lastgroup or "op", m.group(m.lastgroup or "op"), m.start(m.lastgroup or "op"))
            for m in _TOKEN.finditer(spec)
            if m.lastgroup
        ]
        self.toks.append(_Tok("end", "", len(spec)))
        self.i = 0

    def error(self, msg: str, pos: int) -> ValueError:
        return ValueError(f"group spec {self.spec!r}, position {pos}: {msg}")

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> _Tok:
        tok = self.take()
        if tok.text != text or tok.kind != "op":
            found = "the end" if tok.kind == "end" else repr(tok.text)
            raise self.error(f"expected {text!r} but found {found}", tok.pos)
        return tok

    def parse(self) -> PermGroup:
        group = self.call()
        tok = self.peek()
        if tok.kind != "end":
            raise self.error(f"unexpected {tok.text!r} after a complete spec", tok.pos)
        return group

    def call(self) -> PermGroup:
        tok = self.take()
        if tok.kind != "name":
            found = "the end" if tok.kind == "end" else repr(tok.text)
            raise self.error(f"expected a group name but found {found}", tok.pos)
        entry = CATALOGUE.get(tok.text)
        if entry is None:
            close = difflib.get_close_matches(tok.text, CATALOGUE, n=1)
            hint = (
                f"; did you mean {close[0]!r}?" if close else f"; known names: {', '.join(sorted(CATALOGUE))}"
            )
            raise self.error(f"unknown group {tok.text!r}{hint}", tok.pos)
        if tok.text in DEPRECATED_NAMES:
            warnings.warn(
                f"the group spec name {tok.text!r} is deprecated; use {DEPRECATED_NAMES[tok.text]!r}",
                DeprecationWarning,
                stacklevel=4,
            )
        args: list[tuple[Any, _Tok]] = []
        kwargs: dict[str, str] = {}
        if self.peek().text == "(" and self.peek().kind == "op":
            self.take()
            if not (self.peek().kind == "op" and self.peek().text == ")"):
                while True:
                    self.argument(tok.text, entry, args, kwargs)
                    if self.peek().kind == "op" and self.peek().text == ",":
                        self.take()
                        continue
                    break
            self.expect(")")
        return self.apply(tok, entry, args, kwargs)

    def argument(self, name: str, entry: _Entry, args: list, kwargs: dict) -> None:
        tok = self.peek()
        if tok.kind == "int":
            self.take()
            args.append((int(tok.text), tok))
        elif tok.kind == "name" and self.toks[self.i + 1].text == "=":
            self.take()
            self.take()
            val = self.take()
            if val.kind not in ("name", "str"):
                raise self.error(f"keyword {tok.text!r} of {name} needs a word value", val.pos)
            word = val.text.strip("\"'") if val.kind == "str" else val.text
            if tok.text not in entry.keywords:
                raise self.error(
                    f"{name} has no keyword {tok.text!r}; signature {entry.signature(name)}", tok.pos
                )
            if word not in entry.keywords[tok.text]:
                choices = ", ".join(entry.keywords[tok.text])
                raise self.error(f"{name}: {tok.text}={word!r} is not one of {choices}", val.pos)
            if tok.text in kwargs:
                raise self.error(f"{name}: keyword {tok.text!r} given twice", tok.pos)
            kwargs[tok.text] = word
        elif tok.kind == "name":
            args.append((self.call(), tok))
        else:
            found = "the end" if tok.kind == "end" else repr(tok.text)
            raise self.error(f"expected an argument of {name} but found {found}", tok.pos)

    def apply(self, head: _Tok, entry: _Entry, args: list, kwargs: dict) -> PermGroup:
        name = head.text
        lo = len(entry.kinds) if entry.min_args is None else entry.min_args
        hi = None if entry.variadic else len(entry.kinds)
        if len(args) < lo or (hi is not None and len(args) > hi):
            want = f"{lo}" if lo == hi else (f"at least {lo}" if hi is None else f"{lo} to {hi}")
            noun = "argument" if want == "1" else "arguments"
            raise self.error(
                f"{name} takes {want} {noun}, got {len(args)}; signature {entry.signature(name)}", head.pos
            )
        for j, (value, tok) in enumerate(args):
            kind = entry.kinds[min(j, len(entry.kinds) - 1)]
            if kind == "int" and not isinstance(value, int):
                raise self.error(f"argument {j + 1} of {name} must be an integer, got a group", tok.pos)
            if kind == "group" and not isinstance(value, PermGroup):
                raise self.error(
                    f"argument {j + 1} of {name} must be a group, got the integer {value}", tok.pos
                )
        try:
            return entry.func(*(v for v, _ in args), **kwargs)
        except (ValueError, TypeError, OverflowError) as exc:
            msg = str(exc)
            raise self.error(msg if msg.startswith(name) else f"{name}: {msg}", head.pos) from None


def parse(spec: str) -> PermGroup:
    """The catalogue group a spec names, e.g. ``"wreath(symmetric(3), symmetric(2))"``.

    ``spec = NAME [( arg, ... )]`` with integer, keyword (``on=faces``) or nested group arguments;
    see :data:`CATALOGUE` for the names and :mod:`asen.groups.spec` for the grammar.

    Raises
    ------
    ValueError
        Naming the unknown name, wrong arity or bad argument and its 0-based character position.

    Examples
    --------
    >>> G = parse("wreath(symmetric(3), symmetric(2))"); G.degree, G.order()
    (6, 72)
    >>> parse("dihedral(8)").name
    'dihedral(8)'
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a string, got {type(spec).__name__}")
    return _Parser(spec).parse()


def resolve(spec: str) -> PermGroup:
    """The group a command-line argument names: a catalogue spec, ``@file.json`` or ``gap:...``.

    * ``"dihedral(8)"`` and any other :func:`parse` spec;
    * ``"@path/to/group.json"``: :func:`asen.groups.io.load_group`;
    * ``"gap:(1,2)(3,4),(1,3)"``: generators in GAP cycle notation (1-based, also ``gap:Group([...])``),
      with ``";degree=N"`` appended to add fixed points beyond the largest point named.

    Examples
    --------
    >>> resolve("gap:(1,2,3)").order(), resolve("gap:(1,2);degree=5").degree
    (3, 5)
    """
    if not isinstance(spec, str):
        raise TypeError(f"spec must be a string, got {type(spec).__name__}")
    text = spec.strip()
    if text.startswith("@"):
        if not text[1:]:
            raise ValueError("'@' must be followed by the path of a group JSON file")
        return load_group(text[1:])
    if text[:4].lower() == "gap:":
        return _resolve_gap(text[4:])
    return parse(text)


def as_group(group: Any) -> PermGroup:
    """Anything that names a permutation group, as a :class:`PermGroup`: the one entry point.

    Accepts a :class:`PermGroup` (returned as is), a string for :func:`resolve` (catalogue spec,
    ``"@file.json"``, ``"gap:..."``), a path object of a group JSON file, or a sympy
    ``PermutationGroup``. Every asen function that takes a group (``symmetry_breaking_input``,
    ``ASEN.add_symmetry``, ``check_equivariance``, the CLI, the experiments) goes through here.

    Raises
    ------
    TypeError
        For any other type, naming it.
    ValueError
        For a string or file that does not describe a group (see :func:`resolve`).

    Examples
    --------
    >>> as_group("dihedral(5)").order(), as_group("gap:(1,2,3),(1,2)").order()
    (10, 6)
    >>> G = as_group("cyclic(4)"); as_group(G) is G
    True
    """
    if isinstance(group, PermGroup):
        return group
    if isinstance(group, str):
        return resolve(group)
    if isinstance(group, os.PathLike):
        return load_group(group)
    if type(group).__name__ == "PermutationGroup" and type(group).__module__.startswith("sympy"):
        return PermGroup.from_sympy(group)
    raise TypeError(
        "group must be a PermGroup, a group spec string (e.g. 'dihedral(8)', '@g.json', 'gap:(1,2)'), "
        f"a group file path or a sympy PermutationGroup, got {type(group).__name__}"
    )


def _resolve_gap(body: str) -> PermGroup:
    degree = None
    if ";" in body:
        body, _, option = body.partition(";")
        m = re.fullmatch(r"\s*degree\s*=\s*(\d+)\s*", option, re.ASCII)
        if not m:
            raise ValueError(f"gap: spec option must be ';degree=N', got {option!r}")
        degree = int(m.group(1))
    gens = parse_gap_generators(body, degree)
    if gens.shape[1] == 0:
        raise ValueError("gap: spec names no points; append ';degree=N' to say how many")
    n = gens.shape[1]
    listed = ",".join(cycle_notation(g) for g in gens) or "()"
    moved = np.flatnonzero((gens != np.arange(n)).any(axis=0))
    suffix = f";degree={n}" if n > (int(moved[-1]) + 1 if moved.size else 0) else ""
    return PermGroup(gens, n, name=f"gap:{listed}{suffix}")
