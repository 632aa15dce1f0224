"""``asen`` itself: bare invocation, ``--help`` and argparse's usage errors (exit status 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from asen.cli.main import SUBCOMMAND_MODULES, build_parser, main

ASEN = Path(sys.executable).with_name("asen")
SUBCOMMANDS = [m.removesuffix("_cmd") for m in SUBCOMMAND_MODULES]


def test_every_subcommand_module_registers_its_command():
    assert SUBCOMMANDS == ["group", "aut", "break", "certify", "verify", "experiment", "demo"]
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert list(sub.choices) == SUBCOMMANDS


def test_bare_asen_prints_the_usage_and_returns_2(capsys):
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out.startswith("usage: asen")
    for name in SUBCOMMANDS:
        assert f"    {name}" in captured.out, name  # each subcommand is listed with its help line
    assert captured.err == ""


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    assert "Any-subgroup equivariance" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["certify", "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: asen certify") and "--group SPEC" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope"], "invalid choice: 'nope'"),
        (["group", "cyclic(3)", "--bogus"], "unrecognized arguments: --bogus"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["break", "cyclic(3)", "--budget", "many"], "argument --budget: invalid int value: 'many'"),
        (["break", "cyclic(3)", "--mode", "weird"], "argument --mode: invalid choice: 'weird'"),
        (["break", "cyclic(3)", "--aux-kinds", "cosets"], "argument --aux-kinds: invalid choice: 'cosets'"),
        (["group"], "the following arguments are required: SPEC"),
        (["verify", "m:f"], "the following arguments are required: --group"),
        (["verify", "m:f", "--group", "cyclic(3)", "--train", "--eval"], "not allowed with argument"),
        (["aut", "g.g6", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["demo", "--steps", "1.5"], "argument --steps: invalid int value: '1.5'"),
        (["experiment", "multitask", "--seeds"], "argument --seeds: expected at least one argument"),
    ],
)
def test_usage_errors_exit_2(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: asen") and message in err


def test_installed_script_without_arguments_exits_2():
    bare = subprocess.run([str(ASEN)], capture_output=True, text=True, timeout=120, check=False)
    assert bare.returncode == 2 and bare.stdout.startswith("usage: asen") and bare.stderr == ""


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # 3 GiB of address space


def test_a_group_too_large_for_memory_is_a_one_line_error():
    """symmetric(100000): the stabiliser chain's arrays do not fit, a MemoryError, reported without a
    traceback and with the usage status 2 (1 means a verdict)."""
    done = subprocess.run(
        [str(ASEN), "group", "symmetric(100000)"], capture_output=True, text=True, timeout=300, check=False,
        preexec_fn=_limit_memory, env={**os.environ, "OMP_NUM_THREADS": "1"},
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("asen group: error:") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
