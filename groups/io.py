"""Reading and writing groups: a small JSON schema and GAP cycle notation.

JSON schema (one object)::

    {"degree": n, "generators": [[...], ...], "name": "dihedral(4)", "order": 8}

``degree`` (int >= 0) and ``generators`` (lists of the 0-based images ``i -> p[i]``, each of length
``degree``) are required; ``name`` (string) and ``order`` (exact integer, checked on load) are
optional; other keys are ignored. Python's ``json`` reads and writes big integers exactly.

GAP notation is 1-based cycle notation, ``"(1,2,3)(4,5)"``, with ``"()"`` for the identity; a
generator list is ``"(1,2),(1,2,3)"``, optionally wrapped as ``"[...]"`` or ``"Group([...])"`` (what
:func:`to_gap` writes). GAP permutations do not record a degree: it defaults to the largest point
named, and ``degree=`` restores trailing fixed points.

Examples
--------
>>> from asen.groups.catalogue import dihedral
>>> to_gap(dihedral(4))
'Group([(1,2,3,4),(2,4)])'
>>> parse_gap_generators("(1,2,3,4),(2,4)").tolist()
[[1, 2, 3, 0], [0, 3, 2, 1]]
>>> from_json(to_json(dihedral(4))) == dihedral(4)
True
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import numpy as np

from .group import PermGroup
from .perm import as_perm, cycle_notation

__all__ = [
    "from_json",
    "load_group",
    "parse_gap_generators",
    "parse_gap_permutation",
    "save_group",
    "to_gap",
    "to_json",
]


# ----------------------------------------------------------------------------- JSON
def to_json(G: PermGroup, *, with_order: bool = True) -> dict[str, Any]:
    """The group as a JSON-ready dict ``{"degree", "generators", "name"?, "order"?}``.

    Parameters
    ----------
    G
        The group.
    with_order
        Include ``"order"`` (computes it if not yet known).

    Examples
    --------
    >>> from asen.groups.catalogue import cyclic
    >>> to_json(cyclic(3))
    {'name': 'cyclic(3)', 'degree': 3, 'order': 3, 'generators': [[1, 2, 0]]}
    """
    if not isinstance(G, PermGroup):
        raise TypeError(f"G must be a PermGroup, got {type(G).__name__}")
    obj: dict[str, Any] = {}
    if G.name is not None:
        obj["name"] = G.name
    obj["degree"] = G.degree
    if with_order:
        obj["order"] = G.order()
    obj["generators"] = G.generators.tolist()
    return obj


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def from_json(obj: Any) -> PermGroup:
    """Build a :class:`PermGroup` from a dict in the schema of :func:`to_json`, validating it.

    A stated ``"order"`` is checked against the order Schreier--Sims computes.

    Raises
    ------
    TypeError
        If ``obj`` is not a dict or a field has the wrong type.
    ValueError
        If a required key is missing, a generator is not a permutation of ``0..degree-1``, or
        ``"order"`` is wrong.

    Examples
    --------
    >>> from_json({"degree": 3, "generators": [[1, 0, 2]]}).order()
    2
    """
    if not isinstance(obj, dict):
        raise TypeError(
            f"group JSON must be an object with 'degree' and 'generators', got {type(obj).__name__}"
        )
    for key in ("degree", "generators"):
        if key not in obj:
            raise ValueError(
                f"group JSON is missing the key {key!r} (schema: {{'degree': n, 'generators': [[...]]}})"
            )
    degree, gens = obj["degree"], obj["generators"]
    if not _is_int(degree):
        raise TypeError(f"group JSON 'degree' must be an integer, got {degree!r}")
    if degree < 0:
        raise ValueError(f"group JSON 'degree' must be >= 0, got {degree}")
    if not isinstance(gens, list):
        raise TypeError(f"group JSON 'generators' must be a list of lists, got {type(gens).__name__}")
    perms = []
    for i, g in enumerate(gens):
        if not isinstance(g, list) or not all(_is_int(x) for x in g):
            raise TypeError(f"group JSON generator {i} must be a list of integers, got {g!r:.80}")
        perms.append(as_perm(g, degree, name=f"group JSON generator {i}"))
    name, order = obj.get("name"), obj.get("order")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"group JSON 'name' must be a string, got {name!r}")
    if order is not None and (not _is_int(order) or order < 1):
        raise ValueError(f"group JSON 'order' must be a positive integer, got {order!r}")
    G = PermGroup(perms, degree, name=name)
    if order is not None and G.order() != order:
        raise ValueError(
            f"group JSON 'order' is {order}, but the generators generate a group of order {G.order()}"
        )
    return G


def save_group(G: PermGroup, path: str | os.PathLike, *, with_order: bool = True) -> None:
    """Write ``G`` as JSON to ``path``, one generator per line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from asen.groups.catalogue import cyclic
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "c5.json"
    >>> save_group(cyclic(5), path); load_group(path).order()
    5
    """
    obj = to_json(G, with_order=with_order)
    head = {k: v for k, v in obj.items() if k != "generators"}
    lines = [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in head.items()]
    rows = ",\n".join("    " + json.dumps(g, separators=(",", ":")) for g in obj["generators"])
    text = "{\n" + "\n".join(lines) + '\n  "generators": [' + (f"\n{rows}\n  " if rows else "") + "]\n}\n"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def load_group(path: str | os.PathLike) -> PermGroup:
    """Read a group from a JSON file written by :func:`save_group` (or by hand, same schema).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError, TypeError
        If ``path`` is a directory, the file is not UTF-8 JSON or it does not follow the schema; the message
        starts with the path.
    """
    if os.path.isdir(path):
        raise ValueError(f"{os.fspath(path)} is a directory, not a group JSON file")
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{os.fspath(path)}: not UTF-8 text ({exc})") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{os.fspath(path)}: not valid JSON ({exc})") from None
    try:
        return from_json(obj)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{os.fspath(path)}: {exc}") from None


# ----------------------------------------------------------------------------- GAP notation
_TOKEN = re.compile(r"\s*(?:(\d+)|(.))", re.DOTALL | re.ASCII)  # ASCII digits only


def _parse_cycles(text: str, offset: int = 0, whole: str | None = None) -> list[list[int]]:
    """Cycles of one GAP permutation, 1-based as written; positions in errors count from ``offset``."""
    whole = text if whole is None else whole

    def fail(msg: str, pos: int) -> ValueError:
        return ValueError(f"GAP permutation: {msg} at position {offset + pos} of {whole!r}")

    tokens = [(m.group(1), m.group(2), m.start(m.lastindex or 0)) for m in _TOKEN.finditer(text)]
    tokens = [t for t in tokens if not (t[1] is not None and t[1].isspace())]
    if not tokens:
        raise fail("empty permutation (write '()' for the identity)", 0)
    cycles: list[list[int]] = []
    seen: dict[int, int] = {}
    i = 0
    while i < len(tokens):
        num, ch, pos = tokens[i]
        if ch != "(":
            raise fail(f"expected '(' but found {num or ch!r}", pos)
        i += 1
        cycle: list[int] = []
        while True:
            if i >= len(tokens):
                raise fail("unclosed '('", pos)
            num, ch, p = tokens[i]
            if ch == ")" and not cycle:
                i += 1
                break
            if num is None:
                raise fail(f"expected a point but found {ch!r}", p)
            point = int(num)
            if point == 0:
                raise fail("point 0: GAP points are 1-based", p)
            if point in seen:
                raise fail(f"point {point} appears twice (cycles must be disjoint)", p)
            seen[point] = p
            cycle.append(point)
            i += 1
            if i >= len(tokens):
                raise fail("unclosed '('", pos)
            _, ch, p = tokens[i]
            i += 1
            if ch == ")":
                break
            if ch != ",":
                raise fail(f"expected ',' or ')' but found {tokens[i - 1][0] or ch!r}", p)
        if cycle:
            cycles.append(cycle)
    return cycles


def _cycles_to_perm(cycles: list[list[int]], degree: int) -> np.ndarray:
    p = np.arange(degree, dtype=np.int64)
    for cyc in cycles:
        pts = np.asarray(cyc, dtype=np.int64) - 1
        p[pts] = np.roll(pts, -1)
    return p


def _max_point(cycles: list[list[int]]) -> int:
    return max((max(c) for c in cycles), default=0)


def _check_degree(degree: int | None, needed: int, what: str) -> int:
    if degree is None:
        return needed
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or degree < 0:
        raise ValueError(f"degree must be a non-negative integer, got {degree!r}")
    if needed > degree:
        raise ValueError(f"{what} moves point {needed}, more than degree={degree}")
    return int(degree)


def parse_gap_permutation(text: str, degree: int | None = None) -> np.ndarray:
    """A permutation from GAP cycle notation (1-based), as a 0-based array of images.

    ``"(1,2,3)(4,5)"`` is ``1 -> 2 -> 3 -> 1, 4 <-> 5``; the array has length ``degree`` (default:
    the largest point named). Cycles must be disjoint; ``"()"`` is the identity.

    Raises
    ------
    ValueError
        On junk, point 0, a repeated point, or a point larger than ``degree``.

    Examples
    --------
    >>> parse_gap_permutation("(1,2,3)(4,5)").tolist()
    [1, 2, 0, 4, 3]
    >>> parse_gap_permutation("()", degree=3).tolist()
    [0, 1, 2]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    cycles = _parse_cycles(text)
    n = _check_degree(degree, _max_point(cycles), f"permutation {text!r}")
    return _cycles_to_perm(cycles, n)


def _strip_wrappers(text: str) -> tuple[str, int]:
    """Remove ``Group( ... )`` and ``[ ... ]`` around a generator list; return the body and its offset."""
    offset = 0
    for pattern in (r"\s*Group\s*\((.*)\)\s*$", r"\s*\[(.*)\]\s*$"):
        m = re.match(pattern, text, re.DOTALL)
        if m:
            offset += m.start(1)
            text = m.group(1)
    return text, offset


def parse_gap_generators(text: str, degree: int | None = None) -> np.ndarray:
    """Generators from a GAP list ``"(1,2),(1,2,3)"`` (or ``"[...]"``, ``"Group([...])"``).

    Commas inside parentheses separate points; commas between them separate generators. All
    generators get one common degree: ``degree`` if given, else the largest point named.

    Returns
    -------
    numpy.ndarray
        ``(k, degree)`` int64 array of 0-based images (``k = 0`` for an empty list).

    Examples
    --------
    >>> parse_gap_generators("Group([(1,2), (1,2,3)])").tolist()
    [[1, 0, 2], [1, 2, 0]]
    >>> parse_gap_generators("(1,2)", degree=4).tolist()
    [[1, 0, 2, 3]]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    body, offset = _strip_wrappers(text)
    parts: list[tuple[str, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError(f"GAP generators: unbalanced ')' at position {offset + i} of {text!r}")
        elif ch == "," and depth == 0:
            parts.append((body[start:i], start))
            start = i + 1
    parts.append((body[start:], start))
    if len(parts) == 1 and not parts[0][0].strip():
        parts = []  # empty list: no generators
    all_cycles = [_parse_cycles(part, offset + pos, text) for part, pos in parts]
    needed = max((_max_point(c) for c in all_cycles), default=0)
    n = _check_degree(degree, needed, "a generator")
    if not all_cycles:
        return np.empty((0, n), dtype=np.int64)
    return np.stack([_cycles_to_perm(c, n) for c in all_cycles])


def to_gap(G: PermGroup) -> str:
    """GAP input for ``G``: ``"Group([(1,2,3),(1,2)])"`` (1-based; ``"Group([()])"`` if no generators).

    ``parse_gap_generators(to_gap(G), degree=G.degree)`` gives back ``G.generators``.

    Examples
    --------
    >>> from asen.groups.catalogue import symmetric
    >>> to_gap(symmetric(3))
    'Group([(1,2),(1,2,3)])'
    """
    if not isinstance(G, PermGroup):
        raise TypeError(f"G must be a PermGroup, got {type(G).__name__}")
    gens = [cycle_notation(g) for g in G.generators] or ["()"]
    return "Group([" + ",".join(gens) + "])"
