"""Calendar-year calibration targets for the demo EHC requests: published DfE counts.

The demo's person-level requests are generated so that
:func:`sendreport.metrics.calendar_year.dfe_calendar_year_aggregates` computed from them
gives an LA's published DfE figures. This module supplies those figures:

- built in, typed in as facts, for Hertfordshire (919) and Herefordshire (884);
- or, with ``dfe_dir``, for any LA, read from an "Education, health and care plans" release
  folder with :func:`sendreport.dfe.release.load_release`.

Source of the built-in figures: DfE, "Education, health and care plans", reporting year
2025 (published June 2025), explore-education-statistics; files ``requests.csv``
(headline breakdown "All requests for EHC needs assessments"), ``timeliness_20_week.csv``
("All EHC plans issued") and ``caseload.csv`` ("All EHC plans", January of each year).
Crown copyright, Open Government Licence v3.0. ``None`` stands for DfE's ``x`` (not
available): the pre-2023 aggregate collection did not ask for it.

Missing (``x``) or suppressed values are filled by the rules in :func:`complete_year`,
which :attr:`CalendarYearTargets.filled` lists by name so a test can tell a published
figure from a chosen one:

- withdrawn: the LA's mean share of requests received over the years DfE published it
  (else 0.3%); not decided: 2% of requests received (DfE counts requests undecided at its
  January collection; in demo data, read at March 2025, few older requests are still
  undecided); decided to assess is then the remainder;
- decided within / after six weeks: DfE's six-week counts are not a subset of the decided
  requests (Hertfordshire 2023: 2,703 + 69 = 2,772 against 2,554 decided), so no record
  set can give both counts under the cohort definition. The targets keep the decided
  total and DfE's published percentage (rounded half up to whole requests); where DfE
  published no six-week figure, the LA's mean percentage (else 95%);
- 20-week bands (2019–2022 publish only "within 20 weeks"): after-52-weeks share of the
  plans issued after 20 weeks from the LA's published years (else 5%), exceptions split
  likewise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sendreport.exceptions import ParameterError
from sendreport.metrics.calendar_year import AGGREGATE_KEYS, REQUEST_KEYS, TIMELINESS_KEYS

if TYPE_CHECKING:
    import pandas as pd

SOURCE = (
    'DfE, "Education, health and care plans", reporting year 2025, explore-education-statistics '
    "(requests.csv, timeliness_20_week.csv, caseload.csv)"
)

# Field names in DfE's own spelling: exactly the keys dfe_calendar_year_aggregates returns,
# which is what the demo is calibrated against.
REQUEST_FIELDS = REQUEST_KEYS
TIMELINESS_FIELDS = TIMELINESS_KEYS
FIELDS = AGGREGATE_KEYS

# tidy measure (sendreport.dfe.release) -> DfE field
MEASURE_FIELDS = {
    "ehcna_requests_received": "requests_received_in_year",
    "ehcna_requests_assess": "requests_decided_to_assess",
    "ehcna_requests_not_assess": "requests_decided_not_to_assess",
    "ehcna_requests_withdrawn": "requests_withdrawn",
    "ehcna_requests_not_decided": "requests_decision_not_made",
    "ehcna_decided_6wk": "request_outcome_six_weeks",
    "ehcna_decided_over_6wk": "request_outcome_over_6_weeks",
    "ehcp_plans_issued_inc": "plans_issued_den",
    "ehcp_plans_issued_ex": "plans_issued_den_ex",
    "ehcp_within_20wk_inc": "plans_issued_within_20_weeks",
    "ehcp_within_20wk_ex": "plans_issued_20_weeks_ex",
    "ehcp_gt20wk_lt1yr_inc": "plans_issued_gt20weeks_ltYear",
    "ehcp_gt20wk_lt1yr_ex": "plans_issued_gt20weeks_ltYear_ex",
    "ehcp_gt1yr_inc": "plans_issued_gt_1_year",
    "ehcp_gt1yr_ex": "plans_issued_gt_1_year_ex",
}

_ = None  # DfE "x": not available
# year: (received, assess, not_assess, withdrawn, not_decided, 6wk, over_6wk,
#        den, den_ex, within, within_ex, gt20, gt20_ex, gt1yr, gt1yr_ex)
PUBLISHED: dict[str, dict[int, tuple[int | None, ...]]] = {
    # Hertfordshire (919)
    "919": {
        2019: (1647, _, 406, _, _, _, _, 1135, 1010, 989, 888, _, _, _, _),
        2020: (1681, _, 395, _, _, _, _, 1170, 1049, 922, 826, _, _, _, _),
        2021: (2165, _, 496, _, _, _, _, 1482, 1344, 1135, 1048, _, _, _, _),
        2022: (2695, _, 714, _, _, _, _, 1585, 1541, 512, 502, _, _, _, _),
        2023: (2849, 1722, 832, 9, 286, 2703, 69, 1363, 1306, 566, 525, 764, 749, 33, 32),
        2024: (3343, 2216, 775, 7, 345, 3172, 54, 1781, 1699, 984, 957, 747, 697, 50, 45),
    },
    # Herefordshire (884)
    "884": {
        2019: (220, _, 88, _, _, _, _, 131, 131, 118, 118, _, _, _, _),
        2020: (227, _, 76, _, _, _, _, 133, 133, 121, 121, _, _, _, _),
        2021: (277, _, 74, _, _, _, _, 195, 165, 164, 141, _, _, _, _),
        2022: (305, _, 92, _, _, _, _, 162, 162, 121, 121, _, _, _, _),
        2023: (401, 278, 85, 0, 38, 384, 15, 288, 288, 222, 222, 64, 64, 2, 2),
        2024: (531, 354, 108, 0, 69, 487, 12, 334, 333, 225, 225, 106, 105, 3, 3),
    },
}
# EHC plans maintained at the January census (caseload.csv, time_period 201819 = Jan 2019).
PUBLISHED_CASELOAD: dict[str, dict[int, int]] = {
    "919": {2019: 6328, 2020: 7202, 2021: 8338, 2022: 9422, 2023: 10486, 2024: 11897, 2025: 12920},
    "884": {2019: 939, 2020: 1002, 2021: 1055, 2022: 1182, 2023: 1284, 2024: 1461, 2025: 1717},
}
PUBLISHED_NAMES = {"919": "Hertfordshire", "884": "Herefordshire"}

# Fallback shares where an LA never published a figure.
DEFAULT_WITHDRAWN_SHARE = 0.003
DEFAULT_NOT_DECIDED_SHARE = 0.02
DEFAULT_SIX_WEEK_SHARE = 0.95
DEFAULT_OVER_YEAR_SHARE = 0.05  # of plans issued after 20 weeks


@dataclass(frozen=True)
class CalendarYearTargets:
    """The counts one calendar year of demo requests must reproduce (DfE field names).

    ``published`` holds what DfE printed (``None`` for ``x``); the other attributes are the
    targets the generator meets exactly; ``filled`` names the targets that were chosen
    rather than published (see the module docstring for the rules).
    """

    year: int
    requests_received_in_year: int
    requests_decided_to_assess: int
    requests_decided_not_to_assess: int
    requests_withdrawn: int
    requests_decision_not_made: int
    request_outcome_six_weeks: int
    request_outcome_over_6_weeks: int
    plans_issued_den: int
    plans_issued_den_ex: int
    plans_issued_within_20_weeks: int
    plans_issued_20_weeks_ex: int
    plans_issued_gt20weeks_ltYear: int
    plans_issued_gt20weeks_ltYear_ex: int
    plans_issued_gt_1_year: int
    plans_issued_gt_1_year_ex: int
    caseload_january: int | None = None
    published: dict[str, int | None] = field(default_factory=dict, compare=False)
    filled: tuple[str, ...] = ()

    def as_dfe_dict(self) -> dict[str, int]:
        """The targets keyed like ``dfe_calendar_year_aggregates``."""
        return {name: int(getattr(self, name)) for name in FIELDS}

    def exactly_published(self) -> dict[str, int]:
        """The targets that equal a published DfE figure (the ones a test can hold to it)."""
        return {
            name: int(getattr(self, name))
            for name in FIELDS
            if name not in self.filled and self.published.get(name) is not None
        }

    def plan_cells(self) -> dict[tuple[int, int], int]:
        """Plans issued by (exception flag, band): band 0 ≤ 20 weeks, 1 ≤ 52 weeks, 2 over."""
        ex = (
            self.plans_issued_20_weeks_ex,
            self.plans_issued_gt20weeks_ltYear_ex,
            self.plans_issued_gt_1_year_ex,
        )
        inc = (
            self.plans_issued_within_20_weeks,
            self.plans_issued_gt20weeks_ltYear,
            self.plans_issued_gt_1_year,
        )
        cells = {(0, b): ex[b] for b in range(3)}
        cells.update({(1, b): inc[b] - ex[b] for b in range(3)})
        return cells


def round_half_up(x: float) -> int:
    """Round to the nearest whole number, halves up (numpy rounds halves to even)."""
    return math.floor(x + 0.5)


def _mean_share(rows: dict[int, dict[str, int | None]], num: str, den: str) -> float | None:
    shares = [
        r[num] / r[den]
        for r in rows.values()
        if r.get(num) is not None and r.get(den) not in (None, 0)
    ]
    return sum(shares) / len(shares) if shares else None


def _mean_over_year_share(rows: dict[int, dict[str, int | None]]) -> float | None:
    shares = []
    for r in rows.values():
        over = None
        if r.get("plans_issued_gt_1_year") is not None and r.get("plans_issued_den"):
            over = r["plans_issued_den"] - (r.get("plans_issued_within_20_weeks") or 0)
        if over:
            shares.append(r["plans_issued_gt_1_year"] / over)
    return sum(shares) / len(shares) if shares else None


@dataclass
class _YearFigures:
    """One year's figures while gaps are filled, and the names of those filled."""

    v: dict[str, int | None]
    filled: list[str] = field(default_factory=list)

    def fill(self, name: str, value: int) -> None:
        """Set a figure by rule (never negative) and record that it was filled."""
        self.v[name] = max(0, int(value))
        self.filled.append(name)


def _require_published(year: int, v: dict[str, int | None]) -> None:
    """The two figures no rule can fill: requests received and plans issued."""
    if v.get("requests_received_in_year") is None:
        raise ParameterError(
            f"DfE published no requests figure for {year}", accepted="a year DfE published"
        )
    if v.get("plans_issued_den") is None:
        raise ParameterError(
            f"DfE published no plans-issued figure for {year}", accepted="a year DfE published"
        )


def _fill_request_outcomes(f: _YearFigures, all_years: dict[int, dict[str, int | None]]) -> None:
    """The four outcomes of requests received: published, else shares of other years."""
    v = f.v
    received = v["requests_received_in_year"]
    if v.get("requests_decided_not_to_assess") is None:
        share = _mean_share(
            all_years, "requests_decided_not_to_assess", "requests_received_in_year"
        )
        f.fill("requests_decided_not_to_assess", round_half_up(received * (share or 0.25)))
    _fill_unpublished_remainder(f, all_years)
    if v.get("requests_withdrawn") is None:
        share = _mean_share(all_years, "requests_withdrawn", "requests_received_in_year")
        f.fill("requests_withdrawn", round_half_up(received * (share or DEFAULT_WITHDRAWN_SHARE)))
    if v.get("requests_decision_not_made") is None:
        # Years before the person-level collection: by the end of the data nearly every
        # request has a decision, so only a small share is left pending.
        f.fill("requests_decision_not_made", round_half_up(received * DEFAULT_NOT_DECIDED_SHARE))
    rest = (
        received
        - v["requests_decided_not_to_assess"]
        - v["requests_withdrawn"]
        - v["requests_decision_not_made"]
    )
    if v.get("requests_decided_to_assess") is None or v["requests_decided_to_assess"] != rest:
        # The four outcomes must add up to requests received (DfE's always do).
        f.fill("requests_decided_to_assess", rest)


def _fill_unpublished_remainder(
    f: _YearFigures, all_years: dict[int, dict[str, int | None]]
) -> None:
    """Decisions to assess and not to assess published, withdrawn and pending not (DfE's
    headline table): split what is left of the requests received between the two missing
    outcomes, so both published decisions hold."""
    v = f.v
    if v.get("requests_decided_to_assess") is None:
        return
    if v.get("requests_withdrawn") is not None or v.get("requests_decision_not_made") is not None:
        return
    rest = (
        v["requests_received_in_year"]
        - v["requests_decided_to_assess"]
        - v["requests_decided_not_to_assess"]
    )
    if rest < 0:
        return  # inconsistent: the general rule below overrides decisions to assess
    share = _mean_share(all_years, "requests_withdrawn", "requests_received_in_year")
    withdrawn_share = share or DEFAULT_WITHDRAWN_SHARE
    weight = withdrawn_share / (withdrawn_share + DEFAULT_NOT_DECIDED_SHARE)
    withdrawn = round_half_up(rest * weight)
    f.fill("requests_withdrawn", withdrawn)
    f.fill("requests_decision_not_made", rest - withdrawn)


def _mean_six_week_share(all_years: dict[int, dict[str, int | None]]) -> float:
    """The mean share of decisions within 6 weeks over the years that publish both counts."""
    pcts = [
        r["request_outcome_six_weeks"]
        / (r["request_outcome_six_weeks"] + r["request_outcome_over_6_weeks"])
        for r in all_years.values()
        if r.get("request_outcome_six_weeks") is not None
        and r.get("request_outcome_over_6_weeks") is not None
        and r["request_outcome_six_weeks"] + r["request_outcome_over_6_weeks"] > 0
    ]
    return sum(pcts) / len(pcts) if pcts else DEFAULT_SIX_WEEK_SHARE


def _fill_six_week_split(f: _YearFigures, all_years: dict[int, dict[str, int | None]]) -> None:
    """Decisions within and over 6 weeks, adding up to the requests decided."""
    v = f.v
    decided = v["requests_decided_to_assess"] + v["requests_decided_not_to_assess"]
    within6, over6 = v.get("request_outcome_six_weeks"), v.get("request_outcome_over_6_weeks")
    if within6 is not None and over6 is not None and within6 + over6 > 0:
        if within6 + over6 != decided:
            # Keep DfE's percentage on the decided total (see the module docstring).
            w = min(decided, round_half_up(decided * within6 / (within6 + over6)))
            f.fill("request_outcome_six_weeks", w)
            f.fill("request_outcome_over_6_weeks", decided - w)
        return
    w = round_half_up(decided * _mean_six_week_share(all_years))
    f.fill("request_outcome_six_weeks", w)
    f.fill("request_outcome_over_6_weeks", decided - w)


def _fill_twenty_week(f: _YearFigures) -> None:
    """Plans issued within 20 weeks, with and without exceptions, within their totals."""
    v = f.v
    den, den_ex = v["plans_issued_den"], v.get("plans_issued_den_ex")
    if den_ex is None or den_ex > den:
        f.fill("plans_issued_den_ex", den)
    if v.get("plans_issued_within_20_weeks") is None:
        f.fill("plans_issued_within_20_weeks", round_half_up(den * 0.6))
    within_ex = v.get("plans_issued_20_weeks_ex")
    exc_total = den - v["plans_issued_den_ex"]
    lo = max(0, v["plans_issued_within_20_weeks"] - exc_total)
    if within_ex is None or not lo <= within_ex <= min(
        v["plans_issued_within_20_weeks"], v["plans_issued_den_ex"]
    ):
        f.fill("plans_issued_20_weeks_ex", min(max(lo, within_ex or 0), v["plans_issued_den_ex"]))


_OVER_20_WEEK_BANDS = (
    "plans_issued_gt20weeks_ltYear",
    "plans_issued_gt20weeks_ltYear_ex",
    "plans_issued_gt_1_year",
    "plans_issued_gt_1_year_ex",
)


def _fill_over_20_week_bands(f: _YearFigures, all_years: dict[int, dict[str, int | None]]) -> None:
    """Plans issued after 20 weeks, split under and over a year, consistent with the totals."""
    v = f.v
    over_inc = v["plans_issued_den"] - v["plans_issued_within_20_weeks"]
    over_ex = v["plans_issued_den_ex"] - v["plans_issued_20_weeks_ex"]
    published = all(v.get(b) is not None for b in _OVER_20_WEEK_BANDS)
    consistent = published and (
        v["plans_issued_gt20weeks_ltYear"] + v["plans_issued_gt_1_year"] == over_inc
        and v["plans_issued_gt20weeks_ltYear_ex"] + v["plans_issued_gt_1_year_ex"] == over_ex
        and v["plans_issued_gt_1_year_ex"] <= v["plans_issued_gt_1_year"]
        and over_ex - v["plans_issued_gt_1_year_ex"] <= over_inc - v["plans_issued_gt_1_year"]
    )
    if consistent:
        return
    if published:
        _fit_published_bands(v, over_inc, over_ex, f.fill)
        return
    share = _mean_over_year_share(all_years)
    share = DEFAULT_OVER_YEAR_SHARE if share is None else share
    gt1 = round_half_up(over_inc * share)
    # Exceptions after 20 weeks split in the same proportion, never more than there are.
    exc_over = over_inc - over_ex
    gt1_exc = min(gt1, round_half_up(exc_over * share))
    f.fill("plans_issued_gt_1_year", gt1)
    f.fill("plans_issued_gt_1_year_ex", gt1 - gt1_exc)
    f.fill("plans_issued_gt20weeks_ltYear", over_inc - gt1)
    f.fill("plans_issued_gt20weeks_ltYear_ex", over_ex - (gt1 - gt1_exc))


def complete_year(
    year: int,
    raw: dict[str, int | None],
    all_years: dict[int, dict[str, int | None]],
    caseload_january: int | None = None,
) -> CalendarYearTargets:
    """Targets for one year: published counts kept, gaps filled by the documented rules."""
    figures = _YearFigures(dict(raw))
    _require_published(year, figures.v)
    _fill_request_outcomes(figures, all_years)
    _fill_six_week_split(figures, all_years)
    _fill_twenty_week(figures)
    _fill_over_20_week_bands(figures, all_years)
    return CalendarYearTargets(
        year=year,
        **{name: int(figures.v[name]) for name in FIELDS},
        caseload_january=caseload_january,
        published={name: raw.get(name) for name in FIELDS},
        filled=tuple(dict.fromkeys(figures.filled)),
    )


def _fit_published_bands(v: dict[str, int | None], over_inc: int, over_ex: int, fill) -> None:
    """Published bands that do not add up (Lancashire 2024: 238 + 1,183 plans after 20
    weeks against 1,422): keep the over-a-year counts as far as the totals allow and let
    the 20-to-52-week band take the difference."""
    gt1 = min(int(v["plans_issued_gt_1_year"]), over_inc)
    gt1_ex = min(int(v["plans_issued_gt_1_year_ex"]), gt1, over_ex)
    gt1_ex = max(gt1_ex, over_ex - over_inc + gt1)  # exceptions never exceed all plans
    chosen = {
        "plans_issued_gt_1_year": gt1,
        "plans_issued_gt_1_year_ex": gt1_ex,
        "plans_issued_gt20weeks_ltYear": over_inc - gt1,
        "plans_issued_gt20weeks_ltYear_ex": over_ex - gt1_ex,
    }
    for name, value in chosen.items():
        if v[name] != value:
            fill(name, value)


def _raw_from_facts(la_code: str) -> dict[int, dict[str, int | None]]:
    return {year: dict(zip(FIELDS, row, strict=True)) for year, row in PUBLISHED[la_code].items()}


@lru_cache(maxsize=4)
def _load_tidy(dfe_dir: str):
    """The release as a tidy frame (sendreport.dfe.release), only the files needed.

    Cached by folder: generating the demo reads the release once, not once per use.
    """
    from sendreport.dfe.release import load_release

    return load_release(Path(dfe_dir), files=["requests", "timeliness_20_week", "caseload"])


def _count(value: object) -> int | None:
    """A published count, or None where DfE published none (missing or NaN)."""
    return None if value is None or value != value else int(value)


def _raw_from_release(
    la_code: str, dfe_dir: Path
) -> tuple[dict[int, dict[str, int | None]], dict[int, int], str | None]:
    tidy = _load_tidy(str(Path(dfe_dir).resolve()))
    rows = tidy.loc[(tidy["la_code"] == la_code) & (tidy["level"] == "la")]
    if rows.empty:
        raise ParameterError(
            f"the DfE release in {dfe_dir} has no figures for local authority {la_code}",
            accepted="a 3-digit DfE LA number present in the release, e.g. 919",
            parameter="la",
        )
    name = str(rows["area_name"].iloc[0]) if "area_name" in rows else None
    raw: dict[int, dict[str, int | None]] = {}
    caseload: dict[int, int] = {}
    for measure, period, value in zip(
        rows["measure"].astype(str), rows["period"].astype(str), rows["value"], strict=True
    ):
        if measure == "ehcp_caseload":
            if _count(value) is not None and period[:4].isdigit():
                caseload[int(period[:4])] = int(value)
            continue
        field_name = MEASURE_FIELDS.get(measure)
        if field_name is None or not period.isdigit():
            continue
        year_row = raw.setdefault(int(period), dict.fromkeys(FIELDS))
        year_row[field_name] = _count(value)
    return raw, caseload, name


# Shipped-table measure -> (field from the value or numerator, field from the denominator).
# The refusal rate's numerator is the refused count and its denominator refused + agreed.
SHIPPED_FIELDS = {
    "ehcna_requests_received": ("requests_received_in_year", None),
    "ehcna_refusal_pct": ("requests_decided_not_to_assess", "_decided"),
    "ehcp_20wk_pct_inc": ("plans_issued_within_20_weeks", "plans_issued_den"),
    "ehcp_20wk_pct_ex": ("plans_issued_20_weeks_ex", "plans_issued_den_ex"),
}


def _shipped_rows(la_code: str) -> pd.DataFrame:
    from sendreport.dfe.published import published_benchmarks

    table = published_benchmarks()
    rows = table.loc[table["la_code"] == la_code]
    if rows.empty:
        raise ParameterError(
            f"no DfE figures for local authority {la_code} in the table shipped with sendreport",
            accepted="a 3-digit DfE LA number in DfE's 2025 release, e.g. 919; or --dfe "
            "pointing at an 'Education, health and care plans' release that has it",
            parameter="la",
        )
    return rows


def _raw_from_shipped(la_code: str) -> tuple[dict[int, dict[str, int | None]], dict[int, int]]:
    """The LA's headline counts from the shipped DfE table (``sendreport/dfe``).

    Fewer breakdowns than a release folder gives (no withdrawals, six-week outcomes or
    lateness bands): :func:`complete_year` derives those, as it does for missing years.
    """
    raw: dict[int, dict[str, int | None]] = {}
    caseload: dict[int, int] = {}
    for row in _shipped_rows(la_code).itertuples(index=False):
        period = str(row.period)
        if row.measure == "ehcp_caseload" and _count(row.value) is not None:
            caseload[int(period[:4])] = int(row.value)
        if row.measure not in SHIPPED_FIELDS or not period.isdigit():
            continue
        year_row = raw.setdefault(int(period), dict.fromkeys(FIELDS))
        top, bottom = SHIPPED_FIELDS[row.measure]
        numerator = row.value if bottom is None else row.numerator
        year_row[top] = _count(numerator)
        if bottom == "_decided":
            decided, refused = _count(row.denominator), _count(row.numerator)
            if decided is not None and refused is not None:
                year_row["requests_decided_to_assess"] = decided - refused
        elif bottom is not None:
            year_row[bottom] = _count(row.denominator)
    return raw, caseload


def _raw_targets(
    code: str, dfe_dir: Path | None
) -> tuple[dict[int, dict[str, int | None]], dict[int, int]]:
    """Published counts and January caseloads: the release given, else the built-in
    facts (919, 884), else the DfE table shipped in the package."""
    if dfe_dir is not None:
        raw, caseload, _ = _raw_from_release(code, Path(dfe_dir))
        return raw, caseload
    if code in PUBLISHED:
        return _raw_from_facts(code), dict(PUBLISHED_CASELOAD[code])
    return _raw_from_shipped(code)


def calibration_targets(
    la_code: str, dfe_dir: Path | None = None
) -> dict[int, CalendarYearTargets]:
    """Calendar-year targets for ``la_code``, by year (2019–2024 for the 2025 release).

    From the release in ``dfe_dir`` when given; else the built-in figures for 919
    (Hertfordshire) and 884 (Herefordshire); else the headline table shipped in the package
    (every LA in DfE's 2025 release).
    """
    code = str(la_code).strip()
    raw, caseload = _raw_targets(code, dfe_dir)
    usable = {y: r for y, r in raw.items() if _is_usable(r)}
    targets = {
        year: complete_year(year, usable[year], usable, caseload.get(year))
        for year in sorted(usable)
    }
    for year in NEEDED_YEARS:
        if year not in targets and usable:
            row, interpolated = interpolate_year(year, raw.get(year), usable)
            t = complete_year(year, row, usable, caseload.get(year))
            published = {name: (raw.get(year) or {}).get(name) for name in FIELDS}
            targets[year] = replace(
                t, published=published, filled=tuple(dict.fromkeys((*interpolated, *t.filled)))
            )
    return dict(sorted(targets.items()))


def _is_usable(row: dict[str, int | None]) -> bool:
    return (
        row.get("requests_received_in_year") is not None and row.get("plans_issued_den") is not None
    )


# The calendar years the demo's April 2021 – March 2025 requests need.
NEEDED_YEARS = (2021, 2022, 2023, 2024)
# Interpolated when a year is missing; complete_year derives the rest from them.
CORE_FIELDS = (
    "requests_received_in_year",
    "requests_decided_not_to_assess",
    "plans_issued_den",
    "plans_issued_den_ex",
    "plans_issued_within_20_weeks",
    "plans_issued_20_weeks_ex",
)


def interpolate_year(
    year: int,
    partial: dict[str, int | None] | None,
    usable: dict[int, dict[str, int | None]],
) -> tuple[dict[str, int | None], tuple[str, ...]]:
    """A year DfE did not publish (or only in part): its published figures kept, the core
    counts the mean of the nearest published years before and after (or the nearest one).

    Returns the row and the names of the figures it interpolated.
    """
    before = max((y for y in usable if y < year), default=None)
    after = min((y for y in usable if y > year), default=None)
    sources = [usable[y] for y in (before, after) if y is not None]
    row = dict(partial or dict.fromkeys(FIELDS))
    if row.get("requests_received_in_year") == 0:
        # A zero beside no plans figure is a gap in DfE's collection, not a year without
        # requests (West Berkshire 2022): plans issued that year need requests.
        row["requests_received_in_year"] = None
    done = []
    for name in CORE_FIELDS:
        values = [s[name] for s in sources if s.get(name) is not None]
        if row.get(name) is None and values:
            row[name] = round_half_up(sum(values) / len(values))
            done.append(name)
    return row, tuple(done)


def deviation_notes(targets: dict[int, CalendarYearTargets]) -> list[str]:
    """Plain-language notes of where the demo's targets differ from what DfE published.

    A published figure changed (inconsistent with the others) or a year filled in; the
    ``x`` figures DfE never published are not listed (the module docstring has the rules).
    """
    notes = []
    for year, t in sorted(targets.items()):
        if t.published.get("requests_received_in_year") is None or (
            t.published.get("plans_issued_den") is None
        ):
            chosen = ", ".join(f"{n} {getattr(t, n)}" for n in CORE_FIELDS if n in t.filled)
            note = (
                f"{year}: DfE published no complete figures for this year; the demo "
                f"interpolates them from the nearest published years ({chosen})"
            )
            received = t.published.get("requests_received_in_year")
            if received is not None and received != t.requests_received_in_year:
                note += f"; DfE's requests received ({received}) is treated as missing"
            notes.append(note)
            continue
        for name in t.filled:
            published = t.published.get(name)
            if published is not None and published != getattr(t, name):
                notes.append(
                    f"{year}: {name} published as {published} is inconsistent with the "
                    f"other published figures; the demo uses {getattr(t, name)}"
                )
    return notes


def caseload_januaries(la_code: str, dfe_dir: Path | None = None) -> dict[int, int]:
    """EHC plans maintained at each January census, by year (DfE caseload.csv)."""
    return dict(sorted(_raw_targets(str(la_code).strip(), dfe_dir)[1].items()))


def release_la_name(la_code: str, dfe_dir: Path) -> str | None:
    """The LA's name as the release prints it."""
    return _raw_from_release(str(la_code).strip(), Path(dfe_dir))[2]


def with_overrides(t: CalendarYearTargets, **changes: int) -> CalendarYearTargets:
    """A copy with some targets changed (used for the partial years)."""
    return replace(t, **changes)
