"""``asen verify MODULE:FACTORY --group SPEC``: check a model's equivariance from the command line.

``MODULE:FACTORY`` names a no-argument function returning the model (a ``torch.nn.Module`` or any
callable): ``MODULE`` is an importable module (the current directory is importable) or a path to a
``.py`` file. With no axes flags the model takes and returns ``(batch, n, features)`` with the points on
axis 1; ``--shape`` sets the shapes of generated inputs, with ``n`` standing for the group's degree. A
graph layer ``fn(x, edge_index)`` takes ``--in-axes 0 index`` (``edge_index`` holds node indices, relabelled
by each group element) with ``--shape n,F 2,E`` (E random edges). For an :class:`asen.models.ASEN` the
factory returns ``model.bind(symmetry)``, which declares its axes and ``in_features`` (no flags needed).

Exit status: 0 when the verdict is what was asked (equivariant; with ``--exact``, equivariant and to
nothing tested outside the group), 1 when it is not, 2 on a usage error.

Examples
--------
``asen verify mymodels:build_conv --group "cyclic(16)" --exact``
``asen verify nets.py:pair_net --group "symmetric(8)" --in-axes 1,2 --shape 1,n,n --json``
``asen verify gnn.py:gcn --group "symmetric(20)" --in-axes 0 index --shape n,16 2,60``
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import math
import os
import re
import sys
from pathlib import Path
from typing import Any

__all__ = ["load_factory", "parse_shape", "register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="check that a model is equivariant to a group (exit 0 when it is)",
        description=(
            "Build a model with MODULE:FACTORY() and check fn(g.x) == g.fn(x) for elements g of the group. "
            "Axes specs: '1' (points on axis 1), '1*2' (image axes flattened row-major), '1,2' (pair "
            "features), 'none' (invariant), 'index' (node indices such as a graph's edge_index, relabelled "
            "by g). Exit status 0 when the verdict is what was asked, 1 when not."
        ),
    )
    parser.add_argument(
        "target", metavar="MODULE:FACTORY", help="e.g. mymodels:build or path/to/file.py:build"
    )
    parser.add_argument("--group", required=True, metavar="SPEC", help="group spec, @file.json or gap:...")
    parser.add_argument(
        "--in-axes",
        nargs="+",
        metavar="AXES",
        help="one axes spec per argument, e.g. 1, 1*2, 1,2, none, index (default: 1)",
    )
    parser.add_argument(
        "--out-axes", nargs="+", metavar="AXES", help="one axes spec per output (default: as input)"
    )
    parser.add_argument(
        "--shape",
        nargs="+",
        metavar="SHAPE",
        help="shape of each generated argument, e.g. 1,n,8 (n = degree); 2,E for an edge_index of E edges",
    )
    parser.add_argument(
        "--batch-axis",
        default="auto",
        metavar="AXIS",
        help="batch axis, 'none', or 'graph' (disjoint unions of graphs; default: auto = 0, graph inputs unions)",
    )
    parser.add_argument("--exact", action="store_true", help="also require no symmetry outside the group")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="seed for inputs and group elements (default: 0)")
    parser.add_argument("--float64", action="store_true", help="evaluate in float64")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--train", action="store_true", help="check the module in its own training mode")
    mode.add_argument(
        "--eval",
        action="store_true",
        help="check only eval mode (default: eval mode, and a module left in training mode fails if it is random)",
    )
    parser.add_argument("--num-inputs", type=int, default=8, help="number of generated inputs (default: 8)")
    parser.add_argument("--num-elements", type=int, default=16, help="random group elements (default: 16)")
    parser.set_defaults(func=run)


def load_factory(target: str) -> Any:
    """Import ``MODULE:FACTORY`` (or ``path/file.py:FACTORY``) and return the factory function.

    Raises
    ------
    ValueError
        If ``target`` lacks ``:FACTORY``, the module cannot be imported (missing, a syntax error, an
        exception while it runs) or has no such callable.
    """
    module_name, sep, attr = target.rpartition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"expected MODULE:FACTORY, got {target!r}")
    if module_name.endswith(".py") or os.sep in module_name:
        path = Path(module_name)
        if not path.is_file():
            raise ValueError(f"no such file: {module_name}")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise ValueError(f"cannot import {module_name}")
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # noqa: BLE001 - whatever the user's file raises, named
            raise ValueError(f"cannot import {module_name}: {type(exc).__name__}: {exc}") from exc
    else:
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # noqa: BLE001 - ImportError, a SyntaxError, or what the module raises
            raise ValueError(f"cannot import module {module_name!r}: {type(exc).__name__}: {exc}") from exc
    factory = getattr(module, attr, None)
    if factory is None:
        raise ValueError(f"module {module_name!r} has no attribute {attr!r}")
    if not callable(factory):
        raise TypeError(f"{target} is not callable")
    return factory


def parse_shape(text: str, degree: int) -> tuple[int, ...]:
    """``"1,n,8"`` -> ``(1, degree, 8)``."""
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        if part == "n":
            out.append(degree)
        elif re.fullmatch(r"[0-9]+", part):
            out.append(int(part))
        else:
            raise ValueError(f"cannot read shape {text!r}: use comma-separated integers and 'n', e.g. 1,n,8")
    return tuple(out)


def run(args: argparse.Namespace) -> int:
    from ..verify import check_equivariance, check_exact_symmetry
    from ..groups.spec import resolve

    G = resolve(args.group)
    factory = load_factory(args.target)
    try:
        model = factory()
    except Exception as exc:  # noqa: BLE001 - a usage error (exit 2), not a verdict (exit 1)
        raise ValueError(f"{args.target}() raised {type(exc).__name__}: {exc}") from exc
    if not callable(model):
        raise TypeError(f"{args.target}() returned {type(model).__name__}, which is not callable")
    batch_axis = _batch_axis(args.batch_axis)
    options: dict[str, Any] = {
        "in_axes": _axes(args.in_axes),
        "out_axes": _axes(args.out_axes),
        "shapes": None if args.shape is None else [parse_shape(s, G.degree) for s in args.shape],
        "batch_axis": batch_axis,
        "float64": args.float64,
        "train": True if args.train else False if args.eval else None,
        "num_inputs": args.num_inputs,
        "num_elements": args.num_elements,
        "seed": args.seed,
    }
    check = check_exact_symmetry if args.exact else check_equivariance
    report = check(model, G, **options)
    if args.json:
        print(json.dumps(_finite(report.to_dict())))
    else:
        print(report)
    return 0 if report.passed else 1


def _batch_axis(text: str) -> int | str | None:
    """``"none"`` -> None, ``"auto"``/``"graph"`` as they are, otherwise an int axis."""
    word = text.strip().lower()
    if word == "none":
        return None
    if word in ("auto", "graph"):
        return word
    try:
        return int(word)
    except ValueError:
        raise ValueError(f"--batch-axis takes an int, 'none', 'auto' or 'graph', got {text!r}") from None


def _axes(values: list[str] | None) -> Any:
    """None (default), one spec for every tensor, or a list with one spec per tensor."""
    if values is None:
        return None
    return values[0] if len(values) == 1 else list(values)


def _finite(obj: Any) -> Any:
    """Strict JSON: non-finite floats become the strings 'inf', '-inf' and 'nan' (``float()`` reads them)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj
