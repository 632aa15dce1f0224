"""Every hypothesis test in this suite runs without a deadline.

Many property tests run nauty, Schreier-Sims or a torch forward pass, whose first call (imports, caches,
thread start-up) can take longer than hypothesis's default 200 ms deadline on a busy 2-core machine,
which makes them fail at random (``DeadlineExceeded`` / ``Flaky``). The rule is checked on the source: each
function decorated with ``@given`` also carries ``@settings(..., deadline=None)`` directly, or a
module-level ``NAME = settings(..., deadline=None)`` used as ``@NAME``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FILES = sorted(p for p in TESTS.rglob("test_*.py"))

# @given tests that neither train a model nor run nauty (pure bookkeeping), so the default deadline is safe
EXEMPT = {
    ("experiments/test_misspecification.py", "test_plan_is_every_kept_case_times_sizes_times_seeds"):
        "plan() only lists the planned runs: no training, no nauty",
}


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _no_deadline(call: ast.AST) -> bool:
    return isinstance(call, ast.Call) and any(
        kw.arg == "deadline" and isinstance(kw.value, ast.Constant) and kw.value.value is None
        for kw in call.keywords
    )


def given_tests_with_a_deadline(source: str) -> tuple[int, list[str]]:
    """(number of @given functions, names of those without deadline=None)."""
    tree = ast.parse(source)
    module_settings = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign) and _name(node.value) == "settings" and _no_deadline(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    count, offenders = 0, []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not any(_name(d) == "given" for d in node.decorator_list):
            continue
        count += 1
        ok = any(
            (_name(d) == "settings" and _no_deadline(d)) or (isinstance(d, ast.Name) and d.id in module_settings)
            for d in node.decorator_list
        )
        if not ok:
            offenders.append(f"{node.name} (line {node.lineno})")
    return count, offenders


def test_the_checker_catches_a_missing_deadline():
    source = (
        "from hypothesis import given, settings\n"
        "FAST = settings(max_examples=5, deadline=None)\n"
        "SLOW = settings(max_examples=5)\n"
        "@given(1)\n@settings(deadline=None)\ndef test_a(x): pass\n"
        "@FAST\n@given(1)\ndef test_b(x): pass\n"
        "@SLOW\n@given(1)\ndef test_c(x): pass\n"
        "@given(1)\n@settings(max_examples=3, deadline=200)\ndef test_d(x): pass\n"
        "@given(1)\ndef test_e(x): pass\n"
    )
    assert given_tests_with_a_deadline(source) == (
        5, ["test_c (line 12)", "test_d (line 15)", "test_e (line 17)"]
    )


def test_exemptions_name_real_tests_that_need_them():
    for (rel, name), reason in EXEMPT.items():
        _, offenders = given_tests_with_a_deadline((TESTS / rel).read_text("utf-8"))
        assert any(o.startswith(name + " ") for o in offenders), (rel, name, "no longer needs", reason)


def test_the_suite_has_property_tests():
    total = sum(given_tests_with_a_deadline(p.read_text("utf-8"))[0] for p in FILES)
    assert total >= 40  # the walk really finds the @given tests


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_given_test_has_no_deadline(path):
    _, offenders = given_tests_with_a_deadline(path.read_text("utf-8"))
    rel = str(path.relative_to(TESTS))
    offenders = [o for o in offenders if (rel, o.split(" ")[0]) not in EXEMPT]
    assert not offenders, f"{path.name}: @given without settings(deadline=None): {offenders}"
