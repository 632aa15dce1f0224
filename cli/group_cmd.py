"""``asen group SPEC [--json] [--save PATH]``: describe a permutation group.

SPEC is anything :func:`asen.groups.as_group` reads: a catalogue spec (``"dihedral(8)"``,
``"wreath(symmetric(3), symmetric(2))"``), ``@group.json`` or ``gap:(1,2)(3,4),(1,3)``.

``--json`` prints one object: ``name``, ``degree``, ``order`` (exact integer), ``num_generators``,
``orbits`` (count), ``orbit_sizes``, ``transitive`` and ``generators`` (GAP cycle notation, 1-based).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..groups.group import PermGroup
from ..groups.io import save_group
from ..groups.perm import cycle_notation
from ..groups.spec import resolve

_SHOW_CHARS = 2000  # human output lists generators only up to about this many characters


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "group",
        help="describe a group: degree, exact order, orbits, generators",
        description=(
            "Describe a permutation group. SPEC is a catalogue spec such as 'dihedral(8)' or "
            "'product(cyclic(4), symmetric(3))', '@file.json' (a group JSON file), or GAP cycle notation "
            "'gap:(1,2)(3,4),(1,3)' (1-based; append ';degree=N' for trailing fixed points)."
        ),
    )
    parser.add_argument("spec", metavar="SPEC", help="group spec, @file.json or gap:...")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--save", metavar="PATH", help="also write the group as JSON to PATH (read back with @PATH)"
    )
    parser.set_defaults(func=run)


def summary(G: PermGroup) -> dict[str, Any]:
    """What ``asen group --json`` prints for ``G``."""
    orbits = G.orbits()
    return {
        "name": G.name,
        "degree": G.degree,
        "order": G.order(),
        "num_generators": len(G.generators),
        "orbits": len(orbits),
        "orbit_sizes": [len(o) for o in orbits],
        "transitive": G.is_transitive(),
        "generators": [cycle_notation(g) for g in G.generators],
    }


def _human(info: dict[str, Any]) -> str:
    sizes = info["orbit_sizes"]
    shown = sizes if len(sizes) <= 12 else sizes[:12] + ["..."]
    orbit_text = f"{info['orbits']} ({'transitive' if info['transitive'] else 'intransitive'}; sizes {shown})"
    rows = [
        ("name", info["name"] or "-"),
        ("degree", info["degree"]),
        ("order", info["order"]),
        ("orbits", orbit_text),
        ("generators", info["num_generators"]),
    ]
    lines = [f"{key:<11} {value}" for key, value in rows]
    if sum(len(g) for g in info["generators"]) <= _SHOW_CHARS:
        lines += [f"  {g}" for g in info["generators"]]
    else:
        lines.append("  (generators too long to list; use --json)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.save is not None:
        from ..breaking.files import writable_path  # lazy: only --save needs it

        writable_path(args.save)  # refuses "", a directory, a FIFO or a device before any work
    G = resolve(args.spec)
    info = summary(G)
    if args.save is not None:
        save_group(G, args.save)
    if args.json:
        print(json.dumps(info))
    else:
        print(_human(info))
    return 0
