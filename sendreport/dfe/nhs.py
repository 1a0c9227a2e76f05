"""NHS England community health services waiting lists (children and young people) by service.

Two derived CSVs are read (either or both, or the folder holding them):

- ``eng_ch_time_series_derived.csv``: England, columns ``Therapy, Total waiting list,
  Waiting >18-52 weeks, Waiting >52 weeks, Date, Percentage waiting more than 18 weeks,
  formattedDate``
- ``la_ch_time_series_derived.csv``: the same plus ``Organisation Type`` (National, Region, ICB,
  Provider, Organisation) and ``Organisation Name``. Despite its name the areas are NHS ones
  (regions, ICBs, trusts), not local authorities, so ``la_code`` is always <NA>; Hertfordshire
  falls in the "Hertfordshire and West Essex" ICB, Herefordshire in "Herefordshire and
  Worcestershire". ``NA`` marks a service the organisation did not report.

Measures, one set per service (``<service>`` is ``audiology``, ``community_paediatrics``,
``occupational_therapy`` or ``speech_and_language``), each a month-end snapshot with
``period`` ``"2023-01"``:

- ``nhs_waiting_<service>``: children waiting (``Total waiting list``)
- ``nhs_waiting_over_18wk_<service>``: waiting more than 18 weeks (``Waiting >18-52 weeks`` +
  ``Waiting >52 weeks``)
- ``nhs_waiting_over_52wk_<service>``: waiting more than 52 weeks
- ``nhs_pct_over_18wk_<service>``: the published percentage waiting more than 18 weeks, with
  numerator (over 18 weeks) and denominator (total waiting)

``level`` is ``national`` for England and otherwise the NHS organisation type in lower case
(``nhs region``, ``icb``, ``provider``, ``organisation``); ``area_code`` is E92000001 for England
and <NA> for NHS areas (the files carry no codes).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sendreport.dfe._tidy import (
    ENGLAND_CODE,
    MONTH_SNAPSHOT,
    column_lookup,
    empty_tidy,
    finish_tidy,
    parse_numbers,
    read_columns,
    read_header,
)
from sendreport.exceptions import InputFileError, ReleaseNotRecognised

__all__ = ["SERVICE_NAMES", "load_nhs_waiting_lists"]

SERVICE_NAMES = {
    "audiology": "audiology",
    "community paediatric service": "community_paediatrics",
    "occupational therapy": "occupational_therapy",
    "speech and language": "speech_and_language",
}
_REQUIRED = (
    "therapy",
    "total waiting list",
    "waiting >18-52 weeks",
    "waiting >52 weeks",
    "percentage waiting more than 18 weeks",
    "formatteddate",
)
_OPTIONAL = ("organisation type", "organisation name")
_LEVELS = {"national": "national", "na": "national", "": "national", "region": "nhs region"}


def _service_slug(therapy: pd.Series) -> pd.Series:
    text = therapy.str.strip().str.lower()
    slug = text.map(SERVICE_NAMES)
    # A service this module has not seen yet still loads, under a slug of its name.
    return slug.fillna(text.str.replace(r"[^a-z0-9]+", "_", regex=True).str.strip("_"))


def _load_file(path: Path) -> pd.DataFrame:
    header = read_header(path)
    lookup = column_lookup(header)
    missing = [c for c in _REQUIRED if c not in lookup]
    if missing:
        raise ReleaseNotRecognised(str(path), list(_REQUIRED), header)
    wanted = [lookup[c] for c in (*_REQUIRED, *_OPTIONAL) if c in lookup]
    raw = read_columns(path, wanted)
    raw.columns = [c.strip().lower() for c in raw.columns]
    if "organisation type" in raw.columns:
        org_type = raw["organisation type"].fillna("").str.strip().str.lower()
        name = raw["organisation name"].fillna("England").str.strip()
    else:
        org_type = pd.Series("national", index=raw.index)
        name = pd.Series("England", index=raw.index)
    level = org_type.map(_LEVELS).fillna(org_type)
    national = level == "national"
    base = pd.DataFrame(
        {
            "area_code": pd.Series(ENGLAND_CODE, index=raw.index).where(national),
            "area_name": name.where(~national, "England"),
            "level": level,
            "la_code": pd.Series(pd.NA, index=raw.index, dtype="str"),
            "period": raw["formatteddate"].str.strip().str[:7],
            "period_basis": MONTH_SNAPSHOT,
            "source": path.name,
        }
    )
    service = _service_slug(raw["therapy"])
    total, total_status = parse_numbers(raw["total waiting list"])
    mid, mid_status = parse_numbers(raw["waiting >18-52 weeks"])
    long, long_status = parse_numbers(raw["waiting >52 weeks"])
    pct, pct_status = parse_numbers(raw["percentage waiting more than 18 weeks"])
    over18 = mid + long
    over18_status = mid_status.fillna(long_status)
    parts = [
        base.assign(measure="nhs_waiting_" + service, value=total, status=total_status),
        base.assign(measure="nhs_waiting_over_18wk_" + service, value=over18, status=over18_status),
        base.assign(measure="nhs_waiting_over_52wk_" + service, value=long, status=long_status),
        base.assign(
            measure="nhs_pct_over_18wk_" + service,
            value=pct,
            numerator=over18,
            denominator=total,
            status=pct_status,
        ),
    ]
    return pd.concat(parts, ignore_index=True)


def load_nhs_waiting_lists(*paths: Path) -> pd.DataFrame:
    """Read NHS community health waiting-list CSVs (files or a folder) into the tidy frame.

    England appears in both files; the first file given wins, so duplicates are dropped.
    """
    files: list[Path] = []
    for given in paths:
        given = Path(given).expanduser()
        if given.is_dir():
            files += sorted(given.glob("*ch_time_series*.csv")) or sorted(given.glob("*.csv"))
        elif given.is_file():
            files.append(given)
        else:
            raise InputFileError(
                f"NHS waiting-list file not found: {given}",
                path=str(given),
                hint="pass the community health services waiting list CSVs or their folder",
            )
    if not files:
        return empty_tidy()
    tidy = pd.concat([_load_file(f) for f in files], ignore_index=True)
    tidy = tidy.drop_duplicates(["area_name", "level", "measure", "period"])
    return finish_tidy(tidy)
