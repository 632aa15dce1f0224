"""Every docstring example in every ``asen`` module runs, and passes.

One case per module (found with ``pkgutil.walk_packages`` over the imported packages' ``__path__``). The
examples run through ``doctest.DocTestFinder`` / ``DocTestRunner``; a case fails on any failing example
(with the runner's report) and also when the module's source holds ``>>>`` lines but the finder attempted
none of them, so an example placed where the finder cannot see it (a comment, a string that is not a
docstring, a private helper excluded from ``__test__``...) does not pass silently.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import pkgutil

import pytest

PACKAGES = ["asen.groups", "asen.breaking", "asen.models", "asen.verify", "asen.cli", "asen.experiments"]


def _module_names() -> list[str]:
    names: list[str] = []
    for pkg_name in PACKAGES:
        pkg = importlib.import_module(pkg_name)
        names.append(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, prefix=pkg_name + "."):
            names.append(info.name)
    return sorted(set(names))


MODULES = _module_names()


def _run_doctests(module) -> tuple[int, int, int, str]:
    """(failed, attempted, example lines in the source, runner output) for one module."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    out = io.StringIO()
    # No option flags: each docstring states its own directives, so it also passes `python -m doctest`.
    runner = doctest.DocTestRunner(optionflags=0)
    tests = finder.find(module, module.__name__)
    # Examples in objects imported from elsewhere are found again in their home module only.
    tests = [t for t in tests if _defined_here(t, module)]
    for test in sorted(tests, key=lambda t: t.name):
        runner.run(test, out=out.write, clear_globs=True)
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        source = ""
    in_source = sum(1 for line in source.splitlines() if line.lstrip().startswith(">>>"))
    return runner.failures, runner.tries, in_source, out.getvalue()


def _defined_here(test: doctest.DocTest, module) -> bool:
    return test.filename is None or module.__file__ is None or test.filename == module.__file__


def test_every_asen_package_is_walked():
    for pkg in PACKAGES:
        assert pkg in MODULES
    # walk_packages really descended: each package contributes modules beyond its __init__
    for pkg in PACKAGES:
        assert any(name.startswith(pkg + ".") for name in MODULES), pkg


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name):
    module = importlib.import_module(name)
    failed, attempted, in_source, output = _run_doctests(module)
    assert failed == 0, f"{failed} of {attempted} doctest examples failed in {name}:\n{output}"
    if in_source:
        assert attempted > 0, f"{name} has {in_source} '>>>' lines but DocTestFinder attempted none of them"
        # every example line in the source is one the finder ran (continuation lines start with '...')
        assert attempted == in_source, (
            f"{name}: {in_source} '>>>' lines in the source, {attempted} examples attempted; "
            "some examples are where DocTestFinder cannot see them"
        )
