"""Readers for the DfE Local Authority Interactive Tool (LAIT) extracts, each with a schema check.

- :func:`load_la_code_list`: ``la_code_list.xlsx`` (LA Number, LA Name, Region, Type); the
  region/England summary rows (980–1000, Type "NA") are dropped
- :func:`load_lait_indicators`: ``bds_long_SEN_indicators_subset.csv``, LAIT's long format
  (Short Desc, Data item, Years, LA and Regions, Values, LA Number, Region), returned with
  snake_case columns and ``la_code`` as 3-digit text; values stay text because LAIT mixes
  markers in
- :func:`load_lait_dictionary`: ``lait_data_dictionary.csv`` (Measure_code, Measure,
  Description …)
- :func:`load_percent_pupils_ehcp`: ``percent_pupils_ehcp.csv`` to the tidy frame with measures
  ``pupils_ehcp_pct`` (% of pupils with an EHC plan) and ``pupils_sen_support_pct`` (% on SEN
  support), January census of each academic year (``202223`` → ``"2023-01"``)

Statistical neighbours are read by :mod:`sendreport.dfe.neighbours`.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.dfe._tidy import (
    ENGLAND_CODE,
    JANUARY_SNAPSHOT,
    LEVELS,
    academic_to_january,
    column_lookup,
    finish_tidy,
    parse_numbers,
    read_columns,
    read_header,
)
from sendreport.exceptions import InputFileError, ReleaseNotRecognised
from sendreport.reference import LocalAuthority, all_la_codes, find_la_by_name, local_authority

__all__ = [
    "load_la_code_list",
    "load_lait_dictionary",
    "load_lait_indicators",
    "load_percent_pupils_ehcp",
]


def _require_file(path: Path, what: str) -> Path:
    path = Path(path).expanduser()
    if not path.is_file():
        raise InputFileError(
            f"{what} not found: {path}",
            path=str(path),
            hint="download it from the DfE Local Authority Interactive Tool (LAIT)",
        )
    return path


def _read_checked(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """The CSV's required columns (matched case-insensitively), renamed to the names given."""
    header = read_header(path)
    lookup = column_lookup(header)
    missing = [c for c in required if c.lower() not in lookup]
    if missing:
        raise ReleaseNotRecognised(str(path), list(required), header)
    raw = read_columns(path, [lookup[c.lower()] for c in required])
    return raw.rename(columns={lookup[c.lower()]: c for c in required})


def _la_code_text(series: pd.Series) -> pd.Series:
    return series.str.strip().str.replace(r"\.0$", "", regex=True)


def load_la_code_list(path: Path) -> pd.DataFrame:
    """LAIT's LA list: columns ``la_code``, ``la_name``, ``region``, ``type`` (text)."""
    from openpyxl import load_workbook  # only this reader needs it

    path = _require_file(path, "LAIT LA code list")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        book.close()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as err:
        raise InputFileError(f"cannot open {path.name}: {err}", path=str(path)) from None
    expected = ["la number", "la name", "region", "type"]
    header = [str(c).strip().lower() for c in rows[0]] if rows else []
    if header[:4] != expected:
        raise ReleaseNotRecognised(
            str(path), ["LA Number", "LA Name", "Region", "Type"], [str(c) for c in header]
        )
    table = pd.DataFrame(
        [[("" if v is None else str(v)) for v in r[:4]] for r in rows[1:] if r[0] is not None],
        columns=["la_code", "la_name", "region", "type"],
    ).astype("str")
    table["la_code"] = _la_code_text(table["la_code"])
    return table[table["type"].str.upper() != "NA"].reset_index(drop=True)


def load_lait_indicators(path: Path) -> pd.DataFrame:
    """LAIT long-format indicators with columns ``measure_code, measure, years, area_name,
    value_text, la_code, region`` (all text)."""
    path = _require_file(path, "LAIT indicators file")
    names = {
        "Short Desc": "measure_code",
        "Data item": "measure",
        "Years": "years",
        "LA and Regions": "area_name",
        "Values": "value_text",
        "LA Number": "la_code",
        "Region": "region",
    }
    raw = _read_checked(path, list(names)).rename(columns=names)
    raw["la_code"] = _la_code_text(raw["la_code"])
    return raw


def load_lait_dictionary(path: Path) -> pd.DataFrame:
    """LAIT's data dictionary: ``Measure_code, Measure, Description, Polarity, Year_Type``."""
    path = _require_file(path, "LAIT data dictionary")
    return _read_checked(path, ["Measure_code", "Measure", "Description", "Polarity", "Year_Type"])


def _area_columns(raw: pd.DataFrame, level: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Area code, area name and DfE LA number of each row, from its level and names."""
    authorities: list[LocalAuthority] = [local_authority(c) for c in all_la_codes()]
    by_ons = {la.ons_code: la.la_code for la in authorities}
    region_codes = {la.region_name.lower(): la.region_code for la in authorities}
    ons = raw["new_la_code"].str.strip()
    area_code = np.select(
        [level == "national", level == "regional", level == "la"],
        [
            pd.Series(ENGLAND_CODE, index=raw.index),
            raw["region_name"].str.strip().str.lower().map(region_codes),
            ons,
        ],
        default=None,
    )
    area_name = np.select(
        [level == "national", level == "regional"],
        [pd.Series("England", index=raw.index), raw["region_name"].str.strip()],
        default=raw["la_name"].str.strip(),
    )
    # ONS codes change when boundaries do (Buckinghamshire, Gateshead …); fall back to the name.
    by_name = (
        raw["la_name"]
        .fillna("")
        .map(lambda name: getattr(find_la_by_name(name), "la_code", None) if name else None)
    )
    la_code = ons.map(by_ons).fillna(by_name).where(level == "la")
    return area_code, area_name, la_code


def load_percent_pupils_ehcp(path: Path) -> pd.DataFrame:
    """% of pupils with an EHC plan or on SEN support, England, regions and LAs (tidy)."""
    path = _require_file(path, "percent of pupils with an EHC plan file")
    cols = [
        "time_period",
        "geographic_level",
        "region_name",
        "la_name",
        "new_la_code",
        "SEN provision",
        "% of pupils",
    ]
    raw = _read_checked(path, cols)
    level = raw["geographic_level"].str.strip().str.lower().map(LEVELS)
    raw = raw[level.notna()]
    level = level[level.notna()]
    area_code, area_name, la_code = _area_columns(raw, level)
    value, status = parse_numbers(raw["% of pupils"])
    provision = raw["SEN provision"].str.strip().str.lower()
    measure = provision.map(
        {"ehc plan": "pupils_ehcp_pct", "sen support": "pupils_sen_support_pct"}
    )
    tidy = pd.DataFrame(
        {
            "area_code": area_code,
            "area_name": area_name,
            "level": level,
            "la_code": la_code,
            "measure": measure,
            "period": academic_to_january(raw["time_period"]),
            "period_basis": JANUARY_SNAPSHOT,
            "value": value,
            "status": status,
            "source": path.name,
        }
    )
    return finish_tidy(tidy[tidy["measure"].notna()])
