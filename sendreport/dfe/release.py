"""Read a DfE "Education, health and care plans" release into one tidy long frame.

The release is the explore-education-statistics download: a folder with ``data/*.csv`` (pass the
release root or its ``data/`` folder). Only the headline breakdown of each file is read (the
"All …" rows, e.g. ``All EHC plans issued`` in 2025 and ``All EHC plans`` from 2026); England,
regions and LAs are all kept. Column names are matched case-insensitively through
:mod:`sendreport.dfe.aliases`, so renamed or lower-cased releases load to the same numbers.

Measures (``period_basis`` is "calendar year" unless stated):

From ``timeliness_20_week.csv`` (new EHC plans issued in the year, "inc" = including and "ex" =
excluding plans where a permitted exception to the 20-week time limit applied):

- ``ehcp_plans_issued_inc``: plans issued (``plans_issued_den``)
- ``ehcp_plans_issued_ex``: plans issued, exceptions excluded (``plans_issued_den_ex``)
- ``ehcp_20wk_pct_inc``: % issued within 20 weeks as published
  (``pc_plans_issued_within_20_weeks``); numerator ``plans_issued_within_20_weeks``,
  denominator ``plans_issued_den``
- ``ehcp_20wk_pct_ex``: % issued within 20 weeks excluding exceptions as published
  (``pc_plans_issued_20_weeks_ex``); numerator ``plans_issued_20_weeks_ex``, denominator
  ``plans_issued_den_ex``. England 2023: 50.3% (38,471 / 76,506)
- ``ehcp_within_20wk_inc`` / ``ehcp_within_20wk_ex``: plans issued within 20 weeks
- ``ehcp_gt20wk_lt1yr_inc`` / ``ehcp_gt20wk_lt1yr_ex``: issued after 20 weeks but within a year
  (published from 2023)
- ``ehcp_gt1yr_inc`` / ``ehcp_gt1yr_ex``: issued after more than a year (from 2023)

From ``requests.csv`` (initial requests for an EHC needs assessment received in the year):

- ``ehcna_requests_received``: requests received (``requests_received_in_year``)
- ``ehcna_requests_assess``: decided to assess (``requests_decided_to_assess``, from 2023)
- ``ehcna_requests_not_assess``: decided not to assess, i.e. refused
  (``requests_decided_not_to_assess``)
- ``ehcna_requests_withdrawn``: withdrawn (``requests_withdrawn``, from 2023)
- ``ehcna_requests_not_decided``: no decision yet (``requests_decision_not_made``, from 2023)
- ``ehcna_refusal_pct``: computed, 100 × not_assess ÷ (assess + not_assess); numerator and
  denominator kept. Not DfE's published ``request_not_assess_pc``, whose denominator is all
  requests received (including withdrawn and undecided ones)
- ``ehcna_decision_6wk_pct``: computed, 100 × ``request_outcome_six_weeks`` ÷
  (``request_outcome_six_weeks`` + ``request_outcome_over_6_weeks``), from 2023
- ``ehcna_decided_6wk`` / ``ehcna_decided_over_6wk``: decisions made within / after six weeks

From ``assessments.csv`` (EHC needs assessments completed in the year):

- ``ehcna_assess_issued``: decided to issue a plan (``assess_issued``)
- ``ehcna_assess_not_issued``: decided not to issue (``assess_not_issued``)

From ``newplans.csv``: ``ehcp_new_plans``, new EHC plans made in the year (``new_ehc_plans``).

From ``caseload.csv``: ``ehcp_caseload``, EHC plans maintained at the January census
(``ehcplans``); ``period_basis`` "January snapshot", ``time_period`` ``202425`` → ``"2025-01"``.

Computed percentages are not rounded; published ones are kept exactly as DfE printed them. A
missing component makes a computed measure missing with the component's marker as ``status``;
a zero denominator gives status ``z`` (not applicable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.dfe._tidy import (
    CALENDAR_YEAR,
    ENGLAND_CODE,
    JANUARY_SNAPSHOT,
    LEVELS,
    academic_to_january,
    compute_pct,
    empty_tidy,
    finish_tidy,
    parse_numbers,
    read_columns,
    read_header,
    resolve_columns,
    strip_text,
)
from sendreport.dfe.aliases import ALIASES, BREAKDOWN, GEOGRAPHY
from sendreport.exceptions import InputFileError, ReleaseNotRecognised

__all__ = ["MEASURES", "RELEASE_FILES", "load_release", "load_release_file", "release_data_dir"]


@dataclass(frozen=True)
class Count:
    """A published count copied as it is."""

    measure: str
    column: str


@dataclass(frozen=True)
class PublishedPct:
    """A published percentage kept as printed, with its counts alongside."""

    measure: str
    column: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class ComputedPct:
    """100 × numerator ÷ (sum of the denominator columns), computed here."""

    measure: str
    numerator: str
    denominator: tuple[str, ...]


# Requests and their outcomes, named the same in every release and in the SEN2 file.
REQUEST_OUTCOMES: tuple[Count | ComputedPct, ...] = (
    Count("ehcna_requests_received", "requests_received_in_year"),
    Count("ehcna_requests_assess", "requests_decided_to_assess"),
    Count("ehcna_requests_not_assess", "requests_decided_not_to_assess"),
    Count("ehcna_requests_withdrawn", "requests_withdrawn"),
    Count("ehcna_requests_not_decided", "requests_decision_not_made"),
    ComputedPct(
        "ehcna_refusal_pct",
        "requests_decided_not_to_assess",
        ("requests_decided_to_assess", "requests_decided_not_to_assess"),
    ),
)

# The headline 20-week measures, named the same in every release and in the SEN2 file.
HEADLINE_TIMELINESS: tuple[Count | PublishedPct, ...] = (
    Count("ehcp_plans_issued_inc", "plans_issued_den"),
    Count("ehcp_plans_issued_ex", "plans_issued_den_ex"),
    PublishedPct(
        "ehcp_20wk_pct_inc",
        "pc_plans_issued_within_20_weeks",
        "plans_issued_within_20_weeks",
        "plans_issued_den",
    ),
    PublishedPct(
        "ehcp_20wk_pct_ex",
        "pc_plans_issued_20_weeks_ex",
        "plans_issued_20_weeks_ex",
        "plans_issued_den_ex",
    ),
    Count("ehcp_within_20wk_inc", "plans_issued_within_20_weeks"),
    Count("ehcp_within_20wk_ex", "plans_issued_20_weeks_ex"),
)


Spec = Count | PublishedPct | ComputedPct


@dataclass(frozen=True)
class ReleaseFile:
    stem: str
    headline: tuple[str, ...]
    required: tuple[str, ...]
    measures: tuple[Spec, ...]
    basis: str = CALENDAR_YEAR
    optional: tuple[str, ...] = field(default=())


RELEASE_FILES: tuple[ReleaseFile, ...] = (
    ReleaseFile(
        stem="timeliness_20_week",
        headline=("All EHC plans issued", "All EHC plans"),
        required=(
            "plans_issued_den",
            "plans_issued_den_ex",
            "plans_issued_within_20_weeks",
            "plans_issued_20_weeks_ex",
            "pc_plans_issued_within_20_weeks",
            "pc_plans_issued_20_weeks_ex",
        ),
        optional=(
            "plans_issued_gt20weeks_ltyear",
            "plans_issued_gt20weeks_ltyear_ex",
            "plans_issued_gt_1_year",
            "plans_issued_gt_1_year_ex",
        ),
        measures=(
            *HEADLINE_TIMELINESS,
            Count("ehcp_gt20wk_lt1yr_inc", "plans_issued_gt20weeks_ltyear"),
            Count("ehcp_gt20wk_lt1yr_ex", "plans_issued_gt20weeks_ltyear_ex"),
            Count("ehcp_gt1yr_inc", "plans_issued_gt_1_year"),
            Count("ehcp_gt1yr_ex", "plans_issued_gt_1_year_ex"),
        ),
    ),
    ReleaseFile(
        stem="requests",
        headline=(
            "All requests for EHC needs assessments",
            "All requests for EHC needs assessment",
            "All requests",
        ),
        required=("requests_received_in_year", "requests_decided_not_to_assess"),
        optional=(
            "requests_decided_to_assess",
            "requests_withdrawn",
            "requests_decision_not_made",
            "request_outcome_six_weeks",
            "request_outcome_over_6_weeks",
        ),
        measures=(
            *REQUEST_OUTCOMES,
            ComputedPct(
                "ehcna_decision_6wk_pct",
                "request_outcome_six_weeks",
                ("request_outcome_six_weeks", "request_outcome_over_6_weeks"),
            ),
            Count("ehcna_decided_6wk", "request_outcome_six_weeks"),
            Count("ehcna_decided_over_6wk", "request_outcome_over_6_weeks"),
        ),
    ),
    ReleaseFile(
        stem="assessments",
        headline=("All EHC needs assessments", "All assessments"),
        required=("assess_issued", "assess_not_issued"),
        measures=(
            Count("ehcna_assess_issued", "assess_issued"),
            Count("ehcna_assess_not_issued", "assess_not_issued"),
        ),
    ),
    ReleaseFile(
        stem="newplans",
        headline=("New EHC plans", "All new EHC plans", "All EHC plans"),
        required=("new_ehc_plans",),
        measures=(Count("ehcp_new_plans", "new_ehc_plans"),),
    ),
    ReleaseFile(
        stem="caseload",
        headline=("All EHC plans",),
        required=("ehcplans",),
        measures=(Count("ehcp_caseload", "ehcplans"),),
        basis=JANUARY_SNAPSHOT,
    ),
)

MEASURES: dict[str, str] = {
    spec.measure: f"{rf.stem}.csv" for rf in RELEASE_FILES for spec in rf.measures
}

_GEOGRAPHY_REQUIRED = ("time_period", "geographic_level")


def release_data_dir(folder: Path) -> Path:
    """The ``data/`` folder of a release given its root or the data folder itself."""
    folder = Path(folder).expanduser()
    if not folder.exists():
        raise InputFileError(
            f"DfE release folder not found: {folder}",
            path=str(folder),
            hint="download the 'Education, health and care plans' release from "
            "explore-education-statistics ('Download all data'), unzip it and pass that folder "
            "(or run sendreport's fetch), or leave --dfe out to use the published benchmarks",
        )
    if not folder.is_dir():
        raise InputFileError(
            f"not a folder: {folder}",
            path=str(folder),
            hint="pass the unzipped release folder (or its data/ folder), not a file",
        )
    data = folder / "data"
    return data if data.is_dir() else folder


def _find_file(data_dir: Path, stem: str) -> Path:
    for candidate in (data_dir / f"{stem}.csv", data_dir / f"{stem.upper()}.csv"):
        if candidate.is_file():
            return candidate
    # Some downloads add a suffix or change case; accept one unambiguous match.
    matches = sorted(p for p in data_dir.glob("*.csv") if p.stem.lower().startswith(stem))
    if len(matches) == 1:
        return matches[0]
    raise InputFileError(
        f"{stem}.csv is missing from the DfE release folder {data_dir}",
        path=str(data_dir / f"{stem}.csv"),
        hint="the folder must hold the release's data files "
        f"({', '.join(rf.stem + '.csv' for rf in RELEASE_FILES)}); download the whole "
        "release from explore-education-statistics",
    )


def load_release(folder: Path, *, files: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a DfE EHC plans release folder into one tidy frame (see the module docstring).

    ``files`` limits the read to some of ``timeliness_20_week``, ``requests``,
    ``assessments``, ``newplans`` and ``caseload`` (all by default); each must be present.
    """
    data_dir = release_data_dir(folder)
    wanted = {rf.stem: rf for rf in RELEASE_FILES}
    stems = list(files) if files is not None else list(wanted)
    unknown = [s for s in stems if s not in wanted]
    if unknown:
        raise InputFileError(
            f"unknown DfE release file(s): {', '.join(unknown)}",
            hint=f"choose from {', '.join(wanted)}",
        )
    frames = [load_release_file(_find_file(data_dir, s), wanted[s]) for s in stems]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return empty_tidy()
    return finish_tidy(pd.concat(frames, ignore_index=True))


def _spec_columns(spec: Spec) -> tuple[str, ...]:
    if isinstance(spec, Count):
        return (spec.column,)
    if isinstance(spec, PublishedPct):
        return (spec.column, spec.numerator, spec.denominator)
    return (spec.numerator, *spec.denominator)


def load_release_file(path: Path, layout: ReleaseFile | str) -> pd.DataFrame:
    """One release file's headline rows as a tidy frame.

    ``layout`` is a :data:`RELEASE_FILES` entry or its stem (``"caseload"``).
    """
    if isinstance(layout, str):
        layout = {rf.stem: rf for rf in RELEASE_FILES}[layout]
    path = Path(path)
    header = read_header(path)
    aliases = {**GEOGRAPHY, **BREAKDOWN}
    aliases.update({k: ALIASES[k] for k in (*layout.required, *layout.optional)})
    cols = resolve_columns(path, header, aliases, (*_GEOGRAPHY_REQUIRED, *layout.required))
    raw = read_columns(path, cols.values())
    raw = raw.rename(columns={v: k for k, v in cols.items()})
    raw = _headline_rows(path, raw, layout)
    base = _geography(raw, layout.basis, path.name)
    keep = base["level"].notna()
    raw, base = raw[keep], base[keep]

    parsed: dict[str, tuple[pd.Series, pd.Series]] = {}

    def numbers(column: str) -> tuple[pd.Series, pd.Series]:
        if column not in parsed:
            parsed[column] = parse_numbers(raw[column])
        return parsed[column]

    parts = []
    for spec in layout.measures:
        if not all(c in raw.columns for c in _spec_columns(spec)):
            continue  # an optional column this release does not publish
        part = base.copy()
        part["measure"] = spec.measure
        if isinstance(spec, Count):
            part["value"], part["status"] = numbers(spec.column)
        elif isinstance(spec, PublishedPct):
            part["value"], part["status"] = numbers(spec.column)
            part["numerator"] = numbers(spec.numerator)[0]
            part["denominator"] = numbers(spec.denominator)[0]
        else:
            num, num_status = numbers(spec.numerator)
            den = sum((numbers(c)[0] for c in spec.denominator), start=pd.Series(0.0, raw.index))
            den_status = pd.Series(pd.NA, index=raw.index, dtype="str")
            for c in spec.denominator:
                den_status = den_status.fillna(numbers(c)[1])
            den = den.where(den_status.isna())
            part["value"], part["status"] = compute_pct(num, den, num_status, den_status)
            part["numerator"], part["denominator"] = num, den
        parts.append(part)
    if not parts:
        return empty_tidy()
    return finish_tidy(pd.concat(parts, ignore_index=True))


def _headline_rows(path: Path, raw: pd.DataFrame, layout: ReleaseFile) -> pd.DataFrame:
    """Keep the "All …" headline breakdown; files without breakdown columns are all headline."""
    if "breakdown" not in raw.columns and "breakdown_topic" not in raw.columns:
        return raw
    label = strip_text(raw["breakdown" if "breakdown" in raw.columns else "breakdown_topic"])
    lowered = label.str.lower()
    known = lowered.isin([h.lower() for h in layout.headline])
    if "breakdown_topic" in raw.columns and "breakdown" in raw.columns:
        # A headline row names its topic and breakdown alike ("All EHC plans", "All EHC plans").
        topic = strip_text(raw["breakdown_topic"]).str.lower()
        generic = (topic == lowered) & lowered.str.match(r"^(all|new) ")
        known = known | generic.fillna(False)
    known = known.fillna(False)
    if not known.any() and len(raw):
        found = sorted(label.dropna().unique().tolist())[:20]
        raise ReleaseNotRecognised(
            str(path),
            [f"breakdown '{h}'" for h in layout.headline],
            [f"breakdown '{f}'" for f in found],
        )
    return raw[known]


def _geography(raw: pd.DataFrame, basis: str, source: str) -> pd.DataFrame:
    """Area, level, LA code, period and basis for each row (level <NA> for other levels)."""
    level = strip_text(raw["geographic_level"]).str.lower().map(LEVELS)

    def col(name: str) -> pd.Series:
        if name in raw.columns:
            return strip_text(raw[name])
        return pd.Series(pd.NA, index=raw.index, dtype="str")

    national, regional, la = level == "national", level == "regional", level == "la"
    area_code = np.select(
        [national, regional, la],
        [col("country_code").fillna(ENGLAND_CODE), col("region_code"), col("new_la_code")],
        default=None,
    )
    area_name = np.select(
        [national, regional, la],
        [col("country_name").fillna("England"), col("region_name"), col("la_name")],
        default=None,
    )
    la_code = col("old_la_code").str.replace(r"\.0$", "", regex=True).where(la)
    period = strip_text(raw["time_period"]).str.replace(r"\.0$", "", regex=True)
    period = academic_to_january(period) if basis == JANUARY_SNAPSHOT else period.str[:4]
    return pd.DataFrame(
        {
            "area_code": pd.Series(area_code, index=raw.index, dtype="str"),
            "area_name": pd.Series(area_name, index=raw.index, dtype="str"),
            "level": level,
            "la_code": la_code,
            "period": period,
            "period_basis": basis,
            "source": source,
        },
        index=raw.index,
    )
