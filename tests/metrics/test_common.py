"""The shared metric helpers: whole days between dates and dates inside a period, as pandas
gives them (the helpers take numpy's faster way where the dates allow it)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from sendreport.metrics._common import dated_in, dated_on_or_before, day_bounds, days_between
from sendreport.periods import Period


def _dates(*values: str | None, unit: str = "us") -> pd.Series:
    return pd.Series(pd.to_datetime(list(values), format="ISO8601")).astype(f"datetime64[{unit}]")


def _by_pandas(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later.dt.floor("D") - earlier.dt.floor("D")).dt.days


LATER = _dates("2024-01-05 13:00", "1969-12-31 12:00", None, "2020-02-29 23:59")
EARLIER = _dates("2024-01-01 23:00", "1969-12-30 01:00", "2020-01-01", None)


@pytest.mark.parametrize(
    ("later", "earlier"),
    [
        (LATER, EARLIER),  # times of day, before 1970, missing on either side: float
        (LATER.iloc[:2], EARLIER.iloc[:2]),  # nothing missing: whole numbers (int64)
        (LATER.astype("datetime64[ns]"), EARLIER.astype("datetime64[s]")),  # mixed units
        (LATER.iloc[:0], EARLIER.iloc[:0]),
        (LATER.dt.tz_localize("UTC"), EARLIER.dt.tz_localize("UTC")),  # pandas' own way
        (LATER.iloc[[1, 0]], EARLIER.iloc[[0, 1]]),  # aligned on the index, as pandas does
    ],
)
def test_days_between_equals_pandas_day_flooring(later: pd.Series, earlier: pd.Series) -> None:
    pd.testing.assert_series_equal(
        days_between(later, earlier), _by_pandas(later, earlier), check_exact=True
    )


def test_days_between_counts_calendar_days_not_hours() -> None:
    got = days_between(_dates("2024-03-02 00:30"), _dates("2024-03-01 23:30"))
    assert got.tolist() == [1]


@pytest.mark.parametrize(
    "dates", [LATER, EARLIER.astype("datetime64[s]"), LATER.dt.tz_localize(None)]
)
@pytest.mark.parametrize(
    "period",
    [
        Period.parse("2019-20-Q4"),
        Period.parse("2023-24-Q4"),
        Period.financial_year(2019),
        Period.month(2024, 1),
    ],
    ids=str,
)
def test_dates_in_a_period_equal_pandas_comparisons(dates: pd.Series, period: Period) -> None:
    lo, hi = day_bounds(period)
    inside = ((dates >= lo) & (dates < hi)).fillna(False).to_numpy(dtype=bool)
    before = (dates < pd.Timestamp(period.end + timedelta(days=1))).fillna(False).to_numpy(bool)
    for got, want in (
        (dated_in(dates, period), inside),
        (dated_on_or_before(dates, period.end), before),
    ):
        assert got.dtype == bool and np.array_equal(got, want)


def test_the_last_day_counts_whatever_its_time_and_missing_dates_never_do() -> None:
    dates = _dates("2024-03-31 23:59", "2024-04-01", None)
    assert dated_in(dates, Period.parse("2023-24-Q4")).tolist() == [True, False, False]
