"""The modules of groups/ import one another without cycles, at module level and inside functions.

Parsed with ``ast`` (nothing is imported): every ``from . import x``, ``from .x import y`` and
``from asen.groups.x import y`` anywhere in a module (top level, ``if TYPE_CHECKING:``, function
bodies) is an edge; the graph must be acyclic. This pins the split of the stabiliser chain, its
Schreier completion and its order bounds (perm <- orbits/blocks <- order_bounds, schreier <- chain).
"""

from __future__ import annotations

import ast
from pathlib import Path

GROUPS = Path(__file__).resolve().parents[2] / "groups"
PACKAGE = "asen.groups"


def _imported_modules(tree: ast.AST, modules: set[str]) -> set[str]:
    """The groups/ modules a parsed module imports (``__init__`` for names taken from the package)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                target = node.module
            elif node.level == 0 and node.module and (node.module + ".").startswith(PACKAGE + "."):
                target = node.module[len(PACKAGE) :].lstrip(".") or None
            else:
                continue
            if target:
                out.add(target.split(".")[0])
            else:  # from . import x: a module if groups/x.py exists, else a name of the package
                out.update(a.name if a.name in modules else "__init__" for a in node.names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith(PACKAGE + "."):
                    out.add(a.name[len(PACKAGE) + 1 :].split(".")[0])
    return out & modules


def import_graph() -> dict[str, set[str]]:
    """Module name -> the groups/ modules it imports, for every groups/*.py."""
    paths = {p.stem: p for p in GROUPS.glob("*.py")}
    modules = set(paths)
    return {
        name: _imported_modules(ast.parse(p.read_text(), str(p)), modules) - {name}
        for name, p in paths.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None (depth-first search, three colours)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_function_level_and_type_checking_imports_are_edges():
    src = (
        "from typing import TYPE_CHECKING\n"
        "from . import perm\n"
        "if TYPE_CHECKING:\n    from .group import PermGroup\n"
        "def f():\n    from asen.groups.chain import StabilizerChain\n    from . import PermGroup\n"
    )
    mods = {"perm", "group", "chain", "__init__", "other"}
    assert _imported_modules(ast.parse(src), mods) == {"perm", "group", "chain", "__init__"}


def test_groups_modules_import_each_other_without_cycles():
    graph = import_graph()
    assert {"chain", "schreier", "order_bounds", "orbits", "blocks", "group"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in groups/: " + " -> ".join(cycle)


def test_chain_machinery_imports_run_one_way():
    """perm <- orbits, blocks <- order_bounds, schreier <- chain <- group; nothing below imports above."""
    graph = import_graph()
    assert graph["orbits"] <= {"perm"}
    assert graph["blocks"] <= {"perm", "orbits"}
    assert graph["order_bounds"] <= {"perm", "orbits", "blocks"}
    assert graph["transversals"] <= {"perm"}
    assert graph["schreier"] <= {"perm", "orbits", "transversals"}
    assert "group" not in graph["chain"] and "chain" not in graph["order_bounds"] | graph["schreier"]
