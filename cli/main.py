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


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The ``asen`` parser; ``only`` registers that one subcommand (its module alone is imported).

    ``asen break ...`` then never imports torch (``asen experiment`` lists the experiments, whose package
    imports torch: seconds of start-up a certificate does not need).
    """
    parser = argparse.ArgumentParser(
        prog="asen", description="Any-subgroup equivariance: groups, certified symmetry inputs, verification."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        if only is None or name == f"{only}_cmd":
            importlib.import_module(f".{name}", __package__).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and f"{argv[0]}_cmd" in SUBCOMMAND_MODULES else None
    parser = build_parser(command)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except (ValueError, TypeError, OSError) as exc:  # OSError: a file that cannot be read or written
        print(f"asen {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(
            f"asen {args.command}: error: out of memory: the group or input is too large for this machine's "
            "memory",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
