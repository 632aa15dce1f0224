"""The ``asen`` command: one subcommand per module of :mod:`asen.cli`.

Each subcommand module defines ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` (the exit status) as the parser default.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# subcommand modules, in the order `asen --help` lists them
SUBCOMMAND_MODULES = ("group_cmd", "aut_cmd", "break_cmd", "certify_cmd", "verify_cmd", "experiment_cmd", "demo_cmd")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="asen", description="Any-subgroup equivariance: groups, certified symmetry inputs, verification."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        importlib.import_module(f".{name}", __package__).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (ValueError, TypeError, FileNotFoundError) as exc:
        print(f"asen {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
