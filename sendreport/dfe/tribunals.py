"""Read the MoJ/DfE "SEND Tribunals and appeal rate" sheet (calendar years 2014–2024).

The file is formatted for people, not machines: a title block, a two-row header (years, then
"Appeals registered / Total Appealable Decisions / SEND Tribunal Appeal Rate" under each year),
region header rows in capitals, footnote digits glued to names (``Cumberland8``,
``England Total4,9``), thousands separators (``"1,071"``), rates as ``"4.40%"``, ``-`` for nil,
``..`` not available, ``~`` suppressed and ``x``; notes below the table. The last year may carry
two extra "In development" columns, which are ignored.

LA codes in the sheet are not trusted (Central Bedfordshire and Cambridgeshire are swapped), so
rows are joined to the reference table by NAME; a name not in the table keeps the sheet's code.

Measures (calendar year basis):

- ``tribunal_appeals``: SEND Tribunal appeals registered
- ``tribunal_appeal_rate_pct``: the published appeal rate, appeals ÷ total appealable decisions
  (refused requests, decisions not to issue, plans at January, plans ceased as needs met); the
  numerator is the appeals and the denominator the appealable decisions

England comes from the "England Total" row; there are no regional rows (the sheet has none).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from sendreport.dfe._tidy import (
    CALENDAR_YEAR,
    ENGLAND_CODE,
    BenchmarkLevel,
    finish_tidy,
    parse_numbers,
)
from sendreport.exceptions import InputFileError, ReleaseNotRecognised
from sendreport.reference import find_la_by_name

__all__ = ["load_tribunals"]

_YEAR_RE = re.compile(r"^(19|20)\d\d$")
_FOOTNOTE_RE = re.compile(r"[\d,\s]+$")
_SUBHEADS = ("appeals registered", "total appealable decisions", "send tribunal appeal rate")


def load_tribunals(path: Path) -> pd.DataFrame:
    """Read the tribunal appeal-rate sheet into the tidy frame (see the module docstring)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InputFileError(
            f"tribunal file not found: {path}",
            path=str(path),
            hint="it is 'SEND Tribunals and appeal rate 2014-2024.csv' in the supporting files "
            "of the DfE 'Education, health and care plans' release",
        )
    # The csv module copes with the ragged rows of a hand-made sheet; pandas would not.
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = [[cell.strip() for cell in row] for row in csv.reader(handle)]
    except (UnicodeDecodeError, csv.Error) as err:
        raise InputFileError(f"cannot read {path.name}: {err}", path=str(path)) from None
    width = max((len(row) for row in lines), default=0)
    sheet = pd.DataFrame([row + [""] * (width - len(row)) for row in lines], dtype="str")

    header_row = _find_header(path, sheet)
    years = {
        j: sheet.iat[header_row, j]
        for j in range(sheet.shape[1])
        if _YEAR_RE.match(sheet.iat[header_row, j])
    }
    sub = sheet.iloc[header_row + 1].str.lower()
    for j in years:
        got = tuple(re.sub(r"[\d,]+$", "", sub.iat[j + k]).strip() for k in range(3))
        if got != _SUBHEADS:
            raise ReleaseNotRecognised(
                str(path),
                [f"{years[j]}: {', '.join(_SUBHEADS)}"],
                [f"{years[j]}: {', '.join(got)}"],
            )

    rows = _area_rows(sheet.iloc[header_row + 2 :])
    parts = []
    for j, year in years.items():
        appeals, appeals_status = parse_numbers(rows[j])
        decisions, _ = parse_numbers(rows[j + 1])
        rate, rate_status = parse_numbers(rows[j + 2])
        base = rows[["area_code", "area_name", "level", "la_code"]].assign(
            period=year, period_basis=CALENDAR_YEAR, source=path.name
        )
        parts.append(base.assign(measure="tribunal_appeals", value=appeals, status=appeals_status))
        parts.append(
            base.assign(
                measure="tribunal_appeal_rate_pct",
                value=rate,
                numerator=appeals,
                denominator=decisions,
                status=rate_status,
            )
        )
    return finish_tidy(pd.concat(parts, ignore_index=True))


def _find_header(path: Path, sheet: pd.DataFrame) -> int:
    if sheet.shape[1] == 0:
        raise ReleaseNotRecognised(str(path), ["Local Authority", "LA code", "<year>"], [])
    first = sheet.iloc[:, 0].str.lower()
    hits = first.index[first == "local authority"].tolist()
    if not hits or sheet.shape[1] < 5:
        raise ReleaseNotRecognised(
            str(path),
            ["a header row starting 'Local Authority, LA code, <year>, , , <year> …'"],
            sheet.iloc[:6, 0].tolist(),
        )
    return hits[0]


def _area_rows(body: pd.DataFrame) -> pd.DataFrame:
    """LA rows (joined to the reference by name) and the England total row."""
    name = body.iloc[:, 0].str.replace(_FOOTNOTE_RE, "", regex=True).str.strip()
    code = body.iloc[:, 1]
    values = body.iloc[:, 2:]
    has_data = values.ne("").any(axis=1)
    # Notes start at the first row after the England total.
    is_england = name.str.lower().str.startswith("england total") & ~name.str.lower().str.contains(
        "excluding"
    )
    if is_england.any():
        end = body.index.get_loc(is_england.idxmax()) + 1
        body, name, code, has_data = (
            body.iloc[:end],
            name.iloc[:end],
            code.iloc[:end],
            has_data[:end],
        )
        is_england = is_england.iloc[:end]
    # Region headers are capitalised names with no code and no figures.
    is_la = has_data & ~is_england & (name != "") & ~name.str.isupper()
    keep = is_la | is_england
    out = body[keep].copy()
    names, codes = name[keep], code[keep]
    area_code, la_code, area_name, level = [], [], [], []
    for nm, cd, eng in zip(names, codes, is_england[keep], strict=True):
        if eng:
            area_code.append(ENGLAND_CODE)
            la_code.append(None)
            area_name.append("England")
            level.append(BenchmarkLevel.ENGLAND.tidy)
            continue
        la = find_la_by_name(nm)
        area_code.append(la.ons_code if la else None)
        la_code.append(la.la_code if la else (cd or None))
        area_name.append(la.la_name if la else nm)
        level.append(BenchmarkLevel.LA.tidy)
    out["area_code"], out["la_code"] = area_code, la_code
    out["area_name"], out["level"] = area_name, level
    return out
