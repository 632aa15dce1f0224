"""``asen break SPEC [--mode closure|exact|sparse|auto] [--budget N] [--out FILE] [--json]``.

Builds a symmetry-breaking input for the group SPEC (anything :func:`asen.groups.spec.resolve` reads)
with :func:`asen.breaking.symmetry_breaking_input`, certified by nauty or bliss (``--engine auto``, the
default: nauty for small encodings, bliss for large or sparse ones; ``both``: certified by both, refused if
they disagree), and optionally writes it as a
symmetry-input file (``docs/file-format.md``; ``asen certify FILE`` re-checks it).

``--json`` prints one object: ``group``, ``degree``, ``group_order`` and ``aut_order`` (exact integers;
``aut_order`` is ``|Aut(v)|Omega|``), ``index``, ``exact``, ``mode``, ``aux_vertices``, ``aux_description``,
``vertices``, ``vertex_colours``, ``colours`` (arc colours used, background excluded), ``edges``
(non-background arcs), ``seconds``, ``note`` (why the result is only an overgroup, or null), ``out`` and
``engines`` (the engines that produced the certificate).
The exit status is 0 whenever a certified input was built, exact or not (``exact`` says which), unless
``--require-exact`` asks for 1 when the certificate is only an overgroup. ``--aux-kinds`` restricts the
auxiliary objects (``subsets``, ``oriented``, ``tuples``; see :func:`asen.breaking.exact_input`).

``visibility`` (in ``--json``; a text line otherwise) says whether a colour-refinement model can use the
breaking (:mod:`asen.breaking.visibility`): ``line`` (``"exact; visible to message passing after 2 rounds
(points after 3)"`` or ``"exact, but invisible to message passing: a colour-refinement model stays
G^(2)-invariant"``), ``worst`` and ``worst_point`` (rounds, null for never), ``visible``, ``probes`` (how
many) and ``invisible`` (how many never told apart). ``--visible`` (default) makes the exact search prefer
the smallest input that is exact and visible; ``--no-visible`` returns the smallest exact one.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np

from ..breaking import DEFAULT_BUDGET, DEFAULT_FRAMES, DEFAULT_SPARSE_FRAMES, MODES, SymmetryInput, save, symmetry_breaking_input
from ..breaking.auxiliary import AUX_KINDS
from ..breaking.files import writable_path
from ..groups.spec import resolve
from .break_batch import add_batch_arguments, run_batch


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "break",
        help="build a certified symmetry-breaking input for a group",
        description=(
            "Build a vertex- and arc-coloured input whose automorphism group, restricted to the points, is "
            "the group SPEC (certified by nauty). Modes: 'closure' (orbital colouring; realises the "
            "2-closure), 'exact' (adds auxiliary vertices when the group is not 2-closed), 'sparse' (fewest "
            "arc colour classes), 'auto' (the mode models learn from: asen.breaking.default_mode). SPEC is a "
            "catalogue spec such as 'alternating(5)', '@file.json' or "
            "'gap:(1,2,3),(1,2)'."
        ),
    )
    parser.add_argument("spec", metavar="SPEC", nargs="?", help="group spec, @file.json or gap:...")
    add_batch_arguments(parser)  # --batch FILE --out-dir DIR ...: cli/break_batch.py
    parser.add_argument(
        "--mode", choices=(*MODES, "auto"), default="exact",
        help="construction (default: exact); auto: what ASEN.add_symmetry uses (sparse frames for a group "
        f"beyond its 2-closure with {DEFAULT_FRAMES + 1} to {DEFAULT_SPARSE_FRAMES} elements, else exact)",
    )  # fmt: skip
    parser.add_argument(
        "--budget", type=int, default=DEFAULT_BUDGET, metavar="N",
        help=f"most auxiliary vertices exact/sparse may add (default: {DEFAULT_BUDGET})",
    )  # fmt: skip
    parser.add_argument("-o", "--out", metavar="FILE", help="write the input to FILE (.npz) and FILE.json")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--aux-kinds", nargs="+", choices=AUX_KINDS, default=list(AUX_KINDS), metavar="KIND",
        help="auxiliary objects exact/sparse may use: subsets, oriented, tuples (default: all)",
    )  # fmt: skip
    parser.add_argument(
        "--visible", action=argparse.BooleanOptionalAction, default=True,
        help="exact/sparse: prefer the smallest input a colour-refinement model can use (default: on)",
    )  # fmt: skip
    parser.add_argument(
        "--frames", type=int, default=None, metavar="N",
        help=f"exact/sparse with --visible: a group of at most N elements gets its regular orbit, one "
        f"auxiliary vertex per element (default: {DEFAULT_FRAMES} for exact, {DEFAULT_SPARSE_FRAMES} for "
        "sparse, whose frames prune to about n|G| arcs; 0: the smallest visible input)",
    )  # fmt: skip
    parser.add_argument(
        "--require-exact", action="store_true", help="exit 1 when the certified group is bigger than SPEC"
    )
    parser.add_argument(
        "--engine", choices=("auto", "nauty", "bliss", "both"), default="auto",
        help="automorphism engine: auto (nauty for small inputs, bliss for large or sparse ones), nauty, "
        "bliss, or both (certify with both; refused if they disagree)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def visibility_summary(vis: Any, exact: bool) -> dict[str, Any] | None:
    """The ``visibility`` object of the JSON output (None when the certificate has no visibility record)."""
    if vis is None:
        return None
    return {
        "line": vis.describe(exact=exact),
        "worst": vis.worst,
        "worst_point": vis.worst_point,
        "visible": vis.visible,
        "probes": vis.num_probes,
        "invisible": vis.num_invisible,
        "decided": vis.decided,
    }


def summary(inp: SymmetryInput, *, seconds: float, out: str | None = None) -> dict[str, Any]:
    """What ``asen break --json`` prints for a certified input."""
    cert = inp.certificate
    return {
        "group": inp.group.name,
        "degree": inp.num_points,
        "group_order": cert.requested_order,
        "aut_order": cert.achieved_order,
        "index": cert.index,
        "exact": bool(cert.exact),
        "mode": inp.mode,
        "aux_vertices": inp.num_aux,
        "aux_description": inp.aux_description,
        "vertices": inp.num_vertices,
        "vertex_colours": int(np.unique(inp.vertex_colors).size),
        "colours": int(np.unique(inp.edge_colors).size),
        "edges": inp.num_edges,
        "seconds": round(seconds, 6),
        "note": inp.meta.get("best_effort"),
        "out": out,
        "visibility": visibility_summary(cert.visibility, bool(cert.exact)),
        "engines": list(getattr(cert, "engines", ("nauty",))),
    }


def _human(info: dict[str, Any]) -> str:
    name = info["group"] or "(unnamed group)"
    if info["exact"]:
        verdict = (
            f"EXACT: Aut(v) restricted to the points is the group (order {info['group_order']}), certified"
        )
    else:
        verdict = (
            f"OVERGROUP ONLY: Aut(v) restricted to the points has order {info['aut_order']}, index "
            f"{info['index']} over the group; a model reading this input is equivariant to that larger group"
        )
    aux = "none" if not info["aux_vertices"] else f"{info['aux_vertices']} ({info['aux_description']})"
    rows = [
        ("group", f"{name} (degree {info['degree']}, order {info['group_order']})"),
        ("mode", info["mode"]),
        ("result", verdict),
        ("auxiliary", aux),
        ("arcs", f"{info['edges']} non-background arcs in {info['colours']} colours"),
        ("engine", " and ".join(info["engines"])),
    ]
    if info["visibility"] is not None:
        rows.append(("visibility", info["visibility"]["line"]))
    rows.append(("time", f"{info['seconds']:.3f} s"))
    if info["note"]:
        rows.append(("note", info["note"]))
    vis = info["visibility"]
    if info["exact"] and vis is not None and not vis["visible"]:
        hint = (
            "a colour-refinement model cannot use all of this breaking; --visible (the default) looks for "
            "an input it can use, a larger --budget may find one"
        )
        rows.append(("hint", hint))
    if not info["exact"] and info["mode"] != "closure":
        rows.append(("hint", "raise --budget to search larger auxiliary G-sets"))
    elif not info["exact"]:
        rows.append(("hint", "the group is not 2-closed; --mode exact adds auxiliary vertices"))
    if info["out"]:
        rows.append(("wrote", f"{info['out']} (metadata also in {info['out']}.json)"))
    return "\n".join(f"{key:<10} {value}" for key, value in rows)


def run(args: argparse.Namespace) -> int:
    if args.batch is not None or args.spec is None:
        return run_batch(args)
    if args.out is not None:
        writable_path(args.out)  # "", a directory, a FIFO or a missing folder: refused before the work
    G = resolve(args.spec)
    start = time.perf_counter()
    inp = symmetry_breaking_input(
        G, mode=args.mode, budget=args.budget, aux_kinds=tuple(args.aux_kinds), visible=args.visible,
        frames=args.frames, engine=args.engine,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if args.out is not None:
        save(inp, args.out)
    info = summary(inp, seconds=seconds, out=args.out)
    print(json.dumps(info) if args.json else _human(info))
    return 1 if args.require_exact and not inp.exact else 0
