"""``mapping.toml``: read a council's own exports (or database tables) as contract datasets.

A data folder may hold ``mapping.toml`` saying, dataset by dataset, which file (or
database query) holds it and how its columns and values translate::

    [ehcp_requests]
    file = "EHCP tracker.xlsx"      # relative to the data folder; CSV, XLSX or Parquet
    sheet = "SEN2 extract"          # XLSX: which sheet (default: the first)
    header_row = 4                  # 1-based row holding the column names (default 1)
    la_code = "884"                 # when the file has no LA column
    date_format = "%d/%m/%Y"        # default: ISO dates

    [ehcp_requests.columns]         # contract column = the file's column
    request_id = "Case Ref"

    [ehcp_requests.values.request_outcome]   # the file's value = contract value
    "Agreed to assess" = "assess"

The mapping is checked first, against the file: a column or sheet it names that the file
lacks, or a non-empty value in a value-mapped column that it does not cover, is an error
naming ``mapping.toml``, the dataset and the file's column or value (exit 2). What comes
out is a frame of contract columns holding text, which :mod:`sendreport.load` types and
checks like any file; every row remembers its place in the source (file, sheet and the row
number Excel shows) so later problems are named in the source's terms.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sendreport.contract import DATASETS, Dataset
from sendreport.exceptions import InputFileError

MAPPING_FILE = "mapping.toml"
FILE_KEYS = {"file", "sheet", "header_row", "la_code", "date_format", "columns", "values"}
DATABASE_KEYS = {"url", "credentials_env", "query", "table", "la_code", "date_format"}
DATABASE_KEYS |= {"columns", "values"}
MAX_SHOWN = 5


@dataclass(frozen=True)
class DatasetMapping:
    """How one dataset is read: from a file, or from a database (``url``)."""

    dataset: str
    file: str | None = None
    sheet: str | None = None
    header_row: int = 1
    la_code: str | None = None
    date_format: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    url: str | None = None
    credentials_env: str | None = None
    query: str | None = None
    table: str | None = None


@dataclass
class Mapped:
    """A mapped dataset as contract-named text columns, with where each row came from."""

    frame: pd.DataFrame
    path: Path | None
    origin: str
    rows: list[str]
    columns: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    digest_source: str = ""  # database inputs: the rows as CSV text, for the manifest hash


def mapping_error(
    dataset: str | None, message: str, hint: str, *, column: str | None = None, path: str = ""
) -> InputFileError:
    where = f"[{dataset}]: " if dataset else ""
    return InputFileError(
        f"{MAPPING_FILE} {where}{message}",
        path=path or MAPPING_FILE,
        dataset=dataset,
        column=column,
        rule="mapping",
        hint=hint,
    )


# --- reading mapping.toml -------------------------------------------------------------


def read_mapping(data_dir: Path) -> dict[str, DatasetMapping]:
    """The mappings in ``<data_dir>/mapping.toml`` ({} when there is none)."""
    path = Path(data_dir) / MAPPING_FILE
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise mapping_error(
            None,
            f"is not valid TOML: {err}",
            "fix the line named (strings in double quotes, one [dataset] table per dataset)",
            path=str(path),
        ) from None
    return {name: parse_dataset(name, table, path) for name, table in raw.items()}


def database_datasets(data_dir: Path) -> list[str]:
    """Datasets mapping.toml reads from a database ([] when none, or when it is broken:
    loading reports that)."""
    try:
        return [name for name, m in read_mapping(data_dir).items() if m.url]
    except InputFileError:
        return []


def parse_dataset(name: str, table: Any, path: Path) -> DatasetMapping:
    if name not in DATASETS:
        raise mapping_error(
            name,
            f"names a dataset sendreport does not know ({name!r})",
            f"use one of: {', '.join(DATASETS)}",
            path=str(path),
        )
    if not isinstance(table, dict):
        raise mapping_error(name, "must be a table", f"write it as [{name}]", path=str(path))
    allowed = DATABASE_KEYS if "url" in table else FILE_KEYS
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise mapping_error(
            name,
            f"has key(s) {', '.join(unknown)} that mapping.toml does not use",
            f"use only: {', '.join(sorted(allowed))}",
            path=str(path),
        )
    if "url" not in table and not isinstance(table.get("file"), str):
        raise mapping_error(
            name,
            "names no file (or database url)",
            'add file = "…" with the export\'s name, relative to the data folder',
            path=str(path),
        )
    ds = DATASETS[name]
    columns = {str(k): str(v) for k, v in dict(table.get("columns", {})).items()}
    values = {str(k): dict(v) for k, v in dict(table.get("values", {})).items()}
    known = {c.name for c in ds.columns}
    for contract in [*columns, *values]:
        if contract not in known:
            raise mapping_error(
                name,
                f"maps {contract!r}, which is not a column of the {name} contract",
                f"use the contract's column names on the left: {', '.join(sorted(known))}",
                column=contract,
                path=str(path),
            )
    header_row = table.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        raise mapping_error(
            name, f"header_row {header_row!r} is not a row number", "use 1 or more", path=str(path)
        )
    return DatasetMapping(
        dataset=name,
        file=table.get("file"),
        sheet=table.get("sheet"),
        header_row=header_row,
        la_code=None if table.get("la_code") is None else str(table["la_code"]),
        date_format=table.get("date_format"),
        columns=columns,
        values=values,
        url=table.get("url"),
        credentials_env=table.get("credentials_env"),
        query=table.get("query"),
        table=table.get("table"),
    )


# --- reading the source ---------------------------------------------------------------


def source_path(data_dir: Path, mapping: DatasetMapping) -> Path:
    """The mapped file, which must lie inside the data folder."""
    folder = Path(data_dir).resolve()
    path = (folder / str(mapping.file)).resolve()
    if not path.is_relative_to(folder):
        raise mapping_error(
            mapping.dataset,
            f"file {mapping.file!r} is outside the data folder",
            "put the export in the data folder and name it relative to that folder",
        )
    if not path.is_file():
        raise mapping_error(
            mapping.dataset,
            f"names file {mapping.file!r}, which is not in the data folder {data_dir}",
            "correct the file name in mapping.toml or copy the export into the data folder",
        )
    return path


def read_table(path: Path, mapping: DatasetMapping) -> tuple[pd.DataFrame, str]:
    """The file's cells as text, no header applied; and the sheet read (XLSX)."""
    from sendreport.load import _cell_to_text

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_sheet(path, mapping)
    if suffix == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except (UnicodeDecodeError, csv.Error) as err:
            raise mapping_error(
                mapping.dataset,
                f"file {path.name} could not be read as UTF-8 CSV ({type(err).__name__})",
                'save it from Excel as "CSV UTF-8 (Comma delimited) (*.csv)"',
            ) from None
        # Rows may differ in length (a title block above the header): pad them.
        width = max((len(r) for r in rows), default=0)
        cells = [[(v if v != "" else None) for v in r] + [None] * (width - len(r)) for r in rows]
        return pd.DataFrame(cells, dtype=object), ""
    if suffix == ".parquet":
        frame = pd.read_parquet(path)
        header = pd.DataFrame([list(map(str, frame.columns))])
        body = frame.astype(object).map(_cell_to_text)
        return pd.concat([header, pd.DataFrame(body.to_numpy())], ignore_index=True), ""
    raise mapping_error(
        mapping.dataset,
        f"file {path.name} is not CSV, XLSX or Parquet",
        "export the data as .csv, .xlsx or .parquet",
    )


def read_sheet(path: Path, mapping: DatasetMapping) -> tuple[pd.DataFrame, str]:
    from openpyxl import load_workbook

    from sendreport.load import _cell_to_text

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged workbook
        raise mapping_error(
            mapping.dataset,
            f"file {path.name} could not be opened as an Excel workbook ({type(err).__name__})",
            "open it in Excel and save it again as .xlsx",
        ) from None
    try:
        names = book.sheetnames
        sheet = mapping.sheet or names[0]
        if sheet not in names:
            raise mapping_error(
                mapping.dataset,
                f"names sheet {sheet!r}, which {path.name} does not have "
                f"(it has: {', '.join(names)})",
                "correct sheet = … in mapping.toml",
            )
        rows = [[_cell_to_text(v) for v in row] for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()
    return pd.DataFrame(rows, dtype=object), sheet


# --- applying the mapping -------------------------------------------------------------


def split_header(cells: pd.DataFrame, mapping: DatasetMapping, name: str):
    """(header names, body rows, Excel row number of each body row)."""
    at = mapping.header_row - 1
    if at >= len(cells):
        raise mapping_error(
            mapping.dataset,
            f"header_row = {mapping.header_row}, but {name} has only {len(cells)} row(s)",
            "set header_row to the row that holds the column names, as Excel numbers it",
        )
    header = ["" if v is None else str(v).strip() for v in cells.iloc[at]]
    body = cells.iloc[at + 1 :]
    keep = body.notna().any(axis=1).to_numpy()
    numbers = [mapping.header_row + 1 + i for i, k in enumerate(keep) if k]
    return header, body[keep].reset_index(drop=True), numbers


def column_sources(header: list[str], mapping: DatasetMapping, ds: Dataset) -> dict[str, str]:
    """Contract column → the file's column; every column the mapping names must exist."""
    found = {h for h in header if h}
    sources: dict[str, str] = {}
    for col in ds.columns:
        wanted = mapping.columns.get(col.name)
        if wanted is not None:
            if wanted not in found:
                raise mapping_error(
                    mapping.dataset,
                    f"maps {col.name} to the file's column {wanted!r}, which the file lacks "
                    f"(header row {mapping.header_row} holds: {', '.join(h for h in header if h)})",
                    "correct the column name in mapping.toml (it must match the header "
                    "exactly), or header_row if the names are on another row",
                    column=wanted,
                )
            sources[col.name] = wanted
        elif col.name in found:
            sources[col.name] = col.name
        elif col.name == "la_code" and mapping.la_code:
            continue
        elif col.required:
            raise mapping_error(
                mapping.dataset,
                f"the file has no column for {col.name} and the mapping names none",
                f'add {col.name} = "<the file\'s column>" under [{mapping.dataset}.columns]'
                + (' or la_code = "NNN"' if col.name == "la_code" else ""),
                column=col.name,
            )
    return sources


def map_values(series: pd.Series, contract: str, mapping: DatasetMapping, source: str):
    """The file's values translated; every non-empty value must be covered."""
    table = {str(k).strip(): v for k, v in mapping.values[contract].items()}
    folded = {k.casefold(): v for k, v in table.items()}
    text = pd.Series([cell_text(v) for v in series], index=series.index, dtype=object)
    uncovered = sorted({v for v in text.dropna() if v not in table and v.casefold() not in folded})
    if uncovered:
        shown = ", ".join(repr(v) for v in uncovered[:MAX_SHOWN])
        raise mapping_error(
            mapping.dataset,
            f"column {source!r} holds value(s) the mapping does not cover: {shown}"
            + (f" and {len(uncovered) - MAX_SHOWN} more" if len(uncovered) > MAX_SHOWN else ""),
            f"add each under [{mapping.dataset}.values.{contract}] as "
            f'"<file value>" = "<contract value>"',
            column=source,
        )
    mapped = [None if v is None else table.get(v, folded.get(v.casefold())) for v in text]
    mapped = [None if v is None else str(v) for v in mapped]
    return pd.Series(mapped, index=series.index, dtype=object), [
        f"{MAPPING_FILE} [{mapping.dataset}.values.{contract}]: value {k!r} does not occur in "
        f"column {source!r} of this export"
        for k in table
        if k not in set(text.dropna())
    ]


def cell_text(value: Any) -> str | None:
    """A cell as stripped text; None when empty (None, NaN or blank)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return str(value).strip() or None


def convert_dates(series: pd.Series, fmt: str) -> pd.Series:
    """Text dates in ``fmt`` (or ISO, as Excel date cells arrive) to ISO text; others kept
    as they are, for the loader to report with their row and column."""

    def one(value: Any) -> Any:
        text = cell_text(value)
        if text is None:
            return None
        for pattern in (fmt, "%Y-%m-%d"):
            try:
                return datetime.strptime(text, pattern).date().isoformat()
            except ValueError:
                continue
        return text

    return series.map(one)


def apply_mapping(
    cells: pd.DataFrame, mapping: DatasetMapping, ds: Dataset, label: str
) -> tuple[pd.DataFrame, list[int], dict[str, str], list[str]]:
    """Contract-named text columns from raw cells: (frame, source row numbers, column
    sources, warnings)."""
    header, body, numbers = split_header(cells, mapping, label)
    sources = column_sources(header, mapping, ds)
    position = {h: i for i, h in reversed(list(enumerate(header)))}
    out: dict[str, pd.Series] = {}
    warnings: list[str] = []
    for contract, source in sources.items():
        series = body.iloc[:, position[source]].reset_index(drop=True)
        if contract in mapping.values:
            series, notes = map_values(series, contract, mapping, source)
            warnings += notes
        elif mapping.date_format and ds.column(contract).kind == "date":
            series = convert_dates(series, mapping.date_format)
        out[contract] = series
    if "la_code" not in sources and mapping.la_code:
        out["la_code"] = pd.Series([mapping.la_code] * len(body), dtype=object)
    for contract in mapping.values:
        if contract not in sources:
            raise mapping_error(
                mapping.dataset,
                f"maps values of {contract}, but the file has no column for it",
                f'name its column under [{mapping.dataset}.columns], e.g. {contract} = "…"',
                column=contract,
            )
    unused = [h for h in header if h and h not in sources.values()]
    if unused:
        warnings.append(
            f"{label}: column(s) not used by the {mapping.dataset} contract are ignored: "
            + ", ".join(repr(h) for h in unused[:10])
            + (" …" if len(unused) > 10 else "")
        )
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(body))).astype("str")
    return frame, numbers, sources, warnings


def map_cells(
    cells: pd.DataFrame,
    mapping: DatasetMapping,
    label: str,
    *,
    origin: str,
    row_label: Callable[[int], str],
    path: Path | None = None,
    digest_source: str = "",
) -> Mapped:
    """Translate a source's cells (header at ``mapping.header_row``) into a :class:`Mapped`:
    contract columns, each row named by ``row_label(source row number)``."""
    frame, numbers, sources, warnings = apply_mapping(
        cells, mapping, DATASETS[mapping.dataset], label
    )
    return Mapped(
        frame=frame,
        path=path,
        origin=origin,
        rows=[row_label(n) for n in numbers],
        columns={k: v for k, v in sources.items() if k != v},
        warnings=warnings,
        digest_source=digest_source,
    )


def read_mapped_file(data_dir: Path, mapping: DatasetMapping) -> Mapped:
    """Read and translate one mapped file (the database case is in sendreport.database)."""
    path = source_path(data_dir, mapping)
    cells, sheet = read_table(path, mapping)
    where = f"{path.name}, sheet {sheet!r}" if sheet else path.name
    return map_cells(
        cells,
        mapping,
        where,
        origin=f"{where}, header row {mapping.header_row} (via {MAPPING_FILE})",
        row_label=lambda n: f"{where}, row {n}",
        path=path,
    )
