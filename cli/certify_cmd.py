"""``asen certify FILE [--group SPEC] [--engines E] [--json]``: re-derive a file's certificate (nauty/bliss).

Loads FILE (:func:`asen.breaking.load`: structure, dtypes, shapes and the SHA-256 digest are checked),
rebuilds the group from its generators alone (the stored order is not trusted), recomputes
``Aut(v)|Omega`` with nauty or bliss (:func:`asen.breaking.certify`) and compares it with the file's group or
``--group SPEC``. The stored certificate is only a record; it must agree with the re-derivation.
``--engines`` picks the automorphism engine: ``auto`` (default: nauty for small inputs, bliss for large or
sparse ones), ``nauty``, ``bliss``, or ``both``, which re-derives with nauty and bliss independently and
refuses (verdict ``"engines disagree"``, exit 1) unless they agree.

Exit status: ``0`` the file is intact and realises the group exactly; ``1`` the file is intact but does
not realise the group (not invariant under it, a proper overgroup, or a stored record that disagrees);
``2`` not a readable symmetry-input file (missing, not an ``.npz``, tampered: digest mismatch, bad
fields) or a bad ``--group``. Failures are explained on stderr.

``--json`` prints one object: ``file``, ``ok``, ``verdict`` (``"exact"``, ``"overgroup"``,
``"not invariant"``, ``"record mismatch"``, ``"engines disagree"``, ``"invalid file"`` or
``"invalid group"``), ``engines`` (the engines that re-derived the certificate), ``intact``,
``group``, ``degree``, ``group_order``, ``aut_order``, ``index``, ``exact``, ``witnesses`` (how many
generators of ``Aut(v)|Omega`` lie outside the group), ``record`` (``"agrees"``, ``"disagrees"``,
``"absent"`` or ``"other group"``), ``visibility`` (recomputed, as in ``asen break --json``: ``line``,
``worst``, ``worst_point``, ``visible``, ``probes``, ``invisible``, ``decided``; null until the
certificate is re-derived), ``visibility_record`` (``"agrees"``, ``"differs"``, ``"absent"`` or
``"other group"``: the stored visibility against the recomputed one; information only, it never changes
the exit status, since visibility is a property of models, not of the certificate), ``seconds`` and
``error``.

Visibility is recomputed for the probes of :func:`asen.breaking.visibility.default_probes` (generators of
``G^(2)`` outside the group, and random elements of ``G^(2) \\ G``); ``--verifier-probes`` adds the
permutations :func:`asen.verify.exactness.outside_candidates` tests (normaliser elements, overgroups,
transpositions, random permutations; those outside ``G^(2)`` are told apart within one round).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

from ..breaking import certify, load
from ..breaking.certificate import EngineDisagreement
from ..breaking.visibility import default_probes, visibility
from ..groups import PermGroup
from ..groups.spec import resolve
from .break_cmd import visibility_summary

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "certify",
        help="re-check a symmetry-input file with nauty and/or bliss",
        description=(
            "Re-derive the certificate of a symmetry-input file (written by 'asen break --out'): check its "
            "digest, recompute Aut(v) restricted to the points with nauty or bliss (--engines) and compare "
            "it with the file's group or --group. Exit 0 only when the file is intact and realises the group "
            "exactly; 1 when it does not realise the group (or the engines disagree); 2 when it is not a "
            "valid, untampered symmetry-input file."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="a .npz written by 'asen break --out'")
    parser.add_argument("--group", metavar="SPEC", help="check against this group instead of the file's own")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument(
        "--engines", choices=("auto", "nauty", "bliss", "both"), default="auto",
        help="engine(s) that re-derive Aut(v): auto (default), nauty, bliss, or both (must agree)",
    )  # fmt: skip
    parser.add_argument(
        "--verifier-probes", action="store_true",
        help="also probe visibility with the verifier's permutations outside the group (normaliser, ...)",
    )  # fmt: skip
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
    engines = " and ".join(info.get("engines") or ["nauty"])
    verdicts = {
        "exact": f"EXACT: {engines} re-derived Aut(v)|Omega = the group",
        "overgroup": "NOT EXACT: the input realises a proper overgroup",
        "not invariant": "NOT INVARIANT: the group does not preserve the input's colours",
        "record mismatch": f"RECORD MISMATCH: the stored certificate disagrees with {engines}",
        "engines disagree": "ENGINES DISAGREE: nauty and bliss re-derived different groups; no certificate",
    }
    rows.append(("verdict", verdicts[info["verdict"]]))
    if info["record"] is not None:  # None: the verdict came before the record was compared
        rows.append(("record", info["record"]))
    if info.get("visibility") is not None:
        rows.append(("visibility", f"{info['visibility']['line']} (record: {info['visibility_record']})"))
    rows.append(("time", f"{info['seconds']:.3f} s"))
    return "\n".join(f"{key:<8} {value}" for key, value in rows)


def _visibility(inp: Any, G: PermGroup, *, verifier: bool) -> Any:
    """Visibility of the loaded input for ``G``'s default probes (plus the verifier's, when asked)."""
    probes: list[tuple[Any, str]] = default_probes(G)
    if verifier:
        from ..verify.exactness import outside_candidates  # lazy: only this option needs the verifier

        seen = {tuple(p.tolist()) for p, _ in probes}
        for p, source in outside_candidates(G):
            if tuple(p.tolist()) not in seen:
                seen.add(tuple(p.tolist()))
                probes.append((p, source))
    return visibility(inp, probes, group=G)


def _visibility_record(stored: Any, record: Any, vis: Any) -> str:
    """How the stored visibility compares with the recomputed one."""
    if stored is None or stored.visibility is None:
        return "absent"
    if record is None:
        return "other group"
    mine, k = stored.visibility, stored.visibility.num_probes
    same = (
        vis.num_probes >= k
        and np.array_equal(mine.probes, vis.probes[:k])
        and (mine.rounds, mine.point_rounds) == (vis.rounds[:k], vis.point_rounds[:k])
    )  # the default probes come first, so --verifier-probes compares the stored ones
    return "agrees" if same else "differs"


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    info: dict[str, Any] = {
        "file": args.file, "ok": False, "verdict": "invalid file", "intact": False, "group": None,
        "degree": None, "group_order": None, "aut_order": None, "index": None, "exact": False,
        "witnesses": None, "record": None, "visibility": None, "visibility_record": None, "seconds": 0.0,
        "error": None, "engines": None,
    }  # fmt: skip
    try:
        inp = load(args.file)
    except (ValueError, OSError) as exc:  # OSError: e.g. a file without read permission
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
        cert = certify(inp, G, engines=args.engines)
    except EngineDisagreement as exc:
        info.update(verdict="engines disagree", seconds=round(time.perf_counter() - start, 6), error=str(exc))
        return _finish(args, info, EXIT_FAILED)
    except ValueError as exc:
        info.update(verdict="not invariant", seconds=round(time.perf_counter() - start, 6))
        info["error"] = (
            f"the input does not realise the group: {exc} (edited arrays, or another group's input)"
        )
        return _finish(args, info, EXIT_FAILED)
    info["engines"] = list(cert.engines)
    record = inp.certificate if G == own else None
    vis = _visibility(inp, G, verifier=args.verifier_probes)
    info.update(
        aut_order=cert.achieved_order, index=cert.index, exact=bool(cert.exact),
        witnesses=len(cert.witnesses), visibility=visibility_summary(vis, bool(cert.exact)),
        visibility_record=_visibility_record(inp.certificate, record, vis),
        seconds=round(time.perf_counter() - start, 6),
    )  # fmt: skip
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
            f"the stored certificate claims order {record.achieved_order} (exact={record.exact}), "
            f"{' and '.join(cert.engines)} re-derive{'s' if len(cert.engines) == 1 else ''} "
            f"{cert.achieved_order} (exact={cert.exact})"
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
