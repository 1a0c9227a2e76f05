"""Notebooks say, compute and show; the package holds the logic.

A function, class or lambda written in a notebook cell is logic no unit test, type check or
duplicate finder sees, so the report notebooks define none: they call the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def definitions_in(source: str) -> list[str]:
    """Where ``source`` (one code cell) defines a function, class or lambda: "def name, line N"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, DEFINITIONS):
            kind = {ast.ClassDef: "class", ast.Lambda: "lambda"}.get(type(node), "def")
            named = f"{kind} {node.name}" if hasattr(node, "name") else kind
            found.append(f"{named}, line {node.lineno}")
    return found


def test_the_check_sees_every_kind_of_definition() -> None:
    source = "def f():\n    pass\nasync def g():\n    pass\nclass C:\n    pass\nh = lambda x: x\n"
    assert definitions_in(source) == [
        "def f, line 1",
        "def g, line 3",
        "class C, line 5",
        "lambda, line 7",
    ]
    assert definitions_in("x = [i for i in range(3)]\nprint(x)\n") == []


def test_there_are_notebooks_to_check() -> None:
    assert {p.stem for p in NOTEBOOKS} >= {"newsletter", "performance", "timeliness"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_defines_no_function_class_or_lambda(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    found = [
        f"cell {cell.get('id', i)}: {where}"
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
        for where in definitions_in(cell.source)
    ]
    assert not found, (
        f"{path.name} defines logic the package should hold (move it to sendreport/, "
        f"e.g. a method of the notebook API in present.py): {'; '.join(found)}"
    )
