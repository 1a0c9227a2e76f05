"""tables.xlsx follows the Analysis Function's spreadsheet guidance, and text stays text."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sendreport.spreadsheet import write_spreadsheet
from sendreport.tables import make_table_record


def workbook_problems(path: Path) -> list[str]:
    """What the "Releasing statistics in spreadsheets" checklist would flag."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    problems = []
    if not workbook.properties.title:
        problems.append("no workbook title")
    if workbook.properties.language != "en-GB":
        problems.append(f"workbook language {workbook.properties.language!r}")
    names = workbook.sheetnames
    if names[:3] != ["Cover", "Contents", "Notes"]:
        problems.append(f"sheets start {names[:3]}, want Cover, Contents, Notes")
    contents = workbook["Contents"]
    links = {c.hyperlink.location for row in contents.iter_rows() for c in row if c.hyperlink}
    for name in names:
        sheet = workbook[name]
        if sheet.merged_cells.ranges:
            problems.append(f"{name} has merged cells")
        if not sheet["A1"].value:
            problems.append(f"{name} has no title in A1")
        if name in names[1:] and len(sheet.tables) != 1:
            problems.append(f"{name} holds {len(sheet.tables)} named tables, want 1")
        if name in names[3:] and f"'{name}'!A1" not in links:
            problems.append(f"the contents do not link to {name}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    problems.append(f"{name}!{cell.coordinate} is a formula")
    return problems


def records() -> list[dict]:
    scorecard = make_table_record(
        report="performance",
        title="Scorecard, January–March 2024",
        columns=["Measure", "This quarter", "Rating"],
        rows=[
            ["Plans issued", "1,306", "Green"],
            ['=HYPERLINK("http://example.invalid")', "+44", "@SUM(A1)"],
            ["-10 children", None, "–"],
        ],
        kind="table",
    )
    chart = make_table_record(
        report="timeliness",
        title="Plans within 20 weeks, by month",
        columns=["Period", "Herts (%)"],
        rows=[["Jan 2024", 42.5], ["Feb 2024", None]],
        kind="chart",
        unit="%",
        notes="The data behind the chart.",
    )
    return [scorecard, chart]


def write(path: Path) -> Path:
    write_spreadsheet(
        path,
        records(),
        la_name="Herefordshire",
        period_text="January to March 2024",
        period_end=date(2024, 3, 31),
        report_titles={"performance": "SEND performance report", "timeliness": "Review"},
    )
    return path


def test_workbook_follows_the_guidance(tmp_path: Path) -> None:
    path = write(tmp_path / "tables.xlsx")
    assert workbook_problems(path) == []


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    import openpyxl

    sheet = openpyxl.load_workbook(write(tmp_path / "t.xlsx"))["performance_1"]
    cells = {c.value: c.data_type for row in sheet.iter_rows() for c in row if c.value}
    for text in ('=HYPERLINK("http://example.invalid")', "+44", "@SUM(A1)", "-10 children"):
        assert cells[text] == "s", text
    assert cells[1306.0] == "n"  # a number stated as text is a number
    assert cells["[x]"] == "s"  # an empty cell and a dash are "not available"


def test_same_tables_same_bytes(tmp_path: Path) -> None:
    first = hashlib.sha256(write(tmp_path / "a.xlsx").read_bytes()).hexdigest()
    second = hashlib.sha256(write(tmp_path / "b.xlsx").read_bytes()).hexdigest()
    assert first == second
