"""Demo data up to a chosen date: extend past March 2025 at 2024's pace, or cut short.

The calibrated generator (:mod:`sendreport.demo.requests`) ends on 31 March 2025, the
last month DfE's figures reach. A scheduled build reports on the quarter that has just
ended, so ``demo-data --until`` moves the end of the data:

- **later**: requests still open at March 2025 are decided after it, and new requests
  arrive each month at the pace of the last DfE year (:func:`extend_requests`), with the
  same outcome rates, decision times and 20-week bands;
- **earlier, or between month ends**: every record dated after the end is cut off as an
  extract taken on that day would hold it (:func:`censor_requests`, :func:`censor_frames`).

The end is always a month end (the extract's as-at date is the last caseload month end).
Everything is drawn from its own seeded stream, so a given ``until`` and seed always give
the same data.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from sendreport.demo.calibration import CalendarYearTargets, round_half_up
from sendreport.demo.requests import (
    CELLS,
    DATA_END,
    MIN_DECISION_TO_PLAN,
    REQUEST_SEASON,
    _cells_array,
    beta_between,
    cohort_rates,
    sample_plan_days,
    sample_weekdays,
    to_days,
)
from sendreport.periods import Period

EARLIEST_END = date(2023, 6, 30)  # the first quarter of the demo improvement plan
_EPOCH = np.datetime64("1970-01-01", "D")


def month_end_on_or_before(day: date) -> date:
    """The last day of ``day``'s month when ``day`` is that day, else of the month before."""
    if Period.month(day.year, day.month).end == day:
        return day
    return date(day.year, day.month, 1) - timedelta(days=1)


def _days(series: pd.Series) -> np.ndarray:
    """Dates as whole days since 1970; -1 for no date."""
    values = series.to_numpy(dtype="datetime64[D]")
    out = (values - _EPOCH).astype(np.int64)
    out[np.isnat(values)] = -1
    return out


def _as_dates(days: np.ndarray) -> pd.Series:
    values = days.astype("datetime64[D]").astype("datetime64[us]")
    values[days < 0] = np.datetime64("NaT")
    return pd.Series(values)


# --- outcomes of requests, decided after a given day ----------------------------------------
def _plan_share(t: CalendarYearTargets) -> float:
    return min(0.97, t.plans_issued_den / max(1, t.requests_decided_to_assess))


def _decide(rng: np.random.Generator, r: np.ndarray, rates: dict, after: int) -> tuple:
    """Request outcomes and dates, none on or before ``after``."""
    n = r.size
    u = rng.random(n)
    outcome = np.where(
        u < rates["withdrawn"],
        "withdrawn",
        np.where(u < rates["withdrawn"] + rates["not_assess"], "not_assess", "assess"),
    ).astype(object)
    over = rng.random(n) < rates["over"]
    lag = np.where(
        over, 43 + rng.exponential(21.0, n).astype(np.int64), beta_between(rng, 12, 42, 4.0, 1.6, n)
    )
    lag = np.where(outcome == "withdrawn", 7 + rng.exponential(35.0, n).astype(np.int64), lag)
    d = np.maximum(r + lag, after + 1 + rng.integers(0, 28, n))
    return outcome, d


def _assess(
    rng: np.random.Generator, r: np.ndarray, d: np.ndarray, t: CalendarYearTargets, after: int
) -> tuple:
    """Assessment outcomes for requests decided to assess on day ``d``, none before ``after``."""
    n = r.size
    cells = _cells_array(t.plan_cells()).astype(float)
    cells = cells / cells.sum() if cells.sum() else np.full(len(CELLS), 1 / len(CELLS))
    pick = rng.choice(len(CELLS), size=n, p=cells)
    exc = np.array([CELLS[i][0] for i in pick], dtype=np.int8).reshape(-1)
    band = np.array([CELLS[i][1] for i in pick], dtype=np.int8).reshape(-1)
    plan = rng.random(n) < _plan_share(t)
    p = np.maximum(
        r + sample_plan_days(rng, band, np.zeros(n, dtype=bool)), d + MIN_DECISION_TO_PLAN
    )
    # Assessments open at ``after`` finish over the following months, not all at once.
    p = np.maximum(p, after + 8 + rng.integers(0, 120, n))
    a_day_plan = np.maximum(p - rng.integers(7, 22, n), np.maximum(d, after) + 1)
    a_day_none = np.maximum(
        d + np.exp(rng.normal(np.log(80.0), 0.45, n)).astype(np.int64) + 14,
        after + 1 + rng.integers(0, 60, n),
    )
    kind = np.where(rng.random(n) < 0.7, "not_issue", "withdrawn")
    a_out = np.where(plan, "issue", kind).astype(object)
    a_day = np.where(plan, np.minimum(a_day_plan, p), a_day_none)
    return a_out, a_day, np.where(plan, p, -1), np.where(plan, exc, 0)


# --- requests -----------------------------------------------------------------------------
def resolve_open(
    rng: np.random.Generator, frame: pd.DataFrame, t: CalendarYearTargets, after: date
) -> pd.DataFrame:
    """Requests and assessments open on ``after`` decided later (dates after ``after``)."""
    frame = frame.copy()
    cut = to_days(after)
    rates = cohort_rates({t.year: t}, t.year)
    r = _days(frame["received_date"])
    d = _days(frame["request_outcome_date"])
    outcome = frame["request_outcome"].to_numpy(dtype=object).copy()
    a_out = frame["assessment_outcome"].to_numpy(dtype=object).copy()
    a_out[pd.isna(a_out)] = ""
    pending = outcome == "pending"
    new_outcome, new_d = _decide(rng, r[pending], rates, cut)
    outcome[pending], d[pending] = new_outcome, new_d
    a_out[pending & (outcome == "assess")] = "pending"
    open_ = a_out == "pending"
    a_new, a_day_new, p_new, exc_new = _assess(rng, r[open_], d[open_], t, cut)
    a_day, p = _days(frame["assessment_outcome_date"]), _days(frame["plan_issued_date"])
    exc = frame["week20_exception"].to_numpy(dtype=np.int64).copy()
    a_out[open_], a_day[open_], p[open_], exc[open_] = a_new, a_day_new, p_new, exc_new
    frame["request_outcome"] = pd.Series(outcome, dtype="str")
    frame["request_outcome_date"] = _as_dates(d)
    frame["assessment_outcome"] = pd.Series(a_out, dtype="str").mask(pd.Series(a_out == ""))
    frame["assessment_outcome_date"] = _as_dates(a_day)
    frame["plan_issued_date"] = _as_dates(p)
    frame["week20_exception"] = pd.array(exc, dtype="Int64")
    return frame


def new_requests(
    rng: np.random.Generator, targets: dict[int, CalendarYearTargets], start: date, end: date
) -> pd.DataFrame:
    """Raw requests received after ``start`` to ``end`` at the last DfE year's pace, growing
    as it grew (between -5% and +15% a year); columns as :func:`generate_cohort` gives."""
    last = max(targets)
    t = targets[last]
    growth = t.requests_received_in_year / max(1, targets[last - 1].requests_received_in_year)
    growth = min(max(growth, 0.95), 1.15)
    rates = cohort_rates(targets, last)
    per_month = t.requests_received_in_year / REQUEST_SEASON.sum()
    received = []
    first = start + timedelta(days=1)
    year, month = first.year, first.month
    while Period.month(year, month).end <= end:
        years_on = (year - last) + (month - 0.5) / 12
        n = round_half_up(per_month * REQUEST_SEASON[month - 1] * growth**years_on)
        received.append(sample_weekdays(rng, year, np.full(n, month)))
        year, month = year + (month == 12), month % 12 + 1
    r = np.sort(np.concatenate(received)) if received else np.zeros(0, dtype=np.int64)
    outcome, d = _decide(rng, r, rates, to_days(start))
    d = np.maximum(d, r + 1)
    a_out = np.full(r.size, "", dtype=object)
    a_day = np.full(r.size, -1, dtype=np.int64)
    p = np.full(r.size, -1, dtype=np.int64)
    exc = np.zeros(r.size, dtype=np.int8)
    yes = outcome == "assess"
    a_out[yes], a_day[yes], p[yes], exc[yes] = _assess(rng, r[yes], d[yes], t, to_days(start))
    return pd.DataFrame(
        {"r": r, "outcome": outcome, "d": d, "a_out": a_out, "a_day": a_day, "p": p, "exc": exc}
    )


def _free_numbers(used: np.ndarray, start: int, stop: int) -> np.ndarray:
    """The numbers ``start`` ≤ n < ``stop`` not in ``used``, ascending (as ``np.setdiff1d``
    gives them, without hashing the whole range: seconds for 900,000 numbers)."""
    taken = np.zeros(stop - start, dtype=bool)
    inside = used[(used >= start) & (used < stop)]
    taken[inside - start] = True
    return np.flatnonzero(~taken).astype(np.int64) + start


def extend_requests(
    frame: pd.DataFrame,
    code: str,
    targets: dict[int, CalendarYearTargets],
    *,
    seed: int,
    end: date,
) -> pd.DataFrame:
    """``ehcp_requests`` carried on from :data:`DATA_END` to ``end``: open cases decided,
    new requests added (numbered on from the last), persons new to the data."""
    from sendreport.demo.requests import finish_requests

    rng = np.random.default_rng([int(seed), int(code) if code.isdigit() else 0, 11])
    frame = resolve_open(rng, frame, targets[max(targets)], DATA_END)
    extra = finish_requests(rng, code, new_requests(rng, targets, DATA_END, end))
    first = len(frame)
    extra["request_id"] = pd.Series(
        [f"{code}-R{first + i + 1:06d}" for i in range(len(extra))], dtype="str"
    )
    used = np.fromiter((int(p.rsplit("P", 1)[1]) for p in frame["person_id"]), dtype=np.int64)
    free = _free_numbers(used, 100_000, 1_000_000)
    chosen = rng.choice(free, size=len(extra), replace=False)
    extra["person_id"] = pd.Series([f"{code}-P{v:06d}" for v in chosen], dtype="str")
    return pd.concat([frame, extra], ignore_index=True)


def censor_requests(frame: pd.DataFrame, end: date) -> pd.DataFrame:
    """The requests as an extract taken on ``end`` holds them: nothing dated after it."""
    cut = to_days(end)
    frame = frame.loc[_days(frame["received_date"]) <= cut].reset_index(drop=True)
    undecided = _days(frame["request_outcome_date"]) > cut
    unassessed = (_days(frame["assessment_outcome_date"]) > cut) | (
        _days(frame["plan_issued_date"]) > cut
    )
    nat = pd.NaT
    frame.loc[undecided, ["request_outcome_date", "assessment_outcome_date"]] = nat
    frame.loc[undecided | unassessed, ["assessment_outcome_date", "plan_issued_date"]] = nat
    frame.loc[undecided, "request_outcome"] = "pending"
    frame.loc[undecided, "assessment_outcome"] = pd.NA
    frame.loc[unassessed & ~undecided, "assessment_outcome"] = "pending"
    frame.loc[undecided | unassessed, ["week20_exception", "tribunal_appeal"]] = 0
    return frame


# Which date says when each tracker row was recorded (targets are plans, kept whole).
TRACKER_DATES = {
    "ehcp_caseload": "month_end",
    "service_waits": "month_end",
    "school_places": "as_at_date",
    "placement_waits": "month_end",
    "workforce": "month_end",
    "families_first": "quarter_end",
    "cla_stability": "year_end",
    "improvement_plan": "update_date",
}


def censor_frames(frames: dict[str, pd.DataFrame], end: date) -> dict[str, pd.DataFrame]:
    """Every dataset cut at ``end`` (requests as :func:`censor_requests` cuts them)."""
    out = {}
    stamp = pd.Timestamp(end)
    for name, frame in frames.items():
        if name == "ehcp_requests":
            out[name] = censor_requests(frame, end)
        elif name in TRACKER_DATES:
            out[name] = frame.loc[frame[TRACKER_DATES[name]] <= stamp].reset_index(drop=True)
        else:
            out[name] = frame
    return out
