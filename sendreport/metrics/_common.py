"""Small vectorised helpers shared by the metric modules.

The Measure builders take no id: the :func:`sendreport.metrics.base.metric` wrapper stamps
the metric's own name on what it returns.

Everything here is unit-agnostic about ``datetime64`` (s, ms, us or ns) and tolerant of
the two pandas string dtypes (``str`` with NaN and ``string`` with ``pd.NA``): masks are
always plain numpy booleans, so a missing value never turns a count into ``<NA>``.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from sendreport.metrics.base import Measure, Unit
from sendreport.periods import Period

# Statutory clocks, in days from the date the request was received.
WEEK20_DAYS = 140  # plan issued within 20 weeks: at most 140 days
WEEK6_DAYS = 42  # decision to assess within 6 weeks: at most 42 days
WEEK52_DAYS = 364  # DfE's "after 52 weeks" band starts at 365 days


def day_bounds(period: Period) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Half-open timestamp bounds [start, day after end) of a closed day period.

    Half-open so that a date carrying a time of day on the last day still counts.
    """
    return pd.Timestamp(period.start), pd.Timestamp(period.end + timedelta(days=1))


def dated_in(dates: pd.Series, period: Period) -> np.ndarray:
    """True where the date falls on a day of ``period``; missing dates are False."""
    lo, hi = day_bounds(period)
    if _naive_dates(dates):  # numpy compares in C; a missing date (NaT) compares False
        values = dates.to_numpy()
        return (values >= lo.to_datetime64()) & (values < hi.to_datetime64())
    return ((dates >= lo) & (dates < hi)).fillna(False).to_numpy(dtype=bool)


def dated_on_or_before(dates: pd.Series, day: date) -> np.ndarray:
    """True where the date is on or before ``day``; missing dates are False."""
    hi = pd.Timestamp(day + timedelta(days=1))
    if _naive_dates(dates):
        return dates.to_numpy() < hi.to_datetime64()
    return (dates < hi).fillna(False).to_numpy(dtype=bool)


def days_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Whole days from ``earlier`` to ``later`` (float, NaN where either is missing).

    Dates are floored to the day first, so times of day never move a case across a
    140- or 42-day boundary.
    """
    if (
        not _naive_dates(later)
        or not _naive_dates(earlier)
        or not later.index.equals(earlier.index)
    ):
        return (later.dt.floor("D") - earlier.dt.floor("D")).dt.days
    # The same in numpy (casting to whole days floors, NaT stays NaT): several times faster,
    # and metrics take this difference for every period they are computed for.
    days = later.to_numpy(dtype="datetime64[D]") - earlier.to_numpy(dtype="datetime64[D]")
    missing = np.isnat(days)
    values = days.astype(np.int64)
    if missing.any():  # as pandas gives it: whole numbers, float only where one is missing
        values = np.where(missing, np.nan, values.astype(np.float64))
    name = later.name if later.name == earlier.name else None
    return pd.Series(values, index=later.index, name=name)


def _naive_dates(values: pd.Series) -> bool:
    """True for a datetime64 column without a time zone (numpy reads it as it is)."""
    return isinstance(values.dtype, np.dtype) and values.dtype.kind == "M"


def is_one_of(values: pd.Series, allowed: tuple[str, ...] | list[str]) -> np.ndarray:
    """True where a category column takes one of ``allowed``; missing is False."""
    return values.isin(list(allowed)).to_numpy(dtype=bool)


def flag_set(values: pd.Series) -> np.ndarray:
    """True where a 0/1 flag is 1; a missing flag counts as 0."""
    return pd.to_numeric(values, errors="coerce").fillna(0).to_numpy(dtype=float) == 1


def pct_measure(
    period: Period,
    numerator: float,
    denominator: float,
    *,
    empty_note: str,
    components: tuple[tuple[str, float], ...] = (),
) -> Measure:
    """A percentage Measure; ``value`` is None with ``empty_note`` on a zero denominator."""
    comps = tuple((label, float(n)) for label, n in components)
    if denominator == 0:
        return Measure(
            value=None,
            period=period,
            unit="%",
            numerator=float(numerator),
            denominator=float(denominator),
            note=empty_note,
            components=comps,
        )
    return Measure(
        value=100.0 * numerator / denominator,
        period=period,
        unit="%",
        numerator=float(numerator),
        denominator=float(denominator),
        components=comps,
    )


def count_measure(
    period: Period,
    count: float | None,
    *,
    unit: Unit = "count",
    note: str | None = None,
    components: tuple[tuple[str, float], ...] = (),
) -> Measure:
    """A count (or other level) Measure; ``count`` None means not available, with ``note``."""
    value = None if count is None else float(count)
    return Measure(
        value=value,
        period=period,
        unit=unit,
        numerator=value,
        note=note,
        components=components or ((("count", value),) if value is not None else ()),
    )


def change_pct_measure(
    period: Period,
    current: Measure,
    previous: Measure,
    *,
    current_label: str,
    previous_label: str,
    empty_note: str,
) -> Measure:
    """Percentage change from ``previous`` to ``current``: (current − previous) ÷ previous.

    None with a note when either level is unavailable or the previous level is zero.
    """
    comps: tuple[tuple[str, float], ...] = tuple(
        (label, m.value)
        for label, m in ((current_label, current), (previous_label, previous))
        if m.value is not None
    )
    if current.value is None or previous.value is None:
        missing = current if current.value is None else previous
        note = missing.note or "figure not available"
        return Measure(None, period, "%", note=note, components=comps)
    if previous.value == 0:
        return Measure(
            None,
            period,
            "%",
            numerator=current.value - previous.value,
            denominator=0.0,
            note=empty_note,
            components=comps,
        )
    return Measure(
        100.0 * (current.value - previous.value) / previous.value,
        period,
        "%",
        numerator=current.value - previous.value,
        denominator=previous.value,
        components=comps,
    )


def month_end_on_or_before(day: date) -> date:
    """The last month end on or before ``day`` (``day`` itself when it is a month end)."""
    nxt = day + timedelta(days=1)
    if nxt.month != day.month:
        return day
    return date(day.year, day.month, 1) - timedelta(days=1)


def rows_at_month_end(
    frame: pd.DataFrame, period: Period, column: str = "month_end"
) -> pd.DataFrame:
    """Rows of a month-end dataset counted at the period's last month end."""
    target = month_end_on_or_before(period.end)
    mask = dated_in(frame[column], Period.snapshot(target))
    return frame.loc[mask]


def latest_on_or_before(frame: pd.DataFrame, period: Period, column: str) -> pd.DataFrame:
    """Rows carrying the latest ``column`` date on or before the period end."""
    eligible = frame.loc[dated_on_or_before(frame[column], period.end)]
    if eligible.empty:
        return eligible
    latest = eligible[column].dt.floor("D").max()
    return eligible.loc[(eligible[column].dt.floor("D") == latest).to_numpy(dtype=bool)]


def fmt_day(day: date | pd.Timestamp) -> str:
    return f"{pd.Timestamp(day):%-d %B %Y}"
