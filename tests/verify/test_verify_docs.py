"""Docstring examples run, and importing asen.verify (which pytest loads as a plugin) stays light."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys

import pytest

MODULES = [
    "axes",
    "inputs",
    "tolerance",
    "shrink",
    "check",
    "exactness",
    "strategies",
    "assertions",
    "graphs",
    "graph_batch",
    "graph_shrink",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"asen.verify.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_importing_the_verifier_does_not_import_torch():
    code = "import sys, asen.verify, asen.verify.pytest_plugin, asen.verify.strategies; print('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.strip() == "False"
