"""The README's Python examples run, in order, as a reader would paste them, and say what they print.

A line ``expression  # value...`` whose comment starts with a Python literal (``120``, ``(True, 20, 'x')``,
``False: ...``) states what the expression gives; the test checks it (sequences compare elementwise, so
shapes match tuples).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), re.S)


def _stated(comment: str):
    """The longest prefix of ``comment`` that is a Python literal, or raise ValueError."""
    for end in range(len(comment), 0, -1):
        if end < len(comment) and comment[end] not in ",:;":
            continue
        try:
            return ast.literal_eval(comment[:end].strip())
        except (ValueError, SyntaxError):
            continue
    raise ValueError(comment)


def _claims(block: str) -> dict[int, object]:
    """Line number -> stated value, for the expression lines of ``block`` with a literal comment."""
    tree = ast.parse(block)
    lines = block.splitlines()
    out = {}
    for node in tree.body:
        if not isinstance(node, ast.Expr) or node.lineno != node.end_lineno:
            continue
        line = lines[node.lineno - 1]
        code_end = node.end_col_offset
        rest = line[code_end:].strip()
        if rest.startswith("#"):
            with contextlib.suppress(ValueError):
                out[node.lineno] = _stated(rest[1:].strip())
    return out


def _same(got, want) -> bool:
    if isinstance(want, tuple) and not isinstance(got, str):
        got = tuple(got)
        return len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))
    return got == want


def test_readme_has_examples():
    assert len(BLOCKS) >= 5 and sum(len(_claims(b)) for b in BLOCKS) >= 8


def test_readme_examples_run_and_state_their_values():
    pytest.importorskip("torch_geometric", reason="the README's graph example uses PyTorch Geometric")
    namespace: dict[str, object] = {}
    for k, block in enumerate(BLOCKS):
        claims = _claims(block)
        tree = ast.parse(block)
        for node in tree.body:
            code = compile(ast.Module([node], type_ignores=[]), f"README block {k}", "exec")
            if node.lineno in claims:
                got = eval(compile(ast.Expression(node.value), f"README block {k}", "eval"), namespace)
                want = claims[node.lineno]
                assert _same(got, want), f"README block {k} line {node.lineno}: {ast.unparse(node)} gives {got!r}, says {want!r}"
            else:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(code, namespace)
