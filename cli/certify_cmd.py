"""``asen certify FILE [--group SPEC] [--json]``: re-derive a symmetry-input file's certificate with nauty.

Loads FILE (:func:`asen.breaking.load`: structure, dtypes, shapes and the SHA-256 digest are checked),
rebuilds the group from its generators alone (the stored order is not trusted), recomputes
``Aut(v)|Omega`` with nauty (:func:`asen.breaking.certify`) and compares it with the file's group or
``--group SPEC``. The stored certificate is only a record; it must agree with the re-derivation.

Exit status: ``0`` the file is intact and realises the group exactly; ``1`` the file is intact but does
not realise the group (not invariant under it, a proper overgroup, or a stored record that disagrees);
``2`` not a readable symmetry-input file (missing, not an ``.npz``, tampered: digest mismatch, bad
fields) or a bad ``--group``. Failures are explained on stderr.

``--json`` prints one object: ``file``, ``ok``, ``verdict`` (``"exact"``, ``"overgroup"``,
``"not invariant"``, ``"record mismatch"``, ``"invalid file"`` or ``"invalid group"``), ``intact``,
``group``, ``degree``, ``group_order``, ``aut_order``, ``index``, ``exact``, ``witnesses`` (how many
generators of ``Aut(v)|Omega`` lie outside the group), ``record`` (``"agrees"``, ``"disagrees"``,
``"absent"`` or ``"other group"``), ``seconds`` and ``error``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from ..breaking import certify, load
from ..groups import PermGroup
from ..groups.spec import resolve

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "certify",
        help="re-check a symmetry-input file with nauty",
        description=(
            "Re-derive the certificate of a symmetry-input file (written by 'asen break --out'): check its "
            "digest, recompute Aut(v) restricted to the points with nauty and compare it with the file's "
            "group or --group. Exit 0 only when the file is intact and realises the group exactly; 1 when "
            "it does not realise the group; 2 when it is not a valid, untampered symmetry-input file."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="a .npz written by 'asen break --out'")
    parser.add_argument("--group", metavar="SPEC", help="check against this group instead of the file's own")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.set_defaults(func=run)


def _finish(args: argparse.Namespace, info: dict[str, Any], status: int) -> int:
    info["ok"] = status == EXIT_OK
    if info.get("error"):
        print(f"asen certify: {info['verdict'].upper()}: {info['error']}", file=sys.stderr)
    if args.json:
        print(json.dumps(info))
    elif status != EXIT_INVALID:
        print(_human(info))
    return status


def _human(info: dict[str, Any]) -> str:
    rows = [("file", f"{info['file']} (intact: digest verified)")]
    if info["group_order"] is not None:
        rows.append(
            (
                "group",
                f"{info['group'] or '(unnamed)'} (degree {info['degree']}, order {info['group_order']})",
            )
        )
    if info["aut_order"] is not None:
        rows.append(
            ("aut", f"Aut(v) restricted to the points has order {info['aut_order']} (index {info['index']})")
        )
    verdicts = {
        "exact": "EXACT: nauty re-derived Aut(v)|Omega = the group",
        "overgroup": "NOT EXACT: the input realises a proper overgroup",
        "not invariant": "NOT INVARIANT: the group does not preserve the input's colours",
        "record mismatch": "RECORD MISMATCH: the stored certificate disagrees with nauty",
    }
    rows.append(("verdict", verdicts[info["verdict"]]))
    rows.append(("record", info["record"]))
    rows.append(("time", f"{info['seconds']:.3f} s"))
    return "\n".join(f"{key:<8} {value}" for key, value in rows)


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    info: dict[str, Any] = {
        "file": args.file, "ok": False, "verdict": "invalid file", "intact": False, "group": None,
        "degree": None, "group_order": None, "aut_order": None, "index": None, "exact": False,
        "witnesses": None, "record": None, "seconds": 0.0, "error": None,
    }  # fmt: skip
    try:
        inp = load(args.file)
    except (ValueError, FileNotFoundError) as exc:
        info["error"] = f"not a valid symmetry-input file: {exc}"
        return _finish(args, info, EXIT_INVALID)
    info["intact"] = True
    n = inp.num_points
    # the group from its generators alone: the order stored in the file is not used
    own = PermGroup(inp.group.generators, n, name=inp.group.name)
    if own.order() != inp.group.order():
        info.update(verdict="record mismatch", error="the stored group order does not match its generators")
        return _finish(args, info, EXIT_FAILED)
    inp.group = own
    G = own
    if args.group:
        try:
            G = resolve(args.group)
        except (ValueError, TypeError, FileNotFoundError) as exc:
            info.update(verdict="invalid group", error=f"bad --group: {exc}")
            return _finish(args, info, EXIT_INVALID)
        if G.degree != n:
            info.update(
                verdict="invalid group", error=f"--group has degree {G.degree}, the file has {n} points"
            )
            return _finish(args, info, EXIT_INVALID)
    info.update(group=G.name, degree=n, group_order=G.order())
    try:
        cert = certify(inp, G)
    except ValueError as exc:
        info.update(verdict="not invariant", seconds=round(time.perf_counter() - start, 6))
        info["error"] = (
            f"the input does not realise the group: {exc} (edited arrays, or another group's input)"
        )
        return _finish(args, info, EXIT_FAILED)
    info.update(
        aut_order=cert.achieved_order, index=cert.index, exact=bool(cert.exact),
        witnesses=len(cert.witnesses), seconds=round(time.perf_counter() - start, 6),
    )  # fmt: skip
    record = inp.certificate if G == own else None
    if inp.certificate is None:
        info["record"] = "absent"
    elif record is None:
        info["record"] = "other group"
    elif (record.achieved_order, record.exact) == (cert.achieved_order, cert.exact):
        info["record"] = "agrees"
    else:
        info["record"] = "disagrees"
        info["verdict"] = "record mismatch"
        info["error"] = (
            f"the stored certificate claims order {record.achieved_order} (exact={record.exact}), nauty "
            f"re-derives {cert.achieved_order} (exact={cert.exact})"
        )
        return _finish(args, info, EXIT_FAILED)
    if not cert.exact:
        info["verdict"] = "overgroup"
        info["error"] = (
            f"the input realises a group of order {cert.achieved_order}, index {cert.index} over the group "
            f"of order {cert.requested_order}"
        )
        return _finish(args, info, EXIT_FAILED)
    info["verdict"] = "exact"
    return _finish(args, info, EXIT_OK)
