"""A notebook's declared parameters, read and checked before any kernel starts.

Papermill injects parameters after the cell tagged ``parameters``; a name the notebook does
not declare, or a value of another type, would run silently with the wrong meaning. This
module reads the declaration with :mod:`ast` (milliseconds, no kernel) and refuses both.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sendreport.exceptions import ParameterError


@dataclass(frozen=True)
class DeclaredParameter:
    """One ``name = literal`` line of a notebook's parameters cell."""

    name: str
    type_name: str
    default: str


def read_parameters(notebook_path: Path) -> dict[str, DeclaredParameter]:
    """The parameters a notebook declares in its cell tagged ``parameters``.

    Parsed with :mod:`ast` rather than papermill's inspector so it costs milliseconds and
    never imports a kernel; the rule is the same: simple ``name = literal`` assignments.
    """
    nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return _declared_in("".join(cell.get("source", "")))
    raise ParameterError(
        f"notebook {Path(notebook_path).name} has no cell tagged 'parameters'",
        hint="tag the first code cell 'parameters' (View → Cell Toolbar → Tags in Jupyter)",
    )


def _declared_in(source: str) -> dict[str, DeclaredParameter]:
    declared: dict[str, DeclaredParameter] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name) and node.value is not None:
                value = ast.literal_eval(node.value)
                declared[target.id] = DeclaredParameter(
                    target.id, type(value).__name__, repr(value)
                )
    return declared


def check_parameters(notebook_path: Path, parameters: dict[str, Any]) -> None:
    """Reject unknown or wrongly typed parameters before any kernel starts."""
    declared = read_parameters(notebook_path)
    name = Path(notebook_path).stem
    for key, value in parameters.items():
        if key not in declared:
            accepted = ", ".join(f"{p.name} ({p.type_name})" for p in declared.values())
            raise ParameterError(
                f"notebook {name} has no parameter {key!r}", accepted=accepted, parameter=key
            )
        expected = declared[key].type_name
        if type(value).__name__ != expected:
            raise ParameterError(
                f"notebook {name}: parameter {key!r} must be {expected}, "
                f"got {type(value).__name__} {value!r}",
                accepted=f"{key} ({expected}), default {declared[key].default}",
                parameter=key,
            )
