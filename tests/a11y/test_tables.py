"""Table records: cells as plain text or numbers, collected from an executed notebook."""

from __future__ import annotations

from sendreport.fragments import Markup, num, rag_markup
from sendreport.tables import TABLE_MIME, cell_text, collect_tables, make_table_record


def test_cells_are_text_or_numbers() -> None:
    record = make_table_record(
        report="performance",
        title="Scorecard,\n  Q4",
        columns=["Measure", "Value", "Rating", "Empty"],
        rows=[["Plans <b>issued</b>", num("42.5%", "by 2024"), rag_markup("red"), float("nan")]],
        kind="table",
    )
    assert record["title"] == "Scorecard, Q4"
    # Text is data: the markup-looking string is kept as typed, not parsed as HTML.
    assert record["rows"] == [["Plans <b>issued</b>", "42.5%; by 2024", "Red", None]]
    assert cell_text(Markup("a &amp; b<br>c").html) == "a & b; c"


def test_collect_tables_keeps_cell_order() -> None:
    record = make_table_record(report="r", title="T", columns=["A"], rows=[[1]], kind="table")
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "x"},
            {"cell_type": "code", "outputs": [{"data": {TABLE_MIME: record}}]},
        ]
    }
    assert collect_tables(notebook) == [{**record, "cell_index": 1}]
