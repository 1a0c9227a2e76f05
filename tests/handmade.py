"""Small hand-made report notebooks for tests of the notebook, pool and build layers."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

PARAMS = 'period = "2023-24-Q4"\nla = "919"\ndata_dir = ""\nbenchmarks_path = ""'


def write_notebook(folder: Path, name: str, *bodies: str, params: str = PARAMS) -> Path:
    """A report notebook: a title, the parameters cell, then one code cell per body
    (ids ``work``, ``work2``, …)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["sendreport"] = {"title": name.capitalize()}
    title = new_markdown_cell(f"# {name}")
    title.id = "title"
    parameters = new_code_cell(params)
    parameters.id = "parameters"
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [title, parameters]
    for number, body in enumerate(bodies or ("pass",), start=1):
        cell = new_code_cell(body)
        cell.id = "work" if number == 1 else f"work{number}"
        nb.cells.append(cell)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path
