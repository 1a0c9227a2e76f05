"""Published tables: recorded in notebook cells, collected for the spreadsheet.

Like figures (:mod:`sendreport.figures`), a notebook records each table a reader sees (the
scorecard, the benchmarks, every chart's data) by displaying a small JSON payload under a
private MIME type. nbconvert ignores the type, so the record is invisible in the reports;
the build collects the records from the executed notebook and writes them to the
accessible spreadsheet (:mod:`sendreport.spreadsheet`).

A record is plain data: a title, the unit, the column names and rows of text or numbers.
HTML in a cell (a number with its basis under it, a RAG word) becomes its text.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

TABLE_MIME = "application/vnd.sendreport.table+json"
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.I)


def cell_text(markup: str) -> str:
    """Visible text of a cell's HTML: tags dropped, a line break becomes "; "."""
    text = _TAG.sub("", _BREAK.sub("; ", markup))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def plain_cell(value: Any) -> str | float | None:
    """A cell as the spreadsheet stores it: a number, text, or None for an empty cell."""
    if value is None:
        return None
    markup = getattr(value, "html", None)
    if isinstance(markup, str):
        return cell_text(markup) or None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        number = float(value)
        return None if math.isnan(number) else number
    try:
        if value != value:  # pandas NA and NaN
            return None
    except (TypeError, ValueError):
        return None
    return re.sub(r"\s+", " ", str(value)).strip() or None


def make_table_record(
    *,
    report: str,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    kind: str,
    unit: str = "",
    notes: str = "",
) -> dict[str, Any]:
    """The JSON payload a notebook displays for one published table."""
    return {
        "report": report,
        "kind": kind,
        "title": re.sub(r"\s+", " ", title).strip(),
        "unit": unit,
        "notes": notes,
        "columns": [re.sub(r"\s+", " ", str(c)).strip() for c in columns],
        "rows": [[plain_cell(v) for v in row] for row in rows],
    }


def collect_tables(notebook: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every table record of an executed notebook, in cell order, with its cell index."""
    tables: list[dict[str, Any]] = []
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(TABLE_MIME)
            if payload is None:
                continue
            if isinstance(payload, str):  # some kernels stringify JSON payloads
                payload = json.loads(payload)
            tables.append({**payload, "cell_index": index})
    return tables
