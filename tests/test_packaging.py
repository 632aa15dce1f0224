"""Packaging: each top-level folder ships as a subpackage of the ``asen`` namespace, in wheels too."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBPACKAGES = ["groups", "breaking", "models", "verify", "cli", "experiments"]


def test_wheel_maps_every_folder_into_the_asen_namespace(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", str(ROOT),
         "-w", str(tmp_path)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("asen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for sub in SUBPACKAGES:
        assert f"asen/{sub}/__init__.py" in names, sub
    assert not any(n.startswith("asen/__init__") for n in names)  # a PEP 420 namespace, no asen/__init__.py
    assert not any(n.startswith(("groups/", "tests/")) for n in names)  # nothing lands at the top level
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "asen = asen.cli.main:main" in text and "asen.verify.pytest_plugin" in text


def test_group_and_breaking_packages_do_not_import_torch():
    code = "import sys, asen.groups, asen.breaking, asen.verify; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"


def test_groups_and_models_import_without_loading_nauty():
    """pynauty is loaded on the first automorphism computation, so models run where nauty is missing."""
    code = "import sys, asen.groups, asen.models; print('pynauty' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.strip() == "False"
