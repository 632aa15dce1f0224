"""The public surface of asen.models: the export list, the doctests, and what importing it loads."""

import doctest
import importlib
import subprocess
import sys

import pytest

import asen.models

MODULES = [
    "asen",
    "attention_layer",
    "baseline_inputs",
    "batching",
    "bodies",
    "gatv2_layer",
    "heads",
    "orbital_linear",
    "pair_ops",
    "seeding",
    "symmetry_store",
]


def test_export_list_is_complete_and_sorted():
    public = {
        k for k, v in vars(asen.models).items() if not k.startswith("_") and not isinstance(v, type(asen))
    }
    assert set(asen.models.__all__) == public
    assert len(asen.models.__all__) == len(set(asen.models.__all__))


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(f"asen.models.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_importing_models_does_not_import_breaking():
    """Models rely on SymmetryInput's fields only; asen.breaking loads when a group must be turned into one."""
    code = "import sys, asen.models; print('asen.breaking' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
