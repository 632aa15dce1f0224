"""The pytest11 plugin, run in a child pytest: fixtures, the report as the failure message, the profile."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

from hypothesis import settings

from asen.verify.pytest_plugin import CI_PROFILE

USER_TESTS = """
import numpy as np
from asen.groups.catalogue import cyclic

def conv(x):
    return x + 0.5 * np.roll(x, 1, axis=1)

def test_good(assert_equivariant, asen_seed):
    report = assert_equivariant(conv, cyclic(5), shapes=(1, 5, 2), seed=asen_seed)
    assert report.passed

def test_bad(assert_equivariant):
    assert_equivariant(lambda x: x * np.arange(5.0)[None, :, None], cyclic(5), shapes=(1, 5, 2))

def test_not_exact(assert_exact_symmetry):
    assert_exact_symmetry(lambda x: x + np.roll(x, 1, axis=1) + np.roll(x, -1, axis=1), "cyclic(5)", shapes=(1, 5, 1))
"""


def test_entry_point_is_registered():
    names = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert names.get("asen") == "asen.verify.pytest_plugin"


def test_ci_profile_is_derandomised():
    profile = settings.get_profile(CI_PROFILE)
    assert profile.derandomize and profile.database is None and profile.deadline is None


def test_fixtures_and_failure_messages_in_a_user_suite(tmp_path):
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-profile", CI_PROFILE,
         "test_user.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    text = out.stdout + out.stderr
    assert "1 passed" in text and "2 failed" in text, text
    assert "test_bad.<locals>.<lambda> under cyclic(5) (degree 5, order 5): FAILED" in text
    assert "counterexample: g = " in text
    assert "your model is equivariant to dihedral(5)" in text
    assert "raise AssertionError(str(report))" not in text  # the helper's own frame is hidden
