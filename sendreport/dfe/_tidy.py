"""The tidy long frame every DfE loader returns, and the parsing shared by the loaders.

One row per area, measure and period::

    area_code  area_name  level  la_code  measure  period  period_basis
    value  numerator  denominator  status  source

``status`` is ``<NA>`` when the value is published and otherwise keeps the publisher's marker
(``x`` not available, ``c`` confidential, ``z`` not applicable, ``k``, ``low``, ``blank`` for an
empty cell, and in the tribunal sheet ``..`` and ``~``), so a report can say *why* a figure is
missing rather than show 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.exceptions import InputFileError, ReleaseNotRecognised

TIDY_COLUMNS = (
    "area_code",
    "area_name",
    "level",
    "la_code",
    "measure",
    "period",
    "period_basis",
    "value",
    "numerator",
    "denominator",
    "status",
    "source",
)
TEXT_COLUMNS = (
    "area_code",
    "area_name",
    "level",
    "la_code",
    "measure",
    "period",
    "period_basis",
    "status",
    "source",
)
FLOAT_COLUMNS = ("value", "numerator", "denominator")

CALENDAR_YEAR = "calendar year"
JANUARY_SNAPSHOT = "January snapshot"
MONTH_SNAPSHOT = "month-end snapshot"


class BenchmarkLevel(StrEnum):
    """Where a comparator figure is from: the one vocabulary of benchmark levels.

    The loaders, the scorecard's benchmark columns, ``rep.benchmark_rows`` and the notebooks
    name a level by its value (``england``, ``region``, ``neighbours``, ``la``). :attr:`tidy`
    is the spelling of the tidy frame's ``level`` column (``national``, ``regional``,
    ``statistical neighbours``, ``la``), which figures.json records as published.
    """

    ENGLAND = "england"
    REGION = "region"
    NEIGHBOURS = "neighbours"
    LA = "la"

    @property
    def tidy(self) -> str:
        """The ``level`` of this level's rows in the tidy frame."""
        return _TIDY_LEVELS[self]

    @classmethod
    def parse(cls, text: object) -> BenchmarkLevel | None:
        """The level a source's spelling names ("national", "Regional", "SN", "local
        authority" …), case-insensitively; None for any other level (e.g. an NHS region)."""
        return _LEVEL_SPELLINGS.get(str(text).strip().lower())


_TIDY_LEVELS = {
    BenchmarkLevel.ENGLAND: "national",
    BenchmarkLevel.REGION: "regional",
    BenchmarkLevel.NEIGHBOURS: "statistical neighbours",
    BenchmarkLevel.LA: "la",
}
_LEVEL_SPELLINGS = (
    {level.value: level for level in BenchmarkLevel}
    | {level.tidy: level for level in BenchmarkLevel}
    | {
        "country": BenchmarkLevel.ENGLAND,
        "local authority": BenchmarkLevel.LA,
        "statistical neighbour": BenchmarkLevel.NEIGHBOURS,
        "statistical_neighbours": BenchmarkLevel.NEIGHBOURS,
        "sn": BenchmarkLevel.NEIGHBOURS,
    }
)
# DfE's geographic_level column → the tidy level (other geographies are dropped).
LEVELS = {
    "national": BenchmarkLevel.ENGLAND.tidy,
    "regional": BenchmarkLevel.REGION.tidy,
    "local authority": BenchmarkLevel.LA.tidy,
}
ENGLAND_CODE = "E92000001"

# Markers used by DfE (x c z k low), the tribunal sheet (.. ~ -) and NHS (NA).
MARKERS = frozenset({"x", "c", "z", "k", "low", "u", ":", "..", "~", "na", "n/a"})
_STRIP_RE = re.compile(r"[,\s%£]")


def empty_tidy() -> pd.DataFrame:
    """A tidy frame with no rows and the right dtypes."""
    return finish_tidy(pd.DataFrame({c: [] for c in TIDY_COLUMNS}))


def finish_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Order and type the tidy columns: text as ``str`` with ``<NA>``, numbers as float64."""
    out = frame.reindex(columns=list(TIDY_COLUMNS))
    for col in TEXT_COLUMNS:
        out[col] = out[col].astype("str")
    for col in FLOAT_COLUMNS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    return out.reset_index(drop=True)


def parse_numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Published text to ``(value, status)``, vectorised.

    Copes with leading/trailing spaces, thousands separators (``"1,071"``), percent signs
    (``"4.40%"``) and the suppression markers. ``"-"`` (nil in MoJ tables) is 0. Anything else
    that is not a number keeps its text as the status so it is never silently lost.
    """
    text = raw.astype("str").str.strip()
    text = text.where(raw.notna(), "")
    cleaned = text.str.replace(_STRIP_RE, "", regex=True)
    cleaned = cleaned.mask(cleaned.isin(["-", "–"]), "0")
    value = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    lowered = text.str.lower()
    status = pd.Series(pd.NA, index=raw.index, dtype="str")
    missing = value.isna()
    status = status.mask(missing & (text == ""), "blank")
    marker = missing & lowered.isin(MARKERS)
    status = status.mask(marker, lowered.where(lowered != "n/a", "na"))
    other = missing & (text != "") & ~lowered.isin(MARKERS)
    status = status.mask(other, text)
    return value, status


def combine_status(*statuses: pd.Series) -> pd.Series:
    """The first non-missing status of several components (for computed measures)."""
    out = statuses[0]
    for status in statuses[1:]:
        out = out.fillna(status)
    return out


def compute_pct(
    numerator: pd.Series,
    denominator: pd.Series,
    num_status: pd.Series,
    den_status: pd.Series,
) -> tuple[pd.Series, pd.Series]:
    """``100 × numerator ÷ denominator``; ``z`` (not applicable) when the denominator is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = 100.0 * numerator / denominator.where(denominator != 0)
    status = combine_status(num_status, den_status)
    status = status.mask(status.isna() & (denominator == 0), "z")
    return value.astype("float64"), status


def column_lookup(columns: Iterable[str]) -> dict[str, str]:
    """Lower-cased, BOM-free column name → the name as it appears in the file."""
    return {c.lstrip("\ufeff").strip().lower(): c for c in columns}


def resolve_columns(
    path: Path,
    found: Iterable[str],
    aliases: Mapping[str, tuple[str, ...]],
    required: Iterable[str],
) -> dict[str, str]:
    """Map each canonical column to the file's actual column through the alias table.

    Matching is case-insensitive. Raises :class:`ReleaseNotRecognised` naming the expected and
    found columns when a required one has no match.
    """
    found = list(found)
    lookup = column_lookup(found)
    resolved: dict[str, str] = {}
    for key, names in aliases.items():
        for name in (key, *names):
            if name.lower() in lookup:
                resolved[key] = lookup[name.lower()]
                break
    missing = [key for key in required if key not in resolved]
    if missing:
        expected = [" or ".join(dict.fromkeys((key, *aliases.get(key, ())))) for key in missing]
        raise ReleaseNotRecognised(str(path), expected, [c.lstrip("\ufeff") for c in found])
    return resolved


def read_header(path: Path) -> list[str]:
    """The first line of a CSV as column names (BOM removed), without reading the body."""
    try:
        head = pd.read_csv(path, nrows=0, encoding="utf-8-sig", dtype="str")
    except FileNotFoundError:
        raise InputFileError(
            f"file not found: {path}",
            path=str(path),
            hint="check the path; DfE release files sit in the release's data/ folder",
        ) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputFileError(
            f"cannot read {path.name} as CSV: {err}",
            path=str(path),
            hint="download the file again from explore-education-statistics",
        ) from None
    return [str(c) for c in head.columns]


def read_columns(path: Path, usecols: Iterable[str]) -> pd.DataFrame:
    """Only ``usecols`` of a CSV, every cell as text (markers must survive the read)."""
    try:
        return pd.read_csv(
            path,
            usecols=list(dict.fromkeys(usecols)),
            dtype="str",
            encoding="utf-8-sig",
            keep_default_na=False,
            na_values=[""],
            engine="c",
            low_memory=False,
        )
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as err:
        raise InputFileError(
            f"cannot read {path.name}: {err}",
            path=str(path),
            hint="download the file again from explore-education-statistics",
        ) from None


def strip_text(series: pd.Series) -> pd.Series:
    return series.astype("str").str.strip().where(series.notna(), None)


def academic_to_january(period: pd.Series) -> pd.Series:
    """``202425`` (academic year 2024/25) → ``"2025-01"``: the January census in it."""
    text = period.astype("str").str.strip().str.replace(r"\.0$", "", regex=True)
    second = pd.to_numeric(text.str[:4], errors="coerce") + 1
    return second.astype("Int64").astype("str") + "-01"
