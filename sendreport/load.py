"""Read the input files of a build into typed frames, exactly as the data contract says.

This module is the first half of the gate (the second is :mod:`sendreport.validate`). It
finds one file per dataset, reads it (CSV, Parquet or Excel), checks everything that can
only be checked while reading a file (encoding, file type, header, dates, numbers, one
LA) and returns frames typed per :mod:`sendreport.contract`:

- ``text`` and ``category`` columns: pandas string dtype (``la_code`` stays ``"919"``)
- ``date`` columns: ``datetime64[ns]`` (ISO dates, ``2024-03-31``; nanoseconds because GX
  compares only that unit vectorised — other units fall back to a Python loop per value)
- ``int`` and ``flag`` columns: nullable ``Int64``
- ``float`` columns: nullable ``Float64``

Every problem in every file is collected before anything is raised, so an analyst sees
them all at once. It must not import Great Expectations: notebooks import this module and
GX takes seconds to import.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sendreport.contract import DATASETS, FILE_SUFFIXES, REQUIRED_DATASETS, Column, Dataset
from sendreport.exceptions import InputFileError, ProblemRecord, ValidationFailed
from sendreport.fingerprint import sha256_bytes
from sendreport.profile import PROFILE_FILE, Profile, load_profile

DATE_DTYPE = "datetime64[ns]"
TEXT_DTYPE = "str"
INT_DTYPE = "Int64"
FLOAT_DTYPE = "Float64"

# Datasets whose file may hold a header and no rows (an LA may have set no targets yet).
# Every other dataset feeds headline figures, so an empty one is an error.
EMPTY_ALLOWED = frozenset({"targets"})

# Markers DfE and ONS publications put in place of a number (c = confidential/suppressed,
# x = not available, z = not applicable, k = fewer than 0.5, u = low reliability).
SUPPRESSION_MARKERS = frozenset({"c", "x", "z", "k", "u", "low", ":"})

MAX_SAMPLES = 5
# Dates outside these years are typing errors (9999-12-31, 0001-01-01), never real events.
FIRST_YEAR, LAST_YEAR = 1900, 2099
# Counts and rates are finite and exact in a float64: beyond 2**53 they are not numbers
# anyone counted (and beyond 2**63 they do not fit a 64-bit integer at all).
LARGEST_NUMBER = 2**53
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE_NUMBER = r"-?\d+(?:\.0*)?"
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or other zip file",
    b"PAR1": "a Parquet file",
    b"\xd0\xcf\x11\xe0": "an old-style Excel workbook (.xls)",
    b"%PDF": "a PDF document",
}
_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_END = re.compile(r"\r\n|\r|\n")
_SAVE_AS_CSV = 'open it in Excel and use File › Save As › "CSV UTF-8 (Comma delimited) (*.csv)"'


@dataclass(frozen=True)
class FileInfo:
    """What was read for one dataset: enough to prove later which bytes a build used."""

    path: str
    size: int
    sha256: str
    rows: int
    format: str  # "csv", "parquet" or "xlsx"


@dataclass(frozen=True)
class Provenance:
    """Where a dataset's rows came from when that is not "row n of its own file": one text
    per row (``sen2_2024.xml, Persons/Person[3]/Requests[1] (line 40)``) and the source's
    name for each contract column."""

    rows: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)

    def relabel(self, sample: dict[str, Any]) -> dict[str, Any]:
        """A problem's sample row in the source's terms (row place and column names)."""
        out: dict[str, Any] = {}
        for key, value in sample.items():
            if key == "row" and isinstance(value, int) and 0 <= value - 2 < len(self.rows):
                out["source"] = self.rows[value - 2]
            else:
                out[self.columns.get(key, key)] = value
        return out

    def relabel_problem(self, problem: ProblemRecord) -> None:
        """Rewrite a validation problem's samples and column in the source's terms."""
        problem.samples = [self.relabel(s) if isinstance(s, dict) else s for s in problem.samples]
        if problem.column:
            names = problem.column.split(", ")
            problem.column = ", ".join(self.columns.get(c, c) for c in names)


@dataclass
class Inputs:
    """Typed frames for a build, the files they came from and any warnings."""

    frames: dict[str, pd.DataFrame]
    files: dict[str, FileInfo] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # where each dataset came from, in words
    # Optional datasets with no file in the folder: their report sections are left out.
    absent: list[str] = field(default_factory=list)
    profile: Profile = field(default_factory=Profile)


@dataclass
class _Problem:
    """One file-level problem; becomes an InputFileError alone or a ProblemRecord in a list."""

    dataset: str
    path: str
    rule: str
    message: str
    hint: str
    column: str | None = None
    failing_count: int = 0
    samples: list[Any] = field(default_factory=list)

    def to_error(self) -> InputFileError:
        return InputFileError(
            self.message,
            path=self.path,
            dataset=self.dataset,
            column=self.column,
            rule=self.rule,
            samples=self.samples[:MAX_SAMPLES],
            hint=self.hint,
        )

    def to_record(self) -> ProblemRecord:
        return ProblemRecord(
            dataset=self.dataset,
            column=self.column or "",
            expectation=self.rule,
            failing_count=self.failing_count,
            samples=self.samples[:MAX_SAMPLES],
            message=f"{self.message}\n    file: {self.path}\n    how to fix: {self.hint}",
        )


class _FileProblems(Exception):
    """Internal: the problems found in one file (never escapes this module)."""

    def __init__(self, problems: list[_Problem]) -> None:
        super().__init__(problems[0].message if problems else "")
        self.problems = problems


def _one_problem(ds: Dataset, path: Path, rule: str, message: str, hint: str) -> _FileProblems:
    """The exception for a single problem with a whole file."""
    return _FileProblems([_Problem(ds.name, str(path), rule, message, hint)])


def raise_problems(problems: Sequence[_Problem]) -> None:
    """Raise one InputFileError for a single problem, ValidationFailed for several."""
    if not problems:
        return
    if len(problems) == 1:
        raise problems[0].to_error()
    raise ValidationFailed(
        [p.to_record() for p in problems],
        hint="fix every file listed above, then run the build again",
    )


# --- finding files --------------------------------------------------------------------


def _dataset(dataset: str | Dataset) -> Dataset:
    if isinstance(dataset, Dataset):
        return dataset
    try:
        return DATASETS[dataset]
    except KeyError:
        raise InputFileError(
            f"unknown dataset {dataset!r}",
            hint=f"use one of: {', '.join(DATASETS)}",
        ) from None


def _find_file(data_dir: Path, ds: Dataset) -> Path:
    expected = [f"{ds.name}{suffix}" for suffix in FILE_SUFFIXES]
    if not data_dir.is_dir():
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(data_dir),
                    "data_folder_exists",
                    f"data folder {data_dir} does not exist",
                    "pass --data the folder that holds the input files",
                )
            ]
        )
    found = [p for p in sorted(data_dir.iterdir()) if p.is_file()]
    matches = [p for p in found if p.name.lower() in expected]
    if len(matches) == 1:
        return _inside_folder(matches[0], data_dir, ds)
    if len(matches) > 1:
        names = ", ".join(p.name for p in matches)
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(data_dir),
                    "one_file_per_dataset",
                    f"{ds.title}: found {len(matches)} files for dataset {ds.name} ({names})",
                    "keep exactly one of them in the data folder and move the others away",
                )
            ]
        )
    # Same stem, unsupported suffix (ehcp_requests.txt, ehcp_requests.xls, ….csv.txt).
    near = [p for p in found if p.name.lower().startswith(ds.name + ".")]
    if near:
        names = ", ".join(p.name for p in near)
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(near[0]),
                    "file_type",
                    f"{ds.title}: found {names}, which is not a file type sendreport reads "
                    f"(wrong file type); expected one of {', '.join(expected)}",
                    f"{_SAVE_AS_CSV} and name it {ds.name}.csv",
                )
            ]
        )
    raise _FileProblems(
        [
            _Problem(
                ds.name,
                str(data_dir / expected[0]),
                "file_present",
                f"{ds.title}: missing file — expected one of {', '.join(expected)} "
                f"in the folder {data_dir}",
                f"export the dataset from: {ds.usual_source} Save it as {ds.name}.csv "
                "in that folder (see docs/data.md for its columns)",
            )
        ]
    )


def _inside_folder(path: Path, data_dir: Path, ds: Dataset) -> Path:
    """``path`` itself, unless it is a link to a file outside the data folder: the build
    reads only what it was given, never a file a link smuggles in."""
    if path.resolve().is_relative_to(data_dir.resolve()):
        return path
    raise _FileProblems(
        [
            _Problem(
                ds.name,
                str(path),
                "file_inside_data_folder",
                f"{ds.title}: {path.name} is a link to a file outside the data folder",
                f"copy the file itself into {data_dir} instead of linking to it",
            )
        ]
    )


def find_dataset_file(data_dir: Path, dataset: str | Dataset) -> Path:
    """Return the one ``<name>.csv``, ``.parquet`` or ``.xlsx`` file for ``dataset``.

    Raises :class:`InputFileError` when there is none, more than one, or only a file of
    another type (``<name>.txt``).
    """
    try:
        return _find_file(Path(data_dir), _dataset(dataset))
    except _FileProblems as exc:
        raise exc.problems[0].to_error() from None


# --- reading raw files ----------------------------------------------------------------


def _sniff_binary(head: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return what
    if b"\x00" in head[:4096]:
        return "a binary file"
    return None


def _decode_utf8(raw: bytes, ds: Dataset, path: Path) -> str:
    """Decode as UTF-8 (a BOM is dropped silently); say which byte and line if it is not."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    raw = raw[bom:]  # Excel's "CSV UTF-8" writes a BOM; it is not part of the header
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line_no = raw.count(b"\n", 0, err.start) + 1
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        line_end = raw.find(b"\n", err.start)
        line = raw[line_start : line_end if line_end != -1 else None]
        byte = raw[err.start]
        guess = line.decode("cp1252", errors="replace").strip()[:120]
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(path),
                    "utf8_encoding",
                    f"{ds.title}: {path.name} is not UTF-8 text: byte 0x{byte:02X} at line "
                    f"{line_no} (byte offset {err.start + bom}) cannot be read. The file was "
                    "probably saved as 'CSV (Comma delimited)', which uses the Windows "
                    "character set",
                    f"{_SAVE_AS_CSV}; that keeps characters such as £, é and ’ intact",
                    samples=[{"line": line_no, "text (read as Windows-1252)": guess}],
                )
            ]
        ) from None


def _parse_header(text: str) -> list[str]:
    first = _LINE_END.split(text, maxsplit=1)[0]  # LF, CRLF or (old Mac) CR
    return [name.strip() for name in next(csv.reader([first]), [])]


def _lone_carriage_returns(text: str) -> list[int]:
    """Offsets of carriage returns that are neither part of a CRLF ending nor inside a
    quoted cell: CSV readers end the row there, splitting it in two. A file whose lines all
    end in CR alone (old Mac) has no LF and is read as it is."""
    if "\n" not in text:
        return []
    offsets, quotes, last = [], 0, 0
    for match in _LONE_CR.finditer(text):
        quotes += text.count('"', last, match.start())
        last = match.start()
        if quotes % 2 == 0:  # an even count of quotes before it: outside a quoted cell
            offsets.append(match.start())
    return offsets


def _where_in_row(text: str, offset: int, header: list[str]) -> dict[str, object]:
    """The line number and, from the cells before it on that line, the column of ``offset``."""
    line_start = text.rfind("\n", 0, offset) + 1
    cells = next(csv.reader([text[line_start:offset]]), [""])
    column = header[len(cells) - 1] if len(cells) <= len(header) else "(beyond the header)"
    return {"line": text.count("\n", 0, offset) + 1, "column": column}


def _check_carriage_returns(text: str, header: list[str], ds: Dataset, path: Path) -> None:
    offsets = _lone_carriage_returns(text)
    if not offsets:
        return
    places = [_where_in_row(text, offset, header) for offset in offsets[:10]]
    shown = "; ".join(f"line {p['line']}, column '{p['column']}'" for p in places)
    raise _FileProblems(
        [
            _Problem(
                ds.name,
                str(path),
                "csv_line_break_in_cell",
                f"{ds.title}: {path.name} has a line break (a lone carriage return) inside an "
                f"unquoted cell ({shown}{' …' if len(offsets) > 10 else ''}); a CSV reader "
                "would end the row there and split it in two",
                "remove the line break from the cell or put the cell in double quotes; or "
                f"{_SAVE_AS_CSV}, which quotes cells holding line breaks",
            )
        ]
    )


def _read_csv_text(path: Path, ds: Dataset, raw: bytes) -> tuple[list[str], pd.DataFrame]:
    text = _decode_utf8(raw, ds, path)
    header = _parse_header(text)
    _check_header(header, ds, path)
    _check_carriage_returns(text, header, ds, path)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,  # "NA" could be a real value; only empty cells are missing
            na_values=[""],
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as err:
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(path),
                    "csv_structure",
                    f"{ds.title}: {path.name} could not be read as CSV: {err}",
                    "a row has more cells than the header — usually an unquoted comma in a "
                    f"text cell. {_SAVE_AS_CSV}, which quotes such cells",
                )
            ]
        ) from None
    frame.columns = header
    return header, frame


def _cell_to_text(value: Any) -> Any:
    """Excel cells arrive as numbers and datetimes; turn them into the text a CSV would hold."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        stamp = pd.Timestamp(value)
        if stamp == stamp.normalize():
            return stamp.strftime("%Y-%m-%d")
        return stamp.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text != "" else None


def _asks_full_recalculation(path: Path) -> bool:
    """True when the workbook says its formula results must be recalculated on opening
    (``calcPr fullCalcOnLoad``): writers that cannot calculate (XlsxWriter, openpyxl) set it
    and save 0 or nothing as each result; Excel and LibreOffice clear it when they save."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            text = book.read("xl/workbook.xml")[:1_000_000].decode("utf-8", errors="replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False  # openpyxl has read it; a different layout has no such flag to trust
    found = re.search(r"<(?:\w+:)?calcPr\b[^>]*\bfullCalcOnLoad\s*=\s*[\"'](1|true)[\"']", text)
    return found is not None


def _check_formulas(path: Path, ds: Dataset, sheet: pd.DataFrame) -> None:
    """Formula cells are read as the value the workbook saved with them. A workbook written
    by a program that does not calculate (a script, some exporters) saves none: refuse it
    rather than read those cells as empty."""
    import openpyxl

    placeholders = _asks_full_recalculation(path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        unsaved = [
            cell.coordinate
            for row in book.worksheets[0].iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
            and (placeholders or pd.isna(sheet.iat[cell.row - 1, cell.column - 1]))
        ]
    finally:
        book.close()
    if unsaved:
        shown = ", ".join(unsaved[:MAX_SAMPLES]) + (" …" if len(unsaved) > MAX_SAMPLES else "")
        why = (
            "; the program that wrote it did not calculate them (the workbook asks to be "
            "recalculated when opened), so any value saved beside them is a placeholder"
            if placeholders
            else ""
        )
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(path),
                    "formula_values",
                    f"{ds.title}: {len(unsaved)} formula cell(s) in {path.name} have no saved "
                    f"value ({shown}){why}; they would be read as empty or wrong",
                    "open the workbook in Excel (or LibreOffice) and save it, so each formula "
                    f"keeps its result, or paste the cells as values; or {_SAVE_AS_CSV[8:]}",
                    failing_count=len(unsaved),
                )
            ]
        )


def _read_xlsx(path: Path, ds: Dataset) -> tuple[list[str], pd.DataFrame]:
    try:
        sheet = pd.read_excel(path, sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for a damaged workbook
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(path),
                    "file_type",
                    f"{ds.title}: {path.name} could not be opened as an Excel workbook "
                    f"(wrong file type or damaged file: {type(err).__name__}: {err})",
                    f"open it in Excel and save it again as .xlsx, or {_SAVE_AS_CSV[8:]}",
                )
            ]
        ) from None
    if sheet.empty:
        return [], pd.DataFrame()
    _check_formulas(path, ds, sheet)
    header = ["" if v is None else str(_cell_to_text(v) or "").strip() for v in sheet.iloc[0]]
    _check_header(header, ds, path)
    body = sheet.iloc[1:].reset_index(drop=True)
    body = body.dropna(how="all").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            i: pd.array([_cell_to_text(v) for v in body[c]], dtype=TEXT_DTYPE)
            for i, c in enumerate(body.columns)
        },
        index=pd.RangeIndex(len(body)),
    )
    frame.columns = header
    return header, frame


def _read_parquet(path: Path, ds: Dataset) -> tuple[list[str], pd.DataFrame]:
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for damaged files
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(path),
                    "file_type",
                    f"{ds.title}: {path.name} could not be read as Parquet "
                    f"(wrong file type or damaged file: {err})",
                    f"write it again with pandas DataFrame.to_parquet, or supply {ds.name}.csv",
                )
            ]
        ) from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index(drop=True)
    header = [str(c) for c in frame.columns]
    _check_header(header, ds, path)
    return header, frame


def _check_header(header: list[str], ds: Dataset, path: Path) -> None:
    problems = []
    seen: dict[str, int] = {}
    for name in header:
        seen[name] = seen.get(name, 0) + 1
    dupes = [name for name, n in seen.items() if n > 1 and name]
    if dupes:
        problems.append(
            _Problem(
                ds.name,
                str(path),
                "unique_header_names",
                f"{ds.title}: duplicated header name{'s' if len(dupes) > 1 else ''} "
                f"{', '.join(repr(d) for d in dupes)} in {path.name}; each column name must "
                "appear once",
                "delete or rename the repeated column so every header is different",
                column=dupes[0],
                samples=[{"header": header}],
            )
        )
    missing = [c for c in ds.required_columns if c not in header]
    if missing:
        hint = "rename or add the columns so the header matches docs/data.md"
        if len(header) == 1 and (";" in header[0] or "\t" in header[0] or "|" in header[0]):
            hint = f"the file is not comma-separated; {_SAVE_AS_CSV}"
        problems.append(
            _Problem(
                ds.name,
                str(path),
                "required_columns",
                f"{ds.title}: missing required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}\n    expected: {', '.join(ds.required_columns)}"
                f"\n    found:    {', '.join(h for h in header if h) or '(no header)'}",
                hint,
                column=missing[0],
            )
        )
    if problems:
        raise _FileProblems(problems)


# --- typing columns -------------------------------------------------------------------


def _row_samples(frame: pd.DataFrame, mask: pd.Series, columns: Iterable[str], ds: Dataset):
    """Up to five offending rows as dicts: row number as a spreadsheet shows it, key, column."""
    wanted = [c for c in dict.fromkeys([*ds.key, *columns]) if c in frame.columns]
    rows = frame.loc[mask.fillna(False).to_numpy(), wanted].head(MAX_SAMPLES)
    out = []
    for index, row in rows.iterrows():
        sample: dict[str, Any] = {"row": int(index) + 2}  # header is row 1
        for col in wanted:
            value = row[col]
            sample[col] = None if pd.isna(value) else str(value)
        out.append(sample)
    return out


def _as_text(series: pd.Series) -> pd.Series:
    """Any column as pandas strings, NA kept (numbers from Parquet/Excel become '919')."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.astype(TEXT_DTYPE)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.dt.strftime("%Y-%m-%d").astype(TEXT_DTYPE)
    values = [_cell_to_text(v) if not pd.isna(v) else None for v in series.astype(object)]
    return pd.Series(pd.array(values, dtype=TEXT_DTYPE), index=series.index)


def _implausible_year_problem(frame, col, ds, path, wild: pd.Series) -> _Problem:
    return _Problem(
        ds.name,
        str(path),
        "plausible_dates",
        f"{ds.title}: {int(wild.sum())} value(s) in date column {col.name!r} have a year "
        f"outside {FIRST_YEAR}–{LAST_YEAR}",
        f"correct the year in {col.name} (a placeholder such as 9999-12-31 is not a date); "
        "leave the cell empty when there is no date",
        column=col.name,
        failing_count=int(wild.sum()),
        samples=_row_samples(frame, wild, [col.name], ds),
    )


def _coerce_date(frame, col: Column, ds: Dataset, path: Path, problems: list[_Problem]):
    series = frame[col.name]
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        if getattr(series.dt, "tz", None) is not None:
            series = series.dt.tz_localize(None)
        years = series.dt.year
        wild = (series.notna() & ((years < FIRST_YEAR) | (years > LAST_YEAR))).astype(bool)
        if wild.any():
            problems.append(_implausible_year_problem(frame, col, ds, path, wild))
            series = series.mask(wild)
        return series.astype(DATE_DTYPE)
    text = _as_text(series).str.strip()
    text = text.mask(text == "")
    year = pd.to_numeric(text.str.extract(r"^(\d{4})-\d{2}-\d{2}$")[0], errors="coerce")
    wild = (year.notna() & ((year < FIRST_YEAR) | (year > LAST_YEAR))).astype(bool)
    if wild.any():
        problems.append(_implausible_year_problem(frame, col, ds, path, wild))
        text = text.mask(wild)
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    bad = text.notna() & parsed.isna()
    if bad.any():
        problems.append(
            _Problem(
                ds.name,
                str(path),
                "iso_dates",
                f"{ds.title}: {int(bad.sum())} value(s) in date column {col.name!r} are not "
                "ISO dates (expected format YYYY-MM-DD, e.g. 2024-03-31)",
                f"format the column {col.name} as yyyy-mm-dd (Excel: Format Cells › Custom › "
                "yyyy-mm-dd) before saving; leave the cell empty when there is no date",
                column=col.name,
                failing_count=int(bad.sum()),
                samples=_row_samples(frame, bad, [col.name], ds),
            )
        )
    return parsed.astype(DATE_DTYPE)


def _suppression_problem(frame, col, ds, path, text: pd.Series) -> _Problem | None:
    markers = text.str.lower().isin(SUPPRESSION_MARKERS)
    if not markers.any():
        return None
    found = sorted(set(text[markers].str.lower()))
    return _Problem(
        ds.name,
        str(path),
        "no_suppression_markers",
        f"{ds.title}: count column {col.name!r} holds {int(markers.sum())} publication "
        f"marker(s) ({', '.join(repr(m) for m in found)}) instead of numbers. Markers such as "
        "c (suppressed), x (not available), z (not applicable), k and low replace small "
        "numbers in published statistics; sendreport needs the real counts",
        "take the figures from the unsuppressed source extract (not a published table); "
        "leave a cell empty only where the column may be empty",
        column=col.name,
        failing_count=int(markers.sum()),
        samples=_row_samples(frame, markers, [col.name], ds),
    )


def _coerce_number(frame, col: Column, ds: Dataset, path: Path, problems: list[_Problem]):
    series = frame[col.name]
    whole = col.kind in ("int", "flag")
    dtype = INT_DTYPE if whole else FLOAT_DTYPE
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        values = series.astype("float64")  # NaN for missing; uint64 and friends compared safely
        wrong = ~_countable(values) & series.notna()
        if whole and pd.api.types.is_float_dtype(series.dtype):
            wrong |= series.notna() & (series != series.round())
        if wrong.any():
            problems.append(_not_number_problem(frame, col, ds, path, wrong, _as_text(series)))
            return pd.Series(pd.NA, index=series.index, dtype=dtype)
        return series.astype(dtype)
    text = _as_text(series).str.strip()
    text = text.mask(text == "")
    present = text.notna()
    marker = _suppression_problem(frame, col, ds, path, text.fillna(""))
    if marker:
        problems.append(marker)
    if whole:
        ok = text.str.fullmatch(_WHOLE_NUMBER).fillna(False).astype(bool)
        numbers = pd.to_numeric(text.where(ok), errors="coerce").astype("float64")
    else:
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    ok = _countable(numbers)  # not inf, nan, 1e400 or 99999999999999999999
    numbers = numbers.where(ok)
    bad = present & ~ok
    if marker is not None:
        bad &= ~text.str.lower().isin(SUPPRESSION_MARKERS).fillna(False).astype(bool)
    if bad.any():
        problems.append(_not_number_problem(frame, col, ds, path, bad, text))
    return numbers.astype(dtype)


def _countable(values: pd.Series) -> pd.Series:
    """True where a float64 value could be a count or rate: finite and at most 2**53."""
    return (values.abs() <= LARGEST_NUMBER).fillna(False).astype(bool)


def _not_number_problem(frame, col, ds, path, bad: pd.Series, text) -> _Problem:
    what = "whole numbers" if col.kind in ("int", "flag") else "numbers"
    if col.kind == "flag":
        what = "0 or 1"
    return _Problem(
        ds.name,
        str(path),
        "integer_values" if col.kind in ("int", "flag") else "numeric_values",
        f"{ds.title}: {int(bad.sum())} value(s) in column {col.name!r} are not {what}",
        f"enter {what} only in {col.name} (no text, units, commas or decimals, and nothing "
        "like inf, nan or more than 16 digits); leave the cell empty only where the column "
        "may be empty",
        column=col.name,
        failing_count=int(bad.sum()),
        samples=_row_samples(frame, bad, [col.name], ds),
    )


def _empty_column(kind: str, length: int) -> pd.Series:
    dtype = {"date": DATE_DTYPE, "int": INT_DTYPE, "flag": INT_DTYPE, "float": FLOAT_DTYPE}
    return pd.Series(pd.NA, index=pd.RangeIndex(length), dtype=dtype.get(kind, TEXT_DTYPE))


def _type_frame(frame: pd.DataFrame, ds: Dataset, path: Path) -> pd.DataFrame:
    """Columns in contract order, typed; collects every value problem before raising."""
    problems: list[_Problem] = []
    out: dict[str, pd.Series] = {}
    for col in ds.columns:
        if col.name not in frame.columns:
            out[col.name] = _empty_column(col.kind, len(frame))
        elif col.kind == "date":
            out[col.name] = _coerce_date(frame, col, ds, path, problems)
        elif col.kind in ("int", "flag", "float"):
            out[col.name] = _coerce_number(frame, col, ds, path, problems)
        elif col.kind == "category":
            text = _as_text(frame[col.name]).str.strip()
            out[col.name] = text.mask(text == "")
        else:
            out[col.name] = _as_text(frame[col.name])
    if problems:
        raise _FileProblems(problems)
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _check_one_la(frame: pd.DataFrame, ds: Dataset, path: Path) -> None:
    codes = frame["la_code"].dropna().unique()
    if len(codes) <= 1:
        return
    counts = frame["la_code"].value_counts()
    samples = []
    for code in sorted(codes)[:MAX_SAMPLES]:
        first = frame.index[frame["la_code"] == code][0]
        samples.append({"row": int(first) + 2, "la_code": str(code), "rows": int(counts[code])})
    raise _FileProblems(
        [
            _Problem(
                ds.name,
                str(path),
                "single_la",
                f"{ds.title}: rows for {len(codes)} local authorities are mixed in column "
                f"'la_code' ({', '.join(sorted(map(str, codes)))}); a build covers one LA",
                "filter the extract to your LA's code before saving, or pass "
                "allow_multiple_las=True when the mix is intended",
                column="la_code",
                failing_count=int(counts.iloc[1:].sum()),
                samples=samples,
            )
        ]
    )


def _check_file_type(raw: bytes, fmt: str, ds: Dataset, path: Path) -> None:
    """Refuse an empty file, and one whose bytes are not what its extension says."""
    if not raw:
        raise _one_problem(
            ds,
            path,
            "file_not_empty",
            f"{ds.title}: {path.name} is empty (0 bytes)",
            "export the data again; the export probably failed or was interrupted",
        )
    binary = _sniff_binary(raw[:8192])
    expected_binary = {"xlsx": b"PK\x03\x04", "parquet": b"PAR1"}.get(fmt)
    if (fmt == "csv" and binary) or (expected_binary and not raw.startswith(expected_binary)):
        what = binary or "a text file"
        raise _one_problem(
            ds,
            path,
            "file_type",
            f"{ds.title}: {path.name} has the extension .{fmt} but is {what} "
            "(wrong file type; renaming a file does not convert it)",
            f"{_SAVE_AS_CSV}, or give the file the extension that matches its content",
        )


def _read_table(path: Path, ds: Dataset, raw: bytes, fmt: str) -> tuple[list[str], pd.DataFrame]:
    """The header and untyped rows of a CSV, Excel or Parquet file."""
    if fmt == "csv":
        return _read_csv_text(path, ds, raw)
    if fmt == "xlsx":
        return _read_xlsx(path, ds)
    return _read_parquet(path, ds)


def _check_has_rows(header: list[str], frame: pd.DataFrame, ds: Dataset, path: Path) -> None:
    """Refuse a file with no header, or with no rows where the dataset may not be empty."""
    if not header:
        raise _one_problem(
            ds,
            path,
            "file_not_empty",
            f"{ds.title}: {path.name} holds no header and no rows",
            "export the data again with its header row (see docs/data.md)",
        )
    if len(frame) == 0 and ds.name not in EMPTY_ALLOWED:
        raise _one_problem(
            ds,
            path,
            "has_rows",
            f"{ds.title}: {path.name} has a header but no rows; this dataset may not be empty",
            "export the data again for the whole period the reports cover",
        )


def _unknown_columns_warning(header: list[str], ds: Dataset, path: Path) -> list[str]:
    """A warning naming the columns the contract does not know (they are ignored)."""
    known = {c.name for c in ds.columns}
    extra = [h for h in header if h not in known]
    if not extra:
        return []
    return [
        f"{ds.title}: {path.name} has column{'s' if len(extra) > 1 else ''} the data "
        f"contract does not know ({', '.join(repr(e) for e in extra)}); "
        f"{'they are' if len(extra) > 1 else 'it is'} ignored"
    ]


def _read_checked(
    path: Path, ds: Dataset, *, allow_multiple_las: bool = False, sha256: str | None = None
) -> tuple[pd.DataFrame, FileInfo, list[str]]:
    """Read, check and type one dataset file. ``sha256``: the file's digest when the caller
    already has it (a build's plan), so the file is not hashed twice."""
    raw = path.read_bytes()
    fmt = path.suffix.lower().lstrip(".")
    _check_file_type(raw, fmt, ds, path)
    header, frame = _read_table(path, ds, raw, fmt)
    _check_has_rows(header, frame, ds, path)
    warnings = _unknown_columns_warning(header, ds, path)
    typed = _type_frame(frame, ds, path)
    if not allow_multiple_las:
        _check_one_la(typed, ds, path)
    info = FileInfo(
        path=str(path),
        size=len(raw),
        sha256=sha256 or sha256_bytes(raw),
        rows=len(typed),
        format=fmt,
    )
    return typed, info, warnings


def read_dataset(
    path: Path, dataset: str | Dataset, *, allow_multiple_las: bool = False
) -> pd.DataFrame:
    """Read one file as ``dataset``, typed per the contract.

    Raises :class:`InputFileError` for a single problem, :class:`ValidationFailed` when the
    file has several (e.g. bad dates in two columns).
    """
    ds = _dataset(dataset)
    try:
        frame, _, _ = _read_checked(Path(path), ds, allow_multiple_las=allow_multiple_las)
    except _FileProblems as exc:
        raise_problems(exc.problems)
        raise  # unreachable: raise_problems raises for a non-empty list
    return frame


def load_inputs(
    data_dir: Path,
    *,
    datasets: Iterable[str] | None = None,
    allow_multiple_las: bool = False,
    digests: Mapping[str, str] | None = None,
) -> Inputs:
    """Read every dataset in ``data_dir`` (default: all of contract.DATASETS).

    Every file is read even after one fails, so the error lists all problems at once.
    ``digests`` (``{file name: sha256}`` of the folder's files, as a build's plan holds
    them) spares hashing each file a second time.
    """
    data_dir = Path(data_dir)
    names = list(datasets) if datasets is not None else list(DATASETS)
    problems: list[_Problem] = []
    inputs = Inputs(frames={})
    known = _Digests(data_dir, digests or {})
    mappings = _read_mappings(data_dir)
    for name in names:
        try:
            _read_one(data_dir, name, mappings, inputs, allow_multiple_las, known)
        except _FileProblems as exc:
            if exc.problems[0].rule == "file_present" and name not in REQUIRED_DATASETS:
                inputs.absent.append(name)  # an optional dataset this council does not hold
                continue
            problems.extend(exc.problems)
            if exc.problems[0].rule == "data_folder_exists":
                break  # one message for the folder, not one per dataset
    raise_problems(problems)
    if data_dir.is_dir():
        inputs.profile = load_profile(data_dir)
    return inputs


@dataclass(frozen=True)
class _Digests:
    """The SHA-256 digests a caller already holds for the files of one data folder."""

    data_dir: Path
    by_name: Mapping[str, str]

    def of(self, path: Path) -> str | None:
        """The known digest of ``path`` (``None``: not known, hash the bytes read)."""
        if path.absolute().parent != self.data_dir.absolute():
            return None
        return self.by_name.get(path.name)

    def of_bytes(self, path: Path, raw: bytes) -> str:
        """``path``'s digest: the known one, or the SHA-256 of ``raw`` (its bytes)."""
        return self.of(path) or sha256_bytes(raw)


def _read_one(
    data_dir: Path,
    name: str,
    mappings: dict[str, Any],
    inputs: Inputs,
    allow_multiple_las: bool,
    known: _Digests,
) -> None:
    """Read dataset ``name`` into ``inputs``: through ``mapping.toml``, from SEN2 returns or
    from its own file; raises :class:`_FileProblems`."""
    ds = _dataset(name)
    if name in mappings:
        _read_mapped(data_dir, mappings[name], inputs, allow_multiple_las, known)
        return
    if name == "ehcp_requests" and _read_sen2(data_dir, ds, inputs, allow_multiple_las, known):
        return
    path = _find_file(data_dir, ds)
    frame, info, warnings = _read_checked(
        path, ds, allow_multiple_las=allow_multiple_las, sha256=known.of(path)
    )
    inputs.frames[name] = frame
    inputs.files[name] = info
    inputs.origins[name] = f"{path.name} ({info.format.upper()} file)"
    inputs.warnings.extend(warnings)


def _read_mappings(data_dir: Path) -> dict[str, Any]:
    """The datasets ``mapping.toml`` describes ({} when the folder has none)."""
    from sendreport.mapping import read_mapping

    if not data_dir.is_dir():
        return {}
    return read_mapping(data_dir)  # a broken mapping is exit 2 before any file is read


def _open_mapped(data_dir: Path, mapping: Any, ds: Dataset) -> Any:
    """The mapped source's rows (a file or a database query) as a ``MappedFrame``."""
    from sendreport import mapping as mapping_module

    try:
        if mapping.url:
            from sendreport.database import read_mapped_query

            return read_mapped_query(mapping)
        return mapping_module.read_mapped_file(data_dir, mapping)
    except InputFileError as err:
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    err.path or "",
                    err.rule or "mapping",
                    err.message,
                    err.hint or "",
                    column=err.column,
                )
            ]
        ) from None


def _type_mapped(
    mapped: Any, mapping: Any, ds: Dataset, provenance: Provenance, allow_multiple_las: bool
) -> pd.DataFrame:
    """Type a mapped source's frame; problems name the source's rows, columns and format."""
    # A database has no file: its problems name the URL (which never holds a password).
    source: Any = mapped.path or mapped.origin
    try:
        typed = _type_frame(mapped.frame, ds, source)
        if not allow_multiple_las:
            _check_one_la(typed, ds, source)
    except _FileProblems as exc:
        for problem in exc.problems:
            problem.samples = [provenance.relabel(x) for x in problem.samples]
            if problem.rule == "iso_dates" and mapping.date_format:
                problem.message = problem.message.split(" are not ISO dates")[0] + (
                    f" are not dates in the mapping's date_format {mapping.date_format!r}"
                )
                problem.hint = "correct the cells shown, or date_format in mapping.toml"
            if problem.column in mapped.columns:
                problem.message += f" (the file's column {mapped.columns[problem.column]!r})"
                problem.column = mapped.columns[problem.column]
        raise
    return typed


def _mapped_file_info(mapped: Any, typed: pd.DataFrame, known: _Digests) -> FileInfo:
    """What was read through a mapping: the file's (or the query rows') size and digest."""
    if mapped.path:
        path = Path(mapped.path)
        size = path.stat().st_size
        digest = known.of(path) or sha256_bytes(path.read_bytes())
    else:
        raw = mapped.digest_source.encode()
        size, digest = len(raw), sha256_bytes(raw)
    return FileInfo(
        path=str(mapped.path or mapped.origin),
        size=size,
        sha256=digest,
        rows=len(typed),
        format=mapped.path.suffix.lower().lstrip(".") if mapped.path else "database",
    )


def _read_mapped(
    data_dir: Path,
    mapping: Any,
    inputs: Inputs,
    allow_multiple_las: bool,
    known: _Digests | None = None,
) -> None:
    """Read a dataset through ``mapping.toml`` (file or database), typed per the contract;
    problems name the source's file, sheet, row and column."""
    ds = _dataset(mapping.dataset)
    mapped = _open_mapped(data_dir, mapping, ds)
    provenance = Provenance(rows=tuple(mapped.rows), columns=mapped.columns)
    typed = _type_mapped(mapped, mapping, ds, provenance, allow_multiple_las)
    inputs.frames[ds.name] = typed
    inputs.files[ds.name] = _mapped_file_info(mapped, typed, known or _Digests(data_dir, {}))
    inputs.provenance[ds.name] = provenance
    inputs.origins[ds.name] = mapped.origin
    inputs.warnings.extend(mapped.warnings)
    unused = [p.name for p in data_dir.iterdir() if p.name.lower().startswith(ds.name + ".")]
    if unused:
        inputs.warnings.append(
            f"{ds.title}: mapping.toml says where {ds.name} comes from, so "
            f"{', '.join(unused)} in the data folder is not used"
        )


def _read_sen2(
    data_dir: Path,
    ds: Dataset,
    inputs: Inputs,
    allow_multiple_las: bool,
    known: _Digests | None = None,
) -> bool:
    """Derive ``ehcp_requests`` from the SEN2 returns in ``data_dir``, if it holds any."""
    from sendreport import sen2

    paths = sen2.find_sen2_returns(data_dir)
    if not paths:
        return False
    own = [p for p in data_dir.iterdir() if p.name.lower().startswith(ds.name + ".")]
    if own:
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    str(own[0]),
                    "one_source_per_dataset",
                    f"{ds.title}: the folder holds both {own[0].name} and SEN2 returns "
                    f"({', '.join(p.name for p in paths)}); sendreport cannot tell which to use",
                    "keep either the SEN2 returns or the ehcp_requests file in the folder",
                )
            ]
        )
    try:
        result = sen2.read_sen2_returns(paths)
    except sen2.Sen2Problems as exc:
        raise _FileProblems(
            [
                _Problem(
                    ds.name,
                    e.path or "",
                    e.rule or "sen2",
                    e.message,
                    e.hint or "",
                    column=e.column,
                )
                for e in exc.problems
            ]
        ) from None
    typed = _type_frame(result.frame, ds, paths[0])
    if not allow_multiple_las:
        _check_one_la(typed, ds, paths[0])
    inputs.frames[ds.name] = typed
    inputs.files[ds.name] = FileInfo(
        path=str(paths[-1]) if len(paths) == 1 else str(data_dir / "*.xml"),
        size=sum(p.stat().st_size for p in paths),
        sha256=_sen2_digest(paths, known or _Digests(data_dir, {})),
        rows=len(typed),
        format="sen2-xml",
    )
    inputs.provenance[ds.name] = Provenance(rows=tuple(result.provenance))
    inputs.origins[ds.name] = f"derived from {len(paths)} SEN2 return(s): " + ", ".join(
        p.name for p in paths
    )
    inputs.warnings.extend(result.warnings)
    return True


def _sen2_digest(paths: Sequence[Path], known: _Digests) -> str:
    """One digest over the SEN2 returns read: SHA-256 of their SHA-256 digests in order."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(bytes.fromhex(known.of(path) or sha256_bytes(path.read_bytes())))
    return digest.hexdigest()


def write_snapshot(inputs: Inputs, directory: Path) -> dict[str, Path]:
    """Write each frame to ``<directory>/<name>.parquet``; ``load_inputs`` reads them back.

    This is how a build hands validated data to its notebooks: typed, fast to read and
    identical to what was validated.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, frame in inputs.frames.items():
        target = directory / f"{name}.parquet"
        frame.to_parquet(target, index=False)
        written[name] = target
    if inputs.profile.source:  # the validated profile travels with the data it describes
        target = directory / PROFILE_FILE
        target.write_bytes(Path(inputs.profile.source).read_bytes())
        written["profile"] = target
    return written
