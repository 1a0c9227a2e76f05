"""The accessible spreadsheet: every table a build publishes, in one workbook.

Written with gptables, the Analysis Function's library for its "Releasing statistics in
spreadsheets" guidance: a cover sheet, a contents sheet linking to every table, a notes
sheet, then one sheet per table (each report's tables and every chart's data), each a named
Excel table with its title in A1, its units in the column headings, notes referenced from
the title, and no merged cells. The workbook's title and language are set.

Text is data, never a formula: XlsxWriter writes every string as a string, so a cell that
begins with ``=``, ``+``, ``-`` or ``@`` cannot run in Excel. Same tables, same bytes: the
document dates are fixed to the period end and XlsxWriter's zip entries carry no clock time.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

SPREADSHEET_NAME = "tables.xlsx"
LANGUAGE = "en-GB"
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
UNIT_WORDS = {"%": "%", "count": "number", "weeks": "weeks", "pp": "percentage points"}
# Options passed to XlsxWriter: text stays text.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


NOT_AVAILABLE = "[x]"
_SYMBOLS_ONLY = re.compile(r"^[^A-Za-z0-9]*$")


def sheet_value(value: Any) -> Any:
    """A cell for the workbook: a number stated as text ("1,306") becomes a number; an empty
    cell or a dash becomes ``[x]`` (not available, the Analysis Function's shorthand);
    anything else (a percentage with its sign, "not published", a suppressed figure) stays
    the text a reader sees."""
    if value is None or (isinstance(value, float) and value != value):
        return NOT_AVAILABLE
    if isinstance(value, str):
        text = value.strip()
        if _SYMBOLS_ONLY.match(text):
            return NOT_AVAILABLE
        if _NUMBER.match(text):
            return float(text.replace(",", ""))
        return text
    return value


def sheet_frame(table: Mapping[str, Any]) -> pd.DataFrame:
    """A table record as a DataFrame with unique, non-empty column names."""
    columns: list[str] = []
    for i, name in enumerate(table["columns"]):
        name = name or f"Column {i + 1}"
        while name in columns:
            name = f"{name} ({i + 1})"
        columns.append(name)
    rows = [[sheet_value(v) for v in row] for row in table["rows"]]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def sheet_labels(tables: Sequence[Mapping[str, Any]]) -> list[str]:
    """Short, unique sheet and table names: ``performance_1``, ``timeliness_4``."""
    counts: dict[str, int] = {}
    labels = []
    for table in tables:
        stem = re.sub(r"[^A-Za-z0-9_]", "_", table["report"])[:24] or "table"
        if not stem[0].isalpha():
            stem = f"t_{stem}"[:24]
        counts[stem] = counts.get(stem, 0) + 1
        labels.append(f"{stem}_{counts[stem]}")
    return labels


def make_sheet(
    table: Mapping[str, Any], label: str, report_title: str, place: str, note_ref: str | None
) -> Any:
    """One GPTable: the caption as title (with its note), the report and place as subtitles."""
    import gptables as gpt

    frame = sheet_frame(table)
    unit = UNIT_WORDS.get(table.get("unit") or "", table.get("unit") or "")
    units = (
        {i: unit for i in range(1, frame.shape[1])} if unit and table["kind"] == "chart" else None
    )
    kind = "Data for the chart" if table["kind"] == "chart" else "Table"
    title = f"{kind}: {table['title']}" + (f" $${note_ref}$$" if note_ref else "")
    return gpt.GPTable(
        table=frame,
        table_name=label,
        title=title,
        subtitles=[f"From the {report_title}, {place}"],
        instructions="This worksheet contains one table. [x] marks a value that is not available.",
        legend=["[x] = not available"],
        units=units,
        source="Local authority data validated by sendreport; benchmarks from DfE published statistics",
        index_columns={2: 0},
    )


_GENERAL_NOTE = (
    "general",
    "Figures are as shown in the reader editions of the reports, including "
    "any figure withheld to protect individuals (shown with the same words).",
)


def _sheets_and_notes(
    tables: Sequence[Mapping[str, Any]], place: str, report_titles: Mapping[str, str]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """One gptables sheet per table, and the notes their titles reference (general first)."""
    notes = [_GENERAL_NOTE]
    sheets = {}
    for label, table in zip(sheet_labels(tables), tables, strict=True):
        ref = None
        if table.get("notes"):
            ref = f"note_{label}"
            notes.append((ref, table["notes"]))
        title = report_titles.get(table["report"], table["report"])
        sheets[label] = make_sheet(table, label, title, place, ref)
    return sheets, notes


def _cover(place: str, report_titles: Mapping[str, str]) -> Any:
    """The workbook's cover sheet: what the tables are and where each number is defined."""
    import gptables as gpt

    return gpt.Cover(
        title=f"SEND reporting tables: {place}",
        intro=[
            f"The tables published in the SEND reports for {place}, and the data behind "
            "every chart, one table per worksheet.",
            "The contents worksheet links to each table; the notes worksheet explains the "
            "notes referenced in the table titles.",
        ],
        about=[
            "Reports: " + "; ".join(report_titles[r] for r in sorted(report_titles)) + ".",
            "Each number is defined in the methodology notes of the report it comes from; "
            "figures.json in the same build folder traces each figure to the notebook cell "
            "that computed it.",
        ],
    )


def write_spreadsheet(
    path: Path,
    tables: Sequence[Mapping[str, Any]],
    *,
    la_name: str,
    period_text: str,
    period_end: date,
    report_titles: Mapping[str, str],
) -> None:
    """Write the build's tables to ``path`` (an .xlsx file), deterministically."""
    import gptables as gpt

    place = f"{la_name}, {period_text}"
    sheets, notes = _sheets_and_notes(tables, place, report_titles)
    notes_table = pd.DataFrame(
        {"Note reference": [r for r, _ in notes], "Note text": [t for _, t in notes]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "notes not referenced": the general note is not
        workbook = gpt.produce_workbook(
            filename=str(path),
            sheets=sheets,
            cover=_cover(place, report_titles),
            notes_table=notes_table,
            contentsheet_options={"title": f"Contents: tables for {place}"},
            workbook_options=WORKBOOK_OPTIONS,
        )
    # A fixed creation time (the period's end) keeps the bytes the same on every build.
    fixed = datetime(period_end.year, period_end.month, period_end.day, tzinfo=UTC)
    workbook.set_properties(
        {
            "title": f"SEND reporting tables: {place}",
            "subject": "Special educational needs and disabilities (SEND) reporting",
            "author": la_name,
            "created": fixed,
        }
    )
    workbook.close()
    set_language(path, LANGUAGE)


def set_language(path: Path, language: str) -> None:
    """Add ``dc:language`` to the workbook's core properties (XlsxWriter has no option for
    it), rewriting the zip with the same entry order and timestamps: same bytes each time."""
    import zipfile

    core = "docProps/core.xml"
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp, "w") as target:
        for info, data in entries:
            if info.filename == core and b"<dc:language>" not in data:
                data = data.replace(
                    b"</cp:coreProperties>",
                    f"<dc:language>{language}</dc:language></cp:coreProperties>".encode(),
                )
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    tmp.replace(path)
